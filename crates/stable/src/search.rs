//! Finding where stable's source still names a table or column that a release drops or renames.
//!
//! # The heuristic
//!
//! A plain text search for `id` or `name` would match every file, so a name counts as a
//! reference only in a context that ties it to the database object. Every kind of reference
//! needs the table named in the file, so each file is first searched with one combined regex
//! of the table names; only files that pass are searched with one combined regex of all target
//! names, and only their matches are looked at more closely.
//!
//! **Names.** Matching is whole-word (ASCII word characters: letters, digits, `_`) and
//! case-insensitive. Each name also matches the spellings ORMs derive from it: `email_address`
//! matches `emailAddress` and `EmailAddress`, and a camelCase name `emailAddress` matches
//! `email_address`. A schema prefix and identifier quotes on a target (`public."users"`) are
//! dropped. Plural/singular forms (`users` table vs `User` class) are *not* matched.
//!
//! **Tables** (target without a column). An occurrence of the table name counts when
//! - [`Strength::SqlContext`]: a SQL keyword that introduces a table stands right before it
//!   (`FROM`, `JOIN`, `INTO`, `UPDATE`, `TABLE`, `TRUNCATE`, `REFERENCES`, `EXISTS`, `ONLY`;
//!   whitespace, one schema qualifier and an opening identifier quote may come between), or a
//!   query-builder call names it as a string (`.from("users")`, `.table('users')`,
//!   `.join(..)`, `.into(..)`, `.update(..)`, `knex('users')`, `DB::table('users')`);
//! - [`Strength::OrmMapping`]: it is the string of an ORM table mapping: JPA/Spring
//!   `@Table(name = "users")` / `@Table("users")`, TypeORM `@Entity('users')`, SQLAlchemy
//!   `__tablename__ = "users"`, Django `db_table = 'users'`, Rails `self.table_name = "users"`,
//!   Sequelize `tableName: 'users'`, Laravel `$table = 'users'`, Prisma `@@map("users")`, Kotlin
//!   Exposed `object Users : Table("users")`, Ecto `schema "users" do`, Go
//!   `func (User) TableName() string { return "users" }` (over several lines too), and
//!   generally `table_name`/`tableName` followed by `=`, `:`, `=>` or `(` and the string;
//! - [`Strength::QueryFile`]: it is anywhere in a query file: `.sql`, `.hql`, `.jpql`,
//!   `.prisma`, or XML holding MyBatis/iBATIS/Hibernate/JPA mappings (`<mapper`, `<sqlMap`,
//!   `<hibernate-mapping`, `<entity-mappings`).
//!
//! **Columns** (`users.email`). An occurrence of the column name counts only with its table
//! in context, strongest first:
//! - [`Strength::SameStatement`]: the table occurs in SQL context (as above) within
//!   [`WINDOW_LINES`] lines and [`WINDOW_BYTES`] bytes of the column, with no blank line
//!   between them. This approximates "the same SQL string or statement": multi-line string
//!   literals, concatenated strings and text blocks rarely contain blank lines, and the code
//!   around a query (`rs.getString("email")`) is part of it;
//! - [`Strength::Qualified`]: it is written qualified by its table: `users.email`,
//!   `"users"."email"`, `` `users`.`email` ``, `[users].[email]`;
//! - [`Strength::OrmMapping`]: the file maps the table with an ORM mapping (as above), so its
//!   fields are the table's columns (`private String email;`, `gorm:"column:email"`,
//!   `email = models.CharField()`). Two occurrences are left out because they are the
//!   mapping's own syntax: the text of the table mapping itself (`@Table(name = "users")`
//!   does not name column `name`), keyword-argument keys (`@Column(name = "x")`,
//!   `Field(name="x")`), and `import`/`package`/`use`/`using` lines (`import
//!   javax.persistence.Id;` does not name column `id`);
//! - [`Strength::SameFile`]: it is a whole quoted string (`rs.getString("email")`,
//!   `row['email']`) in a file that names the table in SQL context somewhere else: result-set
//!   access by column name is often far from the query text;
//! - [`Strength::QueryFile`]: in a query file, the table is named (in any context, e.g. a
//!   Prisma `@@map("users")`) in the same statement.
//!
//! In query files the statement is known, so it replaces the line window: a statement ends at
//! `;` in SQL files, at the closing tag of a statement element (`</select>`, `</update>`, ...)
//! in mapper XML, and at a `}` opening a line in Prisma schemas. `SameStatement` there means
//! the table is in SQL context in the same statement, and the file-wide ORM rule does not
//! apply.
//!
//! An occurrence is reported once per target with its strongest context. Comments are not
//! told apart from code: a commented-out query still counts, which errs on the side of a
//! reference (a missed reference would wrongly call a breaking change safe).
//!
//! **Not found** (known limits): a table reached only through a derived entity name (class
//! `User` for table `users` with no explicit mapping, JPQL/HQL on entity names), names built at
//! run time (`"user" + "s"`), columns of a mapped class in another file than the mapping, and
//! column names that occur only unquoted far (blank line, > 10 lines) from any query on their
//! table.
//!
//! # Files
//! Binary files (a NUL byte in the first 8 KiB, or a known binary extension), files over
//! [`MAX_FILE_SIZE`] and unreadable files are skipped and counted in
//! [`ScanResult::files_skipped`]. Non-UTF-8 text is searched as bytes; columns are counted in
//! characters of the UTF-8 decoding.

