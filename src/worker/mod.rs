//! Le Web Worker d'analyse : protocole, côté worker, côté interface.
//!
//! | module | rôle |
//! |---|---|
//! | [`protocol`] | commandes, événements, codec |
//! | [`analysis_worker`] | ce qui tourne dans le worker : lire le `File`, appeler le cœur |
//! | [`client`] | ce qui tourne dans la page : lancer le worker, relayer ses événements |

pub mod analysis_worker;
pub mod client;
pub mod protocol;
