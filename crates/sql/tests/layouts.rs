//! One fixture directory per migration layout under `testdata/layouts/<layout>/`:
//! detection, version order (numeric, not lexicographic) and that rollback parts
//! (down files, undo files, Down sections) never reach the linter.
#![allow(clippy::unwrap_used)]

use canary_lint_core::SourceFile;
use canary_lint_sql::{detect, discover, lint_release, parse_file, Dialect, Layout};
use std::path::{Path, PathBuf};

fn dir(layout: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/layouts")
        .join(layout)
}

fn rel(layout: &str, p: &Path) -> String {
    p.strip_prefix(dir(layout))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// (layout, expected forward files in order)
const CASES: &[(&str, &[&str])] = &[
    (
        "plain",
        &["1_init.sql", "2_add_name.sql", "10_drop_email.sql"],
    ),
    (
        "golang-migrate",
        &["1_init.up.sql", "2_add_name.up.sql", "10_drop_email.up.sql"],
    ),
    (
        "flyway",
        &[
            "V1__init.sql",
            "V1_2__add_name.sql",
            "V1_10__add_age.sql",
            "V2__drop_email.sql",
            "R__views.sql",
        ],
    ),
    (
        "goose",
        &[
            "00001_init.sql",
            "00002_touch_fn.sql",
            "00010_drop_email.sql",
        ],
    ),
    (
        "dbmate",
        &["20240101000000_init.sql", "20240201000000_drop_email.sql"],
    ),
    (
        "diesel",
        &[
            "00000000000000_diesel_initial_setup/up.sql",
            "2024-01-15-093000_add_name/up.sql",
            "2024-02-01-000000_drop_email/up.sql",
        ],
    ),
    (
        "sqlx",
        &[
            "20240101000000_init.sql",
            "20240115093000_add_name.sql",
            "20240201000000_drop_email.sql",
        ],
    ),
    (
        "prisma",
        &[
            "20240101000000_init/migration.sql",
            "20240115093000_add_name/migration.sql",
            "20240201000000_drop_email/migration.sql",
        ],
    ),
];

#[test]
fn layouts_are_detected_ordered_and_exclude_rollbacks() {
    for (name, expected) in CASES {
        let d = dir(name);
        let layout = detect(&d).unwrap_or_else(|| panic!("{name}: not detected"));
        assert_eq!(layout.name(), *name, "detected layout of {name}");
        let files = discover(&d).unwrap();
        let got: Vec<String> = files.iter().map(|f| rel(name, &f.path)).collect();
        assert_eq!(got, *expected, "order of {name}");
        for f in &files {
            let text = std::fs::read_to_string(&f.path).unwrap();
            let sf = SourceFile::new(rel(name, &f.path), text.clone());
            let parsed = parse_file(&sf, f.layout, Dialect::Postgres);
            assert!(
                !parsed.statements.is_empty(),
                "{name}/{}: no forward statement",
                sf.path
            );
            for s in &parsed.statements {
                let sql = &text[s.span.start..s.span.end];
                assert!(
                    !sql.contains("down_marker"),
                    "{name}: rollback part linted: {sql}"
                );
                assert!(
                    s.ast.is_some() || s.skipped,
                    "{name}: {sql} did not parse: {:?}",
                    s.error
                );
            }
        }
    }
}

#[test]
fn findings_in_sections_point_at_the_original_line() {
    for (name, line) in [("goose", 3), ("dbmate", 2)] {
        let files = discover(&dir(name)).unwrap();
        let release: Vec<(SourceFile, Layout)> = files
            .iter()
            .map(|f| {
                (
                    SourceFile::new(
                        rel(name, &f.path),
                        std::fs::read_to_string(&f.path).unwrap(),
                    ),
                    f.layout,
                )
            })
            .collect();
        // The whole directory as one release: the drop is of a column the release created.
        let all = lint_release(&release, Dialect::Postgres);
        assert!(all.iter().all(|d| d.rule != "drop-column"), "{all:?}");
        // Only the last file as the release: the drop breaks stable.
        let last = &release[release.len() - 1..];
        let diags: Vec<_> = lint_release(last, Dialect::Postgres)
            .into_iter()
            .filter(|d| d.rule == "drop-column")
            .collect();
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert_eq!(diags[0].rule, "drop-column");
        assert_eq!(diags[0].start.line, line, "{name}");
        assert_eq!(diags[0].start.column, if name == "goose" { 5 } else { 19 });
    }
}

#[test]
fn goose_statement_block_is_one_function() {
    let p = dir("goose").join("00002_touch_fn.sql");
    let sf = SourceFile::new("00002_touch_fn.sql", std::fs::read_to_string(p).unwrap());
    let parsed = parse_file(&sf, Layout::Goose, Dialect::Postgres);
    assert_eq!(parsed.statements.len(), 1);
}