use canary_lint_core::Related;
use ignore::{WalkBuilder, WalkState};
use regex::bytes::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Files larger than this (2 MiB) are skipped: generated bundles and dumps, not code.
pub const MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;
/// A column and its table are "in the same statement" at most this many lines apart...
pub const WINDOW_LINES: u32 = 10;
/// ...and at most this many bytes apart (guards against minified one-line files).
pub const WINDOW_BYTES: usize = 2000;
/// The binary sniff looks for a NUL byte in this many leading bytes.
const SNIFF_LEN: usize = 8 * 1024;

/// Something a release drops or renames: a table, or a column of a table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    pub table: String,
    pub column: Option<String>,
}

impl Target {
    /// A whole table (`DROP TABLE users`).
    pub fn table(table: impl Into<String>) -> Self {
        Target {
            table: table.into(),
            column: None,
        }
    }

    /// A column of a table (`ALTER TABLE users DROP COLUMN email`).
    pub fn column(table: impl Into<String>, column: impl Into<String>) -> Self {
        Target {
            table: table.into(),
            column: Some(column.into()),
        }
    }
}

impl fmt::Display for Target {
    /// `users` or `users.email`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}.{}", self.table, c),
            None => f.write_str(&self.table),
        }
    }
}

/// Why an occurrence counts as a reference (see the module doc), strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// Column: its table is named in SQL context in the same statement (nearby, same paragraph).
    SameStatement,
    /// Column: written qualified by its table (`users.email`).
    Qualified,
    /// Table: after a SQL keyword (`FROM users`) or in a query-builder call (`.from("users")`).
    SqlContext,
    /// The file maps the table with an ORM (`@Table(name = "users")`, `__tablename__`, ...).
    OrmMapping,
    /// A query file (`.sql`, mapper XML) naming the table.
    QueryFile,
    /// Column: a quoted string (`rs.getString("email")`) in a file that names its table in SQL
    /// context elsewhere.
    SameFile,
}

