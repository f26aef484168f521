//! End-to-end: a Liquibase changelog holding many changesets, as the release.
//! The changesets it already held at the reference (the merge-base with `--base`,
//! else HEAD for a file named before a commit) are history; only the new ones
//! are checked as the release. Outside git, or for a new file, all of it is.
#![allow(clippy::unwrap_used)]

mod common;
use common::{git, run_in, stderr, stdout, write};
use std::path::Path;

const OLD: &str = "--liquibase formatted sql\n\n--changeset team:1\nCREATE TABLE accounts (id bigint PRIMARY KEY, plan text, legacy_flag boolean);\n\n--changeset team:2\nALTER TABLE accounts DROP COLUMN legacy_flag;\n";
const NEW: &str = "\n--changeset team:3\nALTER TABLE accounts RENAME COLUMN plan TO tier;\n";
const PATH: &str = "db/changelog.sql";

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", message]);
}

fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "check",
        "--format",
        "compact",
        "--ignore",
        "missing-lock-timeout",
    ];
    args.extend(extra);
    let o = run_in(dir, &args);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// Changesets 1 and 2 are history: the rename in changeset 3 breaks stable, the
/// drop in changeset 2 is not reported.
fn assert_only_new_changeset(code: Option<i32>, out: &str) {
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("db/changelog.sql:10:22: error:") && out.contains("[rename-column]"),
        "{out}"
    );
    assert!(
        !out.contains("[drop-column]"),
        "changeset 2 is history: {out}"
    );
}

/// The whole changelog as one release: the table is created in it, so neither the
/// drop nor the rename touches anything stable knows.
fn assert_whole_changelog(code: Option<i32>, out: &str) {
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("[rename-column]"), "{out}");
    assert!(!out.contains("[drop-column]"), "{out}");
}

#[test]
fn base_ref_makes_the_changesets_held_at_the_merge_base_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, PATH, OLD);
    commit_all(d, "history");
    git(d, &["checkout", "-qb", "feature"]);
    write(d, PATH, &format!("{OLD}{NEW}"));
    commit_all(d, "release");
    let (code, out) = check(d, &["db", "--base", "main"]);
    assert_only_new_changeset(code, &out);
}

#[test]
fn staged_changelog_named_on_the_command_line_is_compared_with_head() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, PATH, OLD);
    commit_all(d, "history");
    write(d, PATH, &format!("{OLD}{NEW}"));
    git(d, &["add", PATH]);
    let (code, out) = check(d, &[PATH]);
    assert_only_new_changeset(code, &out);
    // Named from inside its folder too.
    let (code, out) = check(&d.join("db"), &["changelog.sql"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(!out.contains("[drop-column]"), "{out}");
}

#[test]
fn changelog_outside_git_or_new_in_the_repository_is_all_release() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, PATH, &format!("{OLD}{NEW}"));
    let (code, out) = check(d, &[PATH]);
    assert_whole_changelog(code, &out);
    // In a repository whose HEAD does not hold the file (a new changelog).
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "README", "x\n");
    commit_all(d, "start");
    git(d, &["add", PATH]);
    let (code, out) = check(d, &[PATH]);
    assert_whole_changelog(code, &out);
}
