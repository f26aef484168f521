//! The public API end to end: loading (files, directories, errors), relaxed keys across
//! formats, secrets in every output, the diff, and a large comparison.
#![allow(clippy::unwrap_used)]

use canary_lint_config::{
    builtin_packs, compare, diff_text, load_path, load_str, parse_pack, rule_metas, Config,
    ConfigFormat, REDACTED,
};
use canary_lint_core::Diagnostic;
use canary_lint_report::{render, Format as Out, Report};
use std::collections::BTreeMap;
use std::path::Path;

fn cfg(path: &str, text: &str, format: ConfigFormat) -> Config {
    load_str(path, text, format).unwrap()
}

fn rules_of(d: &[Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.rule.as_str()).collect()
}

#[test]
fn relaxed_binding_matches_every_spelling_across_formats() {
    let stable = cfg(
        "stable.properties",
        "spring.datasource.hikari.maximum-pool-size=20\nspring.datasource.url=jdbc:pg://db/x\nmy.list[0].name=a\n",
        ConfigFormat::Properties,
    );
    let spellings = [
        ("canary.yml", "spring:\n  datasource:\n    hikari:\n      maximumPoolSize: 4\n    url: jdbc:pg://db/x\nmy:\n  list:\n    - name: a\n", ConfigFormat::SpringYaml),
        ("canary.properties", "spring.datasource.hikari.maximum_pool_size=4\nspring.datasource.url=jdbc:pg://db/x\nmy.list[0].name=a\n", ConfigFormat::Properties),
        ("canary.env", "SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE=4\nSPRING_DATASOURCE_URL=jdbc:pg://db/x\nMY_LIST_0_NAME=a\n", ConfigFormat::Dotenv),
        ("canary.env", "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE=4\nSPRING_DATASOURCE_URL=jdbc:pg://db/x\nMY_LIST_0_NAME=a\n", ConfigFormat::Dotenv),
        ("canary.json", "{\"spring\": {\"datasource\": {\"hikari\": {\"maximum-pool-size\": 4}, \"url\": \"jdbc:pg://db/x\"}}, \"my\": {\"list\": [{\"name\": \"a\"}]}}", ConfigFormat::Json),
        ("canary.toml", "[spring.datasource]\nurl = \"jdbc:pg://db/x\"\nhikari.maximum_pool_size = 4\n[[my.list]]\nname = \"a\"\n", ConfigFormat::Toml),
    ];
    let packs = builtin_packs().unwrap();
    for (path, text, format) in spellings {
        let canary = cfg(path, text, format);
        let diags = compare(&stable, &canary, &packs);
        // Same keys on both sides: nothing missing or added, and the pool (4 <= 0.5 x 20) is fine.
        assert!(diags.is_empty(), "{path}: {text}\n{diags:#?}");
        // A larger pool in the same spelling is compared with stable's key.
        let bigger = cfg(path, &text.replace('4', "16"), format);
        let diags = compare(&stable, &bigger, &packs);
        assert_eq!(rules_of(&diags), ["canary-pool-too-large"], "{path}");
        assert_eq!(diags[0].related[0].file, "stable.properties");
    }
}

#[test]
fn pool_ratio_uses_replicas_when_both_sides_give_them() {
    let deploy = |name: &str, replicas: u32, pool: u32| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE\n              value: \"{pool}\"\n"
        )
    };
    let packs = builtin_packs().unwrap();
    let stable = cfg("stable.yaml", &deploy("s", 4, 10), ConfigFormat::Kubernetes);
    // 10 x 1 = 10 <= 0.5 x 10 x 4 = 20: fine although the per-pod pools are equal.
    let canary = cfg("canary.yaml", &deploy("c", 1, 10), ConfigFormat::Kubernetes);
    assert!(compare(&stable, &canary, &packs).is_empty());
    // 10 x 3 = 30 > 20.
    let canary = cfg("canary.yaml", &deploy("c", 3, 10), ConfigFormat::Kubernetes);
    let diags = compare(&stable, &canary, &packs);
    assert_eq!(rules_of(&diags), ["canary-pool-too-large"]);
    assert!(
        diags[0]
            .message
            .contains("10 x 3 replicas = 30 connections"),
        "{}",
        diags[0].message
    );
    // Stable without the key: Hikari's default 10 is assumed.
    let stable = cfg(
        "stable.properties",
        "server.port=8080\n",
        ConfigFormat::Properties,
    );
    let canary = cfg(
        "canary.properties",
        "server.port=8080\nspring.datasource.hikari.maximum-pool-size=8\n",
        ConfigFormat::Properties,
    );
    let diags = compare(&stable, &canary, &packs);
    let pool: Vec<_> = diags
        .iter()
        .filter(|d| d.rule == "canary-pool-too-large")
        .collect();
    assert_eq!(pool.len(), 1);
    assert!(
        pool[0].message.contains("10 (default, unset)"),
        "{}",
        pool[0].message
    );
}

