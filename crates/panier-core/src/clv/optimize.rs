//! Maximum de vraisemblance : un Nelder–Mead en espace logarithmique.
//!
//! ## Pourquoi cet optimiseur
//!
//! Les paramètres des deux modèles sont strictement positifs (r, α, a, b ;
//! p, q, γ) et d'échelles très différentes (r ≈ 0,2, α ≈ 4, γ ≈ 15 sur
//! CDNOW). On optimise donc θ = ln(paramètre) : la contrainte de positivité
//! disparaît et un pas de simplex a le même sens relatif pour chacun.
//!
//! Nelder & Mead (1965), « A simplex method for function minimization »,
//! plutôt qu'un BFGS :
//!
//! - il ne demande que la vraisemblance, pas son gradient (celui du BG/NBD
//!   passe par la fonction digamma et par la dérivée d'un logarithme de
//!   somme ; une erreur de dérivation y fausserait l'optimum en silence) ;
//! - en dimension 3 ou 4, il converge en quelques centaines d'évaluations ;
//!   chacune coûte un passage sur les profils distincts (x, tₓ, T), pas sur
//!   les clients (voir [`super::bgnbd`]) : sur Online Retail (4 339
//!   clients, 3 046 profils distincts), ≈ 510 évaluations et 16 ms natifs
//!   pour le BG/NBD, 5 ms pour le Gamma-Gamma (`panier bench`) ;
//! - il est robuste aux régions où la vraisemblance n'est pas définie
//!   (valeur +∞ : le simplex s'en écarte) ;
//! - pas de nouvelle dépendance (le cœur compile pour WebAssembly).
//!
//! Sa faiblesse connue — s'arrêter sur un simplex dégénéré avant l'optimum
//! — est corrigée par un redémarrage depuis le meilleur sommet avec un
//! simplex neuf, jusqu'à ce qu'un redémarrage n'améliore plus rien (la
//! recette de Numerical Recipes, § 10.5). Coefficients standard :
//! réflexion 1, expansion 2, contraction ½, rétrécissement ½.

/// Résultat d'une minimisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// Point trouvé (dans l'espace optimisé, ici les logarithmes).
    pub point: Vec<f64>,
    /// Valeur de la fonction en ce point.
    pub value: f64,
    /// Évaluations de la fonction.
    pub evaluations: usize,
    /// Vrai si le critère d'arrêt a été atteint avant le plafond
    /// d'évaluations.
    pub converged: bool,
}

/// Réglages de la minimisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Pas initial du simplex autour du départ (en logarithme : 0,5 ≈ ×1,65).
    pub step: f64,
    /// Écart relatif des valeurs du simplex en dessous duquel il a convergé.
    pub f_tolerance: f64,
    /// Taille du simplex (norme infinie) en dessous de laquelle il a
    /// convergé.
    pub x_tolerance: f64,
    /// Plafond d'évaluations, redémarrages compris.
    pub max_evaluations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            step: 0.5,
            f_tolerance: 1e-11,
            x_tolerance: 1e-6,
            max_evaluations: 20_000,
        }
    }
}

/// Minimise `f` depuis `start`. Une valeur non finie de `f` compte comme
/// +∞ (point refusé). Jamais de panique : un départ de dimension nulle rend
/// le départ tel quel.
pub fn minimize(f: impl Fn(&[f64]) -> f64, start: &[f64], settings: Settings) -> Minimum {
    let n = start.len();
    let eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut best = start.to_vec();
    let mut best_value = eval(&best);
    let mut evaluations = 1;
    if n == 0 {
        return Minimum {
            point: best,
            value: best_value,
            evaluations,
            converged: true,
        };
    }
    let mut converged = false;
    // Redémarrages : au plus 10, tant que chacun améliore le meilleur point.
    for _restart in 0..10 {
        let (point, value, used, done) = simplex_run(
            &eval,
            &best,
            settings,
            settings.max_evaluations.saturating_sub(evaluations),
        );
        evaluations += used;
        let improved = value < best_value - settings.f_tolerance * (best_value.abs() + 1.0);
        if value <= best_value {
            best = point;
            best_value = value;
        }
        converged = done;
        if !done || !improved || evaluations >= settings.max_evaluations {
            break;
        }
    }
    Minimum {
        point: best,
        value: best_value,
        evaluations,
        converged: converged && best_value.is_finite(),
    }
}

