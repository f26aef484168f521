//! Every config rule against its fixtures: `testdata/config/<rule>/fire` must produce the
//! rule, `quiet` must not; the human output of each fire case is snapshotted.
#![allow(clippy::unwrap_used)]

use canary_lint_config::{builtin_packs, compare, detect_format, load_str, rule_metas, Config};
use canary_lint_core::Diagnostic;
use canary_lint_report::{render, Format, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Loads `rel` (relative to the repository root) with `rel` as its display path.
fn load(rel: &str) -> Config {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let format = detect_format(Path::new(rel), &text).unwrap();
    load_str(rel, &text, format).unwrap()
}

/// The file of `dir` whose name starts with `side.`.
fn side_file(dir: &str, side: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(&format!("{side}.")))
        .collect();
    names.sort();
    assert_eq!(names.len(), 1, "one {side}.* in {dir}");
    format!("{dir}/{}", names[0])
}

fn run(rule: &str, case: &str) -> (Config, Config, Vec<Diagnostic>) {
    let dir = format!("testdata/config/{rule}/{case}");
    let stable = load(&side_file(&dir, "stable"));
    let canary = load(&side_file(&dir, "canary"));
    let diags = compare(&stable, &canary, &builtin_packs().unwrap());
    (stable, canary, diags)
}

fn human(stable: &Config, canary: &Config, diags: &[Diagnostic]) -> String {
    let mut sources: BTreeMap<String, _> = stable.sources();
    sources.extend(canary.sources());
    let rules = rule_metas(&builtin_packs().unwrap());
    let report = Report {
        diagnostics: diags,
        sources: &sources,
        rules: &rules,
        files: 2,
        color: false,
    };
    render(Format::Human, &report)
}

fn check_rule(rule: &str) -> String {
    let (stable, canary, diags) = run(rule, "fire");
    let mine: Vec<Diagnostic> = diags.iter().filter(|d| d.rule == rule).cloned().collect();
    assert!(
        !mine.is_empty(),
        "{rule} must fire on its fire fixture; got {diags:#?}"
    );
    let (_, _, quiet) = run(rule, "quiet");
    let wrong: Vec<_> = quiet.iter().filter(|d| d.rule == rule).collect();
    assert!(wrong.is_empty(), "{rule} must stay quiet; got {wrong:#?}");
    human(&stable, &canary, &mine)
}

macro_rules! rule_tests {
    ($($test:ident => $rule:literal,)*) => {
        $(
            #[test]
            fn $test() {
                insta::assert_snapshot!(stringify!($test), check_rule($rule));
            }
        )*

        #[test]
        fn every_config_rule_has_a_test_and_fixtures() {
            let tested = [$($rule),*];
            for meta in rule_metas(&builtin_packs().unwrap()) {
                assert!(tested.contains(&meta.name.as_str()), "no test for {}", meta.name);
                for case in ["fire", "quiet"] {
                    let dir = root().join("testdata/config").join(&meta.name).join(case);
                    assert!(dir.is_dir(), "missing {}", dir.display());
                }
            }
        }
    };
}

rule_tests! {
    discovery_url_mismatch => "discovery-url-mismatch",
    log_format_mismatch => "log-format-mismatch",
    session_store_mismatch => "session-store-mismatch",
    database_target_mismatch => "database-target-mismatch",
    observability_endpoint_mismatch => "observability-endpoint-mismatch",
    breaking_migration_phase => "breaking-migration-phase",
    canary_auto_ddl => "canary-auto-ddl",
    canary_pool_too_large => "canary-pool-too-large",
    canary_retry_amplification => "canary-retry-amplification",
    key_missing_in_canary => "key-missing-in-canary",
    key_added_in_canary => "key-added-in-canary",
}

#[test]
fn findings_point_at_the_canary_value_with_stable_related() {
    let (_, _, diags) = run("log-format-mismatch", "fire");
    let d = diags
        .iter()
        .find(|d| d.rule == "log-format-mismatch")
        .unwrap();
    // The value sits on line 8 of the ConfigMap, inside the block scalar, after `=`.
    assert_eq!(
        &*d.file,
        "testdata/config/log-format-mismatch/fire/canary.yaml"
    );
    assert_eq!((d.start.line, d.start.column), (8, 29));
    assert_eq!(
        d.related[0].file,
        "testdata/config/log-format-mismatch/fire/stable.properties"
    );
    assert_eq!((d.related[0].line, d.related[0].column), (2, 25));
}

#[test]
fn quiet_fixtures_are_quiet_for_every_rule() {
    // Each quiet pair may only produce findings of the two key-presence rules, and only where
    // the fixture means to (the key-added quiet case adds a key in a profile document only).
    for rule in [
        "discovery-url-mismatch",
        "log-format-mismatch",
        "session-store-mismatch",
        "database-target-mismatch",
        "observability-endpoint-mismatch",
        "canary-auto-ddl",
        "canary-pool-too-large",
        "key-added-in-canary",
        "key-missing-in-canary",
    ] {
        let (_, _, diags) = run(rule, "quiet");
        assert!(diags.is_empty(), "{rule} quiet case: {diags:#?}");
    }
}
