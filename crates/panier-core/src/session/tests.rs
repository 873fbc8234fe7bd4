//! La session contre des oracles indépendants : filtres refaits à la main sur
//! le CSV nettoyé, membres de segment énumérés, modèle appris directement.

use super::*;
use crate::demo::{generate_demo_csv, DemoConfig};
use crate::pipeline::AnalysisOptions;
use crate::progress::NoProgress;
use crate::recommend::evaluation::evaluate;
use crate::summary::Analysis;

/// Début du jour de `t`.
fn day(t: i64) -> i64 {
    t.div_euclid(86_400) * 86_400
}

fn demo(customers: usize) -> Vec<u8> {
    generate_demo_csv(&DemoConfig {
        customers,
        ..DemoConfig::default()
    })
}

fn session(bytes: &[u8]) -> Session {
    Session::load(bytes, AnalysisOptions::default(), &mut NoProgress).expect("démo lisible")
}

/// Le CSV nettoyé d'une session, ligne par ligne (sans l'en-tête).
fn cleaned_lines(session: &Session) -> Vec<String> {
    let mut csv = Vec::new();
    session.write_cleaned(&mut csv).unwrap();
    String::from_utf8(csv)
        .unwrap()
        .lines()
        .skip(1)
        .map(String::from)
        .collect()
}

/// Index d'une colonne du CSV nettoyé.
fn column(name: &str) -> usize {
    crate::export::cleaned_header()
        .iter()
        .position(|h| *h == name)
        .unwrap()
}

#[test]
fn a_country_scope_keeps_exactly_that_countrys_rows_without_rereading() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    let all = cleaned_lines(&session);
    let country = column("Country");
    // Oracle : les lignes du pays, choisies à la main dans le CSV de tout le
    // fichier (aucun pays de la démo ne contient de virgule).
    let expected: Vec<&String> = all
        .iter()
        .filter(|line| line.split(',').nth(country) == Some("France"))
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    let report = session
        .set_scope(Scope {
            country: Some(" france ".into()),
            ..Scope::default()
        })
        .unwrap()
        .clone();
    assert_eq!(report.country.as_deref(), Some("France"));
    assert_eq!(report.rows as usize, expected.len());
    let scoped = cleaned_lines(&session);
    assert_eq!(scoped.iter().collect::<Vec<_>>(), expected);
    // Les pays proposés restent ceux de tout le fichier.
    assert!(report.available_countries.len() > 1);
    // Même résultat que de relire le fichier avec le pays dans les options.
    let reread = crate::pipeline::analyze(
        &bytes,
        &AnalysisOptions {
            country: Some("France".into()),
            ..AnalysisOptions::default()
        },
        &mut NoProgress,
    )
    .unwrap();
    assert_eq!(reread.report, report);
    // Revenir à tout le fichier rend tout.
    session.set_scope(Scope::default()).unwrap();
    assert_eq!(cleaned_lines(&session), all);
}

#[test]
fn the_last_day_of_a_period_counts_in_full() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    let dates = &session.table().table.invoice_date;
    // Un jour de la démo qui a des ventes après midi.
    let last = *dates.iter().max().unwrap();
    let (from, to) = (day(last) - 40 * 86_400, day(last) - 10 * 86_400);
    let brute = dates
        .iter()
        .filter(|&&d| d >= from && d < to + 86_400)
        .count();
    let afternoon = dates
        .iter()
        .filter(|&&d| d >= to + 12 * 3_600 && d < to + 86_400)
        .count();
    assert!(afternoon > 0, "la démo vend l'après-midi du dernier jour");
    let report = session
        .set_scope(Scope {
            country: None,
            from: Some(from),
            // L'heure portée par la borne est ignorée : le jour compte en entier.
            to: Some(to + 3_600),
        })
        .unwrap();
    assert_eq!(report.rows as usize, brute);
}

