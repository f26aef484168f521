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

pub mod bench_support;
pub mod git;
pub mod scan;

pub use scan::{scan_bytes, scan_dir, Hit, ScanResult, Strength, Target, MAX_FILE_SIZE};
