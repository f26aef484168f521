//! Times scanning a generated stable tree:
//! `cargo run --release -p canary-lint-stable --example bench_scan -- [FILES] [--git]`.
//! With `--git` the tree is also committed and scanned again with `git::scan_ref`.

use canary_lint_stable::bench_support::{bench_targets, generate_tree};
use canary_lint_stable::{git, scan_dir};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(50_000);
    let with_git = args.iter().any(|a| a == "--git");
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let root = dir.path();
    let t = Instant::now();
    let referencing = match generate_tree(root, files, 42) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "generated {files} files ({referencing} referencing) in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let targets = bench_targets();
    for run in 1..=3 {
        let t = Instant::now();
        let r = scan_dir(root, &[], &targets);
        println!(
            "scan_dir run {run}: {:.3} s, {} files scanned, {} skipped, {} hits",
            t.elapsed().as_secs_f64(),
            r.files_scanned,
            r.files_skipped,
            r.hits.len()
        );
    }
    if with_git {
        let git = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(root)
                .args([
                    "-c",
                    "user.name=bench",
                    "-c",
                    "user.email=bench@example.com",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
        };
        let t = Instant::now();
        for a in [
            &["init", "-q"][..],
            &["add", "-A"],
            &["commit", "-q", "-m", "tree"],
        ] {
            match git(a) {
                Ok(o) if o.status.success() => {}
                other => {
                    eprintln!("git {a:?} failed: {other:?}");
                    return ExitCode::from(2);
                }
            }
        }
        println!("committed in {:.2} s", t.elapsed().as_secs_f64());
        for run in 1..=2 {
            let t = Instant::now();
            match git::scan_ref(root, "HEAD", &[], &targets) {
                Ok(r) => println!(
                    "scan_ref run {run}: {:.3} s, {} files scanned, {} skipped, {} hits",
                    t.elapsed().as_secs_f64(),
                    r.files_scanned,
                    r.files_skipped,
                    r.hits.len()
                ),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    ExitCode::SUCCESS
}
