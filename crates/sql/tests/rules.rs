//! Lints every fixture under `testdata/sql/<rule>/`: `fire_*.sql` must produce at
//! least one finding of `<rule>` and their rendered human output is snapshotted;
//! `quiet_*.sql` must produce none of `<rule>`. The dialect is named in the file
//! name (`mysql`, `sqlite`, `mssql`), Postgres otherwise; `goose` in the name lints it
//! as a goose migration (which runs in a transaction). A `<fixture>.history.sql` next
//! to a fixture is replayed into the schema model as stable's history. Fixtures run
//! through [`analyze_file`] (the engine `check` calls, with the history
//! replayed first); `tests/fixtures_binary.rs` runs each through the binary too.
#![allow(clippy::unwrap_used)]

use canary_lint_core::Family;
use canary_lint_core::SourceFile;
use canary_lint_report::{render, Format, Report};
use canary_lint_sql::model::DeltaKind;
use canary_lint_sql::{analyze_file, Dialect, Knowledge, Layout, ReleaseAnalysis};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dialect_of(name: &str) -> Dialect {
    if name.contains("mysql") {
        Dialect::Mysql
    } else if name.contains("sqlite") {
        Dialect::Sqlite
    } else if name.contains("mssql") {
        Dialect::Mssql
    } else {
        Dialect::Postgres
    }
}

fn load(rel: &str) -> SourceFile {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    SourceFile::new(rel, text)
}

struct Outcome {
    rendered: String,
    rules: Vec<String>,
    analysis: ReleaseAnalysis,
    knowledge: Knowledge,
}

fn lint_fixture(rule: &str, rel: &str) -> Outcome {
    let name = rel.rsplit('/').next().unwrap();
    let dialect = dialect_of(name);
    let file = load(rel);
    let history_rel = rel.replace(".sql", ".history.sql");
    // As `check` does: a migration folder's history is replayed and the release
    // judged against it (an object the history never created may exist outside
    // it); a file without history is judged alone.
    let history = root()
        .join(&history_rel)
        .is_file()
        .then(|| load(&history_rel));
    let knowledge = if history.is_some() {
        Knowledge::History
    } else {
        Knowledge::NoHistory
    };
    let layout = if name.contains("goose") {
        Layout::Goose
    } else {
        Layout::Plain
    };
    let analysis = analyze_file(&file, history.as_ref(), layout, dialect);
    let rules: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| d.rule.clone())
        .collect();
    // Snapshots show the findings of the rule under test only, so that adding a
    // rule does not churn every other rule's snapshots.
    let diags: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .cloned()
        .collect();
    let mut sources = BTreeMap::new();
    sources.insert(rel.to_string(), file);
    let metas: Vec<_> = canary_lint_sql::rules().iter().map(|r| r.meta()).collect();
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
    Outcome {
        rendered,
        rules,
        analysis,
        knowledge,
    }
}

/// Every fixture, as (rule folder, path relative to the root).
fn fixtures() -> Vec<(String, String)> {
    let base = root().join("testdata/sql");
    let mut out = Vec::new();
    let mut rule_dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    rule_dirs.sort();
    for dir in rule_dirs {
        let rule = dir.file_name().unwrap().to_str().unwrap().to_string();
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_str().unwrap().to_string())
            .filter(|f| f.ends_with(".sql") && !f.ends_with(".history.sql"))
            .collect();
        files.sort();
        for f in files {
            out.push((rule.clone(), format!("testdata/sql/{rule}/{f}")));
        }
    }
    out
}

/// `schema-diff` prints the delta the rules judge: over every fixture, each
/// contract entry of the release delta has a compat finding (not a lock or
/// style one that happens to share the line) at one of the statements that
/// caused it, and each compat finding about an object the history knew has a
/// delta entry caused by the statement it points at.
#[test]
fn schema_diff_and_check_agree_on_every_fixture() {
    let compat: Vec<&str> = canary_lint_sql::rules()
        .iter()
        .filter(|r| r.family == Family::Compat)
        .map(|r| r.name)
        .collect();
    let mut failures = Vec::new();
    let (mut entries, mut findings) = (0, 0);
    for (rule, rel) in fixtures() {
        let out = lint_fixture(&rule, &rel);
        let a = &out.analysis;
        let at = |file: &str, line: u32, causes: &[canary_lint_sql::delta::Cause]| {
            causes.iter().any(|c| &*c.file == file && c.line == line)
        };
        for e in &a.delta {
            if e.change.kind != DeltaKind::Contract {
                continue;
            }
            entries += 1;
            let found = a
                .diagnostics
                .iter()
                .any(|d| compat.contains(&d.rule.as_str()) && at(&d.file, d.start.line, &e.causes));
            if !found {
                failures.push(format!(
                    "{rel}: contract entry without a finding: {} {}",
                    e.change.object, e.change.description
                ));
            }
        }
        if out.knowledge != Knowledge::History {
            continue;
        }
        for d in &a.diagnostics {
            if !compat.contains(&d.rule.as_str()) || d.message.contains("never create") {
                continue;
            }
            findings += 1;
            if !a.delta.iter().any(|e| at(&d.file, d.start.line, &e.causes)) {
                failures.push(format!(
                    "{rel}: {} finding at line {} without a delta entry: {}",
                    d.rule, d.start.line, d.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Not vacuous: the fixtures hold many of both.
    assert!(
        entries >= 25 && findings >= 25,
        "{entries} entries, {findings} findings"
    );
}

#[test]
fn every_rule_has_fixtures_and_they_behave() {
    let base = root().join("testdata/sql");
    let mut rule_dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    rule_dirs.sort();
    for r in canary_lint_sql::rules() {
        assert!(base.join(r.name).is_dir(), "no fixtures for {}", r.name);
    }
    let mut failures = Vec::new();
    for dir in rule_dirs {
        let rule = dir.file_name().unwrap().to_str().unwrap().to_string();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        files.sort();
        let (mut fires, mut quiets) = (0, 0);
        for f in files {
            let f = f.to_str().unwrap().to_string();
            if !f.ends_with(".sql") || f.ends_with(".history.sql") {
                continue;
            }
            let rel = format!("testdata/sql/{rule}/{f}");
            let out = lint_fixture(&rule, &rel);
            let hits = out.rules.iter().filter(|r| **r == rule).count();
            if f.starts_with("fire_") {
                fires += 1;
                if hits == 0 {
                    failures.push(format!("{rel}: expected {rule}, got {:?}", out.rules));
                }
                let snap = format!("{rule}__{}", f.trim_end_matches(".sql"));
                insta::assert_snapshot!(snap, out.rendered);
            } else if f.starts_with("quiet_") {
                quiets += 1;
                if hits != 0 {
                    failures.push(format!("{rel}: expected no {rule}, got:\n{}", out.rendered));
                }
            }
        }
        assert!(
            fires > 0 && quiets > 0,
            "{rule}: needs fire_ and quiet_ fixtures"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
