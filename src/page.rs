//! Ce que la page demande au navigateur, en un seul endroit : un paramètre
//! de l'adresse (`?theme=`, `?settings=`, `?embed=`), le stockage local
//! (langue, thème, réglages — seulement après un geste de l'utilisateur),
//! l'élément `<html>`.

/// Un paramètre de l'adresse de la page (`?nom=valeur`), décodé.
pub fn url_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// L'élément `<html>` du document.
pub fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// Le stockage local, s'il est permis (il peut être refusé, par exemple
/// dans une iframe isolée).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// La valeur gardée sous `key`, s'il y en a une.
pub fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Garde `value` sous `key`. Un stockage plein ou refusé n'empêche rien : la
/// valeur n'est simplement pas gardée.
pub fn store(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Retire la valeur gardée sous `key`.
pub fn unstore(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
