//! Every SQL rule fixture under `testdata/sql/<rule>/`, run through the shipped
//! binary as a user runs it, must give exactly the findings the rule tests see.
//!
//! The rule tests (`crates/sql/tests/rules.rs`) call the engine in-process and
//! snapshot the rendered findings. This test closes the gap between that and the
//! binary: each fixture is copied, with its `.history.sql` when it has one, into a
//! folder of its own (so the history is the only migration before it), and
//! `canary-lint check FIXTURE --format json` is run there (the pre-commit path: a
//! file named on the command line gets the migrations before it as history), and
//! `canary-lint check FOLDER` (each migration its own release). The
//! findings on the fixture (rule, severity, position, message) must equal those of
//! the in-process run, rendered by the same JSON reporter. Only `help` may differ:
//! the CLI adds what it knows of stable's code search.
#![allow(clippy::unwrap_used)]

mod common;

use canary_lint_core::SourceFile;
use canary_lint_report::{render, Format, Report};
use canary_lint_sql::{analyze_file, Dialect, Layout};
use common::{root, run_in};
use serde_json::Value;
use std::collections::BTreeMap;

fn dialect_of(name: &str) -> (Dialect, &'static str) {
    if name.contains("mysql") {
        (Dialect::Mysql, "mysql")
    } else if name.contains("sqlite") {
        (Dialect::Sqlite, "sqlite")
    } else if name.contains("mssql") {
        (Dialect::Mssql, "mssql")
    } else {
        (Dialect::Postgres, "postgres")
    }
}

/// Every fixture as a path relative to the root, in a stable order.
fn fixtures() -> Vec<String> {
    let base = root().join("testdata/sql");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&base).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let rule = dir.file_name().unwrap().to_str().unwrap().to_string();
        for f in std::fs::read_dir(&dir).unwrap() {
            let name = f.unwrap().file_name().to_str().unwrap().to_string();
            if name.ends_with(".sql") && !name.ends_with(".history.sql") {
                out.push(format!("testdata/sql/{rule}/{name}"));
            }
        }
    }
    out.sort();
    out
}

/// The fields of a JSON finding both runs must agree on.
fn key(d: &Value) -> String {
    let f = |k: &str| d.get(k).map(|v| v.to_string()).unwrap_or_default();
    [
        "rule",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "found_by_scan",
    ]
    .iter()
    .map(|k| format!("{k}={}", f(k)))
    .collect::<Vec<_>>()
    .join(" ")
}

fn findings_on(json: &str, file: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).unwrap();
    let mut out: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(key)
        .collect();
    out.sort();
    out
}

/// The engine in-process, as the rule tests call it, rendered as JSON with the
/// fixture shown as `shown`.
fn in_process(rel: &str, shown: &str) -> String {
    let name = rel.rsplit('/').next().unwrap();
    let (dialect, _) = dialect_of(name);
    let load = |r: &str| SourceFile::new(r, std::fs::read_to_string(root().join(r)).unwrap());
    let file = SourceFile::new(shown, load(rel).text.clone());
    let history_rel = rel.replace(".sql", ".history.sql");
    let history = root()
        .join(&history_rel)
        .is_file()
        .then(|| load(&history_rel));
    let layout = if name.contains("goose") {
        Layout::Goose
    } else {
        Layout::Plain
    };
    let analysis = analyze_file(&file, history.as_ref(), layout, dialect);
    let mut sources = BTreeMap::new();
    sources.insert(shown.to_string(), file);
    let metas: Vec<_> = canary_lint_sql::rules().iter().map(|r| r.meta()).collect();
    render(
        Format::Json,
        &Report {
            diagnostics: &analysis.diagnostics,
            sources: &sources,
            rules: &metas,
            files: 1,
            color: false,
        },
    )
}

#[test]
fn every_rule_fixture_gives_the_same_findings_through_the_binary() {
    let all = fixtures();
    assert!(all.len() > 100, "only {} fixtures found", all.len());
    let mut differ = Vec::new();
    for rel in &all {
        let name = rel.rsplit('/').next().unwrap();
        let (_, dialect) = dialect_of(name);
        let tmp = tempfile::tempdir().unwrap();
        // goose knows its migrations by their version numbers: the history is
        // version 1, the fixture version 2, as a goose folder holds them.
        let dir = rel.rsplit_once('/').unwrap().0;
        let (shown, shown_history) = if name.contains("goose") {
            (
                format!("{dir}/00002_{name}"),
                format!("{dir}/00001_{}", name.replace(".sql", "_history.sql")),
            )
        } else {
            (rel.clone(), rel.replace(".sql", ".history.sql"))
        };
        let dst = tmp.path().join(&shown);
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        std::fs::copy(root().join(rel), &dst).unwrap();
        let history_rel = rel.replace(".sql", ".history.sql");
        if root().join(&history_rel).is_file() {
            std::fs::copy(root().join(&history_rel), tmp.path().join(&shown_history)).unwrap();
        }
        let engine = findings_on(&in_process(rel, &shown), &shown);
        // The file named (pre-commit), and its folder (each migration its own
        // release against the ones before it).
        for target in [shown.as_str(), dir] {
            let out = run_in(
                tmp.path(),
                &["check", target, "--dialect", dialect, "--format", "json"],
            );
            let code = out.status.code();
            assert!(
                matches!(code, Some(0) | Some(1)),
                "{rel}: exit {code:?}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let binary = findings_on(&String::from_utf8_lossy(&out.stdout), &shown);
            if binary != engine {
                differ.push(format!(
                    "{rel} (check {target})\n  binary: {binary:#?}\n  engine: {engine:#?}"
                ));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} fixtures differ between the binary and the engine:\n{}",
        differ.len(),
        all.len(),
        differ.join("\n")
    );
}