#[test]
fn an_empty_or_reversed_scope_is_refused_and_the_session_keeps_its_scope() {
    let bytes = demo(300);
    let mut session = session(&bytes);
    let germany = Scope {
        country: Some("Germany".into()),
        ..Scope::default()
    };
    let rows = session.set_scope(germany.clone()).unwrap().rows;
    let last = *session.table().table.invoice_date.iter().max().unwrap();
    let empty = Scope {
        from: Some(last + 10 * 86_400),
        ..germany.clone()
    };
    assert_eq!(session.set_scope(empty), Err(PanierError::EmptyPeriod));
    let unknown = Scope {
        country: Some("Atlantis".into()),
        ..Scope::default()
    };
    assert!(matches!(
        session.set_scope(unknown),
        Err(PanierError::UnknownCountry { .. })
    ));
    let reversed = Scope {
        country: None,
        from: Some(last),
        to: Some(last - 2 * 86_400),
    };
    assert!(matches!(
        session.set_scope(reversed),
        Err(PanierError::InvalidParameter { .. })
    ));
    // La même journée en début et en fin est une période valide.
    assert_eq!(session.scope(), germany);
    assert_eq!(session.report().rows, rows);
    assert_eq!(session.table().table.len() as u64, rows);
}

#[test]
fn segment_members_are_the_customers_the_grid_puts_in_that_segment() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    let rfm = session.rfm(&RfmOptions::default()).clone().unwrap();
    let grid = SegmentGrid::default_for(5);
    for name in grid.segment_names() {
        let members = session
            .segment_members(&SegmentChoice {
                name: name.clone(),
                grid: grid.clone(),
            })
            .unwrap();
        let mut got: Vec<&str> = members
            .iter()
            .map(|&id| session.table().table.customers.value(id))
            .collect();
        let mut expected: Vec<&str> = rfm
            .customers
            .iter()
            .filter(|c| grid.segment_of(c.r, c.f, c.m) == name)
            .map(|c| c.customer.as_str())
            .collect();
        got.sort_unstable();
        expected.sort_unstable();
        assert_eq!(got, expected, "segment {name}");
    }
}

#[test]
fn the_recommender_takes_the_parameters_its_evaluation_chose() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    // Sans évaluation demandée d'abord : la session la fait elle-même.
    let mut via_session = Vec::new();
    session
        .write_recommendations(10, Lang::En, &mut via_session)
        .unwrap();
    let table = session.table().clone();
    let params = evaluate(&table).unwrap().split.params;
    let direct = Recommender::train(&table, params).unwrap();
    let mut expected = Vec::new();
    write_recommendations_csv(&table, &direct, 10, Lang::En, &mut expected).unwrap();
    assert!(via_session == expected);
}

/// La mesure garde tout l'historique daté, assemblé de ses périodes, avec
/// ses voisins comptés en même temps que les siens : ce que le modèle
/// appris directement (`Recommender::train`) construit et compte, et dont
/// le calcul détaché de la CLI apprend son modèle.
#[test]
fn the_evaluation_keeps_the_whole_history_the_recommender_learns() {
    use crate::recommend::evaluation::{evaluate_and_keep, RECENT_DAYS};
    use crate::recommend::history::History;
    use crate::recommend::model::{neighbours, MIN_TOGETHER};
    let bytes = demo(400);
    let session = session(&bytes);
    let table = session.table();
    let (evaluation, whole) = evaluate_and_keep(table, &mut NoProgress).unwrap();
    assert_eq!(evaluation, evaluate(table).unwrap());
    let (kept, kept_neighbours) = whole.expect("l'historique de la démo s'assemble");
    let dates = &table.table.invoice_date;
    let (first, last) = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
    let built = History::build(table, first, last + 1, RECENT_DAYS);
    assert_eq!(kept_neighbours, neighbours(&built, MIN_TOGETHER));
    // Les paniers sont rangés période après période au lieu de l'ordre du
    // fichier : mêmes paniers.
    let sorted = |history: &History| {
        let mut baskets = history.baskets.clone();
        baskets.sort();
        baskets
    };
    assert_eq!(sorted(&kept), sorted(&built));
    assert_eq!((kept.from, kept.to), (built.from, built.to));
    assert_eq!(kept.customers, built.customers);
    assert_eq!(kept.buyers, built.buyers);
    assert_eq!(kept.recent_buyers, built.recent_buyers);
    assert_eq!(kept.in_baskets, built.in_baskets);
    let bits = |history: &History| {
        history
            .price
            .iter()
            .map(|p| p.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&kept), bits(&built));
}