impl Strength {
    /// Stable identifier, e.g. for JSON output: `same-statement`, `qualified`, `sql-context`,
    /// `orm-mapping`, `query-file`, `same-file`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::SameStatement => "same-statement",
            Strength::Qualified => "qualified",
            Strength::SqlContext => "sql-context",
            Strength::OrmMapping => "orm-mapping",
            Strength::QueryFile => "query-file",
            Strength::SameFile => "same-file",
        }
    }

    /// A short phrase for messages: "in or next to a SQL statement naming its table", ...
    pub fn describe(self) -> &'static str {
        match self {
            Strength::SameStatement => "in or next to a SQL statement naming its table",
            Strength::Qualified => "qualified by its table",
            Strength::SqlContext => "in SQL",
            Strength::OrmMapping => "in an ORM mapping of its table",
            Strength::QueryFile => "in a query file naming its table",
            Strength::SameFile => "as a string in a file querying its table",
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place where stable names a target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hit {
    /// Index into the targets given to the scan.
    pub target: usize,
    /// Path relative to the scanned root, `/`-separated.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Why this occurrence counts.
    pub context: Strength,
}

impl Hit {
    /// This hit as a related location of a finding:
    /// `stable still uses users.email here (in or next to a SQL statement naming its table)`.
    /// `file_prefix` is prepended to the file (e.g. the stable root or `REF:`), may be empty.
    pub fn to_related(&self, targets: &[Target], file_prefix: &str) -> Related {
        let what = targets
            .get(self.target)
            .map_or_else(|| "it".to_string(), |t| t.to_string());
        Related {
            file: format!("{file_prefix}{}", self.file),
            line: self.line,
            column: self.column,
            message: format!(
                "stable still uses {what} here ({})",
                self.context.describe()
            ),
        }
    }
}

/// The outcome of scanning a tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanResult {
    /// Sorted by target, file, line, column; one hit per place and target.
    pub hits: Vec<Hit>,
    /// Text files searched.
    pub files_scanned: usize,
    /// Files not searched: binary, over [`MAX_FILE_SIZE`], or unreadable (walk errors too).
    pub files_skipped: usize,
    /// Files that may hold code but were not (fully) searched, with the reason: unreadable,
    /// not a regular file, over [`MAX_FILE_SIZE`], or not UTF-8 (searched as bytes, hits
    /// kept, but not counted as searched). Callers name them: a search that did not read a
    /// file cannot say stable no longer uses a name.
    pub unread: Vec<(String, String)>,
}

impl ScanResult {
    /// The hits of one target (a slice: hits are sorted by target).
    pub fn hits_for(&self, target: usize) -> &[Hit] {
        let from = self.hits.partition_point(|h| h.target < target);
        let to = self.hits.partition_point(|h| h.target <= target);
        &self.hits[from..to]
    }

    /// Sorts and deduplicates the hits (the contract order).
    pub(crate) fn finish(mut self) -> Self {
        self.hits.sort();
        self.hits.dedup_by(|a, b| {
            (a.target, &a.file, a.line, a.column) == (b.target, &b.file, b.line, b.column)
        });
        self
    }
}

/// Extensions of files that are never source code.
const BINARY_EXTENSIONS: &[&str] = &[
    "7z", "a", "avi", "bin", "bmp", "bz2", "class", "dat", "db", "dll", "dmg", "dylib", "ear",
    "eot", "exe", "flac", "gif", "gz", "ico", "iso", "jar", "jpeg", "jpg", "lib", "lockb", "mkv",
    "mov", "mp3", "mp4", "o", "obj", "ogg", "otf", "pdf", "png", "psd", "pyc", "pyo", "rar", "so",
    "sqlite", "sqlite3", "tar", "tgz", "tif", "tiff", "ttf", "war", "wasm", "wav", "webm", "webp",
    "whl", "woff", "woff2", "xz", "zip", "zst",
];

/// True for a path with a known binary extension.
pub fn has_binary_extension(path: &str) -> bool {
    match extension(path) {
        Some(ext) => BINARY_EXTENSIONS
            .iter()
            .any(|b| ext.eq_ignore_ascii_case(b)),
        None => false,
    }
}

/// True when the first 8 KiB hold a NUL byte.
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(SNIFF_LEN)].contains(&0)
}

fn extension(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let dot = name.rfind('.')?;
    (dot > 0).then(|| &name[dot + 1..])
}

/// For a query file, the offsets where its statements end (`;` in SQL files, the closing tag
/// of a statement element in mapper XML, a `}` opening a line in Prisma schemas); `None` for
/// other files. Semicolons inside strings or comments are not told apart.
fn query_segments(path: &str, bytes: &[u8]) -> Option<Vec<usize>> {
    let ends = |re: &Regex| re.find_iter(bytes).map(|m| m.end()).collect();
    match extension(path).map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("sql" | "hql" | "jpql") => Some(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b';')
                .map(|(i, _)| i + 1)
                .collect(),
        ),
        Some("prisma") => Some(ends(static_re(&PRISMA_END, r"(?m-u)^\}"))),
        Some("xml") => {
            let mapper = static_re(
                &MAPPER_XML,
                r"(?i-u)<(?:mapper|sqlMap|hibernate-mapping|entity-mappings)\b",
            );
            if !mapper.is_match(bytes) {
                return None;
            }
            let end = static_re(
                &XML_STATEMENT_END,
                r"(?i-u)</(?:select|insert|update|delete|sql|statement|procedure|named-query|named-native-query|query|sql-query)\s*>",
            );
            Some(ends(end))
        }
        _ => None,
    }
}

