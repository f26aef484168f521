//! `canary-lint init`: a commented starter `canary-lint.toml`, with the migration
//! folders of the current repository and their layouts already filled in.

use crate::args::InitArgs;
use crate::check::{display, find_migration_dirs};
use crate::settings::FILE_NAME;
use std::fmt::Write;
use std::path::Path;

pub fn run(a: &InitArgs) -> i32 {
    let target = Path::new(FILE_NAME);
    if target.exists() && !a.force {
        eprintln!("canary-lint: error: {FILE_NAME} already exists (use --force to overwrite)");
        return 2;
    }
    let text = starter(Path::new("."));
    if let Err(e) = std::fs::write(target, &text) {
        eprintln!("canary-lint: error: {FILE_NAME}: cannot write: {e}");
        return 2;
    }
    crate::out!("{text}");
    eprintln!("canary-lint: wrote {FILE_NAME}");
    0
}

/// The starter file for the repository at `root`.
pub fn starter(root: &Path) -> String {
    let dirs = find_migration_dirs(root, None);
    let mut s = String::new();
    s.push_str("# canary-lint settings. Paths are relative to this file.\n");
    s.push_str("# Command-line flags override what is set here.\n\n");
    s.push_str("# SQL dialect: postgres, mysql, sqlite, mssql or generic.\n");
    s.push_str("dialect = \"postgres\"\n\n");
    s.push_str("[migrations]\n");
    if dirs.is_empty() {
        s.push_str("# No migration folder was found; name yours here.\n");
        s.push_str("paths = []\n");
    } else {
        let mut layouts = Vec::new();
        s.push_str("# Found in this repository:\n");
        for d in &dirs {
            let layout = canary_lint_sql::detect(d).map_or("plain", |l| l.name());
            let _ = writeln!(s, "#   {}  ({layout} layout)", rel(root, d));
            layouts.push(layout);
        }
        let list: Vec<String> = dirs
            .iter()
            .map(|d| format!("\"{}\"", rel(root, d)))
            .collect();
        let _ = writeln!(s, "paths = [{}]", list.join(", "));
        layouts.sort();
        layouts.dedup();
        match layouts.as_slice() {
            [one] => {
                let _ = writeln!(s, "# The layout is detected per folder; to force it:");
                let _ = writeln!(s, "# layout = \"{one}\"");
            }
            _ => s.push_str("# layout = \"flyway\"  # detected per folder unless forced\n"),
        }
    }
    s.push_str("\n[stable]\n");
    s.push_str(
        "# Stable's source tree (a checkout of the version now running), searched for the\n",
    );
    s.push_str(
        "# tables and columns a release drops or renames. Or a git revision: ref = [\"v1.4.0\"].\n",
    );
    s.push_str("# src = [\"../app-stable\"]\n");
    s.push_str("\n# Config pairs compared canary against stable (ConfigMaps, .properties, YAML, .env, JSON, TOML).\n");
    s.push_str("# [[config.pairs]]\n# stable = \"k8s/stable/configmap.yaml\"\n# canary = \"k8s/canary/configmap.yaml\"\n");
    s.push_str(crate::traffic::init_section());
    s.push_str("\n[rules]\n");
    s.push_str("# Per-rule severity: \"error\", \"warning\", \"note\" or \"off\".\n");
    s.push_str("# missing-lock-timeout = \"off\"\n");
    s.push_str(
        "\n[packs]\n# Your own config rule packs (TOML files or folders of them).\npaths = []\n",
    );
    s
}

fn rel(root: &Path, p: &Path) -> String {
    display(p.strip_prefix(root).unwrap_or(p))
}
