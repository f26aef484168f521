//! What canary-lint finds in a repository folder, as `check DIR` walks it: the
//! migration folders, the layout and dialect of each, its files, and how many of
//! their statements the parser read. For the README's table of real folders.
//!
//! `cargo run --release -p canary-lint-sql --example layout_report -- DIR...`

use canary_lint_core::SourceFile;
use canary_lint_sql::layout::{discover_dir, is_migration_dir, DirKind};
use canary_lint_sql::parse_file_all;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const SKIP: &[&str] = &["target", "node_modules", "vendor", "build", "dist", "venv"];

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        match is_migration_dir(&dir, None) {
            DirKind::Migrations => {
                found.push(dir);
                continue;
            }
            DirKind::MigrationsAndBelow => found.push(dir.clone()),
            DirKind::No => {}
        }
        if depth >= 6 {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut subs: Vec<PathBuf> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().map(|n| n.to_string_lossy().to_string());
                n.is_some_and(|n| !n.starts_with('.') && !SKIP.contains(&n.as_str()))
            })
            .collect();
        subs.sort();
        stack.extend(subs.into_iter().rev().map(|s| (s, depth + 1)));
    }
    found.sort();
    found
}

fn main() {
    for root in std::env::args().skip(1) {
        let (mut files, mut stmts, mut parsed) = (0usize, 0usize, 0usize);
        let mut layouts = BTreeSet::new();
        let dirs = walk(Path::new(&root));
        for dir in &dirs {
            let d = match discover_dir(dir, None, None) {
                Ok(d) => d,
                Err(e) => {
                    println!("{root}: error: {e}");
                    continue;
                }
            };
            layouts.insert(format!(
                "{} ({})",
                d.layout,
                d.dialect.unwrap_or_default().as_str()
            ));
            for m in &d.files {
                let Ok(text) = std::fs::read_to_string(&m.path) else {
                    continue;
                };
                files += 1;
                let sf = SourceFile::new(m.path.display().to_string(), text);
                let pf = parse_file_all(&sf, m.layout, d.dialect.unwrap_or_default());
                stmts += pf.statements.len();
                parsed += pf.statements.iter().filter(|s| s.ast().is_some()).count();
            }
        }
        let layouts: Vec<String> = layouts.into_iter().collect();
        println!(
            "{root}\t{} folders\t{}\t{files} files\t{parsed}/{stmts} statements parsed",
            dirs.len(),
            layouts.join(", ")
        );
    }
}