const SECRETS: &[&str] = &[
    "hunter2-stable",
    "hunter2-canary",
    "stable-pw-111",
    "canary-pw-222",
    "tok-abc-123",
    "tok-xyz-789",
];

#[test]
fn secrets_never_appear_in_any_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let stable =
        load_path(&root.join("testdata/config/database-target-mismatch/fire/stable.yaml")).unwrap();
    let canary =
        load_path(&root.join("testdata/config/database-target-mismatch/fire/canary.yaml")).unwrap();
    let extra_s = cfg("s.env", "API_TOKEN=tok-abc-123\n", ConfigFormat::Dotenv);
    let extra_c = cfg(
        "c.env",
        "API_TOKEN=tok-xyz-789\nNEW_SECRET=hunter2-canary\n",
        ConfigFormat::Dotenv,
    );
    let (mut stable, mut canary) = (stable, canary);
    stable.extend(extra_s);
    canary.extend(extra_c);
    // Equality is still checked on the real values.
    let packs = builtin_packs().unwrap();
    let extra = parse_pack("p.toml", "[[rule]]\nname = \"token-mismatch\"\nseverity = \"error\"\nsummary = \"s\"\nwhy = \"w\"\nhelp = \"h\"\nkeys = [\"API_TOKEN\"]\ncheck = \"equal\"\n").unwrap();
    let mut all = packs.clone();
    all.push(extra);
    let diags = compare(&stable, &canary, &all);
    let fired = rules_of(&diags);
    assert!(
        fired
            .iter()
            .filter(|r| **r == "database-target-mismatch")
            .count()
            == 2,
        "{fired:?}"
    );
    assert!(fired.contains(&"token-mismatch"), "{fired:?}");
    assert!(fired.contains(&"key-added-in-canary"), "{fired:?}");

    let mut sources: BTreeMap<String, _> = stable.sources();
    sources.extend(canary.sources());
    let rules = rule_metas(&all);
    let report = Report {
        diagnostics: &diags,
        sources: &sources,
        rules: &rules,
        files: 4,
        color: false,
    };
    let mut outputs = vec![diff_text(&stable, &canary)];
    for f in [Out::Human, Out::Compact, Out::Json] {
        outputs.push(render(f, &report));
    }
    for d in &diags {
        outputs.push(format!("{d:?}"));
    }
    for text in &outputs {
        for s in SECRETS {
            assert!(!text.contains(s), "secret {s} leaked in:\n{text}");
        }
    }
    assert!(outputs[0].contains(REDACTED));
    assert!(outputs[1].contains(REDACTED));
    // The masked sources keep every offset: each value span still covers one line's value.
    for e in &canary.entries {
        let f = canary.file_of(e);
        assert!(e.value_span.end <= f.text.len());
    }
}

