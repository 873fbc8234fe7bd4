//! Parcourir de gros tampons par blocs.
//!
//! Dans le navigateur, le moteur WebAssembly (V8) compile d'abord chaque
//! fonction vite et mal (Liftoff), puis la recompile optimisée (TurboFan)
//! quand elle a assez servi ; mais un appel en cours ne change jamais de
//! code. Une boucle sur 20 Mo écrite d'un seul appel tourne donc jusqu'au
//! bout dans sa version lente, deux à trois fois plus lente que le natif.
//! Découper la boucle en appels de 64 Ko d'une fonction qui n'est pas
//! recopiée dans l'appelant (`#[inline(never)]`) laisse la version optimisée
//! prendre le relais au bout de quelques blocs. En natif, cela ne coûte rien.

/// Taille d'un bloc.
const BLOCK: usize = 64 * 1024;

/// Nombre d'octets qui vérifient `matches`.
pub fn count_matching(bytes: &[u8], matches: impl Fn(u8) -> bool + Copy) -> u64 {
    bytes
        .chunks(BLOCK)
        .map(|block| count_block(block, matches))
        .sum()
}

/// Compte par paquets de 255 octets dans des compteurs d'un octet : le
/// compilateur les traite alors 16 (wasm) ou 32 (AVX2) à la fois. Un compteur
/// de 64 bits par octet n'en traiterait que 2 à 4 (sept fois plus lent).
#[inline(never)]
fn count_block(block: &[u8], matches: impl Fn(u8) -> bool + Copy) -> u64 {
    block
        .chunks(255)
        .map(|packet| {
            let count = packet.iter().fold(0u8, |count, &byte| {
                count.wrapping_add(u8::from(matches(byte)))
            });
            u64::from(count)
        })
        .sum()
}

/// `values[id]` pour chaque identifiant, ajouté à `out` (décodage d'une
/// colonne encodée par dictionnaire).
pub fn gather_into<T: Copy>(ids: &[u32], values: &[T], out: &mut Vec<T>) {
    out.reserve(ids.len());
    for block in ids.chunks(BLOCK) {
        gather_block(block, values, out);
    }
}

/// `values[id]` pour chaque identifiant.
pub fn gather<T: Copy>(ids: &[u32], values: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    gather_into(ids, values, &mut out);
    out
}

#[inline(never)]
fn gather_block<T: Copy>(block: &[u32], values: &[T], out: &mut Vec<T>) {
    out.extend(block.iter().map(|&id| values[id as usize]));
}

/// Remplace chaque identifiant par `remap[id]`, sur place : aucune colonne
/// neuve à allouer (renumérotation d'une colonne encodée par dictionnaire).
pub fn remap_in_place(ids: &mut [u32], remap: &[u32]) {
    for block in ids.chunks_mut(BLOCK) {
        remap_block(block, remap);
    }
}

#[inline(never)]
fn remap_block(block: &mut [u32], remap: &[u32]) {
    for id in block {
        *id = remap[*id as usize];
    }
}

/// Appelle `work` sur les indices `0..len`, bloc par bloc. L'appel par
/// pointeur de fonction (`dyn`) garde le corps de la boucle dans une
/// fonction à part, appelée à chaque bloc.
pub fn in_blocks(len: usize, work: &mut dyn FnMut(std::ops::Range<usize>)) {
    let mut start = 0;
    while start < len {
        let end = len.min(start + BLOCK);
        work(start..end);
        start = end;
    }
}

/// Le texte en blocs d'environ `BLOCK` octets, coupés juste avant un octet
/// ASCII : aucune séquence UTF-8 (valide ou non) n'est coupée, si bien que
/// valider ou recenser bloc par bloc donne exactement le résultat d'un trait.
pub fn utf8_blocks(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len().min(BLOCK * 16);
        while end < rest.len() && !rest[end].is_ascii() {
            end += 1;
        }
        let (block, after) = rest.split_at(end);
        rest = after;
        Some(block)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathering_and_blocks_cover_every_index() {
        let ids: Vec<u32> = (0..200_000u32).map(|i| i % 3).collect();
        let values = [10i64, 20, 30];
        let mut renumbered = ids.clone();
        remap_in_place(&mut renumbered, &[2, 0, 1]);
        assert!(renumbered
            .iter()
            .zip(&ids)
            .all(|(&new, &old)| new == [2, 0, 1][old as usize]));
        let gathered = gather(&ids, &values);
        assert_eq!(gathered.len(), ids.len());
        assert!(gathered
            .iter()
            .zip(&ids)
            .all(|(&v, &id)| v == values[id as usize]));
        let mut seen = 0;
        let mut last = 0;
        in_blocks(200_001, &mut |rows| {
            assert_eq!(rows.start, last);
            last = rows.end;
            seen += rows.len();
        });
        assert_eq!(seen, 200_001);
    }

    #[test]
    fn counts_and_blocks_equal_a_straight_pass() {
        let mut text = "é,\"x\"".repeat(400_000).into_bytes();
        text.extend_from_slice(b"\xa3\xe2\x82");
        assert_eq!(
            count_matching(&text, |b| b == b'"'),
            text.iter().filter(|&&b| b == b'"').count() as u64
        );
        // Paquets entièrement faits d'octets comptés : aucun compteur ne déborde.
        assert_eq!(count_matching(&[b'"'; 100_000], |b| b == b'"'), 100_000);
        let blocks: Vec<&[u8]> = utf8_blocks(&text).collect();
        assert!(blocks.len() > 1);
        assert_eq!(blocks.concat(), text);
        for block in &blocks[..blocks.len() - 1] {
            // Chaque bloc suivant commence par un octet ASCII.
            let next = &text[block.as_ptr() as usize - text.as_ptr() as usize + block.len()..];
            assert!(next[0].is_ascii());
        }
    }
}
