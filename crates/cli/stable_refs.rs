//! Evidence from stable's code: for every finding that drops or renames a table or
//! column stable knew, where stable's source tree (a directory, or a git revision
//! read without a checkout) still names it.
//!
//! Found: up to five places become related locations, with the total count.
//! Searched everywhere and not found: the finding drops to `note` and says the
//! contract step is safe for that stable.

use crate::args::CheckArgs;
use crate::output::Outcome;
use crate::settings::Loaded;
use anyhow::{anyhow, bail};
use canary_lint_core::{Diagnostic, Severity, Subject};
use canary_lint_stable::{scan_dir, Hit, ScanResult, Target};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Related locations listed per finding; the rest are counted.
const MAX_RELATED: usize = 5;

/// Rules whose findings carry a subject stable may still use.
pub fn searchable(rule: &str) -> bool {
    matches!(
        rule,
        "drop-column" | "rename-column" | "drop-table" | "rename-table" | "drop-view"
    )
}

/// Adds what stable's code still references to the findings that drop or rename.
pub fn stable_evidence(args: &CheckArgs, loaded: &Loaded, skip: &[PathBuf], out: &mut Outcome) {
    let mut srcs: Vec<PathBuf> = args.stable_src.clone();
    let mut refs: Vec<String> = args.stable_ref.clone();
    if srcs.is_empty() && refs.is_empty() {
        srcs = loaded
            .settings
            .stable
            .src
            .iter()
            .map(|p| loaded.resolve(p))
            .collect();
        refs = loaded.settings.stable.git_ref.clone();
    }
    if srcs.is_empty() && refs.is_empty() {
        note_unsearched(&mut out.diagnostics);
        return;
    }
    let diags: &mut Vec<Diagnostic> = &mut out.diagnostics;
    if let Err(e) = annotate(diags, &srcs, &refs, skip) {
        out.run_error(format!("{e:#}"));
    }
}

/// Without a stable source to search, the findings say how to get one searched.
pub fn note_unsearched(diags: &mut [Diagnostic]) {
    for d in diags
        .iter_mut()
        .filter(|d| searchable(&d.rule) && d.subject.is_some())
    {
        let note = "stable's code was not searched: pass --stable-src DIR or --stable-ref REV to find where it still uses this";
        d.help = Some(match d.help.take() {
            Some(h) => format!("{h}. {note}"),
            None => note.to_string(),
        });
    }
}

/// Scans every stable source for the subjects of `diags` and annotates them.
pub fn annotate(
    diags: &mut [Diagnostic],
    srcs: &[PathBuf],
    refs: &[String],
    skip: &[PathBuf],
) -> anyhow::Result<()> {
    let mut subjects: Vec<Subject> = diags
        .iter()
        .filter(|d| searchable(&d.rule))
        .filter_map(|d| d.subject.clone())
        .collect();
    subjects.sort();
    subjects.dedup();
    if subjects.is_empty() {
        return Ok(());
    }
    let targets: Vec<Target> = subjects
        .iter()
        .map(|s| Target {
            table: bare(&s.table).to_string(),
            column: s.column.clone(),
        })
        .collect();

    // (label prefix, result) per stable source, in the order given.
    let mut results: Vec<(String, ScanResult)> = Vec::new();
    // Absolute paths: a directory scan takes relative ones from its own root, and a
    // revision's from the repository root, neither of which is the working directory.
    let skip_abs: Vec<PathBuf> = skip
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    for src in srcs {
        if !src.is_dir() {
            bail!("--stable-src {}: not a directory", src.display());
        }
        if canary_lint_core::read::in_pseudo_fs(src) {
            bail!(
                "--stable-src {}: a kernel pseudo-filesystem, not a source tree",
                src.display()
            );
        }
        let prefix = crate::check::display(src);
        let prefix = if prefix.ends_with('/') {
            prefix
        } else {
            format!("{prefix}/")
        };
        // A skipped folder that holds the whole source tree would hide it all.
        let root = std::fs::canonicalize(src).unwrap_or_else(|_| src.clone());
        let skip_here: Vec<PathBuf> = skip_abs
            .iter()
            .filter(|s| !root.starts_with(s))
            .cloned()
            .collect();
        results.push((prefix, scan_dir(src, &skip_here, &targets)));
    }
    for r in refs {
        let cwd = std::env::current_dir().map_err(|e| anyhow!("{e}"))?;
        let res = canary_lint_stable::git::scan_ref(&cwd, r, &skip_abs, &targets)
            .map_err(|e| anyhow!("--stable-ref {r}: {e}"))?;
        results.push((format!("{r}:"), res));
    }

    let mut by_target: BTreeMap<usize, Vec<(&str, &Hit)>> = BTreeMap::new();
    for (prefix, res) in &results {
        for h in &res.hits {
            by_target
                .entry(h.target)
                .or_default()
                .push((prefix.as_str(), h));
        }
    }
    let scanned: usize = results.iter().map(|(_, r)| r.files_scanned).sum();
    // Files that could not be searched are named, and a name not found is then not
    // established: stable may use it in a file that was not read.
    let mut unread = 0usize;
    for (prefix, res) in &results {
        for (file, why) in &res.unread {
            eprintln!(
                "canary-lint: warning: {prefix}{file}: not searched for stable's references: {why}"
            );
            unread += 1;
        }
    }
    let sources = describe_sources(srcs, refs);
    for d in diags.iter_mut().filter(|d| searchable(&d.rule)) {
        let Some(subject) = d.subject.clone() else {
            continue;
        };
        let Some(idx) = subjects.iter().position(|s| *s == subject) else {
            continue;
        };
        match by_target.get(&idx) {
            Some(hits) if !hits.is_empty() => {
                for (prefix, h) in hits {
                    d.push_related(h.to_related(&targets, prefix), MAX_RELATED);
                }
                d.message.push_str(&format!(
                    "; stable still references `{}` in {} place{} ({})",
                    subject,
                    hits.len(),
                    if hits.len() == 1 { "" } else { "s" },
                    sources
                ));
            }
            _ if scanned == 0 => {
                d.message.push_str(&format!(
                    "; no file of stable's code was searched ({sources}: 0 files read), so whether stable still uses `{subject}` is not known"
                ));
            }
            _ if unread > 0 => {
                d.message.push_str(&format!(
                    "; `{subject}` was not found in the {scanned} files searched ({sources}), but {unread} file{} could not be searched (named on stderr), so stable's use of it is not established",
                    if unread == 1 { "" } else { "s" }
                ));
            }
            _ => {
                d.severity = Severity::Note;
                d.message.push_str(&format!(
                    "; stable no longer references `{subject}` ({sources}, {scanned} files searched): the contract step is safe for that stable"
                ));
            }
        }
    }
    Ok(())
}

fn bare(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

fn describe_sources(srcs: &[PathBuf], refs: &[String]) -> String {
    let mut parts: Vec<String> = srcs.iter().map(|s| crate::check::display(s)).collect();
    parts.extend(refs.iter().map(|r| format!("ref {r}")));
    parts.join(", ")
}
