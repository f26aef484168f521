//! Where the memory of checking large migrations goes: parses the files given
//! (in order, each its own release against the ones before, as `check` does
//! without `--base`) with the system allocator, so a heap profiler sees every
//! allocation:
//!
//! `heaptrack target/release/examples/release_memory V1.sql V2.sql`
//! (build with `cargo build --release -p canary-lint-sql --example release_memory`).
#![allow(clippy::unwrap_used)]

use canary_lint_core::SourceFile;
use canary_lint_sql::{lint_each_as_release, parse_file_checked, Dialect, Layout, ParsedFile};

fn main() {
    let files: Vec<ParsedFile> = std::env::args()
        .skip(1)
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            parse_file_checked(&SourceFile::new(p, text), Layout::Plain, Dialect::Postgres)
        })
        .collect();
    let findings = lint_each_as_release(&files);
    println!("{} findings", findings.len());
}