#[test]
fn a_recommend_job_run_elsewhere_gives_what_the_session_computes() {
    let bytes = demo(400);
    let mut here = session(&bytes);
    let mut expected = Vec::new();
    here.write_recommendations(10, Lang::En, &mut expected)
        .unwrap();
    let evaluation = here.evaluation().clone();
    // Calculé à part (la CLI le fait sur un autre fil), puis repris.
    let mut there = session(&bytes);
    let job = there.recommend_job();
    let outcome = std::thread::spawn(move || job.run(&mut NoProgress))
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(outcome.evaluation(), &evaluation);
    let mut csv = Vec::new();
    assert!(outcome
        .write_recommendations(10, Lang::En, &mut csv)
        .unwrap());
    assert!(csv == expected);
    assert!(there.adopt_recommendations(outcome));
    // Repris : ni mesure ni apprentissage de plus, mêmes réponses.
    assert_eq!(there.evaluation(), &evaluation);
    let mut adopted = Vec::new();
    there
        .write_recommendations(10, Lang::En, &mut adopted)
        .unwrap();
    assert!(adopted == expected);
    // Un périmètre changé entre-temps : rien n'est repris.
    let job = there.recommend_job();
    let outcome = job.run(&mut NoProgress).unwrap();
    there
        .set_scope(Scope {
            country: Some("France".into()),
            ..Scope::default()
        })
        .unwrap();
    assert!(!there.adopt_recommendations(outcome));
}

#[test]
fn customer_advice_resolves_the_segment_and_better_customers_in_the_core() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    let rfm = session.rfm(&RfmOptions::default()).clone().unwrap();
    let grid = SegmentGrid::default_for(5);
    let me = &rfm.customers[rfm.customers.len() / 2];
    let advice = session
        .recommend_customer(&format!(" {} ", me.customer), &grid, 10)
        .unwrap()
        .expect("client connu");
    assert_eq!(advice.segment, grid.segment_of(me.r, me.f, me.m));
    assert_eq!(advice.customer, me.customer);
    assert!(!advice.discovery.is_empty() || advice.segment_fallback);
    assert_eq!(session.recommend_customer("nobody", &grid, 10), Ok(None));
    let segment = SegmentChoice {
        name: advice.segment.clone(),
        grid,
    };
    let best = session.recommend_segment(&segment, 5).unwrap();
    assert!(best.customers > 0);
    assert!(best.best_sellers.len() <= 5);
}

#[test]
fn a_basket_analysis_can_be_limited_to_a_segment() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    session.rfm(&RfmOptions::default());
    let request = AnalysisOptions::default().basket_request();
    let all = session
        .mine_baskets(&request, None, &|| 0.0, &mut NoProgress)
        .unwrap()
        .baskets;
    let champions = SegmentChoice {
        name: "Champions".into(),
        grid: SegmentGrid::default_for(5),
    };
    let members = session.segment_members(&champions).unwrap();
    let table = &session.table().table;
    // Oracle : les factures distinctes des membres.
    let mut invoices: Vec<u32> = (0..table.len())
        .filter(|&row| members.contains(&table.customer[row]))
        .map(|row| table.invoice[row])
        .collect();
    invoices.sort_unstable();
    invoices.dedup();
    let some = session
        .mine_baskets(&request, Some(&champions), &|| 0.0, &mut NoProgress)
        .unwrap()
        .baskets;
    assert!(some < all);
    assert_eq!(some as usize, invoices.len());
}

