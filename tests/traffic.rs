//! End-to-end tests of traffic-split manifests through the real binary: how
//! manifests are found (directory, repository, `[manifests] paths`, stdin), the
//! `[traffic]` settings, off-by-default rules, malformed documents, secrets.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_canary-lint");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CANARY_LINT_STATS")
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(root().join("testdata/traffic").join(rel)).unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SWAPPED: &str = "all-traffic-to-canary/fire_istio_weights_swapped.yaml";

#[test]
fn rendered_manifests_on_stdin_are_checked_under_the_given_name() {
    let mut child = Command::new(BIN)
        .args([
            "check",
            "-",
            "--stdin-filename",
            "rendered.yaml",
            "--format",
            "compact",
        ])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(fixture(SWAPPED).as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(
        out(&o).trim(),
        "rendered.yaml:17:19: error: VirtualService `reviews` sends all of its traffic (100 of 100) to the canary reviews subset `canary` [all-traffic-to-canary]"
    );
}

#[test]
fn a_directory_of_manifests_alone_is_checked_without_a_migration_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy/vs.yaml", &fixture(SWAPPED));
    let o = run_in(dir.path(), &["check", "deploy", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("deploy/vs.yaml:17:19"), "{}", out(&o));
    assert!(!err(&o).contains("no migration files"), "{}", err(&o));
}

#[test]
fn manifests_are_found_in_the_repository_and_in_settings_paths() {
    // Found by searching the repository (a folder of other YAML is skipped).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "k8s/overlays/canary/routes.yaml", &fixture(SWAPPED));
    write(
        d,
        "config/application.yml",
        "spring:\n  application:\n    name: shop\n",
    );
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        out(&o).contains("k8s/overlays/canary/routes.yaml:17:19"),
        "{}",
        out(&o)
    );
    // Only the configured paths when `[manifests] paths` is set.
    write(
        d,
        "canary-lint.toml",
        "[manifests]\npaths = [\"elsewhere\"]\n",
    );
    write(
        d,
        "elsewhere/ok.yaml",
        &fixture("all-traffic-to-canary/quiet_small_canary_weight.yaml"),
    );
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    write(d, "canary-lint.toml", "[manifests]\npaths = [\"k8s\"]\n");
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("all-traffic-to-canary"), "{}", out(&o));
}

#[test]
fn a_malformed_document_is_exit_2_with_file_and_line_and_the_rest_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = format!(
        "{}---\nkind: [unclosed\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n",
        fixture(SWAPPED)
    );
    write(d, "deploy/a.yaml", &bad);
    write(
        d,
        "deploy/b.yaml",
        &fixture("unknown-subset/fire_typo_in_subset.yaml"),
    );
    let o = run_in(d, &["check", "deploy", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("deploy/a.yaml:3"), "{e}");
    // The documents before and after the bad one, and the other file, were checked.
    let s = out(&o);
    assert!(
        s.contains("deploy/a.yaml:17:19") && s.contains("all-traffic-to-canary"),
        "{s}"
    );
    assert!(
        s.contains("deploy/b.yaml") && s.contains("unknown-subset"),
        "{s}"
    );
}

#[test]
fn traffic_settings_set_the_limits_and_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "k8s/vs.yaml",
        &fixture("canary-weight-above-max/quiet_within_limit.yaml"),
    );
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    write(d, "canary-lint.toml", "[traffic]\nmax_canary_weight = 20\n");
    let o = run_in(d, &["check", "--format", "compact", "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("sends 25% of its traffic to the canary reviews subset `canary`, above the limit of 20%"), "{}", out(&o));
    // Names from the settings replace the conventions.
    let renamed = fixture(SWAPPED)
        .replace("canary", "green")
        .replace("stable", "blue");
    write(d, "k8s/vs.yaml", &renamed);
    write(d, "canary-lint.toml", "");
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    write(
        d,
        "canary-lint.toml",
        "[traffic]\ncanary = [\"green\"]\nstable = [\"blue\"]\n",
    );
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    // A bad value names the file.
    write(
        d,
        "canary-lint.toml",
        "[traffic]\nmax_canary_weight = 150\n",
    );
    let o = run_in(d, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("canary-lint.toml: [traffic] max_canary_weight = 150"),
        "{}",
        err(&o)
    );
}

#[test]
fn weights_not_100_runs_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "k8s/vs.yaml",
        &fixture("weights-not-100/fire_sum_90.yaml"),
    );
    let o = run_in(d, &["check", "--format", "compact", "--fail-on", "warning"]);
    assert!(!out(&o).contains("weights-not-100"), "{}", out(&o));
    let o = run_in(
        d,
        &[
            "check",
            "--format",
            "compact",
            "--select",
            "weights-not-100",
        ],
    );
    assert!(
        out(&o).contains("add up to 90, not 100 [weights-not-100]"),
        "{}{}",
        out(&o),
        err(&o)
    );
    write(
        d,
        "canary-lint.toml",
        "[rules]\nweights-not-100 = \"error\"\n",
    );
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("error: the weights"), "{}", out(&o));
}

