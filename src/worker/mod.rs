//! Le Web Worker d'analyse : protocole, côté worker, côté interface.
//!
//! | module | rôle |
//! |---|---|
//! | [`protocol`] | commandes, événements, codec |
//! | [`machine`] | l'automate du worker d'analyse (phases, lecture à deux), natif et testé avec des faux |
//! | [`analysis_worker`] | ce qui tourne dans le worker : l'automate branché sur le navigateur |
//! | [`helper`] | le second worker, qui lit la seconde moitié des gros CSV |
//! | [`nested`] | ce que partagent le second worker et le worker des paniers : rôle, lancement, protocole prêt/demande/réponse |
//! | [`miner`] | le worker des paniers, qui calcule les recherches d'associations (terminé par « Annuler ») |
//! | [`browser`] | ce que les workers demandent au navigateur (lire un `File`, horloge, mémoire) |
//! | [`client`] | ce qui tourne dans la page : revalider et lancer le worker, relayer ses événements |

pub mod analysis_worker;
pub mod browser;
pub mod client;
pub mod helper;
pub mod machine;
pub mod miner;
pub mod nested;
pub mod protocol;
