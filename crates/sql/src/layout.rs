//! Migration layouts: how a framework names its migration files, orders them and
//! marks the parts that are rollbacks.
//!
//! Ordering is always the framework's version order, compared numerically part by
//! part (`V10` after `V2`, `V1_10` after `V1_2`), never the lexicographic order of
//! file names. Rollback parts (golang-migrate and sqlx `.down.sql`, Flyway `U`
//! files, diesel `down.sql`, goose `-- +goose Down` and dbmate `-- migrate:down`
//! sections) are never returned as forward changes.

mod discover_more;
pub mod liquibase;
pub mod template;
pub mod tx;

pub use discover_more::{
    dialect_from_path, discover_dir, is_migration_dir, migration_dir_of, rollback_reason, DirKind,
    Discovery,
};
pub use liquibase::is_changelog_file;
pub use tx::{transactions, Transactions};

use canary_lint_core::Span;
use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};

/// A migration framework's file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layout {
    /// `001_init.sql`, `2.sql`: the leading number is the version.
    Plain,
    /// `1_init.up.sql` / `1_init.down.sql`.
    GolangMigrate,
    /// `V1_2__init.sql`, `U1_2__init.sql` (undo), `R__views.sql` (repeatable, last).
    Flyway,
    /// `1_init.sql` with `-- +goose Up` / `-- +goose Down` sections.
    Goose,
    /// `20240101000000_init.sql` with `-- migrate:up` / `-- migrate:down` sections.
    Dbmate,
    /// `2024-01-01-000000_init/up.sql` (+ `down.sql`).
    Diesel,
    /// `20240101000000_init.sql`, or `.up.sql` / `.down.sql`.
    Sqlx,
    /// `20240101000000_init/migration.sql`.
    Prisma,
    /// gobuffalo pop/fizz: `<version>_<name>.<dialect>.up.sql` / `.down.sql`, one
    /// file per dialect side by side (`postgres`, `cockroach`, `mysql`, `sqlite3`).
    Pop,
    /// `V0001.Name.up.sql` / `V0001.Name.down.sql`.
    Dotted,
    /// Folders named after versions (`v1.2/`, `v1.10/`) holding `.sql` files; a
    /// `manifest.json` in a folder, when present, lists its files in order.
    VersionFolders,
    /// `.sql` files without versions in their names: name order.
    Unversioned,
    /// Liquibase changelogs: formatted SQL (`--liquibase formatted sql`) and
    /// XML/YAML/JSON changelogs, ordered by the master changelog's includes.
    Liquibase,
}

impl Layout {
    pub const NAMES: &'static [&'static str] = &[
        "plain",
        "golang-migrate",
        "flyway",
        "goose",
        "dbmate",
        "diesel",
        "sqlx",
        "prisma",
        "pop",
        "dotted",
        "version-folders",
        "unversioned",
        "liquibase",
    ];

    pub fn name(self) -> &'static str {
        match self {
            Layout::Plain => "plain",
            Layout::GolangMigrate => "golang-migrate",
            Layout::Flyway => "flyway",
            Layout::Goose => "goose",
            Layout::Dbmate => "dbmate",
            Layout::Diesel => "diesel",
            Layout::Sqlx => "sqlx",
            Layout::Prisma => "prisma",
            Layout::Pop => "pop",
            Layout::Dotted => "dotted",
            Layout::VersionFolders => "version-folders",
            Layout::Unversioned => "unversioned",
            Layout::Liquibase => "liquibase",
        }
    }

    pub fn parse(s: &str) -> Option<Layout> {
        let s = s.to_ascii_lowercase();
        let s = if s == "migrate" || s == "golang_migrate" {
            "golang-migrate"
        } else if s == "fizz" {
            "pop"
        } else {
            s.as_str()
        };
        Layout::NAMES.iter().position(|n| *n == s).map(|i| ALL[i])
    }

    /// Whether a migration file runs inside a transaction its framework opens,
    /// from the file's text alone (no sidecar files); see [`transactions`] for the
    /// full per-migration fact.
    pub fn file_in_transaction(self, text: &str) -> bool {
        tx::from_text(self, text, crate::Dialect::Postgres).at(0)
    }
}

