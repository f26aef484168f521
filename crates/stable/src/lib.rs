//! Scans the stable version's source tree for names a release drops or renames.
//!
//! While a canary runs, the previous ("stable") version keeps serving traffic against the
//! same database. A release that drops or renames a table or a column breaks stable only if
//! stable's code still names it. This crate answers that question: given the
//! [`Target`]s of a release, it finds where stable's tree names them, either in a directory
//! ([`scan_dir`], `--stable-src DIR`) or in a git commit without checking it out
//! ([`git::scan_ref`], `--stable-ref REF`).
//!
//! The matching heuristic (what counts as a reference, and how strong) is documented in
//! [`search`]; the git helpers the CLI needs for `--base REF` are in [`git`].
//! With the `bench-support` feature (benchmarks, examples and tests only, never the
//! shipped binary), `bench_support` writes large generated trees.
//!
//! ```
//! use canary_lint_stable::{scan_bytes, Strength, Target};
//!
//! let targets = [Target::table("users"), Target::column("users", "email")];
//! let hits = scan_bytes("Dao.java", b"String q = \"SELECT email FROM users\";", &targets);
//! let found: Vec<_> = hits.iter().map(|h| (h.target, h.line, h.column, h.context)).collect();
//! assert_eq!(found, [(0, 1, 31, Strength::SqlContext), (1, 1, 20, Strength::SameStatement)]);
//! // Without its table nearby, a column name is not a reference.
//! assert!(scan_bytes("a.java", b"user.email = form.email;", &targets).is_empty());
//! ```

#[cfg(feature = "bench-support")]
pub mod bench_support;
pub mod git;
pub mod search;

pub use search::{scan_bytes, scan_dir, Hit, ScanResult, Strength, Target, MAX_FILE_SIZE};

/// How a release's drops and renames are looked for in stable's code, for the
/// documentation of the rules that use this search (`canary-lint rule drop-column`).
pub const HEURISTIC: &str = "\
With `--stable-src DIR` or `--stable-ref REF` (repeatable, for N-1 and N-2), canary-lint
searches stable's tree for the table or column this rule reports: `.gitignore` is respected
(for a directory), hidden paths, the migration folders, binary files and files over 2 MiB
are skipped.

Names match whole-word and case-insensitively, including the camelCase and snake_case
spellings ORMs use (`email_address`, `emailAddress`). A table counts after a SQL keyword
(FROM, JOIN, INTO, UPDATE, TABLE ...), in a query-builder call, in an ORM table mapping
(JPA `@Table`, SQLAlchemy `__tablename__`, Django `db_table`, Rails `table_name`, TypeORM,
Sequelize, Laravel, Prisma `@@map`, GORM `TableName()`, Ecto, Exposed), or anywhere in a
query file (`.sql`, mapper XML). A column counts only with its table in context, so `id` or
`name` do not match every file: in SQL within 10 lines of the table name with no blank line
between (in a query file, the same statement), written qualified (`users.email`), in a file
that maps the table with an ORM, or as a quoted string (`rs.getString(\"email\")`) in a file
that queries the table.

Found: the finding lists up to 5 places (file:line:column) and how many there are in all.
Searched and not found: the finding drops to `note`, since the contract step is then safe
for that stable. Not found by design: tables reached only through an entity name (JPQL on
class `User`) and names built at run time; comments count as code, which errs on the side
of a reference.
";
