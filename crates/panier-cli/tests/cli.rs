//! Le contrat de `panier analyze` : sorties écrites dans DIR, erreurs sur la
//! sortie d'erreur avec un code non nul.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn panier(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_panier"))
        .args(args)
        .output()
        .expect("binaire panier lancé")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Écrit une petite démo dans `dir` et renvoie son chemin.
fn small_demo(dir: &Path) -> String {
    let file = dir.join("demo.csv");
    let status = panier(&[
        "demo",
        "--out",
        file.to_str().unwrap(),
        "--customers",
        "300",
    ]);
    assert!(status.status.success());
    file.to_str().unwrap().to_string()
}

#[test]
fn analyze_writes_report_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let result = panier(&[
        "analyze",
        &input,
        "--out",
        out.to_str().unwrap(),
        "--min-support",
        "0.05",
        "--drop-item",
        "postage",
        "--drop-item",
        "carriage",
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let report = read_json(&out.join("report.json"));
    assert!(report["rows"].as_u64().unwrap() > 1_000);
    assert!(report["customers"].as_u64().unwrap() > 200);
    assert!(report["invoices"].as_u64().unwrap() > 300);
    assert!(report["revenue"].as_f64().unwrap() > 0.0);

    let metadata = read_json(&out.join("metadata.json"));
    assert_eq!(metadata["tool"], "panier");
    assert_eq!(metadata["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(metadata["parameters"]["min_support"], 0.05);
    assert_eq!(
        metadata["parameters"]["drop_items"],
        serde_json::json!(["postage", "carriage"])
    );
    assert_eq!(metadata["input"]["name"], "demo.csv");
    let size = std::fs::metadata(&input).unwrap().len();
    assert_eq!(metadata["input"]["size_bytes"].as_u64(), Some(size));
    let rfm = std::fs::read_to_string(out.join("rfm_segments.csv")).unwrap();
    let mut lines = rfm.lines();
    assert_eq!(
        lines.next().unwrap(),
        "CustomerID,Recency,Frequency,Monetary,R_Score,F_Score,M_Score,RFM_Score,RFM_Sum,FM_Score,Segment"
    );
    assert_eq!(
        lines.count() as u64,
        report["customers"].as_u64().unwrap(),
        "un client par ligne"
    );
    assert_eq!(metadata["parameters"]["rfm"]["levels"], 5);
    let itemsets = std::fs::read_to_string(out.join("frequent_itemsets.csv")).unwrap();
    assert!(itemsets.starts_with("itemsets,length,support\n"));
    assert!(itemsets.lines().count() > 1, "des itemsets à 5 %");
    assert!(!itemsets.contains("\"postage\""), "article retiré");
    let rules = std::fs::read_to_string(out.join("association_rules.csv")).unwrap();
    assert!(rules.starts_with(
        "antecedents,consequents,antecedent support,consequent support,support,confidence,lift,"
    ));
    for stage in [
        "read",
        "parse",
        "clean",
        "summarize",
        "rfm",
        "baskets",
        "total",
    ] {
        assert!(
            metadata["timings_ms"][stage].as_f64().is_some(),
            "durée {stage}"
        );
    }
}

#[test]
fn country_filter_restricts_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let all = dir.path().join("all");
    let france = dir.path().join("france");
    assert!(panier(&["analyze", &input, "--out", all.to_str().unwrap()])
        .status
        .success());
    let result = panier(&[
        "analyze",
        &input,
        "--out",
        france.to_str().unwrap(),
        "--country",
        "FRANCE",
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let (all, france) = (
        read_json(&all.join("report.json")),
        read_json(&france.join("report.json")),
    );
    assert_eq!(france["country"], "France");
    assert_eq!(france["countries"], 1);
    assert!(france["customers"].as_u64() < all["customers"].as_u64());
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();

    let missing = panier(&["analyze", "/nonexistent/file.csv", "--out", out]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("n'a pas pu être lu"));

    let input = small_demo(dir.path());
    let absurd = panier(&[
        "--lang",
        "en",
        "analyze",
        &input,
        "--out",
        out,
        "--min-support",
        "1.5",
    ]);
    assert!(!absurd.status.success());
    assert!(String::from_utf8_lossy(&absurd.stderr).contains("Invalid value for --min-support"));

    let levels = panier(&[
        "--lang", "en", "analyze", &input, "--out", out, "--levels", "7",
    ]);
    assert!(!levels.status.success());
    assert!(String::from_utf8_lossy(&levels.stderr).contains("Invalid value for --levels: 7"));

    let early = panier(&["analyze", &input, "--out", out, "--snapshot", "1990-01-01"]);
    assert!(!early.status.success());
    assert!(String::from_utf8_lossy(&early.stderr).contains("précède le premier achat"));

    let country = panier(&[
        "--lang",
        "en",
        "analyze",
        &input,
        "--out",
        out,
        "--country",
        "Atlantis",
    ]);
    assert!(!country.status.success());
    let stderr = String::from_utf8_lossy(&country.stderr);
    assert!(
        stderr.contains("Atlantis") && stderr.contains("United Kingdom"),
        "{stderr}"
    );
    assert!(
        !Path::new(out).join("report.json").exists(),
        "aucune sortie en cas d'erreur"
    );
}

/// Les sorties que `panier analyze` sait écrire (hors `manifest.json`).
const OUTPUTS: [&str; 12] = [
    "report.json",
    "cleaned.csv",
    "rfm_segments.csv",
    "clv.csv",
    "clv.json",
    "frequent_itemsets.csv",
    "association_rules.csv",
    "overview.json",
    "evaluation.json",
    "recommendations.csv",
    "metadata.json",
    "settings.yaml",
];

/// Empreinte d'un fichier selon `sha256sum` (coreutils) : l'outil que le
/// README propose pour vérifier le manifeste, et un oracle indépendant du
/// code qui l'écrit.
fn sha256sum(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum lancé");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()[..64].to_string()
}

/// Noms des fichiers du dossier, triés.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Vérifie le manifeste de `out` : chaque fichier listé est là, avec la
/// taille et l'empreinte annoncées, et aucune sortie connue n'est présente
/// sans y être listée. Renvoie les noms listés.
fn check_manifest(out: &Path) -> Vec<String> {
    let manifest = read_json(&out.join("manifest.json"));
    let mut listed = Vec::new();
    for file in manifest["files"].as_array().expect("liste des fichiers") {
        let name = file["name"].as_str().unwrap().to_string();
        let bytes = std::fs::read(out.join(&name))
            .unwrap_or_else(|error| panic!("{name} listé mais absent : {error}"));
        assert_eq!(
            file["size_bytes"].as_u64(),
            Some(bytes.len() as u64),
            "taille de {name}"
        );
        assert_eq!(
            file["sha256"].as_str(),
            Some(sha256sum(&out.join(&name)).as_str()),
            "empreinte de {name}"
        );
        listed.push(name);
    }
    for name in OUTPUTS {
        assert_eq!(
            out.join(name).exists(),
            listed.iter().any(|l| l == name),
            "{name} présent sans être listé, ou l'inverse"
        );
    }
    listed
}

#[test]
fn invalid_options_exit_2_naming_the_flag_before_reading_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    // Le fichier n'existe pas : l'option est refusée avant toute lecture.
    let input = dir.path().join("absent.csv");
    let input = input.to_str().unwrap();
    let cases: [(&[&str], &str); 19] = [
        (&["--clv-until", "2011-02-30"], "--clv-until"),
        (&["--clv-months", "0"], "--clv-months"),
        (&["--clv-horizon-days", "0"], "--clv-horizon-days"),
        (&["--clv-discount", "1.5"], "--clv-discount"),
        (&["--map", "shop=Store"], "--map"),
        (&["--map", "customer"], "--map"),
        (&["--min-support", "0"], "--min-support"),
        (&["--min-support", "NaN"], "--min-support"),
        (&["--min-confidence", "2"], "--min-confidence"),
        (&["--min-confidence", "-0.1"], "--min-confidence"),
        (&["--min-lift", "NaN"], "--min-lift"),
        (&["--min-lift", "inf"], "--min-lift"),
        (&["--min-lift", "-1"], "--min-lift"),
        (&["--max-len", "0"], "--max-len"),
        (&["--levels", "7"], "--levels"),
        (&["--snapshot", "2011-02-30"], "--snapshot"),
        (&["--from", "2011-02-30"], "--from"),
        (&["--to", "2011-13-01"], "--to"),
        (&["--from", "2011-05-01", "--to", "2011-03-01"], "--from"),
    ];
    for (options, flag) in cases {
        let mut args = vec!["--lang", "en", "analyze", input, "--out", out];
        args.extend_from_slice(options);
        let result = panier(&args);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{options:?} : {stderr}");
        assert!(
            stderr.contains(&format!("Invalid value for {flag}:")),
            "{options:?} : {stderr}"
        );
        assert!(!stderr.contains("could not be read"), "{stderr}");
        assert!(result.stdout.is_empty(), "{options:?}");
        assert!(!Path::new(out).exists(), "{options:?} : rien d'écrit");
    }
    // Une date illisible est reprochée à sa propre option.
    let from = panier(&["analyze", input, "--out", out, "--from", "2011-02-30"]);
    let stderr = String::from_utf8_lossy(&from.stderr);
    assert!(
        stderr.contains("--from") && !stderr.contains("snapshot"),
        "{stderr}"
    );
    // Des options valides laissent passer jusqu'à l'erreur de lecture (code
    // 1) ; `--from` et `--to` le même jour, quelle que soit l'heure, sont une
    // période d'un jour.
    let valid = panier(&[
        "analyze",
        input,
        "--out",
        out,
        "--min-confidence",
        "0.5",
        "--from",
        "2011-03-01 12:00",
        "--to",
        "2011-03-01",
    ]);
    assert_eq!(valid.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&valid.stderr).contains("n'a pas pu être lu"));
    assert!(
        !Path::new(out).join("manifest.json").exists(),
        "pas de manifeste après un échec"
    );
}

#[test]
fn rerun_removes_stale_outputs_and_the_manifest_matches_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec!["analyze", &input, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let result = panier(&args);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
    };

    run(&[]);
    let listed = check_manifest(&out);
    assert_eq!(listed.len(), OUTPUTS.len(), "{listed:?}");
    let mut expected: Vec<String> = OUTPUTS.iter().map(|s| s.to_string()).collect();
    expected.push("manifest.json".into());
    expected.sort();
    assert_eq!(listing(&out), expected, "ni temporaire ni fichier en trop");
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["tool"], "panier");
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["parameters"]["min_support"], 0.02);
    assert_eq!(manifest["input"]["name"], "demo.csv");
    assert_eq!(
        manifest["input"]["size_bytes"].as_u64(),
        Some(std::fs::metadata(&input).unwrap().len())
    );

    // Un fichier listé par l'ancien manifeste (d'une version qui écrivait
    // plus de sorties) et des fichiers temporaires d'une analyse tuée : la
    // prochaine analyse les retire aussi. Un fichier étranger reste.
    let mut old = manifest.clone();
    old["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "legacy.csv", "size_bytes": 1, "sha256": "00"}));
    std::fs::write(out.join("manifest.json"), old.to_string()).unwrap();
    std::fs::write(out.join("legacy.csv"), "x").unwrap();
    std::fs::write(out.join(".cleaned.csv.tmp-999999"), "partiel").unwrap();
    std::fs::write(out.join("notes.txt"), "à moi").unwrap();

    // Période d'une semaine : ni itemsets ni règles (trop d'itemsets à ce
    // support) ni évaluation (période trop courte).
    run(&["--from", "2011-12-01"]);
    let listed = check_manifest(&out);
    for gone in [
        "frequent_itemsets.csv",
        "association_rules.csv",
        "evaluation.json",
    ] {
        assert!(!listed.iter().any(|l| l == gone), "{gone} : {listed:?}");
        assert!(!out.join(gone).exists(), "{gone} périmé retiré");
    }
    let mut expected = listed.clone();
    expected.push("manifest.json".into());
    expected.push("notes.txt".into());
    expected.sort();
    assert_eq!(listing(&out), expected);
    let manifest = read_json(&out.join("manifest.json"));
    assert!(manifest["parameters"]["period_from"].as_i64().is_some());
    // metadata.json décrit bien cette seconde analyse.
    let metadata = read_json(&out.join("metadata.json"));
    assert_eq!(metadata["parameters"], manifest["parameters"]);
}

