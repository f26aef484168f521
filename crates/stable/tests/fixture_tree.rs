//! The fixture tree `testdata/stable/tree`: exact hits, what is skipped and why.
#![allow(clippy::unwrap_used)]

use canary_lint_stable::{scan_dir, Hit, Strength, Target};
use std::path::{Path, PathBuf};

fn tree() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/stable/tree")
}

fn targets() -> Vec<Target> {
    vec![
        Target::table("users"),
        Target::column("users", "email"),
        Target::column("users", "name"),
        Target::column("users", "email_address"),
        Target::table("orders"),
        Target::table("invoices"),
    ]
}

fn hit(target: usize, file: &str, line: u32, column: u32, context: Strength) -> Hit {
    Hit {
        target,
        file: file.to_string(),
        line,
        column,
        context,
    }
}

#[test]
fn exact_hits_in_the_fixture_tree() {
    use Strength::*;
    let result = scan_dir(&tree(), &[PathBuf::from("db/migrations")], &targets());
    let expected = vec![
        // users: SQL keyword, quoted identifier, query builder, ORM mappings, mapper XML.
        hit(0, "go/store.go", 9, 10, OrmMapping),
        hit(0, "java/UserEntity.java", 4, 16, OrmMapping),
        hit(0, "java/UserRepository.java", 8, 15, SqlContext),
        hit(0, "java/UserRepository.java", 12, 17, SqlContext),
        hit(0, "mapper/UserMapper.xml", 4, 19, SqlContext),
        hit(0, "python/models.py", 5, 22, OrmMapping),
        hit(0, "sql/reports.sql", 3, 6, SqlContext),
        hit(0, "ts/userService.ts", 4, 16, SqlContext),
        // users.email: Go struct field and gorm tag, concatenated SQL string, SQLAlchemy
        // column, knex where clause and the parameter next to it.
        hit(1, "go/store.go", 5, 2, OrmMapping),
        hit(1, "go/store.go", 5, 29, OrmMapping),
        hit(1, "java/UserRepository.java", 7, 27, SameStatement),
        hit(1, "java/UserRepository.java", 18, 79, SameFile),
        hit(1, "python/models.py", 8, 5, OrmMapping),
        hit(1, "ts/userService.ts", 3, 47, SameStatement),
        hit(1, "ts/userService.ts", 4, 31, SameStatement),
        hit(1, "ts/userService.ts", 4, 39, SameStatement),
        // users.name: inside statements on users and as a result-set column name in the file
        // querying users (SameFile); not `@Table(name = ..)`, not
        // `thing.name`, not `greet(name)`, not the mapper's UPDATE of accounts.
        hit(2, "java/UserRepository.java", 7, 21, SameStatement),
        hit(2, "java/UserRepository.java", 13, 16, SameStatement),
        hit(2, "java/UserRepository.java", 18, 57, SameFile),
        // users.email_address: the JPA column and its camelCase field.
        hit(3, "java/UserEntity.java", 9, 21, OrmMapping),
        hit(3, "java/UserEntity.java", 10, 20, OrmMapping),
        // orders: only a comment of a query file mentions it (comments count).
        hit(4, "sql/reports.sql", 6, 4, QueryFile),
        // invoices: nowhere.
    ];
    assert_eq!(result.hits, expected);
    assert_eq!(result.hits_for(2), &expected[16..19]);
    assert_eq!(result.hits_for(4).len(), 1);
    assert!(result.hits_for(5).is_empty() && result.hits_for(99).is_empty());
    // java x2, python x2, go, ts, sql, mapper; skipped: logo.png (extension) and
    // search.idx (NUL byte). Not visited: .gitignore (hidden), generated/ and debug.log
    // (.gitignore'd), db/migrations (skip).
    assert_eq!((result.files_scanned, result.files_skipped), (8, 2));
}

#[test]
fn without_skip_the_migration_folder_is_scanned() {
    let result = scan_dir(&tree(), &[], &targets());
    assert_eq!(result.files_scanned, 9);
    let in_migrations: Vec<_> = result
        .hits
        .iter()
        .filter(|h| h.file.starts_with("db/migrations/"))
        .collect();
    assert!(!in_migrations.is_empty());
    assert!(in_migrations
        .iter()
        .all(|h| h.file == "db/migrations/V1__init.sql"));
}

#[test]
fn absolute_skip_paths_work_too() {
    let skip = vec![tree().join("db/migrations"), tree().join("java")];
    let result = scan_dir(&tree(), &skip, &targets());
    assert_eq!(result.files_scanned, 6);
    assert!(result
        .hits
        .iter()
        .all(|h| !h.file.starts_with("java/") && !h.file.starts_with("db/")));
}

#[test]
fn ignored_files_are_not_scanned_but_would_match() {
    // The ignored files do name the targets: scanning them directly finds them.
    let text = std::fs::read(tree().join("generated/UserQueries.java")).unwrap();
    let hits = canary_lint_stable::scan_bytes("UserQueries.java", &text, &targets());
    assert!(hits.iter().any(|h| h.target == 1));
    let result = scan_dir(&tree(), &[], &targets());
    assert!(result
        .hits
        .iter()
        .all(|h| !h.file.starts_with("generated/") && h.file != "debug.log"));
}

#[test]
fn scanning_is_deterministic() {
    let a = scan_dir(&tree(), &[PathBuf::from("db/migrations")], &targets());
    for _ in 0..3 {
        assert_eq!(
            scan_dir(&tree(), &[PathBuf::from("db/migrations")], &targets()),
            a
        );
    }
}

#[test]
fn hits_become_related_locations() {
    let targets = targets();
    let result = scan_dir(&tree(), &[PathBuf::from("db/migrations")], &targets);
    let first_column_hit = result.hits.iter().find(|h| h.target == 1).unwrap();
    let related = first_column_hit.to_related(&targets, "stable/");
    assert_eq!(related.file, "stable/go/store.go");
    assert_eq!((related.line, related.column), (5, 2));
    assert_eq!(
        related.message,
        "stable still uses users.email here (in an ORM mapping of its table)"
    );
}

#[test]
fn missing_root_and_no_targets_do_not_panic() {
    let r = scan_dir(
        Path::new("/nonexistent/canary-lint/stable"),
        &[],
        &targets(),
    );
    assert!(r.hits.is_empty());
    assert_eq!(r.files_scanned, 0);
    assert_eq!(scan_dir(&tree(), &[], &[]), Default::default());
    let empty = vec![Target::table(""), Target::column("users", " ")];
    assert_eq!(scan_dir(&tree(), &[], &empty).hits, vec![]);
}