#[test]
fn ordinary_services_without_a_canary_get_no_traffic_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for rel in [
        "stable-min-replicas/quiet_no_canary_in_run.yaml",
        "service-selector-mismatch/quiet_no_canary_in_run.yaml",
        "alert-without-version-label/quiet_no_canary_in_run.yaml",
    ] {
        write(d, &format!("k8s/{}", rel.replace('/', "-")), &fixture(rel));
    }
    let o = run_in(d, &["check", "--format", "compact", "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(out(&o).trim(), "", "not even a note");
}

#[test]
fn init_writes_the_traffic_section_and_rules_lists_the_traffic_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run_in(d, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(d.join("canary-lint.toml")).unwrap();
    assert!(
        text.contains("[traffic]\n") && text.contains("max_canary_weight = 50"),
        "{text}"
    );
    assert!(text.contains("stable_min_replicas = 2"), "{text}");
    write(d, "k8s/vs.yaml", &fixture(SWAPPED));
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));

    let o = run_in(&root(), &["rules"]);
    let listed = out(&o);
    for r in canary_lint_manifests::rules() {
        assert!(
            listed
                .lines()
                .any(|l| l.starts_with(r.name) && l.contains("traffic")),
            "{}",
            r.name
        );
        let doc = out(&run_in(&root(), &["rule", r.name]));
        assert!(doc.contains("Fix:"), "{}: {doc}", r.name);
    }
}

#[test]
fn secrets_in_manifests_never_reach_the_output() {
    for format in ["human", "json", "sarif", "compact", "github", "junit"] {
        let o = run_in(
            &root(),
            &[
                "check",
                "testdata/traffic/deployment-drift/fire_memory_and_env.yaml",
                "--format",
                format,
            ],
        );
        let s = out(&o);
        assert!(s.contains("DB_PASSWORD"), "{format}: {s}");
        assert!(!s.contains("hunter2"), "{format}: {s}");
        assert!(!s.contains("s3cret-url-pw"), "{format}: {s}");
        // A rotated secret: the values differ, the finding says so without either.
        let o = run_in(
            &root(),
            &[
                "check",
                "testdata/traffic/deployment-drift/fire_probe_volume_account_rotated_secret.yaml",
                "--format",
                format,
            ],
        );
        let s = out(&o);
        assert!(s.contains("API_TOKEN"), "{format}: {s}");
        assert!(!s.contains("token-never-shown"), "{format}: {s}");
    }
}

#[test]
fn named_files_are_judged_with_the_other_manifests_and_alone_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let both = fixture("nginx-duplicate-canary/quiet_one_canary.yaml");
    let (main, canary) = both.split_once("---\n").unwrap();
    write(d, "k8s/main.yaml", main);
    write(d, "k8s/canary.yaml", canary);
    write(d, "k8s/other/vs.yaml", &fixture(SWAPPED));
    // Pre-commit names the staged canary Ingress: its main Ingress is found in the
    // repository, and the unrelated VirtualService is not reported.
    let o = run_in(d, &["check", "k8s/canary.yaml", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(out(&o).trim(), "");
    let o = run_in(d, &["check", "k8s/other/vs.yaml", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).lines().all(|l| l.starts_with("k8s/other/vs.yaml:")),
        "{}",
        out(&o)
    );
}

#[test]
fn a_suppression_comment_in_a_manifest_applies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = fixture(SWAPPED).replace(
        "          weight: 100\n",
        "          # canary-lint: ignore all-traffic-to-canary -- promotion step, reviewed\n          weight: 100\n",
    );
    write(d, "k8s/vs.yaml", &text);
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
}

#[test]
fn terraform_weighted_dns_is_found_in_a_repository_and_a_bad_tf_file_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/dns.tf",
        &fixture("dns-weighted-canary/fire_terraform_route53.tf"),
    );
    write(
        dir.path(),
        "infra/broken.tf",
        "resource \"aws_route53_record\" \"x\" {\n  weighted_routing_policy {\n    weight = = 1\n  }\n}\n",
    );
    write(dir.path(), "infra/other.tf", "variable \"zone_id\" {}\n");
    let o = run_in(dir.path(), &["check", "--format", "compact"]);
    let stdout = out(&o);
    assert!(
        stdout.contains("infra/dns.tf:24:14: error: aws_route53_record.shop_canary"),
        "{stdout}\n{}",
        err(&o)
    );
    assert!(err(&o).contains("infra/broken.tf:3:"), "{}", err(&o));
    assert_ne!(o.status.code(), Some(0));
}