#[test]
fn killed_runs_never_leave_a_manifest_beside_incomplete_outputs() {
    use std::time::Instant;

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("demo.csv");
    let input = input.to_str().unwrap();
    let demo = panier(&["demo", "--out", input, "--customers", "3000"]);
    assert!(demo.status.success());
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    // Deux réglages aux sorties différentes (contenus et nombre de fichiers).
    let settings: [&[&str]; 2] = [&["--levels", "3"], &["--from", "2011-12-01"]];
    let spawn = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_panier"))
            .args(["analyze", input, "--out", out_arg])
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("binaire panier lancé")
    };

    // Durée d'une analyse complète avec chaque réglage.
    let full = settings.map(|extra| {
        let started = Instant::now();
        assert!(spawn(extra).wait().unwrap().success());
        check_manifest(&out);
        started.elapsed()
    });

    // Instants d'arrêt pseudo-aléatoires mais reproductibles, sur toute la
    // durée d'une analyse complète.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut with_manifest, mut without) = (0, 0);
    for round in 0..20 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let fraction = (state >> 11) as f64 / (1u64 << 53) as f64;
        let delay = full[round % 2].mul_f64(fraction);
        let mut child = spawn(settings[round % 2]);
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();

        if out.join("manifest.json").exists() {
            with_manifest += 1;
            // Manifeste présent : l'analyse est allée au bout (ou n'avait
            // encore rien touché), le dossier est exactement ce qu'il dit.
            let mut expected = check_manifest(&out);
            expected.push("manifest.json".into());
            expected.sort();
            assert_eq!(listing(&out), expected, "tour {round}");
        } else {
            without += 1;
        }
        // Un fichier au nom définitif est toujours complet.
        for name in OUTPUTS {
            let Ok(bytes) = std::fs::read(out.join(name)) else {
                continue;
            };
            assert!(bytes.ends_with(b"\n"), "{name} tronqué (tour {round})");
            if name.ends_with(".json") {
                serde_json::from_slice::<Value>(&bytes)
                    .unwrap_or_else(|error| panic!("{name} tronqué (tour {round}) : {error}"));
            }
        }
    }
    eprintln!(
        "analyses complètes en {full:?} ; {with_manifest} arrêts avec manifeste, {without} sans"
    );
    assert!(without > 0, "aucun arrêt en cours d'analyse");

    // Une analyse menée à terme remet le dossier d'aplomb, sans temporaire.
    assert!(spawn(settings[1]).wait().unwrap().success());
    let mut expected = check_manifest(&out);
    expected.push("manifest.json".into());
    expected.sort();
    assert_eq!(listing(&out), expected);
}

