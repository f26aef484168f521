//! Hostile input, end to end through the real binary: the repository is written by
//! whoever opens the pull request and the CI log is public. Each test is the regression
//! test of one attack: secrets never printed, paths from `canary-lint.toml` confined to
//! the repository, special files refused, no crash, no silent pass.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_canary-lint");

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CANARY_HOSTILE_PROBE", "probe-9f3c1d2e7a")
        .env_remove("CANARY_LINT_STATS")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

const ALL_FORMATS: &[&str] = &["human", "compact", "json", "sarif", "github", "junit"];

// ---- 1. Confinement and special files ---------------------------------------------------

#[test]
fn settings_cannot_name_proc_environ_as_a_config_pair() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "stable.env", "A=1\n");
    write(
        d,
        "canary-lint.toml",
        "[[config.pairs]]\nstable = \"stable.env\"\ncanary = \"/proc/self/environ\"\n",
    );
    for fmt in ALL_FORMATS {
        let o = run_in(d, &["check", "--format", fmt]);
        assert_eq!(o.status.code(), Some(2), "{fmt}");
        let err = stderr(&o);
        assert!(
            err.contains("canary-lint.toml:3:") && err.contains("config.pairs.canary"),
            "{err}"
        );
        assert!(!stdout(&o).contains("probe-9f3c1d2e7a") && !err.contains("probe-9f3c1d2e7a"));
    }
    // Through a symbolic link and through `..`: refused as well.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/proc/self/environ", d.join("env.env")).unwrap();
        write(
            d,
            "canary-lint.toml",
            "[[config.pairs]]\nstable = \"stable.env\"\ncanary = \"env.env\"\n",
        );
        let o = run_in(d, &["check"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("config.pairs.canary"), "{}", stderr(&o));
    }
    write(d, "canary-lint.toml", "[stable]\nsrc = [\"../..\"]\n");
    let o = run_in(d, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("canary-lint.toml:2:") && stderr(&o).contains("stable.src"));
}

#[test]
fn diff_of_proc_environ_named_on_the_command_line_is_refused_as_a_pseudo_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.env", "A=1\n");
    let o = run_in(d, &["diff", "a.env", "/proc/self/environ"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stdout(&o).contains("probe-9f3c1d2e7a"));
    assert!(!stderr(&o).contains("probe-9f3c1d2e7a"));
    assert!(stderr(&o).contains("pseudo-file"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn migration_linked_to_dev_zero_or_a_fifo_is_refused_and_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    std::os::unix::fs::symlink("/dev/zero", d.join("db/V2__zero.sql")).unwrap();
    let fifo = d.join("db/V3__fifo.sql");
    let made = Command::new("mkfifo").arg(&fifo).status();
    write(
        d,
        "db/V4__drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    let o = run_in(d, &["check", "db", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("V2__zero.sql") && err.contains("character device"),
        "{err}"
    );
    if made.is_ok_and(|s| s.success()) {
        assert!(
            err.contains("V3__fifo.sql") && err.contains("FIFO"),
            "{err}"
        );
    }
    assert!(
        stdout(&o).contains("db/V4__drop.sql:1:19: error:"),
        "{}",
        stdout(&o)
    );
}

#[cfg(unix)]
#[test]
fn settings_file_that_is_a_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("/dev/zero", d.join("canary-lint.toml")).unwrap();
    let o = run_in(d, &["check", "--config", "canary-lint.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("settings"), "{}", stderr(&o));
}

#[test]
fn stable_src_in_procfs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    write(
        d,
        "db/V2__drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    let o = run_in(d, &["check", "db", "--stable-src", "/proc/self"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("pseudo-filesystem"), "{}", stderr(&o));
}

// ---- 5. Fail closed ---------------------------------------------------------------------

#[test]
fn base_spelled_like_an_option_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "init"]);
    write(
        d,
        "db/V2__drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    for base in ["--octopus", "--independent", "--fork-point", "-h"] {
        let arg = format!("--base={base}");
        let o = run_in(d, &["check", "db", &arg]);
        assert_eq!(o.status.code(), Some(2), "{base}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("does not name a commit"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn stable_source_that_cannot_be_read_is_named_and_not_counted_as_searched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    write(
        d,
        "db/V2__drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    write(d, "old/src/Ok.java", "class Ok {}\n");
    std::fs::write(d.join("old/src/Latin.java"), b"// caf\xe9\nclass L {}\n").unwrap();
    let big = "x".repeat(3 * 1024 * 1024);
    write(d, "old/src/Big.java", &big);
    let o = run_in(
        d,
        &["check", "db", "--stable-src", "old", "--format", "compact"],
    );
    let err = stderr(&o);
    assert!(
        err.contains("old/src/Latin.java") && err.contains("UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("old/src/Big.java") && err.contains("limit"),
        "{err}"
    );
    let out = stdout(&o);
    // Not "no longer references ... safe": two files were not read.
    assert!(
        out.contains("error:") && out.contains("not established"),
        "{out}"
    );
    assert!(!out.contains("safe for that stable"), "{out}");
}
