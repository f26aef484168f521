//! Prints the hits of a scan: `cargo run -p canary-lint-stable --example scan_tree -- ROOT
//! [--skip DIR]... [--ref REF] TARGET...` where TARGET is `table` or `table.column`.

use canary_lint_stable::{git, scan_dir, Target};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: scan_tree ROOT [--skip DIR]... [--ref REF] TARGET...");
        return ExitCode::from(2);
    };
    let (mut skip, mut targets, mut git_ref) = (Vec::new(), Vec::new(), None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--skip" => skip.extend(args.next().map(PathBuf::from)),
            "--ref" => git_ref = args.next(),
            t => targets.push(match t.split_once('.') {
                Some((table, column)) => Target::column(table, column),
                None => Target::table(t),
            }),
        }
    }
    let started = std::time::Instant::now();
    let result = match git_ref {
        Some(r) => match git::scan_ref(&root, &r, &skip, &targets) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => scan_dir(&root, &skip, &targets),
    };
    let elapsed = started.elapsed();
    for h in &result.hits {
        println!(
            "{}\t{}:{}:{}\t{}",
            targets[h.target], h.file, h.line, h.column, h.context
        );
    }
    eprintln!(
        "{} hits, {} files scanned, {} skipped, {:.3} s",
        result.hits.len(),
        result.files_scanned,
        result.files_skipped,
        elapsed.as_secs_f64()
    );
    ExitCode::SUCCESS
}
