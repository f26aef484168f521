//! Throughput of each stage of reading migrations, on one core, over a migration
//! folder held in memory (no file system, no threads):
//!
//! 1. splitting into statements,
//! 2. tokenizing the statements for sqlparser (ours, sqlparser's where ours
//!    leaves the statement),
//! 3. sqlparser's parser alone, on tokens made beforehand,
//! 4. the whole parse stage as `canary-lint check` runs it (1 to 3 together),
//! 5. parse, lint and schema replay of the folder as one release.
//!
//! `cargo run --release -p canary-lint-sql --example sql_throughput -- DIR [ROUNDS]`
//! (DIR is a migration folder of any layout; the best of ROUNDS, default 3, is shown).
#![allow(clippy::unwrap_used)]

use canary_lint_core::SourceFile;
use canary_lint_sql::{discover, lint_release, parse_file_all, statement_spans, Dialect, Layout};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Tokenizer;
use std::path::Path;
use std::time::{Duration, Instant};

fn best(rounds: usize, mut f: impl FnMut() -> Duration) -> f64 {
    (0..rounds).map(|_| f()).min().unwrap().as_secs_f64()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: sql_throughput DIR [ROUNDS]");
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let dialect = Dialect::Postgres;
    let files: Vec<_> = discover(Path::new(&dir))
        .unwrap()
        .into_iter()
        .map(|m| {
            let text = std::fs::read_to_string(&m.path).unwrap();
            (
                SourceFile::new(m.path.display().to_string(), text),
                m.layout,
            )
        })
        .collect();
    let spans: Vec<_> = files
        .iter()
        .map(|(f, l)| statement_spans(f, *l, dialect))
        .collect();
    // What the parse stage reads: the forward sections' statements.
    let bytes: usize = files
        .iter()
        .zip(&spans)
        .map(|((f, _), sp)| {
            sp.iter()
                .map(|s| s.end - s.start)
                .sum::<usize>()
                .min(f.text.len())
        })
        .sum();
    let total: usize = files.iter().map(|(f, _)| f.text.len()).sum();
    let statements: usize = spans.iter().map(Vec::len).sum();
    println!(
        "{dir}: {} files, {:.2} MB ({:.2} MB in {statements} statements); MB/s on one core, best of {rounds}:",
        files.len(),
        total as f64 / 1e6,
        bytes as f64 / 1e6
    );
    let mb = total as f64 / 1e6;
    let sql_dialect = dialect.sqlparser();

    // Best time of running `f` over every file.
    let each_file = |f: &dyn Fn(&SourceFile, Layout)| {
        best(rounds, || {
            let s = Instant::now();
            for (file, layout) in &files {
                f(file, *layout);
            }
            s.elapsed()
        })
    };
    let t = each_file(&|f, l| {
        std::hint::black_box(statement_spans(f, l, dialect));
    });
    println!("  split:                   {:6.1}", mb / t);

    let tokenize = |sql: &str| match canary_lint_sql::sqltokens::tokenize(sql, dialect) {
        Some(t) => t,
        None => Tokenizer::new(&*sql_dialect, sql)
            .tokenize_with_location()
            .unwrap_or_default(),
    };
    let t = best(rounds, || {
        let s = Instant::now();
        for ((f, _), sp) in files.iter().zip(&spans) {
            for s in sp {
                std::hint::black_box(tokenize(&f.text[s.start..s.end]));
            }
        }
        s.elapsed()
    });
    println!("  tokens for sqlparser:    {:6.1}", mb / t);

    let t = best(rounds, || {
        let tokens: Vec<_> = files
            .iter()
            .zip(&spans)
            .flat_map(|((f, _), sp)| sp.iter().map(|s| tokenize(&f.text[s.start..s.end])))
            .collect();
        let s = Instant::now();
        for toks in tokens {
            let r = Parser::new(&*sql_dialect)
                .with_tokens_with_locations(toks)
                .parse_statements();
            std::hint::black_box(r.is_ok());
        }
        s.elapsed()
    });
    println!("  sqlparser's parser only: {:6.1}", mb / t);

    let t = each_file(&|f, l| {
        std::hint::black_box(parse_file_all(f, l, dialect));
    });
    println!("  parse stage (1-3):       {:6.1}", mb / t);

    let t = best(rounds, || {
        let s = Instant::now();
        std::hint::black_box(lint_release(&files, dialect));
        s.elapsed()
    });
    println!("  parse + lint + replay:   {:6.1}", mb / t);
}
