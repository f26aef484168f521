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
    (
        "pop",
        &[
            "20150100000001000000_init.postgres.up.sql",
            "20150100000002000000_drop_email.postgres.up.sql",
            "20150100000010000000_add_age.up.sql",
        ],
    ),
    (
        "dotted",
        &[
            "V0001.Initial_Schema.up.sql",
            "V0002.Add_Name.up.sql",
            "V0010.Drop_Email.up.sql",
        ],
    ),
    (
        "version-folders",
        &[
            "v1.0/schema.sql",
            "v1.2/add_age.sql",
            // The manifest's order, not the names'.
            "v1.10/b_add_nick.sql",
            "v1.10/a_drop_email.sql",
        ],
    ),
    ("unversioned", &["create_users.sql", "drop_email.sql"]),
    (
        "liquibase",
        &[
            "db.changelog-master.xml",
            "changes/001-init.xml",
            "changes/002-contract.xml",
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
            // A master changelog only includes others.
            assert!(
                !parsed.statements.is_empty() || sf.path.contains("master"),
                "{name}/{}: no forward statement",
                sf.path
            );
            let text = parsed.file.text.to_string();
            for s in &parsed.statements {
                let sql = &text[s.span.start..s.span.end];
                assert!(
                    !sql.contains("down_marker"),
                    "{name}: rollback part linted: {sql}"
                );
                assert!(
                    s.ast().is_some() || s.is_skipped(),
                    "{name}: {sql} did not parse: {:?}",
                    s.error()
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

/// Liquibase changelogs of every format, each found from its folder, in the
/// master changelog's order, with rollbacks left out.
#[test]
fn liquibase_formats_are_discovered_in_include_order() {
    let cases: &[(&str, &[&str])] = &[
        (
            "liquibase-yaml/src/main/resources/db/changelog",
            &[
                "db.changelog-master.yaml",
                "changes/001-init.yaml",
                "changes/002-contract.yaml",
            ],
        ),
        ("liquibase-json", &["changelog.json"]),
        ("liquibase-sql", &["changelog.sql"]),
    ];
    for (name, expected) in cases {
        let d = dir(name);
        assert_eq!(detect(&d), Some(Layout::Liquibase), "{name}");
        let files = discover(&d).unwrap();
        let got: Vec<String> = files.iter().map(|f| rel(name, &f.path)).collect();
        assert_eq!(got, *expected, "{name}");
        for f in &files {
            let text = std::fs::read_to_string(&f.path).unwrap();
            let sf = SourceFile::new(rel(name, &f.path), text);
            let parsed = parse_file(&sf, f.layout, Dialect::Postgres);
            assert_eq!(parsed.file.text.len(), sf.text.len(), "{name}: same length");
            for s in &parsed.statements {
                let sql = &parsed.file.text[s.span.start..s.span.end];
                assert!(
                    !sql.contains("down_marker"),
                    "{name}: rollback linted: {sql}"
                );
                assert!(
                    s.ast().is_some() || s.is_skipped(),
                    "{name}: {sql}: {:?}",
                    s.error()
                );
            }
        }
    }
}

/// The dialect of a pop/fizz folder picks its files; the folder's path names
/// the dialect of a plain folder.
#[test]
fn pop_files_follow_the_dialect_and_paths_name_dialects() {
    let d = canary_lint_sql::layout::discover_dir(&dir("pop"), None, Some(Dialect::Mysql)).unwrap();
    let got: Vec<String> = d.files.iter().map(|f| rel("pop", &f.path)).collect();
    assert_eq!(
        got,
        [
            "20150100000001000000_init.mysql.up.sql",
            "20150100000002000000_drop_email.mysql.up.sql",
            "20150100000010000000_add_age.up.sql",
        ]
    );
    assert_eq!(d.dialect, Some(Dialect::Mysql));
    assert_eq!(
        canary_lint_sql::layout::dialect_from_path(&dir("dialect-path/mysql")),
        Some(Dialect::Mysql)
    );
    assert_eq!(
        canary_lint_sql::layout::dialect_from_path(&dir("plain")),
        None
    );
}
