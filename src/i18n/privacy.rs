//! Textes de la page « Confidentialité », en français et en anglais.

use panier_core::Lang;

/// Textes fixes de la page « Confidentialité ».
pub struct PrivacyTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub stored_title: &'static str,
    /// Ce qui est gardé, et où : (quoi, où).
    pub stored: [(&'static str, &'static str); 5],
    pub proof_title: &'static str,
    pub proof: &'static str,
    pub forget: &'static str,
    pub forget_hint: &'static str,
    pub forgotten: &'static str,
}

const FR: PrivacyTexts = PrivacyTexts {
    title: "Confidentialité",
    intro: "Panier analyse vos fichiers dans cet onglet, sur cet appareil. Rien de ce que vous \
            chargez n'est envoyé où que ce soit\u{a0}: pas de serveur, pas de mesure d'audience, \
            pas de police ni de bibliothèque chargées d'ailleurs.",
    stored_title: "Ce que Panier garde, et où",
    stored: [
        (
            "Les fichiers que vous importez et leurs analyses",
            "En mémoire, dans cet onglet seulement. Jamais écrits sur le disque\u{a0}; fermer ou \
             recharger l'onglet les efface.",
        ),
        (
            "Vos choix de langue et de thème",
            "Dans le stockage local de ce navigateur (clés «\u{a0}panier.lang\u{a0}» et \
             «\u{a0}panier.theme\u{a0}»), seulement après un clic sur le sélecteur.",
        ),
        (
            "Vos réglages d'analyse, si vous le demandez",
            "Dans le stockage local (clé «\u{a0}panier.settings\u{a0}»), seulement si vous cochez \
             «\u{a0}Se souvenir de mes réglages sur cet appareil\u{a0}» (page Import). Des réglages, \
             jamais vos données.",
        ),
        (
            "Les fichiers de l'application, pour qu'elle marche hors ligne",
            "Dans le cache de ce navigateur (Cache Storage), avec le service worker qui les sert. \
             Ce sont les fichiers de Panier, jamais vos données.",
        ),
        (
            "Les exports que vous téléchargez (CSV, classeur Excel, images PNG et SVG, PDF imprimé)",
            "Là où vous les enregistrez.",
        ),
    ],
    proof_title: "Ce qui le garantit",
    proof: "La politique de sécurité de la page interdit au navigateur toute connexion vers un \
            autre site, pour la page comme pour les trois workers qui font les calculs, et \
            n'autorise aucun script venu d'ailleurs. Les tests de Panier vérifient qu'un envoi \
            vers un autre site est refusé.",
    forget: "Tout oublier sur cet appareil",
    forget_hint:
        "Efface les choix de langue et de thème, les réglages mémorisés, le cache de l'application et son service worker, \
                  puis recharge la page (l'analyse en cours est effacée). Le service worker remet \
                  ensuite en cache les fichiers de Panier, pour le hors-ligne — jamais vos données.",
    forgotten: "C'est fait\u{a0}: Panier n'a plus rien gardé sur cet appareil.",
};

const EN: PrivacyTexts = PrivacyTexts {
    title: "Privacy",
    intro: "Panier analyses your files in this tab, on this device. Nothing you load is sent \
            anywhere: no server, no analytics, no fonts or libraries loaded from elsewhere.",
    stored_title: "What Panier keeps, and where",
    stored: [
        (
            "The files you import and their analyses",
            "In memory, in this tab only. Never written to disk; closing or reloading the tab \
             erases them.",
        ),
        (
            "Your language and theme choices",
            "In this browser's local storage (keys \"panier.lang\" and \"panier.theme\"), \
             only after you pick one.",
        ),
        (
            "Your analysis settings, if you ask",
            "In local storage (key \"panier.settings\"), only if you tick \"Remember my settings \
             on this device\" (Import page). Settings, never your data.",
        ),
        (
            "The app's own files, so that it works offline",
            "In this browser's cache (Cache Storage), with the service worker that serves them. \
             These are Panier's files, never your data.",
        ),
        ("The exports you download (CSV, Excel workbook, PNG and SVG images, printed PDF)", "Wherever you save them."),
    ],
    proof_title: "What guarantees it",
    proof: "The page's security policy forbids the browser any connection to another site, for \
            the page and for the three workers that do the computing, and allows no script from \
            elsewhere. Panier's tests check that sending to another site is refused.",
    forget: "Forget everything on this device",
    forget_hint:
        "Erases the language and theme choices, the remembered settings, the app's cache and its service worker, then \
                  reloads the page (the current analysis is erased). The service worker then \
                  caches Panier's own files again, for offline use — never your data.",
    forgotten: "Done: Panier keeps nothing on this device any more.",
};

/// Les textes de la page « Confidentialité » dans `lang`.
pub fn privacy_texts(lang: Lang) -> &'static PrivacyTexts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}
