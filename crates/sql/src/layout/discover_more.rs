//! Discovery of a migration folder with what the caller needs beyond the file
//! list: the layouts whose files carry a dialect or a version folder (pop/fizz,
//! dotted names, version folders, unversioned folders, Liquibase), the dialect a
//! path names, notes about how the order was decided, and each layout's own
//! rollback naming.

use super::{
    detect_in, discover_entries, flyway_name, leading_digits, read_dir, DiscoverError, Entry,
    Layout, MigrationFile, Version,
};
use crate::Dialect;
use std::path::{Path, PathBuf};

/// A migration folder as discovered.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub layout: Layout,
    /// Forward migrations in the framework's order.
    pub files: Vec<MigrationFile>,
    /// The dialect the folder names (a path component such as `postgres/`), or
    /// the dialect whose pop/fizz files were taken.
    pub dialect: Option<Dialect>,
    /// What the user should know about how the files were found or ordered.
    pub notes: Vec<String>,
}

/// The engine a path component names, closest first: `mysql`, `mariadb`,
/// `postgres`, `postgresql`, `pg`, `sqlite`, `sqlite3`, `mssql`, `sqlserver`.
/// Looks at the folder and at most three folders above it, and not above a
/// repository root (a folder holding `.git`).
pub fn dialect_from_path(dir: &Path) -> Option<Dialect> {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    for (i, d) in abs.ancestors().enumerate() {
        if i >= 4 {
            break;
        }
        if let Some(name) = d.file_name().and_then(|n| n.to_str()) {
            let n = name.to_ascii_lowercase();
            let named = matches!(
                n.as_str(),
                "mysql"
                    | "mariadb"
                    | "postgres"
                    | "postgresql"
                    | "pg"
                    | "sqlite"
                    | "sqlite3"
                    | "mssql"
                    | "sqlserver"
            );
            if named {
                return Dialect::parse(&n);
            }
        }
        if d.join(".git").exists() {
            break;
        }
    }
    None
}

/// Lists the forward migrations of `dir` in the framework's order. `forced` is
/// the layout set in the settings (detected otherwise); `dialect` the dialect set
/// on the command line or in the settings, which picks the pop/fizz files.
pub fn discover_dir(
    dir: &Path,
    forced: Option<Layout>,
    dialect: Option<Dialect>,
) -> Result<Discovery, DiscoverError> {
    let entries = read_dir(dir)?;
    let layout = match forced.or_else(|| detect_in(&entries)) {
        Some(l) => l,
        None => {
            return Err(DiscoverError::NoLayout {
                path: dir.to_path_buf(),
            })
        }
    };
    let path_dialect = dialect_from_path(dir);
    let mut d = Discovery {
        layout,
        files: Vec::new(),
        dialect: path_dialect,
        notes: Vec::new(),
    };
    match layout {
        Layout::Pop => pop(&entries, dialect.or(path_dialect), &mut d),
        Layout::Dotted => d.files = dotted(&entries)?,
        Layout::VersionFolders => d.files = version_folders(&entries)?,
        Layout::Unversioned => {
            d.files = entries
                .iter()
                .filter(|(n, _, is_dir)| !is_dir && is_sql(n))
                .map(|(n, p, _)| MigrationFile {
                    path: p.clone(),
                    version: Version::numeric(Vec::new(), n),
                    layout,
                    description: n.trim_end_matches(".sql").to_string(),
                })
                .collect();
            if !d.files.is_empty() {
                d.notes.push(format!(
                    "{}: no version in the file names; the {} file{} were checked in name order",
                    crate_display(dir),
                    d.files.len(),
                    if d.files.len() == 1 { "" } else { "s" }
                ));
            }
        }
        Layout::Liquibase => {
            let (files, notes) = super::liquibase::discover(dir, &entries)?;
            d.files = files;
            d.notes.extend(notes);
        }
        _ => d.files = discover_entries(entries, layout)?,
    }
    Ok(d)
}

fn crate_display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn is_sql(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".sql")
}

/// Dialect tags of pop/fizz file names.
const POP_DIALECTS: &[&str] = &["postgres", "cockroach", "mysql", "sqlite3"];

