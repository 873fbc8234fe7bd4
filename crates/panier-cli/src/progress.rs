//! Barre de progression de `panier analyze`, sur la sortie d'erreur et
//! seulement quand celle-ci est un terminal : redirigée (scripts, tests),
//! la sortie d'erreur ne reçoit que les messages.
//!
//! Elle suit les étapes annoncées par le pipeline (`ProgressSink`) : le
//! nom de l'étape, une roue tant que l'étape ne dit pas où elle en est, une
//! barre dès qu'elle donne une fraction (la lecture des lignes).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use panier_core::progress::Stage;
use panier_core::Lang;

/// Graduations de la barre (une fraction 0–1 en millièmes).
const TICKS: u64 = 1000;

/// La barre de progression, absente hors d'un terminal.
pub struct ProgressDisplay {
    bar: Option<ProgressBar>,
    lang: Lang,
    /// L'étape en cours a donné une fraction : la barre remplace la roue.
    measured: bool,
}

impl ProgressDisplay {
    /// Une barre sur la sortie d'erreur si c'est un terminal, rien sinon.
    pub fn new(lang: Lang) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(TICKS), ProgressDrawTarget::stderr());
            bar.set_style(spinner_style());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            lang,
            measured: false,
        }
    }

    /// Une étape commence : son nom, et la roue jusqu'à une fraction.
    pub fn stage_started(&mut self, stage: Stage) {
        if let Some(bar) = &self.bar {
            if self.measured {
                bar.set_style(spinner_style());
                self.measured = false;
            }
            bar.set_position(0);
            bar.set_message(stage_label(stage, self.lang));
        }
    }

    /// Fraction (0 à 1) de l'étape en cours.
    pub fn advanced(&mut self, fraction: f64) {
        if let Some(bar) = &self.bar {
            if !self.measured {
                bar.set_style(bar_style());
                self.measured = true;
            }
            bar.set_position((fraction.clamp(0.0, 1.0) * TICKS as f64) as u64);
        }
    }

    /// Un avertissement sur la sortie d'erreur, sans déchirer la barre.
    pub fn notice(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("panier: {message}")),
            None => eprintln!("panier: {message}"),
        }
    }
}

impl Drop for ProgressDisplay {
    /// La barre s'efface : le message d'erreur éventuel ou le rapport
    /// s'écrivent sur une ligne propre.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {percent:>3} % {elapsed}")
        .map(|style| style.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Nom de l'étape pour l'utilisateur.
fn stage_label(stage: Stage, lang: Lang) -> &'static str {
    let (fr, en) = match stage {
        Stage::Generate => ("génération", "generating"),
        Stage::Read => ("lecture du fichier", "reading the file"),
        Stage::Inspect => ("aperçu", "preview"),
        Stage::Parse => ("lecture des lignes", "parsing rows"),
        Stage::Join => ("jonction des deux moitiés", "joining both halves"),
        Stage::Clean => ("nettoyage", "cleaning"),
        Stage::Summarize => ("synthèse", "summary"),
        Stage::Rfm => ("segmentation RFM", "RFM segmentation"),
        Stage::Baskets => ("paniers", "baskets"),
        Stage::Recommend => ("recommandations", "recommendations"),
        Stage::Overview => ("vue d'ensemble", "overview"),
        Stage::Export => ("écriture des sorties", "writing outputs"),
    };
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}