const ALL: [Layout; 13] = [
    Layout::Plain,
    Layout::GolangMigrate,
    Layout::Flyway,
    Layout::Goose,
    Layout::Dbmate,
    Layout::Diesel,
    Layout::Sqlx,
    Layout::Prisma,
    Layout::Pop,
    Layout::Dotted,
    Layout::VersionFolders,
    Layout::Unversioned,
    Layout::Liquibase,
];

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A migration version, ordered as the frameworks order them: versioned
/// migrations by their numeric parts, then (Flyway) repeatable ones by description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Numeric parts, e.g. `V1_2_10` is `[1, 2, 10]`; empty for repeatable ones.
    pub parts: Vec<u128>,
    /// Flyway `R__` migrations run after all versioned ones.
    pub repeatable: bool,
    /// The version as written (for messages).
    pub text: String,
}

impl Version {
    fn numeric(parts: Vec<u128>, text: &str) -> Self {
        Version {
            parts,
            repeatable: false,
            text: text.to_string(),
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.repeatable.cmp(&other.repeatable).then_with(|| {
            // Trailing zero parts do not count: V1 == V1.0 as in Flyway.
            let n = self.parts.len().max(other.parts.len());
            for i in 0..n {
                let a = self.parts.get(i).copied().unwrap_or(0);
                let b = other.parts.get(i).copied().unwrap_or(0);
                match a.cmp(&b) {
                    Ordering::Equal => {}
                    o => return o,
                }
            }
            Ordering::Equal
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One forward migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    pub path: PathBuf,
    pub version: Version,
    pub layout: Layout,
    pub description: String,
}

/// Why a migration directory could not be read. The I/O error is part of the
/// message (not a `source`), so a chain printed with `{:#}` names it once.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file whose name the layout accepts but whose version cannot be read.
    #[error("{}: {reason}", path.display())]
    BadName { path: PathBuf, reason: String },
    /// Two forward files with the same version.
    #[error("{} and {} have the same migration version", first.display(), second.display())]
    DuplicateVersion { first: PathBuf, second: PathBuf },
    /// No migration layout recognised in the directory.
    #[error("{}: no migration files found (no known layout)", path.display())]
    NoLayout { path: PathBuf },
}

fn read_dir(dir: &Path) -> Result<Vec<Entry>, DiscoverError> {
    let rd = std::fs::read_dir(dir).map_err(|error| DiscoverError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(|error| DiscoverError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        let path = e.path();
        // The directory entry knows its type without another system call; only a
        // symbolic link needs to be followed.
        let is_dir = match e.file_type() {
            Ok(t) if t.is_symlink() => path.is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => path.is_dir(),
        };
        // A name that is not UTF-8 is kept (lossily, for ordering and display) and
        // checked like any other: never skipped without a word.
        out.push((e.file_name().to_string_lossy().into_owned(), path, is_dir));
    }
    out.sort();
    Ok(out)
}

/// Splits `<digits>[_-]<rest>` at the end of the leading version digits.
fn leading_digits(name: &str) -> Option<(&str, &str)> {
    let n = name
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'-')
        .count();
    let digits = name[..n].trim_end_matches('-');
    if digits.is_empty() || !digits.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let rest = name[digits.len()..].trim_start_matches(['_', '-', '.']);
    Some((digits, rest))
}

fn parse_parts(path: &Path, text: &str, seps: &[char]) -> Result<Vec<u128>, DiscoverError> {
    text.split(seps)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u128>().map_err(|_| DiscoverError::BadName {
                path: path.to_path_buf(),
                reason: format!("cannot read `{text}` as a migration version"),
            })
        })
        .collect()
}

/// Guesses the layout of `dir` from its file names (and, for goose and dbmate,
/// the section markers in the files).
pub fn detect(dir: &Path) -> Option<Layout> {
    detect_in(&read_dir(dir).ok()?)
}

type Entry = (String, PathBuf, bool);

/// [`detect`] over a directory listing already read.
fn detect_in(entries: &[Entry]) -> Option<Layout> {
    if liquibase::is_liquibase_dir(entries) {
        return Some(Layout::Liquibase);
    }
    let mut sql_files = Vec::new();
    let (mut prisma, mut diesel, mut flyway, mut updown) = (0, 0, 0, 0);
    let (mut pop, mut pop_tagged, mut dotted, mut any_sql) = (0, 0, 0, 0);
    for (name, path, is_dir) in entries {
        if *is_dir {
            if leading_digits(name).is_some() {
                if path.join("migration.sql").is_file() {
                    prisma += 1;
                } else if path.join("up.sql").is_file() {
                    diesel += 1;
                }
            }
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".sql") {
            continue;
        }
        any_sql += 1;
        if let Some((_, _, tag, _)) = discover_more::pop_name(name) {
            pop += 1;
            if !tag.is_empty() {
                pop_tagged += 1;
            }
        }
        if discover_more::dotted_name(name).is_some() {
            dotted += 1;
        }
        if flyway_name(name).is_some() {
            flyway += 1;
        } else if leading_digits(name).is_some() {
            if name.ends_with(".up.sql") || name.ends_with(".down.sql") {
                updown += 1;
            }
            sql_files.push((name.clone(), path.clone()));
        }
    }
    if prisma > 0 {
        return Some(Layout::Prisma);
    }
    if diesel > 0 {
        return Some(Layout::Diesel);
    }
    if discover_more::has_version_folders(entries) && any_sql == 0 {
        return Some(Layout::VersionFolders);
    }
    if dotted > 0 && dotted * 2 >= any_sql {
        return Some(Layout::Dotted);
    }
    if flyway > 0 && flyway >= sql_files.len() {
        return Some(Layout::Flyway);
    }
    // pop/fizz: dialect-tagged up/down files (`.postgres.up.sql`).
    if pop_tagged > 0 && pop * 2 >= any_sql {
        return Some(Layout::Pop);
    }
    if sql_files.is_empty() {
        if any_sql > 0 {
            return Some(Layout::Unversioned);
        }
        return discover_more::has_version_folders(entries).then_some(Layout::VersionFolders);
    }
    // Section markers decide goose and dbmate; a few files are enough to tell.
    for (_, path) in sql_files.iter().take(8) {
        // Regular files only, capped (a FIFO or `/dev/zero` link is not waited on).
        if let Ok(text) =
            canary_lint_core::read::read_text_capped(path, canary_lint_core::read::MAX_SQL_BYTES)
        {
            for line in text.lines() {
                let l = line.trim();
                if is_goose_section(l).is_some() {
                    return Some(Layout::Goose);
                }
                if is_dbmate_section(l).is_some() {
                    return Some(Layout::Dbmate);
                }
            }
        }
    }
    let timestamped = sql_files
        .iter()
        .all(|(n, _)| leading_digits(n).is_some_and(|(d, _)| d.len() >= 14));
    if updown > 0 {
        return Some(if timestamped {
            Layout::Sqlx
        } else {
            Layout::GolangMigrate
        });
    }
    Some(if timestamped {
        Layout::Sqlx
    } else {
        Layout::Plain
    })
}

/// `(kind, version, description)` of a Flyway file name.
fn flyway_name(name: &str) -> Option<(char, &str, &str)> {
    let stem = name.strip_suffix(".sql")?;
    let kind = stem.chars().next()?;
    if !matches!(kind, 'V' | 'U' | 'R') {
        return None;
    }
    // A byte search: `split_once("__")` sets up a substring searcher per name.
    let rest = &stem[1..];
    let at = rest.as_bytes().windows(2).position(|w| w == b"__")?;
    let (ver, desc) = (&rest[..at], &rest[at + 2..]);
    if kind == 'R' {
        return ver.is_empty().then_some((kind, ver, desc));
    }
    if ver.is_empty()
        || !ver
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return None;
    }
    Some((kind, ver, desc))
}

