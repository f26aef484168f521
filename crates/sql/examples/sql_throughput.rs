//! Measures split + parse + lint throughput on a generated migration set.
//! `cargo run --release -p canary-lint-sql --example sql_throughput [MB]`
#![allow(clippy::unwrap_used)]

use canary_lint_core::SourceFile;
use canary_lint_sql::{lint_release, Dialect, Layout, LintContext};
use std::time::Instant;

fn migration(i: usize) -> String {
    format!(
        "-- migration {i}: add things\nCREATE TABLE t{i} (\n    id bigserial PRIMARY KEY,\n    name varchar(200) NOT NULL DEFAULT '',\n    created_at timestamptz NOT NULL DEFAULT now(),\n    amount numeric(12, 2),\n    note text\n);\nCREATE INDEX idx_t{i}_name ON t{i} (name);\nALTER TABLE t{i} ADD COLUMN flags int NOT NULL DEFAULT 0, ADD COLUMN owner_id bigint REFERENCES users (id);\nINSERT INTO t{i} (name, note) VALUES ('a', 'it''s; fine'), ('b', NULL), ('c', 'x');\nUPDATE t{i} SET note = 'n' WHERE id IN (SELECT id FROM t{i} WHERE amount > 10 AND name LIKE 'a%');\nCREATE FUNCTION f{i}() RETURNS trigger AS $$\nBEGIN\n  NEW.created_at = now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nALTER TABLE users RENAME COLUMN c{i} TO d{i};\n"
    )
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let mut files = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while total < mb * 1_000_000 {
        let mut text = String::new();
        for _ in 0..20 {
            text.push_str(&migration(i));
            i += 1;
        }
        total += text.len();
        files.push((SourceFile::new(format!("{i}.sql"), text), Layout::Plain));
    }
    let start = Instant::now();
    let mut n = 0;
    for (f, _) in &files {
        n += canary_lint_sql::split::split(
            &f.text,
            canary_lint_core::Span::new(0, f.text.len()),
            Dialect::Postgres,
        )
        .len();
    }
    println!(
        "split only: {n} statements, {:.1} MB/s",
        total as f64 / 1e6 / start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    for (f, l) in &files {
        canary_lint_sql::parse_file(f, *l, Dialect::Postgres);
    }
    println!(
        "split+parse: {:.1} MB/s",
        total as f64 / 1e6 / start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let diags = lint_release(&files, Dialect::Postgres, &LintContext::default());
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB, {} findings in {:.3}s: {:.1} MB/s on one core",
        files.len(),
        total as f64 / 1e6,
        diags.len(),
        secs,
        total as f64 / 1e6 / secs
    );
}
