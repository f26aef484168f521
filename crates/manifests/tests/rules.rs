//! Runs every fixture under `testdata/traffic/<rule>/` through the same engine
//! call the CLI makes: `fire_*.yaml` must produce at least one finding of `<rule>`
//! (its human rendering is snapshotted), `quiet_*.yaml` none. Every rule has both.
#![allow(clippy::unwrap_used)]

use canary_lint_core::SourceFile;
use canary_lint_manifests::{check, rules, Settings, OFF_BY_DEFAULT};
use canary_lint_report::{render, Format, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(rule: &str, rel: &str) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let file = SourceFile::new(rel, text);
    let settings = Settings {
        enabled: OFF_BY_DEFAULT.iter().map(|s| s.to_string()).collect(),
        ..Settings::default()
    };
    let out = check(std::slice::from_ref(&file), &settings);
    assert!(out.errors.is_empty(), "{rel}: {:?}", out.errors);
    let all: Vec<String> = out.diagnostics.iter().map(|d| d.rule.clone()).collect();
    let diags: Vec<_> = out
        .diagnostics
        .clone()
        .into_iter()
        .filter(|d| d.rule == rule)
        .collect();
    let mut sources = BTreeMap::new();
    sources.insert(rel.to_string(), out.sources[0].clone());
    let metas: Vec<_> = rules().iter().map(|r| r.meta()).collect();
    let rendered = render(
        Format::Human,
        &Report {
            diagnostics: &diags,
            sources: &sources,
            rules: &metas,
            files: 1,
            color: false,
        },
    );
    (rendered, all)
}

#[test]
fn fixtures_fire_and_stay_quiet() {
    let dir = root().join("testdata/traffic");
    let mut failures = Vec::new();
    for r in rules() {
        let rule_dir = dir.join(r.name);
        let mut names: Vec<String> = std::fs::read_dir(&rule_dir)
            .unwrap_or_else(|e| panic!("{}: {e}", rule_dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".tf"))
            .collect();
        names.sort();
        assert!(
            names.iter().any(|n| n.starts_with("fire_")),
            "{}: no fire fixture",
            r.name
        );
        assert!(
            names.iter().any(|n| n.starts_with("quiet_")),
            "{}: no quiet fixture",
            r.name
        );
        for name in names {
            let rel = format!("testdata/traffic/{}/{name}", r.name);
            let (rendered, all) = run(r.name, &rel);
            let fired = all.iter().any(|x| x == r.name);
            if name.starts_with("fire_") {
                if !fired {
                    failures.push(format!("{rel}: expected {} (got {all:?})", r.name));
                    continue;
                }
                let snap = format!(
                    "{}__{}",
                    r.name,
                    name.trim_end_matches(".yaml").trim_end_matches(".tf")
                );
                insta::assert_snapshot!(snap, rendered);
            } else if fired {
                failures.push(format!(
                    "{rel}: {} fired in a quiet fixture:\n{rendered}",
                    r.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn malformed_terraform_is_reported_and_the_rest_checked() {
    let rel = "testdata/traffic/dns-weighted-canary/fire_terraform_route53.tf";
    let good = std::fs::read_to_string(root().join(rel)).unwrap();
    let files = [
        SourceFile::new("bad.tf", "resource \"aws_route53_record\" \"x\" {\n  name = \"a\"\n  weighted_routing_policy {\n    weight = = 3\n  }\n}\n"),
        SourceFile::new("dns.tf", good.clone()),
    ];
    let out = check(&files, &Settings::default());
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(out.errors[0].starts_with("bad.tf:4:"), "{:?}", out.errors);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.rule == "dns-weighted-canary")
        .unwrap();
    assert_eq!(&*d.file, "dns.tf");
    assert_eq!(&good[d.span.start..d.span.end], "10");
    assert_eq!((d.start.line, d.start.column), (24, 14));
    assert_eq!(d.related[0].line, 11);
}

#[test]
fn off_by_default_rules_do_not_run_unless_enabled() {
    let rel = "testdata/traffic/weights-not-100/fire_sum_90.yaml";
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let out = check(&[SourceFile::new(rel, text)], &Settings::default());
    assert!(!out.diagnostics.iter().any(|d| d.rule == "weights-not-100"));
}

#[test]
fn findings_are_related_across_files() {
    let vs = std::fs::read_to_string(
        root().join("testdata/traffic/unknown-subset/fire_typo_in_subset.yaml"),
    )
    .unwrap();
    let (route, dr) = vs.split_once("---\n").unwrap();
    let files = [
        SourceFile::new("vs.yaml", route),
        SourceFile::new("dr.yaml", dr),
    ];
    let out = check(&files, &Settings::default());
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.rule == "unknown-subset")
        .unwrap();
    assert_eq!(&*d.file, "vs.yaml");
    assert_eq!(&files[0].text[d.span.start..d.span.end], "canry");
    assert_eq!(d.related[0].file, "dr.yaml");
    assert_eq!(d.related[0].line, 4);
}

#[test]
fn configured_names_replace_the_conventions() {
    let text = std::fs::read_to_string(
        root().join("testdata/traffic/all-traffic-to-canary/fire_istio_weights_swapped.yaml"),
    )
    .unwrap();
    let file = SourceFile::new(
        "x.yaml",
        text.replace("canary", "blue").replace("stable", "green"),
    );
    let quiet = check(std::slice::from_ref(&file), &Settings::default());
    assert!(quiet.diagnostics.is_empty(), "{:?}", quiet.diagnostics);
    let settings = Settings {
        canary: vec!["blue".into()],
        stable: vec!["green".into()],
        ..Settings::default()
    };
    let out = check(std::slice::from_ref(&file), &settings);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.rule == "all-traffic-to-canary"));
}

#[test]
fn ordinary_services_without_a_canary_get_no_findings() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: api:1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: apx\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: api\n  minReplicas: 1\n";
    let out = check(&[SourceFile::new("a.yaml", text)], &Settings::default());
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn versions_make_the_lower_one_stable() {
    let text = std::fs::read_to_string(
        root().join("testdata/traffic/all-traffic-to-canary/fire_istio_weights_swapped.yaml"),
    )
    .unwrap()
    .replace("subset: stable", "subset: v1")
    .replace("subset: canary", "subset: v2")
    .replace("- name: stable", "- name: v1")
    .replace("- name: canary", "- name: v2")
    .replace("track: stable", "version: v1")
    .replace("track: canary", "version: v2");
    let out = check(&[SourceFile::new("v.yaml", text)], &Settings::default());
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.rule == "all-traffic-to-canary"),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn deployment_drift_never_prints_env_values() {
    let (rendered, _) = run(
        "deployment-drift",
        "testdata/traffic/deployment-drift/fire_memory_and_env.yaml",
    );
    assert!(rendered.contains("DB_PASSWORD"));
    // Neither the message nor the snippet (masked source) shows the value.
    assert!(!rendered.contains("hunter2"), "{rendered}");
}
