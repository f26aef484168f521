//! A small, fixed set of findings shared by the format tests: an error with help
//! and related locations (one more than listed), a warning found by the token
//! scan, and a multi-line note in a config file whose path needs URI escaping.
//! One more file is checked and clean.

#![allow(dead_code)]

use canary_lint_core::{declare_rule, Diagnostic, Related, RuleMeta, SourceFile, Span};
use std::collections::BTreeMap;

declare_rule! {
    /// What it does: flags `DROP COLUMN` on a column stable knows.
    ///
    /// Why: stable still selects the column while the canary runs.
    pub const DROP_COLUMN = { name: "drop-column", family: Compat, severity: Error,
        summary: "a column stable still reads is dropped" };
}

declare_rule! {
    /// What it does: flags `CREATE INDEX` without `CONCURRENTLY`.
    pub const CREATE_INDEX = { name: "create-index-non-concurrently", family: Lock,
        severity: Warning, summary: "index build blocks writes" };
}

declare_rule! {
    /// What it does: flags a key present only in the canary's config.
    pub const KEY_ADDED = { name: "key-added-in-canary", family: Config, severity: Note,
        summary: "the canary sets a key stable does not" };
}

pub const MIGRATION: &str = "\
-- users lose their email
ALTER TABLE users
  DROP COLUMN email;
CREATE INDEX idx ON users (name) WHERE name <> 'x' ESCAPE;
";

pub const PROPERTIES: &str = "\
server.port=8080
feature.flags=a,\\
  b
";

pub struct Fixture {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: BTreeMap<String, SourceFile>,
    pub rules: Vec<RuleMeta>,
}

pub fn fixture() -> Fixture {
    let migration = SourceFile::new("db/migrations/002_drop_email.sql", MIGRATION);
    let props = SourceFile::new("config/canary app.properties", PROPERTIES);
    let clean = SourceFile::new(
        "db/migrations/001_init.sql",
        "CREATE TABLE users (id int);\n",
    );

    let drop_at = MIGRATION.find("DROP COLUMN").unwrap_or(0);
    let mut drop = Diagnostic::new(
        &DROP_COLUMN,
        &migration,
        Span::new(drop_at, drop_at + "DROP COLUMN email".len()),
        "dropping users.email breaks stable: it still reads the column, 100% of its queries",
    )
    .help("first deploy code that stops reading users.email, then drop it in a later release");
    for (i, file) in [
        "src/repo/users.rs",
        "src/api/profile.rs",
        "src/jobs/mail.rs",
    ]
    .iter()
    .enumerate()
    {
        drop.push_related(
            Related {
                file: file.to_string(),
                line: 10 + i as u32,
                column: 5,
                message: "stable reads users.email here".into(),
            },
            2,
        );
    }

    let index_at = MIGRATION.find("CREATE INDEX").unwrap_or(0);
    let index = Diagnostic::new(
        &CREATE_INDEX,
        &migration,
        Span::new(index_at, index_at + "CREATE INDEX".len()),
        "CREATE INDEX on users without CONCURRENTLY blocks stable's writes",
    )
    .help("use CREATE INDEX CONCURRENTLY, outside a transaction")
    .found_by_scan();

    let flags_at = PROPERTIES.find("feature.flags").unwrap_or(0);
    let note = Diagnostic::new(
        &KEY_ADDED,
        &props,
        Span::new(flags_at, PROPERTIES.len() - 1),
        "feature.flags is set only in the canary",
    );

    let mut diagnostics = vec![drop, index, note];
    canary_lint_core::sort_diagnostics(&mut diagnostics);
    let sources = [migration, props, clean]
        .into_iter()
        .map(|f| (f.path.to_string(), f))
        .collect();
    let rules = vec![DROP_COLUMN.meta(), CREATE_INDEX.meta(), KEY_ADDED.meta()];
    Fixture {
        diagnostics,
        sources,
        rules,
    }
}

/// A single diagnostic with the given message (and help) on line 1 of `path`.
pub fn one(
    path: &str,
    message: &str,
    help: Option<&str>,
) -> (Vec<Diagnostic>, BTreeMap<String, SourceFile>) {
    let file = SourceFile::new(path, "DROP TABLE t;\n");
    let mut d = Diagnostic::new(&DROP_COLUMN, &file, Span::new(0, 10), message);
    if let Some(h) = help {
        d = d.help(h);
    }
    let sources = [(path.to_string(), file)].into_iter().collect();
    (vec![d], sources)
}
