//! Writes a generated stable tree for benchmarking:
//! `cargo run --release -p canary-lint-stable --example generate_tree -- DIR [FILES] [SEED]`.

use canary_lint_stable::bench_support::generate_tree;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: generate_tree DIR [FILES] [SEED]");
        return ExitCode::from(2);
    };
    let files = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    match generate_tree(&root, files, seed) {
        Ok(n) => {
            println!(
                "{files} files, {n} referencing the bench targets, in {}",
                root.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
