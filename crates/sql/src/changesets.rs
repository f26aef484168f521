//! Liquibase changelogs cut by changeset, once parsed: one unit per changeset
//! (each is deployed on its own), and a changelog in a release cut into the
//! changesets stable has already run and the new ones.
//!
//! A changelog grows by appending changesets, and Liquibase runs each changeset
//! once, recorded by id, author and file. So when a changelog is the release (named
//! on the command line before a commit, or changed since `--base`), the
//! changesets it already held at the reference are history stable has run, and
//! only the others are the release. The reference is the merge-base with
//! `--base`, else `HEAD` (the staged, pre-commit case). Outside a git repository,
//! or for a file the reference does not hold, every changeset is the release; so
//! is it when the reference holds every changeset (a committed changelog named
//! again, changesets edited in place), so that naming a file never checks nothing.

use crate::layout::liquibase::changeset_ids;
use crate::layout::{transactions, Layout};
use crate::parse::ParsedFile;
use canary_lint_core::SourceFile;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// A changelog release cut in two: the changesets the reference already held
/// (history, to replay before the release) and the others (the release).
#[derive(Debug)]
pub struct ChangelogSplit {
    pub history: ParsedFile,
    pub release: ParsedFile,
}

/// The text of the file at `path` in the reference: the merge-base of `base`
/// and `HEAD` with `base`, else `HEAD`. `None` outside git, when the reference
/// does not hold the file, or when git cannot be run.
pub fn text_at_reference(path: &Path, base: Option<&str>) -> Option<String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name()?.to_str()?;
    let rev = match base {
        Some(b) => {
            let out = git(dir, &["merge-base", b, "HEAD"])?;
            out.trim().to_string()
        }
        None => "HEAD".to_string(),
    };
    if rev.is_empty() {
        return None;
    }
    git(dir, &["show", &format!("{rev}:./{name}")])
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// Cuts a parsed changelog (`original`: its text as written; `parsed`: as
/// parsed, same offsets) by the changesets `old` (the text at the reference)
/// holds. `None` when it is no Liquibase changelog, or none of its changesets
/// is old, or none is new: then all of it is the release.
pub fn split_changelog(
    parsed: &ParsedFile,
    original: &SourceFile,
    old: &str,
) -> Option<ChangelogSplit> {
    if parsed.layout != Layout::Liquibase {
        return None;
    }
    let now = changeset_ids(&original.path, &original.text);
    let before: HashSet<String> = changeset_ids(&original.path, old)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    if !now.iter().any(|(_, id)| before.contains(id)) {
        return None;
    }
    let empty = || ParsedFile {
        file: parsed.file.clone(),
        layout: parsed.layout,
        dialect: parsed.dialect,
        statements: Vec::new(),
    };
    let (mut history, mut release) = (empty(), empty());
    for st in &parsed.statements {
        let old = now
            .iter()
            .rposition(|(start, _)| *start <= st.span.start)
            .is_some_and(|i| before.contains(&now[i].1));
        if old {
            history.statements.push(st.clone());
        } else {
            release.statements.push(st.clone());
        }
    }
    // Nothing new (a committed changelog named again, or changesets edited in
    // place): all of it is checked, never nothing.
    if release.statements.is_empty() {
        return None;
    }
    Some(ChangelogSplit { history, release })
}

/// The release's files (`originals`: each one's path on disk and text as written,
/// in the order of `rel`) with every Liquibase changelog cut at the reference
/// (see [`text_at_reference`]): the release that is left, and the history parts
/// to replay after the other history and before the release.
pub fn split_release(
    rel: Vec<ParsedFile>,
    originals: &[(&Path, &SourceFile)],
    base: Option<&str>,
) -> (Vec<ParsedFile>, Vec<ParsedFile>) {
    let mut history = Vec::new();
    let mut release = Vec::with_capacity(rel.len());
    for (i, pf) in rel.into_iter().enumerate() {
        let split = match originals.get(i) {
            Some((path, original)) if pf.layout == Layout::Liquibase => {
                text_at_reference(path, base).and_then(|old| split_changelog(&pf, original, &old))
            }
            _ => None,
        };
        match split {
            Some(s) => {
                history.push(s.history);
                release.push(s.release);
            }
            None => release.push(pf),
        }
    }
    (release, history)
}

/// A Liquibase changelog with several changesets, cut into one parsed file
/// per changeset: each changeset is deployed on its own, so each is checked
/// against the changesets before it (as a folder's files are). `None` for any
/// other file, or a changelog of one changeset.
pub fn changeset_units(pf: &ParsedFile) -> Option<Vec<ParsedFile>> {
    if pf.layout != Layout::Liquibase {
        return None;
    }
    let ranges = transactions(Layout::Liquibase, "", &pf.file.text, pf.dialect).ranges;
    if ranges.len() < 2 {
        return None;
    }
    let mut units: Vec<ParsedFile> = ranges
        .iter()
        .map(|_| ParsedFile {
            file: pf.file.clone(),
            layout: pf.layout,
            dialect: pf.dialect,
            statements: Vec::new(),
        })
        .collect();
    for st in &pf.statements {
        let i = ranges
            .iter()
            .rposition(|(r, _)| r.start <= st.span.start)
            .unwrap_or(0);
        units[i].statements.push(st.clone());
    }
    units.retain(|u| !u.statements.is_empty());
    Some(units)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{parse_file, Dialect};

    fn split(path: &str, now: &str, old: &str) -> Option<(usize, usize)> {
        let f = SourceFile::new(path, now);
        let pf = parse_file(&f, Layout::Liquibase, Dialect::Postgres);
        split_changelog(&pf, &f, old)
            .map(|s| (s.history.statements.len(), s.release.statements.len()))
    }

    #[test]
    fn formatted_sql_changesets_known_at_the_reference_are_history() {
        let old = "--liquibase formatted sql\n--changeset ann:1\nCREATE TABLE t (a int);\n";
        let now = format!("{old}--changeset bob:2\nALTER TABLE t DROP COLUMN a;\n");
        assert_eq!(split("c.sql", &now, old), Some((1, 1)));
        // Same id, other author: another changeset.
        let other = old.replace("ann:1", "bob:1");
        assert_eq!(split("c.sql", &now, &other), None);
        assert_eq!(split("c.sql", &now, ""), None);
        // Nothing new: all of it stays the release.
        assert_eq!(split("c.sql", &now, &now), None);
    }

    #[test]
    fn xml_and_yaml_changesets_by_id_and_author() {
        let old = "<databaseChangeLog>\n  <changeSet id=\"1\" author=\"a\">\n    <createTable tableName=\"t\"><column name=\"x\" type=\"int\"/></createTable>\n  </changeSet>\n</databaseChangeLog>\n";
        let now = old.replace(
            "</databaseChangeLog>",
            "  <changeSet id=\"2\" author=\"a\">\n    <dropColumn tableName=\"t\" columnName=\"x\"/>\n  </changeSet>\n</databaseChangeLog>",
        );
        assert_eq!(split("c.xml", &now, old), Some((1, 1)));
        let old = "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - dropColumn:\n            tableName: t\n            columnName: x\n";
        let now = format!("{old}  - changeSet:\n      id: 2\n      author: a\n      changes:\n        - dropTable:\n            tableName: u\n");
        assert_eq!(split("c.yaml", &now, old), Some((1, 1)));
    }
}
