//! Odd trees: nothing hangs, nothing panics, odd files are skipped and counted.
#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use canary_lint_stable::{scan_dir, Strength, Target, MAX_FILE_SIZE};
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn odd_files_are_skipped_or_searched_safely() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let q = "q = 'SELECT email FROM users'\n";
    fs::write(root.join("ok.py"), q).unwrap();
    // Over the size cap, though it names the table.
    let mut big = q.as_bytes().to_vec();
    big.resize(MAX_FILE_SIZE as usize + 1, b' ');
    fs::write(root.join("big.py"), big).unwrap();
    // Exactly at the cap: searched.
    let mut at_cap = q.as_bytes().to_vec();
    at_cap.resize(MAX_FILE_SIZE as usize, b' ');
    fs::write(root.join("at_cap.py"), at_cap).unwrap();
    // A named pipe would block a reader forever: it is not a regular file.
    let fifo = Command::new("mkfifo").arg(root.join("pipe.sql")).status();
    // Symbolic links are not followed: dangling, to a file, to a directory outside.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("far.py"), q).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.py", root.join("dangling.py")).unwrap();
    std::os::unix::fs::symlink(root.join("ok.py"), root.join("link.py")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("outside")).unwrap();
    // A file name that is not UTF-8, CRLF line ends, an empty file.
    fs::write(
        root.join(OsStr::from_bytes(b"caf\xe9.py")),
        "x = 1\r\nq = 'FROM users'\r\n",
    )
    .unwrap();
    fs::write(root.join("empty.sql"), "").unwrap();

    let targets = vec![Target::table("users"), Target::column("users", "email")];
    let result = scan_dir(root, &[], &targets);
    let found: Vec<_> = result
        .hits
        .iter()
        .map(|h| (h.target, h.file.as_str(), h.line, h.column, h.context))
        .collect();
    assert_eq!(
        found,
        vec![
            (0, "at_cap.py", 1, 24, Strength::SqlContext),
            (0, "caf\u{FFFD}.py", 2, 11, Strength::SqlContext),
            (0, "ok.py", 1, 24, Strength::SqlContext),
            (1, "at_cap.py", 1, 13, Strength::SameStatement),
            (1, "ok.py", 1, 13, Strength::SameStatement),
        ]
    );
    // at_cap.py, café.py, ok.py, empty.sql searched; big.py skipped.
    assert_eq!((result.files_scanned, result.files_skipped), (4, 1));
    if fifo.is_ok_and(|s| s.success()) {
        assert!(root.join("pipe.sql").exists());
    }
}

#[test]
fn skip_paths_that_do_not_exist_are_harmless() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("src")).unwrap();
    fs::write(dir.path().join("src/a.sql"), "SELECT 1 FROM users;").unwrap();
    let skip = vec![PathBuf::from("no/such/dir"), PathBuf::from("/no/such/abs")];
    let result = scan_dir(dir.path(), &skip, &[Target::table("users")]);
    assert_eq!(result.hits.len(), 1);
    // Skipping the root's only folder leaves nothing.
    let result = scan_dir(
        dir.path(),
        &[PathBuf::from("src")],
        &[Target::table("users")],
    );
    assert_eq!((result.hits.len(), result.files_scanned), (0, 0));
}