static PRISMA_END: OnceLock<Regex> = OnceLock::new();
static XML_STATEMENT_END: OnceLock<Regex> = OnceLock::new();
static MAPPER_XML: OnceLock<Regex> = OnceLock::new();
static SQL_BEFORE: OnceLock<Regex> = OnceLock::new();
static ORM_BEFORE: OnceLock<Regex> = OnceLock::new();

fn static_re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern is valid"))
}

/// How far back the context regexes look.
const SQL_LOOKBACK: usize = 80;
const ORM_LOOKBACK: usize = 160;

/// Text right before a table name that puts it in SQL context.
fn sql_before() -> &'static Regex {
    static_re(
        &SQL_BEFORE,
        concat!(
            r#"(?i-u)(?:"#,
            r#"\b(?:from|join|into|update|table|truncate|references|exists|only)\s+"#,
            r#"(?:[a-z0-9_$]+\.|"[^"\n]*"\.|`[^`\n]*`\.|\[[^\]\n]*\]\.)?["`\[]?"#,
            r#"|(?:\.(?:from|table|into|join|leftjoin|innerjoin|rightjoin|update|insertinto|deletefrom|selectfrom)|\bknex|::table)"#,
            r#"\s*\(\s*["'`]"#,
            r#")$"#
        ),
    )
}

/// Text right before a table name that makes it an ORM table mapping.
fn orm_before() -> &'static Regex {
    static_re(
        &ORM_BEFORE,
        concat!(
            r#"(?i-u)(?:"#,
            r#"@table\s*\((?:[^)]*?\bname\s*=\s*)?"#,
            r#"|@entity\s*\((?:\s*\{\s*name\s*:\s*|\s*name\s*=\s*)?"#,
            r#"|\b__tablename__\s*=\s*"#,
            r#"|\bdb_table\s*=\s*"#,
            r#"|\btable_?name\s*(?:=>?|:)\s*"#,
            r#"|\btable_?name\s*\(\s*"#,
            r#"|\bset_table_name\s+"#,
            r#"|\$table\s*=\s*"#,
            r#"|@@map\s*\(\s*"#,
            r#"|(?:^|[^:]):\s*(?:[a-z]*idtable|table)\s*\(\s*(?:name\s*=\s*)?"#,
            r#"|\bschema\s*\(?\s*"#,
            r#"|\btablename\s*\(\s*\)\s*(?:string\s*)?\{\s*return\s+"#,
            r#")["'`]$"#
        ),
    )
}

/// One whole-word, case-insensitive search for all `spellings`, longest first so that the
/// alternation prefers the longest spelling at a position.
fn names_regex(mut spellings: Vec<&String>) -> Option<Regex> {
    spellings.sort();
    spellings.dedup();
    spellings.sort_by_key(|s| std::cmp::Reverse(s.len()));
    if spellings.is_empty() {
        return None;
    }
    let ascii = spellings.iter().all(|s| s.is_ascii());
    let alts: Vec<String> = spellings.iter().map(|s| regex::escape(s)).collect();
    let flags = if ascii { "(?i-u)" } else { "(?i)" };
    let pattern = format!(r"{flags}(?-u:\b)(?:{})(?-u:\b)", alts.join("|"));
    RegexBuilder::new(&pattern)
        .size_limit(1 << 28)
        .dfa_size_limit(1 << 26)
        .build()
        .ok()
}

/// The target names compiled into one search.
#[derive(Debug)]
pub struct Matcher {
    /// All name variants, whole-word, case-insensitive. `None` when no target has a name.
    re: Option<Regex>,
    /// The spellings of table names only: every kind of hit needs its table named in the file,
    /// so a file without any is done after this (cheaper) search.
    tables_re: Option<Regex>,
    /// Normalised key (lower case, no `_`) -> name id.
    keys: HashMap<String, usize>,
    /// Name id -> is some table called this.
    name_is_table: Vec<bool>,
    /// Table id -> name id.
    table_name: Vec<usize>,
    /// Per target: (table id, column name id) or `None` for an unusable target.
    targets: Vec<Option<(usize, Option<usize>)>>,
}

