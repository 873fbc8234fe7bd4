//! Le Web Worker d'analyse : protocole, côté worker, côté interface.
//!
//! | module | rôle |
//! |---|---|
//! | [`protocol`] | commandes, événements, codec |
//! | [`analysis_worker`] | ce qui tourne dans le worker : lire le `File`, appeler le cœur |
//! | [`helper`] | le second worker, qui lit la seconde moitié des gros CSV |
//! | [`browser`] | ce que les workers demandent au navigateur (lire un `File`, horloge, mémoire) |
//! | [`client`] | ce qui tourne dans la page : lancer le worker, relayer ses événements |

pub mod analysis_worker;
pub mod browser;
pub mod client;
pub mod helper;
pub mod protocol;