/// `(version digits, name, dialect tag or "", up)` of a pop file name.
pub(super) fn pop_name(name: &str) -> Option<(&str, &str, &str, bool)> {
    let stem = name.strip_suffix(".sql")?;
    let (stem, up) = match stem.strip_suffix(".up") {
        Some(s) => (s, true),
        None => (stem.strip_suffix(".down")?, false),
    };
    let (digits, rest) = stem.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // ory's pop marks a migration that runs outside a transaction `.autocommit`.
    let rest = rest.strip_suffix(".autocommit").unwrap_or(rest);
    match rest.rsplit_once('.') {
        Some((n, tag)) if POP_DIALECTS.contains(&tag) => Some((digits, n, tag, up)),
        _ => Some((digits, rest, "", up)),
    }
}

fn pop_tag(d: Dialect) -> &'static str {
    match d {
        Dialect::Mysql => "mysql",
        Dialect::Sqlite => "sqlite3",
        _ => "postgres",
    }
}

fn pop(entries: &[Entry], dialect: Option<Dialect>, d: &mut Discovery) {
    let mut tags: Vec<&str> = Vec::new();
    let mut fizz = 0;
    for (n, _, is_dir) in entries {
        if *is_dir {
            continue;
        }
        if n.ends_with(".up.fizz") {
            fizz += 1;
        }
        if let Some((_, _, tag, _)) = pop_name(n) {
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    let tag = match dialect {
        Some(dl) => pop_tag(dl),
        None => POP_DIALECTS
            .iter()
            .copied()
            .find(|t| tags.contains(t))
            .unwrap_or("postgres"),
    };
    d.dialect = Some(match tag {
        "mysql" => Dialect::Mysql,
        "sqlite3" => Dialect::Sqlite,
        _ => Dialect::Postgres,
    });
    // Per version, the chosen dialect's file wins over an untagged one.
    let mut files: Vec<(Version, bool, MigrationFile)> = Vec::new();
    for (n, p, is_dir) in entries {
        if *is_dir {
            continue;
        }
        let Some((digits, name, t, true)) = pop_name(n) else {
            continue;
        };
        if !(t.is_empty() || t == tag) {
            continue;
        }
        let Ok(v) = digits.parse::<u128>() else {
            continue;
        };
        let version = Version::numeric(vec![v], digits);
        files.push((
            version.clone(),
            !t.is_empty(),
            MigrationFile {
                path: p.clone(),
                version,
                layout: Layout::Pop,
                description: name.to_string(),
            },
        ));
    }
    files.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.2.description.cmp(&b.2.description))
            .then_with(|| b.1.cmp(&a.1))
    });
    files.dedup_by(|b, a| a.0 == b.0 && a.2.description == b.2.description);
    d.files = files.into_iter().map(|(_, _, f)| f).collect();
    let others: Vec<&str> = tags.iter().copied().filter(|t| *t != tag).collect();
    if !others.is_empty() {
        d.notes.push(format!(
            "pop/fizz migrations for several dialects: the `{tag}` files were checked ({} not; choose with --dialect)",
            others.join(", ")
        ));
    }
    if fizz > 0 {
        d.notes.push(format!(
            "{fizz} fizz migration{} (.fizz) not checked: only SQL migrations are read",
            if fizz == 1 { "" } else { "s" }
        ));
    }
}

/// `(version, description, up)` of `V0001.Name.up.sql`.
pub(super) fn dotted_name(name: &str) -> Option<(&str, &str, bool)> {
    let stem = name.strip_suffix(".sql")?;
    let (stem, up) = match stem.strip_suffix(".up") {
        Some(s) => (s, true),
        None => (stem.strip_suffix(".down")?, false),
    };
    let rest = stem.strip_prefix(['V', 'v'])?;
    let (ver, desc) = rest.split_once('.')?;
    if ver.is_empty() || !ver.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((ver, desc, up))
}