#[test]
fn a_cancelled_evaluation_or_reading_keeps_nothing() {
    use crate::progress::StopAt;
    let bytes = demo(3_000);
    let mut session = session(&bytes);
    // Arrêt à la première question : rien n'est gardé…
    let mut sink = StopAt {
        stop_at: 1,
        asked: 0,
    };
    assert!(matches!(
        session.evaluation_with(&mut sink),
        Err(PanierError::Cancelled)
    ));
    assert_eq!(sink.asked, 1);
    // … et la demande suivante la calcule entière, comme sans arrêt.
    let expected = evaluate(session.table());
    assert_eq!(session.evaluation(), &expected);
    assert!(expected.is_ok());

    // La lecture des lignes s'arrête aussi quand le puits le demande.
    struct StopReading;
    impl ProgressSink for StopReading {
        fn stage_started(&mut self, _stage: Stage) {}
        fn advanced(&mut self, _stage: Stage, _fraction: f64) -> bool {
            false
        }
    }
    let read = Session::load(&bytes, AnalysisOptions::default(), &mut StopReading);
    assert!(matches!(read, Err(PanierError::Cancelled)));
}

#[test]
fn segment_stats_follow_the_last_segmentation_and_the_given_grid() {
    use crate::rfm::segments::SegmentGrid;
    use crate::rfm::stats::segment_stats;
    let bytes = demo(1_000);
    let mut session = session(&bytes);
    // Une segmentation à 3 niveaux, puis une grille où une case change de nom.
    let options = crate::rfm::RfmOptions {
        levels: 3,
        snapshot: None,
    };
    let table = session.rfm(&options).clone().expect("segmentation");
    let mut grid = SegmentGrid::default_for(3);
    let stats = session.segment_stats(&grid).expect("indicateurs");
    // Oracle : la segmentation calculée directement sur la table nettoyée.
    let direct = crate::rfm::compute_rfm(session.table(), &options).expect("segmentation");
    assert_eq!(direct, table);
    assert_eq!(stats, segment_stats(&direct, &grid));
    assert!(grid.set(3, 3, "VIP"));
    let renamed = session.segment_stats(&grid).expect("indicateurs");
    assert_eq!(renamed, segment_stats(&direct, &grid));
    assert!(renamed.iter().any(|s| s.name == "VIP"));
    let total: u32 = renamed.iter().map(|s| s.customers).sum();
    assert_eq!(total as usize, direct.customers.len());
}

#[test]
fn the_customer_value_is_kept_until_its_options_or_the_scope_change() {
    let mut session = session(&demo(400));
    let options = crate::clv::ClvOptions::default();
    let first = session
        .clv(&options)
        .clone()
        .expect("valeur client de la démo");
    // Même chose qu'un calcul direct sur la table du périmètre.
    assert_eq!(
        crate::clv::compute_clv(session.table(), &options).unwrap(),
        first
    );
    assert_eq!(session.clv(&options).as_ref().unwrap(), &first);
    let shorter = crate::clv::ClvOptions {
        horizon_days: 30,
        ..options
    };
    let changed = session.clv(&shorter).clone().unwrap();
    assert_eq!(session.options().clv, shorter);
    assert_eq!(changed.bgnbd, first.bgnbd);
    assert!(changed.expected_transactions_total < first.expected_transactions_total);
    // Par segment : les clients de la segmentation, tous comptés.
    let grid = SegmentGrid::default();
    let segments = session.clv_segments(&shorter, &grid).unwrap();
    let counted: usize = segments.iter().map(|s| s.customers).sum();
    let rfm = session.rfm(&Default::default()).clone().unwrap();
    assert_eq!(counted, rfm.customers.len());
    assert!(segments
        .iter()
        .all(|s| (0.0..=1.0).contains(&s.likely_inactive_share) && s.mean_clv >= 0.0));
    // Le résultat passe par le worker en JSON, aller et retour.
    let json = serde_json::to_string(&changed).unwrap();
    let back: crate::clv::ClvResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back.customers.len(), changed.customers.len());
    assert!((back.bgnbd.params.r - changed.bgnbd.params.r).abs() < 1e-12);
    assert!(back.validation.is_ok());
    let mut csv = Vec::new();
    session.write_clv(&mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.lines().count(), changed.customers.len() + 1);
    // Un périmètre d'un seul jour : une erreur claire, le reste intact.
    let last = session.report().date_max.clone().unwrap();
    let last = crate::rfm::parse_date(&last[..10], "to").unwrap();
    session
        .set_scope(Scope {
            from: Some(last),
            to: Some(last),
            ..Scope::default()
        })
        .unwrap();
    assert_eq!(session.clv(&options), &Err(PanierError::ClvNoTimeSpan));
    assert!(session.rfm(&Default::default()).is_ok());
}

