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
//! [`scan`]; the git helpers the CLI needs for `--base REF` are in [`git`];
//! [`bench_support`] writes large generated trees for the benchmark.
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

pub mod bench_support;
pub mod git;
pub mod scan;

pub use scan::{scan_bytes, scan_dir, Hit, ScanResult, Strength, Target, MAX_FILE_SIZE};