/// Lists the forward migrations of `dir` in version order, detecting the layout.
pub fn discover(dir: &Path) -> Result<Vec<MigrationFile>, DiscoverError> {
    discover_dir(dir, None, None).map(|d| d.files)
}

/// Lists the forward migrations of `dir` in version order for a given layout
/// (`[migrations] layout` in `canary-lint.toml` overrides detection).
pub fn discover_with(dir: &Path, layout: Layout) -> Result<Vec<MigrationFile>, DiscoverError> {
    discover_dir(dir, Some(layout), None).map(|d| d.files)
}

/// [`discover_with`] over a directory listing already read.
fn discover_entries(
    entries: Vec<Entry>,
    layout: Layout,
) -> Result<Vec<MigrationFile>, DiscoverError> {
    let mut out = Vec::new();
    for (name, path, is_dir) in entries {
        let item = match layout {
            Layout::Prisma | Layout::Diesel => {
                let file = if layout == Layout::Prisma {
                    "migration.sql"
                } else {
                    "up.sql"
                };
                if !is_dir || !path.join(file).is_file() {
                    continue;
                }
                let Some((digits, desc)) = leading_digits(&name) else {
                    continue;
                };
                let parts = parse_parts(&path, &digits.replace('-', ""), &[])?;
                Some((
                    path.join(file),
                    Version::numeric(parts, digits),
                    desc.to_string(),
                ))
            }
            _ if is_dir => None,
            Layout::Pop
            | Layout::Dotted
            | Layout::VersionFolders
            | Layout::Unversioned
            | Layout::Liquibase => None,
            Layout::Flyway => match flyway_name(&name) {
                Some(('V', ver, desc)) => {
                    let parts = parse_parts(&path, ver, &['_', '.'])?;
                    Some((path, Version::numeric(parts, ver), desc.replace('_', " ")))
                }
                Some(('R', _, desc)) => Some((
                    path,
                    Version {
                        parts: Vec::new(),
                        repeatable: true,
                        text: format!("R__{desc}"),
                    },
                    desc.replace('_', " "),
                )),
                _ => None,
            },
            Layout::GolangMigrate
            | Layout::Sqlx
            | Layout::Plain
            | Layout::Goose
            | Layout::Dbmate => {
                let lower = name.to_ascii_lowercase();
                if !lower.ends_with(".sql") || lower.ends_with(".down.sql") {
                    continue;
                }
                if layout == Layout::GolangMigrate && !lower.ends_with(".up.sql") {
                    continue;
                }
                let Some((digits, rest)) = leading_digits(&name) else {
                    continue;
                };
                let desc = rest.trim_end_matches(".sql").trim_end_matches(".up");
                let parts = parse_parts(&path, &digits.replace('-', ""), &[])?;
                Some((path, Version::numeric(parts, digits), desc.to_string()))
            }
        };
        if let Some((path, version, description)) = item {
            out.push(MigrationFile {
                path,
                version,
                layout,
                description,
            });
        }
    }
    out.sort_by(|a, b| {
        a.version
            .cmp(&b.version)
            .then_with(|| a.description.cmp(&b.description))
    });
    for w in out.windows(2) {
        if !w[0].version.repeatable && w[0].version == w[1].version {
            return Err(DiscoverError::DuplicateVersion {
                first: w[0].path.clone(),
                second: w[1].path.clone(),
            });
        }
    }
    Ok(out)
}