#[test]
fn diff_is_sorted_normalised_and_redacted() {
    let stable = cfg(
        "s.properties",
        "b.knob=1\na.Key-Name=x\ndb.password=p1\n",
        ConfigFormat::Properties,
    );
    let canary = cfg(
        "c.env",
        "A_KEYNAME=x\nB_KNOB=2\nDB_PASSWORD=p2\nC_NEW=y\n",
        ConfigFormat::Dotenv,
    );
    insta::assert_snapshot!(diff_text(&stable, &canary), @r"
    --- stable
    +++ canary
    @@ -1,3 +1,4 @@
     a.keyname = x
    -b.knob = 1
    -db.password = [redacted]
    +b.knob = 2
    +c.new = y
    +db.password = [redacted] (differs from stable)
    ");
    assert_eq!(diff_text(&stable, &stable), "");
}

#[test]
fn directories_load_sorted_and_later_files_win() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.properties"), "x=2\n").unwrap();
    std::fs::write(dir.path().join("a.properties"), "x=1\ny=1\n").unwrap();
    std::fs::write(dir.path().join(".env"), "Z=3\n").unwrap();
    std::fs::write(dir.path().join("README.md"), "not config\n").unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/config.toml"), "broken = \n").unwrap();
    let c = load_path(dir.path()).unwrap();
    let names: Vec<String> = c
        .files
        .iter()
        .map(|f| f.path.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(names, [".env", "a.properties", "b.properties"]);
    let eff = c.effective();
    assert_eq!(eff[&(None, "x")].value, "2");
    assert_eq!(eff[&(None, "z")].value, "3");
}

#[test]
fn malformed_input_is_an_error_with_file_line_and_column() {
    let cases = [
        ("bad.properties", "a=1\nb=\\uZZ\n", ConfigFormat::Properties, 2, 3),
        ("bad.yml", "a: 1\nb: [1, 2\n", ConfigFormat::SpringYaml, 3, 1),
        ("bad.env", "A=1\n  not valid\n", ConfigFormat::Dotenv, 2, 3),
        ("bad.json", "{\"a\": 1,\n \"b\": }\n", ConfigFormat::Json, 2, 7),
        ("bad.toml", "a = 1\nb = = 2\n", ConfigFormat::Toml, 2, 5),
        ("bad.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  application.properties: |\n    ok=1\n    x=\\u12\n", ConfigFormat::Kubernetes, 6, 7),
    ];
    for (path, text, format, line, column) in cases {
        let e = load_str(path, text, format).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.column),
            (path, line, column),
            "{e}"
        );
        assert!(
            e.to_string()
                .starts_with(&format!("{path}:{line}:{column}: ")),
            "{e}"
        );
    }
    let missing = load_path(Path::new("/nonexistent/dir")).unwrap_err();
    assert!(missing.message.contains("cannot read"));
}

#[test]
fn profile_documents_compare_within_their_profile() {
    let stable = cfg("s.yml", "log:\n  format: json\n---\nspring:\n  config:\n    activate:\n      on-profile: eu\nlog:\n  format: json\n", ConfigFormat::SpringYaml);
    let canary = cfg("c.yml", "log:\n  format: json\n---\nspring:\n  config:\n    activate:\n      on-profile: eu\nlog:\n  format: text\n", ConfigFormat::SpringYaml);
    let diags = compare(&stable, &canary, &builtin_packs().unwrap());
    assert_eq!(rules_of(&diags), ["log-format-mismatch"]);
    assert!(diags[0].message.contains("(profile `eu`)"));
    assert_eq!(diags[0].start.line, 9);
}

#[test]
fn ten_thousand_keys_compare_correctly() {
    let mut s = String::new();
    let mut c = String::new();
    for i in 0..10_000 {
        s.push_str(&format!("app.section{}.key-{i}=value{i}\n", i % 97));
        // Every 1000th key missing, every 2500th changed; the rest equal in another spelling.
        if i % 1000 != 0 {
            let v = if i % 2500 == 1 {
                format!("changed{i}")
            } else {
                format!("value{i}")
            };
            c.push_str(&format!("app.section{}.key_{i}={v}\n", i % 97));
        }
    }
    c.push_str("logging.pattern.console=%msg\n");
    s.push_str("logging.pattern.console=%d %msg\n");
    let stable = cfg("s.properties", &s, ConfigFormat::Properties);
    let canary = cfg("c.properties", &c, ConfigFormat::Properties);
    let diags = compare(&stable, &canary, &builtin_packs().unwrap());
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.rule == "key-missing-in-canary")
            .count(),
        10
    );
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.rule == "log-format-mismatch")
            .count(),
        1
    );
    assert_eq!(diags.len(), 11);
    let diff = diff_text(&stable, &canary);
    assert_eq!(
        diff.lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count(),
        10 + 4 + 1
    );
}

#[test]
fn no_input_panics_any_loader() {
    // Every prefix of every fixture, read as every format: an error or a config, never a panic.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/config");
    let mut files = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        for case in ["fire", "quiet"] {
            for f in std::fs::read_dir(rule.as_ref().unwrap().path().join(case)).unwrap() {
                files.push(f.unwrap().path());
            }
        }
    }
    files.sort();
    let formats = [
        ConfigFormat::Properties,
        ConfigFormat::SpringYaml,
        ConfigFormat::Kubernetes,
        ConfigFormat::Dotenv,
        ConfigFormat::Json,
        ConfigFormat::Toml,
    ];
    let mut loaded = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .step_by(3)
            .collect();
        for cut in cuts {
            let part = &text[..cut];
            for format in formats {
                if let Ok(c) = load_str("x", part, format) {
                    loaded += 1;
                    for e in &c.entries {
                        let _ = c.value_position(e);
                    }
                }
            }
        }
    }
    assert!(loaded > 0);
}

