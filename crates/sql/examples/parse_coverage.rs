//! Parse coverage on real migration folders: the share of statements sqlparser
//! parses, per folder, and the most common reasons for the rest.
//!
//! `cargo run --release -p canary-lint-sql --example parse_coverage -- DIALECT DIR...`
//! (each DIR is a migration folder of any layout canary-lint detects).
//!
//! It also parses every statement from canary-lint's own tokens and from
//! sqlparser's and counts where they agree, fell back, or differ (`SHOW_DIFF=1`
//! prints each difference).

use canary_lint_core::SourceFile;
use canary_lint_sql::sqltokens::{compare, Agreement};
use canary_lint_sql::{discover, parse_file_all, Dialect};
use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dialect) = args.next().and_then(|d| Dialect::parse(&d)) else {
        eprintln!("usage: parse_coverage DIALECT DIR...");
        std::process::exit(2);
    };
    let (mut all, mut all_ok) = (0usize, 0usize);
    let (mut same, mut fallback, mut differ) = (0usize, 0usize, 0usize);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for dir in args {
        let files = match discover(Path::new(&dir)) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{dir}: {e}");
                continue;
            }
        };
        let (mut n, mut ok) = (0usize, 0usize);
        for m in &files {
            let Ok(text) = std::fs::read_to_string(&m.path) else {
                eprintln!("{}: unreadable", m.path.display());
                continue;
            };
            let pf = parse_file_all(
                &SourceFile::new(m.path.display().to_string(), text),
                m.layout,
                dialect,
            );
            for s in &pf.statements {
                n += 1;
                let sql = &pf.file.text[s.span.start..s.span.end];
                match compare(sql, dialect) {
                    Agreement::Same => same += 1,
                    Agreement::Fallback => fallback += 1,
                    Agreement::Differs { ours, theirs } => {
                        differ += 1;
                        if std::env::var_os("SHOW_DIFF").is_some() {
                            println!(
                                "DIFF {}: {sql}\n  ours:   {ours}\n  theirs: {theirs}",
                                pf.file.path
                            );
                        }
                    }
                }
                match s.error() {
                    None => ok += 1,
                    Some(e) => {
                        // Group by the parser's message without the token it saw.
                        let key: String = e
                            .message
                            .split(", found")
                            .next()
                            .unwrap_or("")
                            .chars()
                            .take(70)
                            .collect();
                        *reasons.entry(key).or_default() += 1;
                        if std::env::var_os("SHOW").is_some() {
                            let p = pf.file.position(s.span.start);
                            let snippet: String = pf.file.text[s.span.start..s.span.end]
                                .chars()
                                .take(120)
                                .collect();
                            println!(
                                "  {}:{}: {} | {}",
                                pf.file.path,
                                p.line,
                                e.message,
                                snippet.replace('\n', " ")
                            );
                        }
                    }
                }
            }
        }
        all += n;
        all_ok += ok;
        let layout = files.first().map_or("none", |f| f.layout.name());
        println!(
            "{dir} ({layout}, {} files): {ok}/{n} statements parsed ({:.1}%)",
            files.len(),
            100.0 * ok as f64 / n.max(1) as f64
        );
    }
    println!(
        "total {}: {all_ok}/{all} ({:.2}%)",
        dialect.as_str(),
        100.0 * all_ok as f64 / all.max(1) as f64
    );
    println!(
        "canary-lint tokens: {same} statements parse the same, {fallback} left to sqlparser's tokenizer, {differ} differ"
    );
    let mut top: Vec<(usize, String)> = reasons.into_iter().map(|(k, v)| (v, k)).collect();
    top.sort_by(|a, b| b.cmp(a));
    for (count, reason) in top.iter().take(12) {
        println!("  {count:5}  {reason}");
    }
}