/// The bare identifier of a target name: schema prefix and quotes dropped.
fn bare_name(name: &str) -> &str {
    let last = name.trim().rsplit('.').next().unwrap_or("");
    last.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''))
}

/// The key under which all spellings of a name meet: lower case without `_`.
fn key_of(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The spellings searched for a name: itself, without `_` (camelCase), and snake_case.
fn variants(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut snake = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && prev_lower {
            snake.push('_');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        snake.extend(c.to_lowercase());
    }
    let mut out = vec![lower.replace('_', ""), lower, snake];
    out.retain(|v| !v.is_empty());
    out.sort();
    out.dedup();
    out
}

impl Matcher {
    /// Compiles the targets. Targets with an empty name never match.
    pub fn new(targets: &[Target]) -> Self {
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut name_spellings: Vec<Vec<String>> = Vec::new();
        let mut intern = |name: &str| -> Option<usize> {
            let name = bare_name(name);
            let key = key_of(name);
            if key.is_empty() {
                return None;
            }
            if let Some(&id) = keys.get(&key) {
                return Some(id);
            }
            let id = keys.len();
            keys.insert(key, id);
            name_spellings.push(variants(name));
            Some(id)
        };
        let mut table_ids: HashMap<usize, usize> = HashMap::new();
        let mut table_name: Vec<usize> = Vec::new();
        let mut compiled = Vec::with_capacity(targets.len());
        for t in targets {
            let target = intern(&t.table).and_then(|tname| {
                let col = match &t.column {
                    Some(c) => Some(intern(c)?),
                    None => None,
                };
                let next = table_ids.len();
                let tid = *table_ids.entry(tname).or_insert(next);
                if tid == table_name.len() {
                    table_name.push(tname);
                }
                Some((tid, col))
            });
            compiled.push(target);
        }
        let mut name_is_table = vec![false; keys.len()];
        for &n in &table_name {
            name_is_table[n] = true;
        }
        let all: Vec<&String> = name_spellings.iter().flatten().collect();
        let tables: Vec<&String> = table_name
            .iter()
            .flat_map(|&n| &name_spellings[n])
            .collect();
        Matcher {
            re: names_regex(all),
            tables_re: names_regex(tables),
            keys,
            name_is_table,
            table_name,
            targets: compiled,
        }
    }

    /// The hits in one file's text (`path` is used for reporting and the file kind).
    /// Does not check for binary content: see [`looks_binary`].
    pub fn scan(&self, path: &str, bytes: &[u8]) -> Vec<Hit> {
        let (Some(re), Some(tables_re)) = (&self.re, &self.tables_re) else {
            return Vec::new();
        };
        if !tables_re.is_match(bytes) {
            return Vec::new();
        }
        let mut occs: Vec<Occ> = Vec::new();
        for m in re.find_iter(bytes) {
            let Ok(text) = std::str::from_utf8(m.as_bytes()) else {
                continue;
            };
            if let Some(&name) = self.keys.get(&key_of(text)) {
                occs.push(Occ {
                    start: m.start(),
                    end: m.end(),
                    name,
                });
            }
        }
        if occs.is_empty() {
            return Vec::new();
        }
        FileScan::new(self, path, bytes, occs).hits()
    }
}

/// One occurrence of a target name.
#[derive(Debug, Clone, Copy)]
struct Occ {
    start: usize,
    end: usize,
    name: usize,
}

/// What the text around a table-name occurrence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableCtx {
    None,
    Sql,
    /// ORM mapping; the mapping's text starts at this offset.
    Orm(usize),
}

/// Line starts and blank-line counts of one file.
struct Lines {
    starts: Vec<usize>,
    /// `blank_before[i]`: number of blank lines among lines `0..i`.
    blank_before: Vec<u32>,
}