/// Un journal d'achats sans produits (client, date, montant, comme CDNOW) :
/// la segmentation marche ; les paniers et la mesure des recommandations
/// disent qu'il manque la colonne produit, pas « aucun panier » ni « aucun
/// client actif » ; le rapport dit quels rôles le fichier fournit.
#[test]
fn without_products_baskets_and_evaluation_name_the_missing_column() {
    let csv = "customer,date,amount\n\
               1,1997-01-01,10\n1,1997-02-03,12\n2,1997-01-05,7\n\
               2,1997-03-05,9\n3,1997-01-09,30\n1,1997-05-01,11\n";
    let mut session = session(csv.as_bytes());
    let report = session.report().clone();
    assert!(report.has(Role::Customer) && report.has(Role::InvoiceDate));
    assert!(report.has_amounts());
    assert!(!report.has_products() && !report.has(Role::Country));
    assert!(report.missing_for(Analysis::Baskets).is_some());
    assert!(report.missing_for(Analysis::Rfm).is_none());
    assert!(session.rfm(&RfmOptions::default()).is_ok());
    let request = AnalysisOptions::default().basket_request();
    assert_eq!(
        session
            .mine_baskets(&request, None, &|| 0.0, &mut NoProgress)
            .err(),
        Some(PanierError::ProductsMissing)
    );
    assert_eq!(
        session.evaluation().as_ref().err(),
        Some(&PanierError::ProductsMissing)
    );
}

/// Des paniers datés sans client : la mesure dit « pas de colonne client ».
#[test]
fn without_customers_the_evaluation_says_the_customer_column_is_missing() {
    let csv = "InvoiceNo,Description,InvoiceDate\n\
               1,Mug,2011-01-01\n1,Plate,2011-01-01\n2,Mug,2011-03-01\n";
    let mut session = session(csv.as_bytes());
    assert_eq!(
        session.evaluation().as_ref().err(),
        Some(&PanierError::EvaluationImpossible {
            reason: "customer_column".into()
        })
    );
}

/// « À racheter » ne montre que des articles que le client a déjà achetés
/// (la revue y avait vu des articles jamais achetés : la liste du modèle
/// est complétée par la découverte quand le client a peu acheté).
#[test]
fn the_reorder_list_holds_only_items_the_customer_bought() {
    let bytes = demo(400);
    let mut session = session(&bytes);
    let rfm = session.rfm(&RfmOptions::default()).clone().unwrap();
    let grid = SegmentGrid::default_for(5);
    let table = session.table().table.clone();
    // Oracle : les articles de chaque client, relevés dans la table.
    let bought = |customer: &str| -> std::collections::BTreeSet<String> {
        let id = table.customers.id_of(customer).unwrap();
        (0..table.len())
            .filter(|&row| table.customer[row] == id)
            .map(|row| table.descriptions.value(table.description[row]).to_string())
            .collect()
    };
    let few = rfm
        .customers
        .iter()
        .map(|c| c.customer.clone())
        .find(|c| (1..10).contains(&bought(c).len()))
        .expect("un client qui a acheté moins de 10 articles");
    let advice = session
        .recommend_customer(&few, &grid, 10)
        .unwrap()
        .unwrap();
    let mine = bought(&few);
    assert!(!advice.reorder.is_empty());
    for r in &advice.reorder {
        assert!(mine.contains(&r.item), "{} jamais acheté par {few}", r.item);
    }
}