fn dotted(entries: &[Entry]) -> Result<Vec<MigrationFile>, DiscoverError> {
    let mut out = Vec::new();
    for (n, p, is_dir) in entries {
        if *is_dir {
            continue;
        }
        let Some((ver, desc, true)) = dotted_name(n) else {
            continue;
        };
        let parts = super::parse_parts(p, ver, &[])?;
        out.push(MigrationFile {
            path: p.clone(),
            version: Version::numeric(parts, ver),
            layout: Layout::Dotted,
            description: desc.replace('_', " "),
        });
    }
    out.sort_by(|a, b| a.version.cmp(&b.version));
    for w in out.windows(2) {
        if w[0].version == w[1].version {
            return Err(DiscoverError::DuplicateVersion {
                first: w[0].path.clone(),
                second: w[1].path.clone(),
            });
        }
    }
    Ok(out)
}

/// The version parts of a folder named `v1.2`, `1.10`, `v3`.
pub(super) fn folder_version(name: &str) -> Option<Vec<u128>> {
    let rest = name.strip_prefix(['v', 'V']).unwrap_or(name);
    if rest.is_empty() || !rest.bytes().next()?.is_ascii_digit() {
        return None;
    }
    rest.split(['.', '_'])
        .map(|p| p.parse::<u128>().ok())
        .collect()
}

fn has_sql_file(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.flatten().any(|e| {
            e.file_type().is_ok_and(|t| !t.is_dir()) && e.file_name().to_str().is_some_and(is_sql)
        })
    })
}

/// Whether the listing has version folders holding SQL.
pub(super) fn has_version_folders(entries: &[Entry]) -> bool {
    entries
        .iter()
        .any(|(n, p, is_dir)| *is_dir && folder_version(n).is_some() && has_sql_file(p))
}

fn version_folders(entries: &[Entry]) -> Result<Vec<MigrationFile>, DiscoverError> {
    let mut folders: Vec<(Vec<u128>, &String, &PathBuf)> = entries
        .iter()
        .filter(|(_, _, d)| *d)
        .filter_map(|(n, p, _)| folder_version(n).map(|v| (v, n, p)))
        .collect();
    folders.sort_by(|a, b| {
        Version::numeric(a.0.clone(), "")
            .cmp(&Version::numeric(b.0.clone(), ""))
            .then_with(|| a.1.cmp(b.1))
    });
    let mut out = Vec::new();
    for (parts, name, path) in folders {
        let listing = read_dir(path)?;
        let sql: Vec<&Entry> = listing.iter().filter(|(n, _, d)| !d && is_sql(n)).collect();
        let ordered: Vec<PathBuf> = match manifest_files(&path.join("manifest.json")) {
            Some(listed) => {
                let mut v: Vec<PathBuf> = listed
                    .iter()
                    .map(|f| path.join(f))
                    .filter(|p| super::liquibase::regular(p))
                    .collect();
                // SQL the manifest does not list still gets checked, after it.
                for (_, p, _) in &sql {
                    if !v.contains(p) {
                        v.push(p.clone());
                    }
                }
                v
            }
            None => sql.iter().map(|(_, p, _)| p.clone()).collect(),
        };
        for (i, p) in ordered.into_iter().enumerate() {
            let mut v = parts.clone();
            v.push(i as u128);
            let file = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            out.push(MigrationFile {
                path: p,
                version: Version::numeric(v, &format!("{name}/{file}")),
                layout: Layout::VersionFolders,
                description: file.trim_end_matches(".sql").to_string(),
            });
        }
    }
    Ok(out)
}

/// The SQL files a version folder's `manifest.json` lists, in its order (any
/// array of `.sql` names in the document).
fn manifest_files(path: &Path) -> Option<Vec<String>> {
    let text =
        canary_lint_core::read::read_text_capped(path, canary_lint_core::read::MAX_CONFIG_BYTES)
            .ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut out = Vec::new();
    collect_sql_names(&v, &mut out);
    (!out.is_empty()).then_some(out)
}

fn collect_sql_names(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if is_sql(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_sql_names(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_sql_names(x, out)),
        _ => {}
    }
}

/// Whether the folder is a migration folder, and whether the folders below it
/// should still be searched (an unversioned folder may sit above a real one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirKind {
    No,
    Migrations,
    MigrationsAndBelow,
}