/// `Some(true)` for an Up marker line, `Some(false)` for Down.
fn is_goose_section(line: &str) -> Option<bool> {
    let rest = line
        .strip_prefix("--")?
        .trim_start()
        .strip_prefix("+goose")?
        .trim();
    let word = rest.split_whitespace().next()?;
    if word.eq_ignore_ascii_case("up") {
        Some(true)
    } else if word.eq_ignore_ascii_case("down") {
        Some(false)
    } else {
        None
    }
}

fn is_dbmate_section(line: &str) -> Option<bool> {
    let rest = line.strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?;
    let word = rest.split_whitespace().next()?;
    if word.eq_ignore_ascii_case("up") {
        Some(true)
    } else if word.eq_ignore_ascii_case("down") {
        Some(false)
    } else {
        None
    }
}

/// The byte ranges of `text` that are forward changes under `layout`: the whole
/// file, or for goose and dbmate the Up sections only. A sectioned file with no
/// marker at all is linted whole (better a finding too many than a hidden one).
pub fn forward_ranges(layout: Layout, text: &str) -> Vec<Span> {
    let marker: fn(&str) -> Option<bool> = match layout {
        Layout::Goose => is_goose_section,
        Layout::Dbmate => is_dbmate_section,
        Layout::Liquibase => return liquibase::forward_ranges(text),
        _ => return vec![Span::new(0, text.len())],
    };
    let mut out = Vec::new();
    let mut up_start: Option<usize> = None;
    let mut seen_marker = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_end = offset + line.len();
        if let Some(up) = marker(line.trim()) {
            seen_marker = true;
            if let Some(s) = up_start.take() {
                out.push(Span::new(s, offset));
            }
            if up {
                up_start = Some(line_end);
            }
        }
        offset = line_end;
    }
    if let Some(s) = up_start {
        out.push(Span::new(s, text.len()));
    }
    if !seen_marker {
        return vec![Span::new(0, text.len())];
    }
    out.retain(|s| !s.is_empty());
    out
}