impl Lines {
    fn new(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        let mut blank_before = vec![0];
        let mut blanks = 0u32;
        let mut line_blank = true;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                if line_blank {
                    blanks += 1;
                }
                starts.push(i + 1);
                blank_before.push(blanks);
                line_blank = true;
            } else if !b.is_ascii_whitespace() {
                line_blank = false;
            }
        }
        Lines {
            starts,
            blank_before,
        }
    }

    /// 0-based line index of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// 1-based line and character column of each offset (`offsets` ascending): one pass,
    /// so that many hits on one huge line (minified code) stay linear.
    fn positions(&self, bytes: &[u8], offsets: impl Iterator<Item = usize>) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let (mut line, mut at, mut column) = (usize::MAX, 0usize, 0usize);
        for offset in offsets {
            let l = self.line_of(offset);
            if l != line || offset < at {
                (line, at, column) = (l, self.starts[l], 0);
            }
            // Characters = bytes that do not continue a UTF-8 sequence.
            column += bytes[at..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
            at = offset;
            out.push((line as u32 + 1, column as u32 + 1));
        }
        out
    }

    /// No blank line between lines `a` and `b` (0-based, either order).
    fn same_paragraph(&self, a: usize, b: usize) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        self.blank_before[b] == self.blank_before[a]
    }
}

/// The per-file analysis once the file is known to contain a target name.
struct FileScan<'a> {
    m: &'a Matcher,
    path: &'a str,
    bytes: &'a [u8],
    occs: Vec<Occ>,
    /// Context of each occurrence of a table name (`TableCtx::None` for others).
    ctx: Vec<TableCtx>,
    lines: Lines,
    /// Line and column of each occurrence.
    pos: Vec<(u32, u32)>,
    /// For query files, where statements end (see [`query_segments`]).
    segments: Option<Vec<usize>>,
}

impl<'a> FileScan<'a> {
    fn new(m: &'a Matcher, path: &'a str, bytes: &'a [u8], occs: Vec<Occ>) -> Self {
        let ctx = occs
            .iter()
            .map(|o| {
                if !m.name_is_table[o.name] {
                    return TableCtx::None;
                }
                let orm = &bytes[o.start.saturating_sub(ORM_LOOKBACK)..o.start];
                if let Some(found) = orm_before().find(orm) {
                    return TableCtx::Orm(o.start - orm.len() + found.start());
                }
                let sql = &bytes[o.start.saturating_sub(SQL_LOOKBACK)..o.start];
                if sql_before().is_match(sql) {
                    TableCtx::Sql
                } else {
                    TableCtx::None
                }
            })
            .collect();
        let lines = Lines::new(bytes);
        let pos = lines.positions(bytes, occs.iter().map(|o| o.start));
        FileScan {
            m,
            path,
            bytes,
            occs,
            ctx,
            pos,
            lines,
            segments: query_segments(path, bytes),
        }
    }

