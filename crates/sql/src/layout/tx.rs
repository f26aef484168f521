//! Whether a migration runs inside a transaction its framework opens, by each
//! framework's own rules:
//!
//! - diesel: each migration in a transaction unless its `metadata.toml` says
//!   `run_in_transaction = false`;
//! - goose: in a transaction unless the file says `-- +goose NO TRANSACTION`;
//! - dbmate: in a transaction unless the section says `transaction:false`;
//! - sqlx: in a transaction unless the file starts with `-- no-transaction`;
//! - Flyway: outside unless the script's `.conf` file sets
//!   `executeInTransaction=true` (Flyway detects the statements Postgres refuses
//!   in a transaction and runs such a script outside one); `=false` keeps it out;
//! - Liquibase: each changeset in a transaction unless it sets
//!   `runInTransaction:false` (formatted SQL) / `runInTransaction="false"`;
//! - golang-migrate: the file is sent as one multi-statement string, which
//!   Postgres runs as one implicit transaction when it holds more than one
//!   statement;
//! - pop/fizz: each migration in a transaction, except ory's
//!   `<version>_<name>.<dialect>.autocommit.up.sql` files.
//!
//! Other layouts (plain files, Prisma, version folders, unversioned folders,
//! dotted names) are not known to open one.

use super::Layout;
use crate::Dialect;
use canary_lint_core::Span;
use std::path::Path;

/// The transaction fact of one migration file: the file's default, and the
/// ranges (Liquibase changesets) that differ from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transactions {
    /// Whether a statement outside any listed range runs inside a transaction.
    pub default: bool,
    /// `(range, in transaction)` exceptions, in file order.
    pub ranges: Vec<(Span, bool)>,
}

impl Transactions {
    fn all(in_tx: bool) -> Self {
        Transactions {
            default: in_tx,
            ranges: Vec::new(),
        }
    }

    /// Whether the statement starting at byte `offset` runs inside a
    /// transaction its framework opened.
    pub fn at(&self, offset: usize) -> bool {
        self.ranges
            .iter()
            .find(|(r, _)| r.start <= offset && offset < r.end)
            .map_or(self.default, |(_, t)| *t)
    }
}

/// The transaction fact of the migration at `path` (its display path, read for
/// the diesel `metadata.toml` and Flyway `.conf` files beside it) with `text`.
pub fn transactions(layout: Layout, path: &str, text: &str, dialect: Dialect) -> Transactions {
    let p = Path::new(path);
    match layout {
        Layout::Diesel => {
            let meta = p.parent().map(|d| d.join("metadata.toml"));
            let opted_out = meta
                .and_then(|m| {
                    canary_lint_core::read::read_text_capped(
                        &m,
                        canary_lint_core::read::MAX_CONFIG_BYTES,
                    )
                    .ok()
                })
                .is_some_and(|t| toml_flag(&t, "run_in_transaction") == Some(false));
            Transactions::all(!opted_out)
        }
        Layout::Flyway => {
            let mut conf = p.as_os_str().to_owned();
            conf.push(".conf");
            let set = canary_lint_core::read::read_text_capped(
                Path::new(&conf),
                canary_lint_core::read::MAX_CONFIG_BYTES,
            )
            .ok()
            .and_then(|t| conf_flag(&t, "executeInTransaction"));
            Transactions::all(set == Some(true))
        }
        // ory's pop runs `.autocommit.` migrations outside a transaction.
        Layout::Pop if path.contains(".autocommit.") => Transactions::all(false),
        _ => from_text(layout, text, dialect),
    }
}

/// The fact from the text alone (no sidecar files).
pub(crate) fn from_text(layout: Layout, text: &str, dialect: Dialect) -> Transactions {
    match layout {
        Layout::Goose => Transactions::all(!text.lines().any(|l| {
            let l = l.trim().to_ascii_lowercase();
            l.starts_with("--") && l.contains("+goose no transaction")
        })),
        Layout::Dbmate => Transactions::all(!text.lines().any(|l| {
            let l = l.trim();
            l.starts_with("-- migrate:") && l.contains("transaction:false")
        })),
        Layout::Sqlx => Transactions::all(!text.trim_start().starts_with("-- no-transaction")),
        Layout::Diesel | Layout::Pop => Transactions::all(true),
        Layout::GolangMigrate => {
            let n = crate::split::split(text, Span::new(0, text.len()), dialect).len();
            Transactions::all(n > 1)
        }
        Layout::Liquibase => liquibase(text),
        _ => Transactions::all(false),
    }
}

/// Liquibase changesets: formatted SQL `--changeset` lines (and the same marker
/// written into the SQL made from an XML/YAML/JSON changelog) start a
/// changeset; `runInTransaction:false` on that line takes it out of one.
fn liquibase(text: &str) -> Transactions {
    let mut ranges = Vec::new();
    let mut current: Option<(usize, bool)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(in_tx) = super::liquibase::changeset_line(line) {
            if let Some((start, t)) = current.take() {
                ranges.push((Span::new(start, offset), t));
            }
            current = Some((offset, in_tx));
        }
        offset += line.len();
    }
    if let Some((start, t)) = current {
        ranges.push((Span::new(start, text.len()), t));
    }
    Transactions {
        default: true,
        ranges,
    }
}

/// `key = true|false` in a TOML file (top-level keys only, comments ignored).
fn toml_flag(text: &str, key: &str) -> Option<bool> {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            return None;
        }
        if let Some((k, v)) = line.split_once('=') {
            if k.trim() == key {
                return v.trim().parse().ok();
            }
        }
    }
    None
}

/// `key=true|false` in a Java properties style `.conf` file.
fn conf_flag(text: &str, key: &str) -> Option<bool> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| l.split_once(['=', ':']))
        .find(|(k, _)| k.trim() == key)
        .and_then(|(_, v)| v.trim().parse().ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert_eq!(
            toml_flag("run_in_transaction = false\n", "run_in_transaction"),
            Some(false)
        );
        assert_eq!(
            toml_flag("# x\nrun_in_transaction=true", "run_in_transaction"),
            Some(true)
        );
        assert_eq!(
            conf_flag("executeInTransaction=false\n", "executeInTransaction"),
            Some(false)
        );
    }

    #[test]
    fn golang_migrate_is_one_implicit_transaction_with_several_statements() {
        let one = "CREATE INDEX CONCURRENTLY i ON t (a);\n";
        let two = "CREATE INDEX CONCURRENTLY i ON t (a);\nCREATE INDEX CONCURRENTLY j ON t (b);\n";
        assert!(!from_text(Layout::GolangMigrate, one, Dialect::Postgres).at(0));
        assert!(from_text(Layout::GolangMigrate, two, Dialect::Postgres).at(0));
    }

    #[test]
    fn liquibase_changesets() {
        let t = "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (a int);\n--changeset a:2 runInTransaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n";
        let tx = from_text(Layout::Liquibase, t, Dialect::Postgres);
        assert!(tx.at(t.find("CREATE TABLE").unwrap()));
        assert!(!tx.at(t.find("CREATE INDEX").unwrap()));
    }
}