/// A file made ready for the SQL splitter and parser: placeholders replaced,
/// a Liquibase XML/YAML/JSON changelog written as SQL. The text keeps the
/// original's length and line breaks, so positions are the original's.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub file: canary_lint_core::SourceFile,
    /// `(offset, message)` of a changelog that could not be read.
    pub error: Option<(usize, String)>,
}

/// `None` when the file is parsed as it is.
pub fn prepare(
    file: &canary_lint_core::SourceFile,
    layout: Layout,
    dialect: crate::Dialect,
) -> Option<Prepared> {
    let replaced = template::replace_placeholders(&file.text);
    let text: &str = replaced.as_deref().unwrap_or(&file.text);
    let mut error = None;
    let mut sql = None;
    if layout == Layout::Liquibase {
        match liquibase::to_sql(&file.path, text, dialect) {
            Some(Ok(s)) => sql = Some(s),
            Some(Err(e)) => {
                error = Some((e.offset, e.message));
                sql = Some(
                    text.bytes()
                        .map(|b| if b == b'\n' { '\n' } else { ' ' })
                        .collect(),
                );
            }
            None => {}
        }
    }
    let text = sql.or(replaced)?;
    Some(Prepared {
        file: canary_lint_core::SourceFile::new(file.path.to_string(), text),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        let v = |p: &[u128]| Version::numeric(p.to_vec(), "");
        assert!(v(&[10]) > v(&[2]));
        assert!(v(&[1, 10]) > v(&[1, 2]));
        assert_eq!(v(&[1]), v(&[1]));
        assert_eq!(v(&[1, 0]).cmp(&v(&[1])), Ordering::Equal);
        let r = Version {
            parts: vec![],
            repeatable: true,
            text: "R".into(),
        };
        assert!(r > v(&[999]));
    }

    #[test]
    fn goose_up_sections_only() {
        let t = "-- +goose Up\nDROP TABLE a;\n-- +goose Down\nCREATE TABLE a (x int);\n";
        let r = forward_ranges(Layout::Goose, t);
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].start..r[0].end], "DROP TABLE a;\n");
    }

    #[test]
    fn dbmate_sections() {
        let t =
            "-- migrate:up\nALTER TABLE a ADD b int;\n\n-- migrate:down\nALTER TABLE a DROP b;\n";
        let r = forward_ranges(Layout::Dbmate, t);
        assert_eq!(&t[r[0].start..r[0].end], "ALTER TABLE a ADD b int;\n\n");
    }

    #[test]
    fn flyway_names() {
        assert_eq!(flyway_name("V1_2__add.sql"), Some(('V', "1_2", "add")));
        assert_eq!(flyway_name("R__views.sql"), Some(('R', "", "views")));
        assert_eq!(flyway_name("U3__x.sql"), Some(('U', "3", "x")));
        assert_eq!(flyway_name("Vx__a.sql"), None);
    }
}