    fn hits(&self) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (ti, target) in self.m.targets.iter().enumerate() {
            let Some((table, column)) = *target else {
                continue;
            };
            let tname = self.m.table_name[table];
            match column {
                None => self.table_hits(ti, tname, &mut hits),
                Some(cname) => self.column_hits(ti, tname, cname, &mut hits),
            }
        }
        hits
    }

    fn push(&self, hits: &mut Vec<Hit>, target: usize, occ: usize, context: Strength) {
        let (line, column) = self.pos[occ];
        hits.push(Hit {
            target,
            file: self.path.to_string(),
            line,
            column,
            context,
        });
    }

    fn table_hits(&self, target: usize, tname: usize, hits: &mut Vec<Hit>) {
        for (i, o) in self.occs.iter().enumerate() {
            if o.name != tname {
                continue;
            }
            let strength = match self.ctx[i] {
                TableCtx::Sql => Strength::SqlContext,
                TableCtx::Orm(_) => Strength::OrmMapping,
                TableCtx::None if self.segments.is_some() => Strength::QueryFile,
                TableCtx::None => continue,
            };
            self.push(hits, target, i, strength);
        }
    }

    fn column_hits(&self, target: usize, tname: usize, cname: usize, hits: &mut Vec<Hit>) {
        // Where the table occurs, and in which context.
        let mut sql_anchors: Vec<usize> = Vec::new(); // occurrence indexes, in offset order
        let mut orm_spans: Vec<(usize, usize)> = Vec::new();
        let mut named_segments: Vec<usize> = Vec::new();
        let mut sql_segments: Vec<usize> = Vec::new();
        for (i, o) in self.occs.iter().enumerate() {
            if o.name != tname {
                continue;
            }
            let segment = self.segment_of(o.start);
            named_segments.push(segment);
            match self.ctx[i] {
                TableCtx::Sql => {
                    sql_anchors.push(i);
                    sql_segments.push(segment);
                }
                TableCtx::Orm(from) => orm_spans.push((from, o.end)),
                TableCtx::None => {}
            }
        }
        if named_segments.is_empty() {
            return;
        }
        for (i, o) in self.occs.iter().enumerate() {
            if o.name != cname {
                continue;
            }
            if orm_spans
                .iter()
                .any(|&(from, to)| o.start >= from && o.end <= to)
            {
                continue;
            }
            let strength = if self.segments.is_some() {
                // Query file: the statement is known, the window is not needed.
                let segment = self.segment_of(o.start);
                if sql_segments.contains(&segment) {
                    Strength::SameStatement
                } else if self.qualified(i, tname) {
                    Strength::Qualified
                } else if named_segments.contains(&segment) {
                    Strength::QueryFile
                } else {
                    continue;
                }
            } else if self.near_anchor(o, &sql_anchors) {
                Strength::SameStatement
            } else if self.qualified(i, tname) {
                Strength::Qualified
            } else if !orm_spans.is_empty() && !self.is_keyword_argument(o) && !self.is_import(i) {
                Strength::OrmMapping
            } else if !sql_anchors.is_empty() && self.is_string(o) {
                Strength::SameFile
            } else {
                continue;
            };
            self.push(hits, target, i, strength);
        }
    }

    /// The statement of a query file an offset is in (0 for other files).
    fn segment_of(&self, offset: usize) -> usize {
        self.segments
            .as_ref()
            .map_or(0, |ends| ends.partition_point(|&end| end <= offset))
    }

    /// A table anchor in SQL context within the statement window of `o`.
    fn near_anchor(&self, o: &Occ, anchors: &[usize]) -> bool {
        if anchors.is_empty() {
            return false;
        }
        let line = self.lines.line_of(o.start);
        let close = |ai: usize| {
            let a = &self.occs[ai];
            let aline = self.lines.line_of(a.start);
            a.start.abs_diff(o.start) <= WINDOW_BYTES
                && aline.abs_diff(line) <= WINDOW_LINES as usize
                && self.lines.same_paragraph(aline, line)
        };
        // The nearest anchor on each side is the best candidate: every condition is monotone
        // in the distance.
        let after = anchors.partition_point(|&ai| self.occs[ai].start < o.start);
        (after < anchors.len() && close(anchors[after])) || (after > 0 && close(anchors[after - 1]))
    }

    /// `table.column`, with optional identifier quotes on both sides.
    fn qualified(&self, i: usize, tname: usize) -> bool {
        let Some(prev) = i.checked_sub(1).map(|p| self.occs[p]) else {
            return false;
        };
        if prev.name != tname {
            return false;
        }
        let sep = &self.bytes[prev.end..self.occs[i].start];
        matches!(sep, b"." | b"\".\"" | b"`.`" | b"].[")
    }

    /// On an `import`/`package`/`use`/`using` line (`import javax.persistence.Id;`).
    fn is_import(&self, occ: usize) -> bool {
        let line = self.pos[occ].0 as usize - 1;
        let start = self.lines.starts[line];
        let text = &self.bytes[start..self.occs[occ].start];
        let text = &text[text.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        [&b"import "[..], b"package ", b"use ", b"using "]
            .iter()
            .any(|p| text.starts_with(p))
    }

    /// The whole of a quoted string: `"email"`, `'email'`, `` `email` ``.
    fn is_string(&self, o: &Occ) -> bool {
        let before = o.start.checked_sub(1).map(|i| self.bytes[i]);
        let after = self.bytes.get(o.end).copied();
        matches!(before, Some(b'"' | b'\'' | b'`')) && before == after
    }

    /// `name = ` right after `(` or `,`: an annotation or keyword-argument key.
    fn is_keyword_argument(&self, o: &Occ) -> bool {
        let after = self.bytes[o.end..]
            .iter()
            .copied()
            .find(|b| *b != b' ' && *b != b'\t');
        let after2 = self.bytes[o.end..]
            .iter()
            .copied()
            .skip_while(|b| *b == b' ' || *b == b'\t')
            .nth(1);
        let before = self.bytes[..o.start]
            .iter()
            .rev()
            .copied()
            .find(|b| !b.is_ascii_whitespace());
        after == Some(b'=') && after2 != Some(b'=') && matches!(before, Some(b'(' | b','))
    }
}