/// Un passage de Nelder–Mead depuis `start` : (meilleur point, sa valeur,
/// évaluations, convergé).
fn simplex_run(
    eval: &impl Fn(&[f64]) -> f64,
    start: &[f64],
    settings: Settings,
    budget: usize,
) -> (Vec<f64>, f64, usize, bool) {
    let n = start.len();
    let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    simplex.push(start.to_vec());
    for i in 0..n {
        let mut vertex = start.to_vec();
        vertex[i] += settings.step;
        simplex.push(vertex);
    }
    let mut values: Vec<f64> = simplex.iter().map(|v| eval(v)).collect();
    let mut used = n + 1;
    let mut converged = false;
    // Dernier progrès notable du meilleur sommet : une crête qui file à
    // l'infini (a, b → ∞ ensemble dans le BG/NBD : la loi Bêta devient un
    // point) ou un mur (la borne des paramètres) ne fait plus gagner que
    // des miettes ; après 200·n évaluations sans gain relatif de
    // `f_tolerance`, le point atteint est la limite, et il est gardé.
    let mut best_seen = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut progress_at = used;
    while used < budget {
        let low_now = values.iter().copied().fold(f64::INFINITY, f64::min);
        if low_now < best_seen - settings.f_tolerance * (best_seen.abs() + 1.0) {
            best_seen = low_now;
            progress_at = used;
        } else if best_seen.is_finite() && used - progress_at > 200 * n {
            converged = true;
            break;
        }
        // Tri des sommets : le meilleur d'abord.
        let mut order: Vec<usize> = (0..=n).collect();
        crate::kernels::sort_by(&mut order, |&i, &j| values[i].total_cmp(&values[j]));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        let (low, high) = (values[0], values[n]);
        let spread = (high - low).abs();
        let size = simplex[1..]
            .iter()
            .flat_map(|v| v.iter().zip(&simplex[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0f64, f64::max);
        // Convergé : valeurs et sommets confondus ; ou plateau — les
        // sommets diffèrent encore (une direction où la fonction ne change
        // plus, comme a → 0 dans le BG/NBD) mais leurs valeurs sont égales
        // à la précision des flottants près.
        let flat = spread <= 1e-15 * (low.abs() + 1.0);
        if low.is_finite()
            && spread <= settings.f_tolerance * (low.abs() + 1.0)
            && (size <= settings.x_tolerance || flat)
        {
            converged = true;
            break;
        }
        // Centre de gravité des n meilleurs sommets.
        let mut centroid = vec![0.0; n];
        for vertex in &simplex[..n] {
            for (c, v) in centroid.iter_mut().zip(vertex) {
                *c += v / n as f64;
            }
        }
        let along = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[n])
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };
        let reflected = along(1.0);
        let fr = eval(&reflected);
        used += 1;
        if fr < values[0] {
            let expanded = along(2.0);
            let fe = eval(&expanded);
            used += 1;
            if fe < fr {
                simplex[n] = expanded;
                values[n] = fe;
            } else {
                simplex[n] = reflected;
                values[n] = fr;
            }
            continue;
        }
        if fr < values[n - 1] {
            simplex[n] = reflected;
            values[n] = fr;
            continue;
        }
        // Contraction, du côté du meilleur des deux points (réfléchi ou pire).
        let (contracted, fc) = if fr < values[n] {
            let point = along(0.5);
            let value = eval(&point);
            (point, value)
        } else {
            let point = along(-0.5);
            let value = eval(&point);
            (point, value)
        };
        used += 1;
        if fc < values[n].min(fr) {
            simplex[n] = contracted;
            values[n] = fc;
            continue;
        }
        // Rétrécissement vers le meilleur sommet.
        let best = simplex[0].clone();
        for i in 1..=n {
            for (x, b) in simplex[i].iter_mut().zip(&best) {
                *x = b + 0.5 * (*x - b);
            }
            values[i] = eval(&simplex[i]);
        }
        used += n;
    }
    let best = (0..=n)
        .min_by(|&i, &j| values[i].total_cmp(&values[j]))
        .unwrap_or(0);
    (simplex[best].clone(), values[best], used, converged)
}