#[test]
fn ctrl_c_stops_the_analysis_at_the_next_check_without_a_manifest() {
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("demo.csv");
    let input = input.to_str().unwrap();
    assert!(panier(&["demo", "--out", input, "--customers", "3000"])
        .status
        .success());
    let out = dir.path().join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_panier"))
        .args([
            "--lang",
            "en",
            "analyze",
            input,
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binaire panier lancé");
    // Ctrl-C dès que `cleaned.csv` est écrit : restent la segmentation, les
    // paniers et l'évaluation, dont les boucles consultent le puits.
    let started = Instant::now();
    while !out.join("cleaned.csv").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "cleaned.csv jamais écrit"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill lancé");
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted (Ctrl-C)"), "{stderr}");
    assert!(stderr.contains("manifest.json"), "{stderr}");
    // Ni manifeste, ni fichier temporaire ; ce qui est écrit est complet.
    let files = listing(&out);
    assert!(!files.iter().any(|f| f == "manifest.json"), "{files:?}");
    assert!(!files.iter().any(|f| f.contains(".tmp-")), "{files:?}");
    assert!(std::fs::read(out.join("cleaned.csv"))
        .unwrap()
        .ends_with(b"\n"));
}

#[test]
fn map_gives_a_column_one_or_several_roles_by_header_or_number() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("members.csv");
    std::fs::write(
        &input,
        "Member,Day,Item\n1808,21-07-2015,tropical fruit\n1808,21-07-2015,whole milk\n\
         2552,05-01-2015,whole milk\n1808,02-08-2015,whole milk\n",
    )
    .unwrap();
    let input = input.to_str().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    // « Day » et « Item » ne sont pas reconnus d'eux-mêmes : --map les nomme
    // (par en-tête, sans tenir compte de la casse, ou par numéro).
    let run = |extra: &[&str]| {
        let mut args = vec!["--lang", "en", "analyze", input, "--out", out];
        args.extend_from_slice(&["--map", "invoice_date=day", "--map", "description=3"]);
        args.extend_from_slice(extra);
        panier(&args)
    };
    let result = run(&[]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let report = read_json(&Path::new(out).join("report.json"));
    // Sans facture : un panier par membre et par jour.
    assert_eq!(report["invoices"], 3);
    assert_eq!(report["import"]["basket_key"], "CustomerDay");
    // Le membre sert aussi de panier : un panier par membre.
    let result = run(&["--map", "invoice=Member"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let report = read_json(&Path::new(out).join("report.json"));
    assert_eq!(report["invoices"], 2);
    assert_eq!(report["import"]["basket_key"], "Invoice");
    // Une colonne absente est refusée en nommant l'option et les colonnes.
    let result = run(&["--map", "country=Store"]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--map") && stderr.contains("Member, Day, Item"),
        "{stderr}"
    );
}

#[test]
fn errors_name_the_command_line_options_not_the_app_controls() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for (content, option) in [
        ("Date,Product\n2024-01-01,a\n", "--map"),
        ("InvoiceNo;StockCode;Quantity\n1;A;2\n", "--delimiter"),
    ] {
        let input = dir.path().join("in.csv");
        std::fs::write(&input, content).unwrap();
        let mut args = vec![
            "--lang",
            "fr",
            "analyze",
            input.to_str().unwrap(),
            "--out",
            out,
        ];
        if option == "--delimiter" {
            args.extend_from_slice(&["--delimiter", ","]);
        }
        let result = panier(&args);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(option), "{stderr}");
        assert!(!stderr.contains("correspondance"), "{stderr}");
        assert!(!stderr.contains("options d'import"), "{stderr}");
    }
}

/// `panier analyze` dans `out` ; rend la sortie du processus.
fn analyze(input: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["analyze", input, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    panier(&args)
}

#[test]
fn settings_written_beside_the_outputs_give_the_same_analysis_again() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let first = dir.path().join("first");
    let result = analyze(
        &input,
        &first,
        &[
            "--levels",
            "4",
            "--min-support",
            "0.03",
            "--drop-item",
            "postage",
            "--min-lift",
            "1.2",
            "--algorithm",
            "eclat",
            "--snapshot",
            "2011-12-01",
            "--map",
            "customer=CustomerID",
        ],
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let settings = std::fs::read_to_string(first.join("settings.yaml")).unwrap();
    for line in [
        "levels: 4",
        "min_support: 0.03",
        "- postage",
        "algorithm: eclat",
        "customer: CustomerID",
    ] {
        assert!(settings.contains(line), "{line} absent de\n{settings}");
    }
    // Les seuls réglages, sans aucune option : la même analyse.
    let second = dir.path().join("second");
    let config = first.join("settings.yaml");
    let result = analyze(&input, &second, &["--config", config.to_str().unwrap()]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    for file in [
        "rfm_segments.csv",
        "association_rules.csv",
        "frequent_itemsets.csv",
        "recommendations.csv",
        "settings.yaml",
    ] {
        assert_eq!(
            std::fs::read(first.join(file)).unwrap(),
            std::fs::read(second.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn options_override_the_settings_file_and_its_grid_names_the_segments() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let config = dir.path().join("panier.yaml");
    std::fs::write(
        &config,
        "version: 1\nbaskets:\n  min_support: 0.05\nrfm:\n  levels: 3\n  segments:\n    - [Nouveaux, Prometteurs, Stars]\n    - [Tièdes, Tièdes, Fidèles]\n    - [Perdus, Perdus, À relancer]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = analyze(
        &input,
        &out,
        &[
            "--config",
            config.to_str().unwrap(),
            "--min-support",
            "0.04",
        ],
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let metadata = read_json(&out.join("metadata.json"));
    assert_eq!(
        metadata["parameters"]["min_support"], 0.04,
        "l'option l'emporte"
    );
    assert_eq!(
        metadata["parameters"]["rfm"]["levels"], 3,
        "le fichier vaut pour le reste"
    );
    let segments = std::fs::read_to_string(out.join("rfm_segments.csv")).unwrap();
    let names: std::collections::BTreeSet<&str> = segments
        .lines()
        .skip(1)
        .filter_map(|line| line.rsplit(',').next())
        .collect();
    let grid = [
        "Nouveaux",
        "Prometteurs",
        "Stars",
        "Tièdes",
        "Fidèles",
        "Perdus",
        "À relancer",
    ];
    assert!(names.iter().all(|name| grid.contains(name)), "{names:?}");
    assert!(
        names.contains("Stars") && names.contains("Perdus"),
        "{names:?}"
    );
    // --levels change la taille : la grille du fichier ne vaut plus, la grille
    // par défaut s'applique.
    let result = analyze(
        &input,
        &out,
        &["--config", config.to_str().unwrap(), "--levels", "5"],
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(std::fs::read_to_string(out.join("rfm_segments.csv"))
        .unwrap()
        .contains("Champions"));
}

#[test]
fn a_broken_settings_file_names_the_file_the_line_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let config = dir.path().join("panier.yaml");
    std::fs::write(&config, "version: 1\nrfm:\n  level: 4\n").unwrap();
    let out = dir.path().join("out");
    let result = analyze(
        &input,
        &out,
        &["--lang", "en", "--config", config.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("--config") && stderr.contains("panier.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3") && stderr.contains("level"),
        "{stderr}"
    );
    assert!(!out.join("manifest.json").exists());
    // Une valeur hors plage dans le fichier : l'option qu'elle remplace est nommée.
    std::fs::write(&config, "version: 1\nbaskets:\n  min_support: 2\n").unwrap();
    let result = analyze(
        &input,
        &out,
        &["--lang", "en", "--config", config.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("--min-support"));
    // Un fichier absent.
    let result = analyze(&input, &out, &["--config", "/nonexistent/panier.yaml"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("/nonexistent/panier.yaml"));
}

/// En-tête de `clv.csv`.
const CLV_HEADER: &str = "customer,frequency,recency_weeks,T_weeks,monetary,p_alive,expected_transactions,expected_value,clv";

#[test]
fn the_customer_value_is_written_for_every_customer_in_the_rfm_order() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let result = analyze(&input, &out, &["--clv-horizon-days", "30"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let clv = std::fs::read_to_string(out.join("clv.csv")).unwrap();
    let mut lines = clv.lines();
    assert_eq!(lines.next(), Some(CLV_HEADER));
    let ours: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    let rfm = std::fs::read_to_string(out.join("rfm_segments.csv")).unwrap();
    let theirs: Vec<&str> = rfm
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    // Les mêmes clients dans le même ordre ; la valeur client garde en plus
    // ceux dont les seuls achats sont gratuits (prix 0 : une visite, pas une
    // vente pour la segmentation).
    let mut rest = ours.iter();
    for customer in &theirs {
        assert!(rest.any(|c| c == customer), "{customer} absent ou déplacé");
    }
    assert!(ours.len() >= theirs.len() && ours.len() <= theirs.len() + 5);
    let json = read_json(&out.join("clv.json"));
    assert_eq!(json["horizon_days"], 30);
    for key in ["r", "alpha", "a", "b", "log_likelihood"] {
        assert!(json["bgnbd"][key].is_f64(), "{key}");
    }
    for key in ["p", "q", "v"] {
        assert!(json["gamma_gamma"][key].is_f64(), "{key}");
    }
    for key in ["mae", "naive_mae", "predicted_total", "actual_total"] {
        assert!(json["validation"][key].is_number(), "{key} : {json}");
    }
    assert_eq!(json["customers"].as_u64(), Some(ours.len() as u64));
    // Les réglages écrits gardent l'horizon choisi.
    let settings = std::fs::read_to_string(out.join("settings.yaml")).unwrap();
    assert!(settings.contains("horizon_days: 30"), "{settings}");
}

#[test]
fn a_file_too_short_for_the_customer_value_still_gets_every_other_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("one_day.csv");
    let mut text =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    for i in 0..40 {
        text.push_str(&format!("{i},A,Mug,1,2011-01-01 10:00,2.5,{}\n", 100 + i));
        text.push_str(&format!("{i},B,Plate,1,2011-01-01 10:00,4,{}\n", 100 + i));
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let result = panier(&[
        "--lang",
        "en",
        "analyze",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(
        stderr.contains("Predicted customer value unavailable") && stderr.contains("--clv-until"),
        "{stderr}"
    );
    assert!(!out.join("clv.csv").exists() && !out.join("clv.json").exists());
    for file in [
        "rfm_segments.csv",
        "cleaned.csv",
        "report.json",
        "manifest.json",
    ] {
        assert!(out.join(file).exists(), "{file}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn cdnow_gives_the_published_parameters() {
    let data =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/cdnow/cdnow_sample.csv");
    assert!(
        data.exists(),
        "{} absent : ce test a besoin de ../shared",
        data.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = analyze(data.to_str().unwrap(), &out, &["--clv-until", "1997-09-30"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let json = read_json(&out.join("clv.json"));
    let close = |value: &Value, published: f64, tolerance: f64| {
        let value = value.as_f64().unwrap();
        assert!(
            (value - published).abs() <= tolerance,
            "{value} ≠ {published}"
        );
    };
    close(&json["bgnbd"]["r"], 0.243, 0.0005);
    close(&json["bgnbd"]["alpha"], 4.414, 0.0005);
    close(&json["bgnbd"]["a"], 0.793, 0.0005);
    close(&json["bgnbd"]["b"], 2.426, 0.0005);
    close(&json["bgnbd"]["log_likelihood"], -9582.4, 0.05);
    close(&json["gamma_gamma"]["p"], 6.25, 0.005);
    close(&json["gamma_gamma"]["q"], 3.74, 0.005);
    close(&json["gamma_gamma"]["v"], 15.44, 0.005);
    assert_eq!(json["customers"], 2357);
    assert_eq!(json["repeat_customers"], 946);
    assert_eq!(json["calibration_end"], "1997-09-30 00:00:00");
    let validation = &json["validation"];
    assert!(
        validation["mae"].as_f64().unwrap() < validation["naive_mae"].as_f64().unwrap(),
        "{validation}"
    );
    let clv = std::fs::read_to_string(out.join("clv.csv")).unwrap();
    let mut lines = clv.lines();
    assert_eq!(lines.next(), Some(CLV_HEADER));
    // Le premier client de Hardie : x = 2, tₓ = 30,43, T = 38,86 semaines.
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&first[..2], ["0001", "2"]);
    assert!(first[2].starts_with("30.428") && first[3].starts_with("38.857"));
    assert_eq!(clv.lines().count(), 2358);
}

/// Chaque cellule de la feuille `sheet` de `book` vaut la valeur du CSV à la
/// même place : nombre égal bit pour bit au nombre écrit, ou même texte.
fn assert_sheet_is_the_csv(book: &Path, sheet: &str, csv_path: &Path) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = open_workbook(book).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(range.height(), records.len(), "{sheet} : lignes");
    for (row, record) in range.rows().zip(&records) {
        assert_eq!(row.len(), record.len(), "{sheet} : colonnes");
        for (cell, field) in row.iter().zip(record.iter()) {
            match cell {
                Data::Float(x) => assert_eq!(
                    x.to_bits(),
                    field.parse::<f64>().unwrap().to_bits(),
                    "{sheet} : {field}"
                ),
                Data::Int(n) => assert_eq!(n.to_string(), field, "{sheet}"),
                Data::String(text) => assert_eq!(text, field, "{sheet}"),
                Data::Empty => assert_eq!(field, "", "{sheet}"),
                other => panic!("{sheet} : cellule inattendue {other:?} pour {field}"),
            }
        }
    }
}

#[test]
fn xlsx_holds_every_result_with_the_values_of_the_csvs() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let result = panier(&[
        "--lang",
        "en",
        "analyze",
        &input,
        "--out",
        out.to_str().unwrap(),
        "--min-support",
        "0.02",
        "--xlsx",
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let book = out.join("panier.xlsx");
    assert!(check_manifest(&out).contains(&"panier.xlsx".to_string()));
    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Summary",
            "Cleaning",
            "Segments",
            "Customers",
            "Customer value",
            "Rules",
            "Recommendations",
            "Quality"
        ]
    );
    assert_sheet_is_the_csv(&book, "Customers", &out.join("rfm_segments.csv"));
    assert_sheet_is_the_csv(&book, "Customer value", &out.join("clv.csv"));
    assert_sheet_is_the_csv(&book, "Rules", &out.join("association_rules.csv"));
    assert_sheet_is_the_csv(&book, "Recommendations", &out.join("recommendations.csv"));

    // La synthèse et la qualité disent ce que disent les JSON.
    let report = read_json(&out.join("report.json"));
    let summary = workbook.worksheet_range("Summary").unwrap();
    let value_of = |label: &str| {
        summary
            .rows()
            .find(|row| row[0] == Data::String(label.into()))
            .map(|row| row[1].clone())
            .unwrap_or_else(|| panic!("{label} absent de la synthèse"))
    };
    assert_eq!(
        value_of("Customers"),
        Data::Float(report["customers"].as_f64().unwrap())
    );
    assert_eq!(
        value_of("Revenue"),
        Data::Float(report["revenue"].as_f64().unwrap())
    );
    let evaluation = read_json(&out.join("evaluation.json"));
    let quality = workbook.worksheet_range("Quality").unwrap();
    assert_eq!(
        quality.get((1, 2)),
        Some(&Data::Float(
            evaluation["discovery"]["model"]["hit_rate_at_10"]
                .as_f64()
                .unwrap()
        ))
    );
    // L'entonnoir du nettoyage : lignes lues, puis chaque étape.
    let cleaning = workbook.worksheet_range("Cleaning").unwrap();
    assert_eq!(
        cleaning.get((1, 2)),
        Some(&Data::Float(
            report["cleaning"]["raw_rows"].as_f64().unwrap()
        ))
    );
    // Sans `--xlsx`, pas de classeur, et celui d'avant disparaît.
    let again = panier(&["analyze", &input, "--out", out.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(!book.exists());
}

#[test]
fn xlsx_keeps_identifiers_with_leading_zeros_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cdnow.csv");
    std::fs::write(
        &input,
        "customer_id,date,number_of_cds,dollar_value\n\
         0001,1997-01-01,2,29.33\n0001,1997-01-18,2,29.73\n0002,1997-01-01,1,11.77\n\
         0003,1997-01-02,2,20.76\n0003,1997-03-30,2,20.76\n0010,1997-01-03,1,12.5\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = panier(&[
        "--lang",
        "fr",
        "analyze",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--xlsx",
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    // La vraie cause, dans les mots de la CLI (pas « aucun panier »).
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("besoin d'une colonne produit") && stderr.contains("--map rôle=colonne"),
        "{stderr}"
    );
    let book = out.join("panier.xlsx");
    // Sans produit : ni règles ni recommandations, mais les clients.
    assert_sheet_is_the_csv(&book, "Clients", &out.join("rfm_segments.csv"));
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    let customers = workbook.worksheet_range("Clients").unwrap();
    assert_eq!(customers.get((1, 0)), Some(&Data::String("0001".into())));
}

#[test]
fn figures_are_svg_documents_listed_in_the_manifest_and_removed_when_not_asked() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let args = [
        "analyze",
        &input,
        "--out",
        out.to_str().unwrap(),
        "--min-support",
        "0.02",
    ];
    let result = panier(&[&args[..], &["--figures"]].concat());
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(out.join("figures"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "clv-holdout.svg",
            "monthly-revenue.svg",
            "new-vs-returning.svg",
            "rfm-bars.svg",
            "rfm-heatmap.svg",
            "rfm-histogram-frequency.svg",
            "rfm-histogram-monetary.svg",
            "rfm-histogram-recency.svg",
            "rule-network.svg",
            "rule-scatter.svg",
        ]
    );
    let listed = check_manifest(&out);
    for name in &names {
        assert!(
            listed.contains(&format!("figures/{name}")),
            "{name} absent du manifeste"
        );
        let svg = std::fs::read_to_string(out.join("figures").join(name)).unwrap();
        assert!(svg.starts_with("<svg"), "{name}");
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
        assert!(svg.contains("<text"), "{name} : aucun texte");
    }
    // Le nuage : un point par règle.
    let rules = std::fs::read_to_string(out.join("association_rules.csv")).unwrap();
    let scatter = std::fs::read_to_string(out.join("figures/rule-scatter.svg")).unwrap();
    assert_eq!(
        scatter.matches("<circle").count(),
        rules.lines().count() - 1
    );
    // Sans `--figures`, les figures d'avant disparaissent, dossier compris.
    let again = panier(&args);
    assert!(again.status.success());
    assert!(!out.join("figures").exists());
}

#[test]
fn no_cleaned_skips_the_cleaned_table_and_leaves_every_other_output_identical() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let full = dir.path().join("full");
    let args = |folder: &Path| {
        vec![
            "analyze".to_string(),
            input.clone(),
            "--out".to_string(),
            folder.to_str().unwrap().to_string(),
            "--min-support".to_string(),
            "0.02".to_string(),
        ]
    };
    let with_args = |folder: &Path, extra: &[&str]| {
        let mut all = args(folder);
        all.extend(extra.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        panier(&all)
    };
    // Une première analyse complète dans `out` : sa table nettoyée doit
    // disparaître quand la suivante ne l'écrit pas.
    assert!(with_args(&out, &[]).status.success());
    assert!(out.join("cleaned.csv").exists());
    let result = with_args(&out, &["--no-cleaned"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(!out.join("cleaned.csv").exists(), "cleaned.csv resté");
    let listed = check_manifest(&out);
    assert!(!listed.iter().any(|name| name == "cleaned.csv"));
    // Toutes les autres sorties sont celles d'une analyse complète (hors
    // durées et manifeste).
    assert!(with_args(&full, &[]).status.success());
    for name in listing(&full) {
        if ["cleaned.csv", "metadata.json", "manifest.json"].contains(&name.as_str()) {
            continue;
        }
        assert_eq!(
            std::fs::read(out.join(&name)).unwrap(),
            std::fs::read(full.join(&name)).unwrap(),
            "{name}"
        );
    }
    assert_eq!(listing(&out).len() + 1, listing(&full).len());
}