/// Convenience: the hits of `targets` in one text (compiles the targets each call; for many
/// files build a [`Matcher`] once).
pub fn scan_bytes(path: &str, bytes: &[u8], targets: &[Target]) -> Vec<Hit> {
    ScanResult {
        hits: Matcher::new(targets).scan(path, bytes),
        ..ScanResult::default()
    }
    .finish()
    .hits
}

/// Outcome of looking at one file.
pub(crate) enum FileOutcome {
    /// Binary by extension or content: not code.
    Skipped,
    /// Not searched (or searched only as bytes), for this reason.
    Unread(String, Vec<Hit>),
    Scanned(Vec<Hit>),
}

/// Size, extension and NUL checks, then the search.
pub(crate) fn scan_content(m: &Matcher, rel: &str, bytes: &[u8]) -> FileOutcome {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return FileOutcome::Unread(
            format!("larger than the {MAX_FILE_SIZE}-byte limit"),
            Vec::new(),
        );
    }
    if has_binary_extension(rel) || looks_binary(bytes) {
        return FileOutcome::Skipped;
    }
    let hits = m.scan(rel, bytes);
    if std::str::from_utf8(bytes).is_err() {
        return FileOutcome::Unread("not valid UTF-8 (searched as bytes)".to_string(), hits);
    }
    FileOutcome::Scanned(hits)
}

impl ScanResult {
    /// Counts one file's outcome.
    pub(crate) fn add(&mut self, rel: &str, outcome: FileOutcome) {
        match outcome {
            FileOutcome::Skipped => self.files_skipped += 1,
            FileOutcome::Unread(why, hits) => {
                self.files_skipped += 1;
                self.unread.push((rel.to_string(), why));
                self.hits.extend(hits);
            }
            FileOutcome::Scanned(hits) => {
                self.files_scanned += 1;
                self.hits.extend(hits);
            }
        }
    }
}

/// `path` relative to `root`, `/`-separated.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        parts.join("/")
    }
}

/// Scans the directory tree at `root` for the targets.
///
/// The walk respects `.gitignore`, `.ignore` and git's exclude files (also outside a git
/// repository), skips hidden files and directories (so `.git`), does not follow symbolic
/// links, and skips the `skip` directories (migration folders: a migration naming a column is
/// not stable code using it). Relative `skip` paths are taken relative to `root`. With no
/// usable target nothing is walked.
pub fn scan_dir(root: &Path, skip: &[PathBuf], targets: &[Target]) -> ScanResult {
    let matcher = Matcher::new(targets);
    if matcher.re.is_none() {
        return ScanResult::default();
    }
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let skip: Vec<PathBuf> = skip
        .iter()
        .map(|s| {
            let p = if s.is_absolute() {
                s.clone()
            } else {
                root.join(s)
            };
            fs::canonicalize(&p).unwrap_or(p)
        })
        .collect();
    let mut builder = WalkBuilder::new(&root);
    builder.require_git(false).follow_links(false).threads(0);
    if !skip.is_empty() {
        builder.filter_entry(move |e| !skip.iter().any(|s| e.path().starts_with(s)));
    }
    let result: Mutex<ScanResult> = Mutex::new(ScanResult::default());
    let add = |rel: &str, outcome: FileOutcome| {
        if let Ok(mut r) = result.lock() {
            r.add(rel, outcome);
        }
    };
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    add(
                        &e.to_string(),
                        FileOutcome::Unread("cannot be walked".into(), Vec::new()),
                    );
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let rel = relative(&root, entry.path());
            if has_binary_extension(&rel) {
                add(&rel, FileOutcome::Skipped);
                return WalkState::Continue;
            }
            // Regular files only, capped by the bytes actually read.
            match canary_lint_core::read::read_capped(entry.path(), MAX_FILE_SIZE) {
                Ok(bytes) => add(&rel, scan_content(&matcher, &rel, &bytes)),
                Err(e) => add(&rel, FileOutcome::Unread(e.to_string(), Vec::new())),
            }
            WalkState::Continue
        })
    });
    let mut result = result.into_inner().unwrap_or_else(|e| e.into_inner());
    result.unread.sort();
    result.finish()
}
