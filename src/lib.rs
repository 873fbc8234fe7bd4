//! # panier-web
//!
//! L'application web de Panier (Leptos 0.8, rendu côté client). Elle ne fait
//! que **rendre et router** ; les calculs vivent dans `panier-core` et
//! s'exécutent dans un Web Worker, si bien que la page reste réactive pendant
//! l'analyse d'un fichier de 50 Mo.
//!
//! | module | rôle |
//! |---|---|
//! | [`app`] | coquille : en-tête, navigation, langue, vue courante |
//! | [`pages`] | une vue par fichier (import, vue d'ensemble…) |
//! | [`components`] | éléments réutilisés (indicateurs, progression) |
//! | [`state`] | état partagé et envoi des commandes au worker |
//! | [`worker`] | protocole, côté worker, côté page |
//! | [`route`] | vues et adresses (`#/overview`) |
//! | [`theme`] / [`focus`] | thème clair ou sombre, focus du clavier |
//! | [`page`] | adresse, stockage local, `<html>` |
//! | [`i18n`] / [`format`](mod@format) | textes FR/EN, nombres selon la langue |

pub mod app;
pub mod components;
pub mod embed;
pub mod focus;
pub mod format;
pub mod i18n;
pub mod page;
pub mod pages;
pub mod route;
pub mod state;
pub mod theme;
pub mod worker;