/// How a folder found while walking a tree counts.
pub fn is_migration_dir(dir: &Path, forced: Option<Layout>) -> DirKind {
    let Ok(entries) = read_dir(dir) else {
        return DirKind::No;
    };
    let has_sql = entries.iter().any(|(n, _, d)| !d && is_sql(n));
    if forced.is_some() {
        return if has_sql {
            DirKind::Migrations
        } else {
            DirKind::No
        };
    }
    match detect_in(&entries) {
        None => DirKind::No,
        Some(Layout::Unversioned) => DirKind::MigrationsAndBelow,
        Some(_) => DirKind::Migrations,
    }
}

/// The migration folder a named file belongs to: its own folder, or the one
/// above for a diesel/Prisma migration folder (`<ts>_name/up.sql`), a version
/// folder (`v1.2/x.sql`) or a Liquibase changelog included from a master
/// changelog higher up.
pub fn migration_dir_of(file: &Path) -> PathBuf {
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let pname = parent
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let grand = || match parent.parent() {
        Some(g) if !g.as_os_str().is_empty() => g.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if matches!(name.as_str(), "up.sql" | "down.sql" | "migration.sql")
        && leading_digits(&pname).is_some()
    {
        return grand();
    }
    if folder_version(&pname).is_some() {
        let g = grand();
        if read_dir(&g).is_ok_and(|e| detect_in(&e) == Some(Layout::VersionFolders)) {
            return g;
        }
    }
    if let Some(master_dir) = super::liquibase::master_dir_above(file, &parent) {
        return master_dir;
    }
    parent
}

/// Why a file named on the command line is a rollback under `layout`, by that
/// layout's own naming; `None` for a forward migration.
pub fn rollback_reason(layout: Layout, file: &Path) -> Option<&'static str> {
    let name = file.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    match layout {
        Layout::Flyway => matches!(flyway_name(name), Some(('U', _, _)))
            .then_some("a Flyway undo script (`U<version>__`)"),
        Layout::GolangMigrate | Layout::Sqlx | Layout::Pop | Layout::Dotted => lower
            .ends_with(".down.sql")
            .then_some("a `.down.sql` rollback"),
        Layout::Diesel => (lower == "down.sql").then_some("a diesel `down.sql` rollback"),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pop_names() {
        assert_eq!(
            pop_name("20150100000001000000_networks.postgres.up.sql"),
            Some(("20150100000001000000", "networks", "postgres", true))
        );
        assert_eq!(
            pop_name("20220420102701000000_identity_metadata.down.sql"),
            Some(("20220420102701000000", "identity_metadata", "", false))
        );
        assert_eq!(pop_name("1_init.sql"), None);
        assert_eq!(
            pop_name("20260616000000000000_idx.postgres.autocommit.up.sql"),
            Some(("20260616000000000000", "idx", "postgres", true))
        );
    }

    #[test]
    fn dotted_names() {
        assert_eq!(
            dotted_name("V0001.Initial_Schema.up.sql"),
            Some(("0001", "Initial_Schema", true))
        );
        assert_eq!(
            dotted_name("V0002.WebAuthn.down.sql"),
            Some(("0002", "WebAuthn", false))
        );
        assert_eq!(dotted_name("V1__x.sql"), None);
    }

    #[test]
    fn folder_versions() {
        assert_eq!(folder_version("v1.10"), Some(vec![1, 10]));
        assert_eq!(folder_version("1.2"), Some(vec![1, 2]));
        assert_eq!(folder_version("versioned"), None);
        assert_eq!(folder_version("v"), None);
    }

    #[test]
    fn rollbacks_follow_the_layout() {
        let p = Path::new("update__prices.sql");
        assert_eq!(rollback_reason(Layout::Unversioned, p), None);
        assert_eq!(rollback_reason(Layout::Plain, p), None);
        assert!(rollback_reason(Layout::Flyway, Path::new("U2__x.sql")).is_some());
        assert!(rollback_reason(Layout::Flyway, p).is_none());
    }
}