#[test]
fn rule_list_and_docs() {
    let metas = rule_metas(&builtin_packs().unwrap());
    let list: Vec<String> = metas
        .iter()
        .map(|m| format!("{} {} {}: {}", m.name, m.family, m.severity, m.summary))
        .collect();
    insta::assert_snapshot!("rule_list", list.join("\n"));
    let retry = metas
        .iter()
        .find(|m| m.name == "canary-retry-amplification")
        .unwrap();
    insta::assert_snapshot!("retry_doc", retry.doc);
    let pool = metas
        .iter()
        .find(|m| m.name == "canary-pool-too-large")
        .unwrap();
    insta::assert_snapshot!("pool_doc", pool.doc);
    let missing = metas
        .iter()
        .find(|m| m.name == "key-missing-in-canary")
        .unwrap();
    assert!(missing.doc.starts_with("What it does"));
}

#[test]
fn user_packs_load_from_files_and_directories() {
    let dir = tempfile::tempdir().unwrap();
    let pack = "[[rule]]\nname = \"feature-flag-drift\"\nseverity = \"note\"\nsummary = \"s\"\nwhy = \"w\"\nhelp = \"h\"\nkeys = [\"feature.*\"]\ncheck = \"equal\"\n";
    std::fs::write(dir.path().join("a.toml"), pack).unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        pack.replace("feature-flag-drift", "other")
            .replace("check = \"equal\"", "check = \"present\"\nside = \"both\""),
    )
    .unwrap();
    let packs = canary_lint_config::load_pack(dir.path()).unwrap();
    assert_eq!(packs.len(), 2);
    let stable = cfg("s.properties", "feature.x=1\n", ConfigFormat::Properties);
    let canary = cfg("c.properties", "feature.x=2\n", ConfigFormat::Properties);
    let diags = compare(&stable, &canary, &packs);
    assert_eq!(rules_of(&diags), ["feature-flag-drift", "other", "other"]);
    assert_eq!(&*diags[2].file, "s.properties");
    std::fs::write(dir.path().join("c.toml"), "[[rule]]\nname = \"x\"\nseverity = \"note\"\nsummary = \"s\"\nwhy = \"w\"\nhelp = \"h\"\nkeys = [\"a\"]\ncheck = \"bigger\"\n").unwrap();
    let e = canary_lint_config::load_pack(dir.path()).unwrap_err();
    assert!(e.file.ends_with("c.toml") && e.line == 8, "{e}");
}

#[test]
fn boot2_redis_keys_meet_boot3_keys() {
    let stable = cfg(
        "s.properties",
        "spring.redis.host=redis-a\n",
        ConfigFormat::Properties,
    );
    let canary = cfg(
        "c.yml",
        "spring:\n  data:\n    redis:\n      host: redis-b\n",
        ConfigFormat::SpringYaml,
    );
    let diags = compare(&stable, &canary, &builtin_packs().unwrap());
    assert_eq!(rules_of(&diags), ["session-store-mismatch"]);
    assert!(
        diags[0]
            .message
            .contains("stable's `spring.redis.host` has `redis-a`"),
        "{}",
        diags[0].message
    );
}

#[test]
fn secret_references_are_shown_but_secret_values_are_not() {
    let deploy = |from: &str, value: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: {from}\n                  key: password\n            - name: API_TOKEN\n              value: {value}\n")
    };
    let stable = cfg(
        "s.yaml",
        &deploy("db-stable", "tok-abc-123"),
        ConfigFormat::Kubernetes,
    );
    let canary = cfg(
        "c.yaml",
        &deploy("db-canary", "tok-abc-123"),
        ConfigFormat::Kubernetes,
    );
    let diags = compare(&stable, &canary, &builtin_packs().unwrap());
    assert_eq!(rules_of(&diags), ["database-target-mismatch"]);
    assert!(
        diags[0]
            .message
            .contains("valueFrom secretKeyRef db-canary/password"),
        "{}",
        diags[0].message
    );
    assert!(canary.files[0].text.contains("name: db-canary"));
    assert!(!canary.files[0].text.contains("tok-abc-123"));
    assert!(diff_text(&stable, &canary).contains("api.token = [redacted]"));
}
