//! Ce que partagent les tests d'intégration du cœur.

use std::path::PathBuf;

/// Chemin sous `../shared` (données et références hors du dépôt). S'il
/// manque, le test échoue en le nommant : ces tests sont ignorés par défaut
/// et ne tournent qu'avec `--include-ignored`, jamais à vide.
#[track_caller]
pub fn shared(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(relative);
    assert!(
        path.exists(),
        "{} absent : ce test a besoin de ../shared (données et références de parité)",
        path.display()
    );
    path
}
