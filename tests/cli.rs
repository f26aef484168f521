//! End-to-end tests of the real `canary-lint` binary: exit codes, formats, the demo,
//! release selection, stdin, settings, suppressions and the pre-commit hook.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::{git, root, run_in, stderr, stdout, write, BIN};

fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

/// A run with one unreadable input: exit 2, the input named on stderr, and the
/// other inputs still checked and reported.
fn assert_bad_file_and_others_checked(o: &Output, named: &str, finding: &str) {
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(o);
    assert!(err.contains(named), "{err}");
    assert!(stdout(o).contains(finding), "{}", stdout(o));
}

/// Stages everything and commits it.
fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", message]);
}

#[test]
fn demo_reports_the_renamed_column_with_stable_evidence() {
    let o = run(&["check", "testdata/demo"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        !out.contains('\u{1b}'),
        "no colour codes when not a terminal"
    );
    insta::assert_snapshot!("demo_human", out);
}

#[test]
fn demo_compact_and_json_follow_the_contract() {
    let o = run(&["check", "testdata/demo", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let re = regex::Regex::new(r"^(.+):(\d+):(\d+): (error|warning|note): (.+) \[([a-z0-9-]+)\]$")
        .unwrap();
    assert!(!out.is_empty());
    for line in out.lines() {
        assert!(re.is_match(line), "not in compact form: {line}");
    }
    assert!(
        out.contains("testdata/demo/db/migrations/V3__rename_email.sql:6:5: error:"),
        "{out}"
    );
    assert!(out.ends_with("[rename-column]\n") || out.contains("[rename-column]\n"));

    let o = run(&["check", "testdata/demo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "canary-lint");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "rename-column");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(5))
    );
    for key in [
        "message",
        "help",
        "file",
        "end_line",
        "end_column",
        "related",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    let related = d["related"].as_array().unwrap();
    assert!(!related.is_empty() && related.len() <= 5);
    assert!(related[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("UserRepository.java"));
    // rename-column, discovery-url-mismatch and the demo's unknown-subset.
    assert_eq!(v["summary"]["errors"], 3);
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "discovery-url-mismatch"));
}

#[test]
fn output_is_deterministic() {
    for format in ["human", "json", "sarif", "junit", "github", "compact"] {
        let a = run(&["check", "testdata/demo", "--format", format]);
        let b = run(&["check", "testdata/demo", "--format", format]);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn colour_only_when_asked() {
    let o = run(&["check", "testdata/demo", "--color", "always"]);
    assert!(stdout(&o).contains('\u{1b}'));
}

#[test]
fn fail_on_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    // A suppression without a reason is a warning; the drop it covers is suppressed.
    write(
        dir.path(),
        "m/V1__init.sql",
        "CREATE TABLE t (id int, a text);\n",
    );
    write(
        dir.path(),
        "m/V2__drop.sql",
        "-- canary-lint: ignore drop-column\nALTER TABLE t DROP COLUMN a;\n",
    );
    let code = |fail_on: &str| {
        let o = run_in(
            dir.path(),
            &["check", "m", "--format", "compact", "--fail-on", fail_on],
        );
        assert!(stdout(&o).contains("warning:"), "{}", stdout(&o));
        o.status.code()
    };
    assert_eq!(code("error"), Some(0));
    assert_eq!(code("warning"), Some(1));
    assert_eq!(code("never"), Some(0));
}

#[test]
fn unreadable_and_non_utf8_files_are_named_and_others_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    std::fs::write(
        dir.path().join("db/V2__bad.sql"),
        b"SELECT 1;\n\xff\xfe broken\n",
    )
    .unwrap();
    write(
        dir.path(),
        "db/V3__drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    let o = run_in(dir.path(), &["check", "db", "--format", "compact"]);
    assert_bad_file_and_others_checked(
        &o,
        "db/V2__bad.sql:2: not valid UTF-8",
        "db/V3__drop.sql:1:19: error:",
    );
}

#[test]
fn missing_path_is_exit_2() {
    let o = run(&["check", "no/such/dir"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir"));
}

#[test]
fn bad_flag_is_exit_2() {
    let o = run(&["check", "--format", "xml", "testdata/demo"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn settings_unknown_key_names_key_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "canary-lint.toml",
        "dialect = \"postgres\"\n[migrations]\npaths = [\"db\"]\nlayuot = \"flyway\"\n",
    );
    write(dir.path(), "db/V1__a.sql", "SELECT 1;\n");
    let o = run_in(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("canary-lint.toml:4:") && err.contains("layuot"),
        "{err}"
    );
}

#[test]
fn rules_lists_every_compat_rule_and_rule_prints_docs() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for name in [
        "rename-column",
        "rename-table",
        "drop-column",
        "drop-table",
        "drop-view",
        "change-column-type",
        "add-required-column",
        "set-not-null",
        "drop-default",
        "rename-enum-value",
        "unparsed-statement",
        "unused-suppression",
        "suppression-without-reason",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} missing:\n{out}"
        );
    }
    let o = run(&["rule", "rename-column"]);
    assert_eq!(o.status.code(), Some(0));
    let doc = stdout(&o);
    for section in [
        "What it does",
        "Why it breaks stable",
        "Example",
        "Use instead",
    ] {
        assert!(doc.contains(section), "{section} missing:\n{doc}");
    }
    assert!(doc.contains("Evidence from stable's code"), "{doc}");
    assert_eq!(run(&["rule", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn stdin_is_linted_under_the_given_name() {
    let mut child = Command::new(BIN)
        .args([
            "check",
            "-",
            "--stdin-filename",
            "alembic.sql",
            "--format",
            "compact",
            "--ignore",
            "missing-lock-timeout",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"BEGIN;\n\nALTER TABLE accounts\n    DROP COLUMN legacy_id;\nCOMMIT;\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("alembic.sql:4:5: error:"), "{out}");
    assert!(out.contains("[drop-column]"));
}

#[test]
fn named_files_are_the_release_and_their_directory_the_history() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    write(
        dir.path(),
        "db/V2__old_drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    write(dir.path(), "db/V3__new.sql", "CREATE TABLE audit (id int);\nALTER TABLE audit DROP COLUMN id;\nALTER TABLE users RENAME TO people;\n");
    let o = run_in(
        dir.path(),
        &["check", "db/V3__new.sql", "--format", "compact"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        !out.contains("V2__old_drop"),
        "history is not linted: {out}"
    );
    assert!(
        !out.contains("[drop-column]"),
        "audit was created in the release: {out}"
    );
    assert!(
        out.contains("db/V3__new.sql:3:19: error:") && out.contains("[rename-table]"),
        "{out}"
    );
}

#[test]
fn history_of_a_named_file_follows_its_tables_indexes_dropped_by_name() {
    // The history drops the unique index by its name alone (the table is not
    // named): the model must still drop it, so the new constraint is judged
    // against a schema that no longer keeps emails unique.
    for drop in [
        "DROP INDEX users_email_idx",
        "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx",
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "db/V1__init.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE UNIQUE INDEX users_email_idx ON users (email);\n",
        );
        write(dir.path(), "db/V2__drop_index.sql", &format!("{drop};\n"));
        write(
            dir.path(),
            "db/V3__unique.sql",
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n",
        );
        let o = run_in(
            dir.path(),
            &["check", "db/V3__unique.sql", "--format", "compact"],
        );
        let out = stdout(&o);
        assert!(
            out.contains("db/V3__unique.sql:1:19: warning: `users` gets UNIQUE (email)")
                && out.contains("[tighten-constraint]"),
            "{drop}: {out}{}",
            stderr(&o)
        );
    }
}

#[test]
fn base_ref_selects_the_release_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    write(
        d,
        "db/V2__old.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    commit_all(d, "history");
    git(d, &["checkout", "-qb", "feature"]);
    write(
        d,
        "db/V10__new.sql",
        "ALTER TABLE users RENAME COLUMN id TO user_id;\n",
    );
    commit_all(d, "release");
    let o = run_in(
        d,
        &[
            "check",
            "db",
            "--base",
            "main",
            "--format",
            "compact",
            "--ignore",
            "missing-lock-timeout",
        ],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert_eq!(out.lines().count(), 1, "only the release is linted: {out}");
    assert!(
        out.starts_with("db/V10__new.sql:1:19: error:") && out.contains("[rename-column]"),
        "{out}"
    );
    let bad = run_in(d, &["check", "db", "--base", "no-such-ref"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("no-such-ref"));
}

#[test]
fn stable_src_not_referencing_the_column_turns_the_finding_into_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text, nickname text);\n",
    );
    write(
        d,
        "db/V2__drop.sql",
        "ALTER TABLE users DROP COLUMN nickname;\nALTER TABLE users DROP COLUMN email;\n",
    );
    write(
        d,
        "old/app.py",
        "def load(db):\n    return db.execute(\"SELECT id, email FROM users WHERE id = %s\")\n",
    );
    let o = run_in(
        d,
        &[
            "check",
            "db/V2__drop.sql",
            "--stable-src",
            "old",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let email = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("users.email"))
        .unwrap();
    assert_eq!(email["severity"], "error");
    assert_eq!(email["related"][0]["file"], "old/app.py");
    assert_eq!(email["related"][0]["line"], 2);
    let nick = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("nickname"))
        .unwrap();
    assert_eq!(nick["severity"], "note", "{nick}");
    assert!(nick["message"]
        .as_str()
        .unwrap()
        .contains("no longer references"));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn suppressions_apply_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text, a text, b text);\n",
    );
    write(
        d,
        "db/V2__drop.sql",
        "-- canary-lint: ignore drop-column -- stable stopped using email in 4.2\n\
         ALTER TABLE users DROP COLUMN email;\n\
         -- canary-lint: ignore drop-column\n\
         ALTER TABLE users DROP COLUMN a;\n\
         -- canary-lint: ignore rename-table -- nothing to rename here\n\
         ALTER TABLE users DROP COLUMN b;\n",
    );
    let o = run_in(
        d,
        &[
            "check",
            "db",
            "--format",
            "compact",
            "--ignore",
            "missing-lock-timeout",
        ],
    );
    let out = stdout(&o);
    assert!(!out.contains(":2:"), "suppressed with a reason: {out}");
    assert!(
        out.contains("db/V2__drop.sql:3:1: warning:")
            && out.contains("[suppression-without-reason]"),
        "{out}"
    );
    assert!(
        !out.contains(":4:19: error"),
        "still suppressed without a reason: {out}"
    );
    assert!(out.contains("[unused-suppression]"), "{out}");
    assert!(out.contains("db/V2__drop.sql:6:19: error:"), "{out}");
}

/// A run over migrations alone does not load the config rule packs, yet still
/// knows their rule names: in `--ignore`, and in a suppression comment.
#[test]
fn config_rule_names_are_known_to_a_sql_only_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "-- canary-lint: ignore canary-auto-ddl -- a config rule, nothing to match here\nCREATE TABLE t (id int);\n",
    );
    let args = [
        "check",
        "db",
        "--format",
        "compact",
        "--ignore",
        "canary-auto-ddl",
    ];
    let o = run_in(d, &args);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("[unused-suppression]") && !out.contains("unknown rule"),
        "{out}"
    );
    let o = run_in(d, &["check", "db", "--ignore", "canary-auto-dd"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown rule `canary-auto-dd`"));
}

#[test]
fn select_ignore_and_rule_levels() {
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
        "ALTER TABLE users DROP COLUMN email;\nDROP TABLE users;\n",
    );
    let o = run_in(
        d,
        &[
            "check",
            "db",
            "--format",
            "compact",
            "--select",
            "drop-table",
        ],
    );
    assert!(
        stdout(&o).lines().all(|l| l.ends_with("[drop-table]")),
        "{}",
        stdout(&o)
    );
    let o = run_in(
        d,
        &[
            "check",
            "db",
            "--format",
            "compact",
            "--ignore",
            "drop-table,drop-column",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    write(
        d,
        "canary-lint.toml",
        "[rules]\ndrop-table = \"off\"\ndrop-column = \"warning\"\n",
    );
    let o = run_in(d, &["check", "db", "--format", "compact"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("warning:") && !out.contains("[drop-table]"),
        "{out}"
    );
    let o = run_in(d, &["check", "db", "--select", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Runs the hook's entry the way pre-commit does: on the staged files that match
/// the hook's `files` pattern.
#[test]
fn pre_commit_hook_entry_checks_staged_files() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("id: canary-lint"));
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .unwrap()
        .trim()
        .to_string();
    let files_start = hooks.find("files: >-").unwrap();
    let pattern: String = hooks[files_start + "files: >-".len()..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("");
    let pattern = pattern.replace("(?x)", "");
    let re = regex::Regex::new(&pattern).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(
        d,
        "db/migrations/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    commit_all(d, "init");
    write(
        d,
        "db/migrations/V2__rename.sql",
        "ALTER TABLE users RENAME COLUMN email TO mail;\n",
    );
    write(d, "README.md", "notes\n");
    git(d, &["add", "."]);
    let staged = Command::new("git")
        .args(["diff", "--cached", "--name-only"])
        .current_dir(d)
        .output()
        .unwrap();
    let files: Vec<String> = String::from_utf8(staged.stdout)
        .unwrap()
        .lines()
        .filter(|f| re.is_match(f))
        .map(str::to_string)
        .collect();
    assert_eq!(files, vec!["db/migrations/V2__rename.sql".to_string()]);
    let mut parts = entry.split_whitespace();
    assert_eq!(parts.next(), Some("canary-lint"));
    let mut args: Vec<String> = parts.map(str::to_string).collect();
    args.extend(files);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run_in(d, &args);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("rename-column"));
}

#[test]
fn init_writes_a_starter_file_with_detected_layout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "src/main/resources/db/migration/V1__init.sql",
        "CREATE TABLE t (id int);\n",
    );
    write(
        d,
        "src/main/resources/db/migration/V2__more.sql",
        "CREATE TABLE u (id int);\n",
    );
    let o = run_in(d, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(d.join("canary-lint.toml")).unwrap();
    assert!(
        text.contains("paths = [\"src/main/resources/db/migration\"]"),
        "{text}"
    );
    assert!(text.contains("flyway"), "{text}");
    // The starter file is valid settings.
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        run_in(d, &["init"]).status.code(),
        Some(2),
        "no overwrite without --force"
    );
}

/// Checks `db/V9__defaults.sql` (dropping the defaults of `people.nick` and
/// `people.code`) against `history`: only what the history knows tells that
/// `nick` is nullable (no finding) and `code` NOT NULL (a finding on line 3).
fn release_sees_history(history: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (path, text) in history {
        write(d, path, text);
    }
    write(
        d,
        "db/V9__defaults.sql",
        "SET lock_timeout = '1s';\nALTER TABLE people ALTER COLUMN nick DROP DEFAULT;\nALTER TABLE people ALTER COLUMN code DROP DEFAULT;\n",
    );
    let o = run_in(d, &["check", "db/V9__defaults.sql", "--format", "compact"]);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("db/V9__defaults.sql:3:20: error:") && out.contains("[drop-default]"),
        "{out}"
    );
}

/// A release of one file replays only the history that names what it touches,
/// following renames back: `people` was `users`.
#[test]
fn release_history_follows_renames() {
    release_sees_history(&[
        (
            "db/V1__init.sql",
            "CREATE TABLE users (id int PRIMARY KEY, nick text DEFAULT 'x', code text NOT NULL DEFAULT 'c');\nCREATE TABLE other (id int);\n",
        ),
        ("db/V2__rename.sql", "ALTER TABLE users RENAME TO people;\n"),
    ]);
}

/// History files are skipped when their text does not mention what the release
/// touches; the search ignores case, as unquoted SQL names do.
#[test]
fn release_history_is_found_in_any_case() {
    release_sees_history(&[
        (
            "db/V1__init.sql",
            "CREATE TABLE USERS (ID INT PRIMARY KEY, NICK TEXT DEFAULT 'x', CODE TEXT NOT NULL DEFAULT 'c');\n",
        ),
        ("db/V2__other.sql", "CREATE TABLE other (id int);\n"),
        ("db/V3__rename.sql", "ALTER TABLE Users RENAME TO People;\n"),
    ]);
}

/// Tables whose names are SQL keywords to some parser (`versions`, `items`,
/// `events`; crates.io's `versions` and `crates`) but not reserved in Postgres:
/// a release of one file still reads the history that creates them (it read
/// none, and said the migrations never create the table).
#[test]
fn release_history_is_found_for_tables_named_like_keywords() {
    for table in ["versions", "items", "events", "data"] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "db/V1__init.sql",
            &format!("CREATE TABLE {table} (id int PRIMARY KEY, nick text DEFAULT 'x', code text NOT NULL DEFAULT 'c');\n"),
        );
        write(
            d,
            "db/V2__defaults.sql",
            &format!("SET lock_timeout = '1s';\nALTER TABLE {table} ALTER COLUMN nick DROP DEFAULT;\nALTER TABLE {table} ALTER COLUMN code DROP DEFAULT;\n"),
        );
        let o = run_in(d, &["check", "db/V2__defaults.sql", "--format", "compact"]);
        let out = stdout(&o);
        assert_eq!(out.lines().count(), 1, "{table}: {out}");
        assert!(
            out.starts_with("db/V2__defaults.sql:3:") && out.contains("[drop-default]"),
            "{table}: {out}"
        );
        assert!(!out.contains("not known"), "{table}: {out}");
    }
}

/// A history file that cannot be read as UTF-8 is named with its line when a
/// release is checked against its folder; the release is still checked.
#[test]
fn release_with_an_unreadable_history_file_is_exit_2_and_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    let bad = d.join("db/V2__bad.sql");
    std::fs::write(&bad, b"CREATE TABLE x (id int);\n\xff\n").unwrap();
    write(
        d,
        "db/V3__drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    let o = run_in(d, &["check", "--format", "compact", "db/V3__drop.sql"]);
    assert_bad_file_and_others_checked(
        &o,
        "db/V2__bad.sql:2: not valid UTF-8",
        "db/V3__drop.sql:1:19: error:",
    );
}

#[test]
fn schema_diff_release_and_two_sets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/001_init.sql",
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, bio TEXT);\n",
    );
    write(
        d,
        "db/002_change.sql",
        "ALTER TABLE users CHANGE email email_address VARCHAR(100) NOT NULL;\nALTER TABLE users MODIFY bio VARCHAR(50);\nALTER TABLE users ADD COLUMN nick VARCHAR(20);\n",
    );
    let o = run_in(d, &["schema-diff", "db", "--dialect", "mysql"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("release: db/002_change.sql"), "{out}");
    assert!(
        out.contains("expand (safe for stable): 1") && out.contains("users.nick"),
        "{out}"
    );
    assert!(
        out.contains("contract (breaks stable while it runs): 2"),
        "{out}"
    );
    assert!(
        out.contains("users.email_address: column renamed from `email`"),
        "{out}"
    );

    let o = run_in(
        d,
        &[
            "schema-diff",
            "db",
            "--dialect",
            "mysql",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["expand"].as_array().unwrap().len(), 1);
    let contract: Vec<&str> = v["contract"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["object"].as_str().unwrap())
        .collect();
    assert_eq!(contract, ["users.bio", "users.email_address"]);

    // Two checkouts: stable's migrations and the canary's.
    write(d, "old/001_init.sql", "CREATE TABLE t (id int, a text);\n");
    write(d, "new/001_init.sql", "CREATE TABLE t (id int, a text);\n");
    write(
        d,
        "new/002_drop.sql",
        "ALTER TABLE t DROP COLUMN a;\nCREATE TABLE u (id int);\n",
    );
    let o = run_in(d, &["schema-diff", "old", "new", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["contract"][0]["object"], "t.a");
    assert_eq!(v["expand"][0]["object"], "u");
    assert_eq!(
        run_in(d, &["schema-diff", "nowhere"]).status.code(),
        Some(2)
    );
}

#[test]
fn mysql_change_with_the_same_type_is_a_rename_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/001_init.sql",
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL);\n",
    );
    write(d, "db/002_change.sql", "SET SESSION lock_wait_timeout = 5;\nALTER TABLE users CHANGE email email_address VARCHAR(100) NOT NULL;\n");
    let o = run_in(
        d,
        &["check", "db", "--dialect", "mysql", "--format", "compact"],
    );
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("[rename-column]"), "{out}");
}

#[test]
fn diff_never_prints_secrets_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "stable.properties", "spring.datasource.url=jdbc:postgresql://db/shop\nspring.datasource.password=hunter2-stable\napi.token=tok-AAA\n");
    write(d, "canary.env", "SPRING_DATASOURCE_URL=jdbc:postgresql://db/shop\nSPRING_DATASOURCE_PASSWORD=hunter2-canary\nAPI_TOKEN=tok-BBB\n");
    for format in ["human", "compact", "json", "sarif", "github", "junit"] {
        let o = run_in(
            d,
            &[
                "diff",
                "stable.properties",
                "canary.env",
                "--format",
                format,
            ],
        );
        let all = format!("{}{}", stdout(&o), stderr(&o));
        for secret in ["hunter2", "tok-AAA", "tok-BBB"] {
            assert!(!all.contains(secret), "{format} printed {secret}:\n{all}");
        }
        // Only the passwords differ: a rotated credential is a note, not a mismatch.
        assert_eq!(
            o.status.code(),
            Some(0),
            "only the passwords differ ({format}): {all}"
        );
    }
    let o = run_in(d, &["diff", "stable.properties", "canary.env"]);
    let out = stdout(&o);
    assert!(
        out.contains("--- stable") && out.contains("+++ canary"),
        "the unified diff follows: {out}"
    );
}

#[test]
fn malformed_config_is_exit_2_with_file_and_line_and_other_pairs_still_compared() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a/stable.yaml",
        "logging:\n  pattern:\n    console: \"%d %msg\"\n",
    );
    write(
        d,
        "a/canary.yaml",
        "logging:\n  pattern:\n    console: [unclosed\n",
    );
    write(
        d,
        "b/stable.properties",
        "eureka.client.service-url.defaultZone=http://prod/eureka\n",
    );
    write(
        d,
        "b/canary.properties",
        "eureka.client.service-url.defaultZone=http://staging/eureka\n",
    );
    write(
        d,
        "canary-lint.toml",
        "[[config.pairs]]\nstable = \"a/stable.yaml\"\ncanary = \"a/canary.yaml\"\n\n[[config.pairs]]\nstable = \"b/stable.properties\"\ncanary = \"b/canary.properties\"\n",
    );
    let o = run_in(d, &["check", "--format", "compact"]);
    assert_bad_file_and_others_checked(
        &o,
        "a/canary.yaml:4:1: invalid YAML",
        "b/canary.properties:1:39: error:",
    );
}

#[test]
fn bad_user_pack_is_exit_2_naming_pack_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "packs/team.toml",
        "[[rule]]\nname = \"team-rule\"\nseverity = \"error\"\nsummary = \"s\"\nwhy = \"w\"\nhelp = \"h\"\nkeys = [\"a.b\"]\ncheck = \"sometimes\"\n",
    );
    write(d, "canary-lint.toml", "[packs]\npaths = [\"packs\"]\n");
    write(d, "db/V1__a.sql", "CREATE TABLE t (id int);\n");
    let o = run_in(d, &["check", "db"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("packs/team.toml:8:") && err.contains("sometimes"),
        "{err}"
    );
}

#[test]
fn config_suppression_with_hash_comment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "stable.properties", "logging.pattern.console=%d %msg\n");
    write(
        d,
        "canary.properties",
        "# canary-lint: ignore log-format-mismatch -- the pipeline reads both formats since PLAT-12\nlogging.pattern.console={\"ts\":\"%d\"}\n",
    );
    let o = run_in(
        d,
        &[
            "diff",
            "stable.properties",
            "canary.properties",
            "--format",
            "compact",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        !stdout(&o).contains("log-format-mismatch"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stable_ref_reads_a_git_revision_without_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    write(
        d,
        "app/repo.py",
        "def find(db):\n    return db.execute(\"SELECT email FROM users\")\n",
    );
    commit_all(d, "stable");
    git(d, &["tag", "v1"]);
    // The canary no longer reads the column and drops it.
    write(
        d,
        "app/repo.py",
        "def find(db):\n    return db.execute(\"SELECT id FROM users\")\n",
    );
    write(
        d,
        "db/V2__drop.sql",
        "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN email;\n",
    );
    let o = run_in(
        d,
        &[
            "check",
            "db/V2__drop.sql",
            "--stable-ref",
            "v1",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diag = &v["diagnostics"][0];
    assert_eq!(diag["rule"], "drop-column");
    assert_eq!(
        diag["severity"], "error",
        "stable v1 still reads users.email"
    );
    assert_eq!(diag["related"][0]["file"], "v1:app/repo.py");
    assert_eq!(diag["related"][0]["line"], 2);
    let o = run_in(
        d,
        &[
            "check",
            "db/V2__drop.sql",
            "--stable-src",
            "app",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["diagnostics"][0]["severity"], "note",
        "the canary's own tree no longer uses it"
    );
    assert_eq!(
        run_in(d, &["check", "db", "--stable-ref", "no-such"])
            .status
            .code(),
        Some(2)
    );
}

/// The README shows the demo's output; it must be what the binary prints.
#[test]
fn readme_shows_the_real_demo_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = "<!-- demo output";
    let start = readme.find(marker).unwrap();
    let block_start = readme[start..].find("```\n").unwrap() + start + 4;
    let block_end = readme[block_start..].find("\n```").unwrap() + block_start;
    let shown = &readme[block_start..block_end];
    let o = run(&["check", "testdata/demo"]);
    assert_eq!(stdout(&o).trim_end(), shown.trim_end());
}

/// `--verbose` lists what the schema model did not follow; the run goes on.
#[test]
fn verbose_lists_statements_the_model_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "db/V1__a.sql", "CREATE TABLE t (id int, a text);\n");
    write(
        d,
        "db/V2__b.sql",
        "CREATE INDEX CONCURRENTLY i ON missing_table (x);\n",
    );
    write(
        d,
        "db/V3__c.sql",
        "SET lock_timeout = '1s';\nALTER TABLE t DROP COLUMN a;\n",
    );
    let o = run_in(d, &["check", "db", "--verbose", "--format", "compact"]);
    let err = stderr(&o);
    assert!(
        err.contains("db/V2__b.sql:1:1: the schema model did not follow this statement: index on unknown table `missing_table`"),
        "{err}"
    );
    assert!(
        stdout(&o).contains("db/V3__c.sql:2:15: error:"),
        "replay went on: {}",
        stdout(&o)
    );
    let quiet = run_in(d, &["check", "db", "--format", "compact"]);
    assert!(!stderr(&quiet).contains("did not follow"));
}

/// `add-column-rewrite` was folded into `table-rewrite`: the old name still works
/// in a suppression, `--select`, `--ignore`, `[rules]` and `canary-lint rule`.
#[test]
fn the_former_add_column_rewrite_name_means_table_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let sql = "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n";
    let f = write(dir.path(), "001_token.sql", sql);
    let f = f.to_str().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "check",
            f,
            "--format",
            "compact",
            "--select",
            "add-column-rewrite",
        ],
    );
    assert!(stdout(&o).contains("[table-rewrite]"), "{}", stdout(&o));
    let o = run_in(
        dir.path(),
        &[
            "check",
            f,
            "--format",
            "compact",
            "--ignore",
            "add-column-rewrite",
        ],
    );
    assert!(!stdout(&o).contains("[table-rewrite]"), "{}", stdout(&o));
    write(
        dir.path(),
        "canary-lint.toml",
        "[rules]\nadd-column-rewrite = \"error\"\n",
    );
    let o = run_in(dir.path(), &["check", f, "--format", "compact"]);
    assert!(
        stdout(&o).contains("error: adding `token`"),
        "{}",
        stdout(&o)
    );
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_file(dir.path().join("canary-lint.toml")).unwrap();
    let suppressed =
        format!("-- canary-lint: ignore add-column-rewrite -- orders is a small table\n{sql}");
    let f2 = write(dir.path(), "002_token.sql", &suppressed);
    let o = run_in(
        dir.path(),
        &["check", f2.to_str().unwrap(), "--format", "compact"],
    );
    let out = stdout(&o);
    assert!(!out.contains("table-rewrite"), "{out}");
    assert!(!out.contains("unused-suppression"), "{out}");
    let o = run(&["rule", "add-column-rewrite"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with("# table-rewrite\n"),
        "{}",
        stdout(&o)
    );
}

// ---- Layouts of real repositories ----

/// `check <folder>` with no other flag: exit code and compact findings.
fn check_compact(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut a = vec!["check"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "compact"]);
    let o = run_in(dir, &a);
    (o.status.code(), stdout(&o), stderr(&o))
}

#[test]
fn layout_pop_folder_checks_only_the_chosen_dialect() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/pop"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("the `postgres` files were checked"), "{err}");
    assert!(
        out.contains("pop/20150100000002000000_drop_email.postgres.up.sql:1:19: error:")
            && out.contains("[drop-column]"),
        "{out}"
    );
    assert!(
        !out.contains(".mysql.") && !out.contains(".cockroach."),
        "{out}"
    );
    let (code, out, _) = check_compact(&root(), &["testdata/layouts/pop", "--dialect", "mysql"]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("drop_email.mysql.up.sql:1:21: error:"),
        "{out}"
    );
    assert!(!out.contains(".postgres."), "{out}");
}

#[test]
fn layout_dotted_versions_and_version_folders_are_ordered_by_version() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/dotted"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("dotted/V0010.Drop_Email.up.sql:1:19: error:"),
        "{out}"
    );
    assert!(!out.contains(".down.sql"), "{out}");
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/version-folders"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("version-folders/v1.10/a_drop_email.sql:1:19: error:")
            && out.contains("[drop-column]"),
        "{out}"
    );
}

#[test]
fn layout_unversioned_folder_is_checked_in_name_order_with_a_note() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/unversioned"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("no version in the file names; the 2 files were checked in name order"),
        "{err}"
    );
    assert!(
        out.contains("unversioned/drop_email.sql:1:19: error:"),
        "{out}"
    );
    // No SQL at all: the only case for "no migration files found".
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "db/README.md", "nothing here\n");
    let (code, _, err) = check_compact(dir.path(), &["db"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("db: no migration files found"), "{err}");
}

#[test]
fn layout_liquibase_xml_findings_point_at_the_change_element() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/liquibase"]);
    assert_eq!(code, Some(1), "{out}{err}");
    for want in [
        "liquibase/changes/002-contract.xml:4:27: error:",
        "[rename-column]",
        "liquibase/changes/002-contract.xml:10:27: error:",
        "[drop-column]",
        "[add-required-column]",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    // The rollback and the widening of `email` are not findings.
    assert!(
        !out.contains("down_marker") && !out.contains("[change-column-type]"),
        "{out}"
    );
}

#[test]
fn layout_liquibase_spring_boot_default_is_found_from_the_project_root() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/liquibase-yaml"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("db/changelog/changes/002-contract.yaml:6:30: error:")
            && out.contains("[drop-column]")
            && out.contains("[set-not-null]"),
        "{out}"
    );
    // runInTransaction: false takes the concurrent index out of a transaction.
    assert!(!out.contains("concurrent-index-in-transaction"), "{out}");
    assert!(!out.contains("down_marker"), "{out}");
}

#[test]
fn layout_liquibase_json_and_formatted_sql_check_each_changeset_against_the_ones_before() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/liquibase-json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("changelog.json:24:39: error:") && out.contains("[rename-table]"),
        "{out}"
    );
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/liquibase-sql"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("changelog.sql:8:22: error:") && out.contains("[drop-column]"),
        "{out}"
    );
    // Changeset 3 opts out of the transaction, changeset 4 does not.
    assert!(out.contains("changelog.sql:15:1: warning:"), "{out}");
    assert!(!out.contains("changelog.sql:12:"), "{out}");
    assert!(!out.contains("down_marker"), "{out}");
}

#[test]
fn dialect_comes_from_a_path_component_and_mariadb_is_accepted() {
    let (code, out, err) = check_compact(&root(), &["testdata/layouts/dialect-path"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("dialect-path/mysql/2_rename.sql:1:19: error:")
            && out.contains("[rename-column]"),
        "{out}"
    );
    assert!(!out.contains("unparsed-statement"), "{out}");
    let (code, out, err) = check_compact(
        &root(),
        &[
            "testdata/layouts/dialect-path/mysql",
            "--dialect",
            "mariadb",
        ],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("[rename-column]"), "{out}");
}

#[test]
fn migration_at_the_working_directory_root_does_not_hide_stable_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "drop.sql", "ALTER TABLE users DROP COLUMN email;\n");
    write(d, "src/app.py", "q = \"SELECT email FROM users\"\n");
    let o = run_in(
        d,
        &[
            "check",
            "drop.sql",
            "--stable-src",
            "src",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d0 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "drop-column")
        .unwrap();
    // Not downgraded: stable's tree was searched and still names the column.
    assert_ne!(d0["severity"], "note", "{v}");
    assert_eq!(d0["related"][0]["file"], "src/app.py", "{v}");
    assert!(d0["message"]
        .as_str()
        .unwrap()
        .contains("stable still references `users.email` in 1 place"));
}

#[test]
fn no_file_searched_keeps_the_severity_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "db/1_drop.sql", "ALTER TABLE users DROP COLUMN email;\n");
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let (_, out, err) = check_compact(d, &["db", "--stable-src", "empty"]);
    let line = out
        .lines()
        .find(|l| l.contains("[drop-column]"))
        .unwrap_or_else(|| panic!("{out}{err}"));
    assert!(!line.contains(": note:"), "{line}");
    assert!(
        line.contains("no file of stable's code was searched"),
        "{line}"
    );
}

#[test]
fn named_file_is_never_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Not a Flyway folder: `update__prices.sql` is a migration like any other.
    write(
        d,
        "sql/update__prices.sql",
        "ALTER TABLE prices DROP COLUMN amount;\n",
    );
    let (_, out, err) = check_compact(d, &["sql/update__prices.sql"]);
    assert!(
        out.contains("update__prices.sql:1:20:") && out.contains("[drop-column]"),
        "{out}{err}"
    );
    // A Flyway undo script named explicitly: skipped, and said so.
    write(d, "db/V1__init.sql", "CREATE TABLE t (a int, b int);\n");
    write(d, "db/V2__drop.sql", "ALTER TABLE t DROP COLUMN b;\n");
    write(d, "db/U2__drop.sql", "ALTER TABLE t ADD COLUMN b int;\n");
    let (code, out, err) = check_compact(d, &["db/U2__drop.sql"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("db/U2__drop.sql: skipped: a Flyway undo script"),
        "{err}"
    );
}

/// A pop folder with Go-templated table names: `users` created, then its `email`
/// dropped (after `prefix` on the drop's file).
fn write_templated_migrations(d: &Path, prefix: &str) {
    write(
        d,
        "migrations/1_init.up.sql",
        "CREATE TABLE {{ index .Options \"Namespace\" }}.users (id uuid, email text);\n",
    );
    write(
        d,
        "migrations/2_drop.up.sql",
        &format!(
            "{prefix}ALTER TABLE {{{{ index .Options \"Namespace\" }}}}.users DROP COLUMN email;\n"
        ),
    );
}

#[test]
fn go_templated_migrations_are_parsed_with_placeholders_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_templated_migrations(d, "{{ if .Debug }}{{ end }}\n");
    let (code, out, err) = check_compact(d, &["migrations"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("migrations/2_drop.up.sql:2:52: error:") && out.contains("[drop-column]"),
        "{out}"
    );
    assert!(!out.contains("unparsed-statement"), "{out}");
    // Messages name the table as the file writes it.
    assert!(
        out.contains("`{{ index .Options \"Namespace\" }}.users.email`"),
        "{out}"
    );
}

#[test]
fn template_names_stay_as_written_in_the_stable_search_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_templated_migrations(d, "");
    write(d, "src/app.py", "db.execute('SELECT email FROM users')\n");
    let (code, out, err) = check_compact(d, &["migrations", "--stable-src", "src"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("[drop-column]"), "{out}");
    // The text the stable search appends names the table as the file writes it too,
    // never the identifier that stood in for the placeholder while parsing.
    assert!(!out.contains("indexoptions"), "{out}");
    assert!(out.contains("stable still references"), "{out}");
}

#[test]
fn ddl_inside_a_do_block_is_found_by_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/1_init.sql",
        "CREATE TABLE users (id int, name text);\n",
    );
    write(
        d,
        "db/2_rename.sql",
        "DO $$\nBEGIN\n  ALTER TABLE users RENAME COLUMN name TO full_name;\nEND\n$$;\n",
    );
    let (code, out, err) = check_compact(d, &["db"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("db/2_rename.sql:3:21: error:") && out.contains("[rename-column]"),
        "{out}"
    );
    let o = run_in(d, &["check", "db", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rename = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "rename-column")
        .unwrap();
    assert_eq!(rename["found_by_scan"], true, "{rename}");
    assert_eq!(rename["line"], 3, "{rename}");
}

#[test]
fn diesel_metadata_toml_takes_a_migration_out_of_its_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "migrations/2024-01-01-000000_init/up.sql",
        "CREATE TABLE t (a int);\n",
    );
    write(
        d,
        "migrations/2024-01-01-000000_init/down.sql",
        "DROP TABLE t;\n",
    );
    write(
        d,
        "migrations/2024-02-01-000000_idx/up.sql",
        "CREATE INDEX CONCURRENTLY t_a ON t (a);\n",
    );
    write(
        d,
        "migrations/2024-03-01-000000_idx2/up.sql",
        "CREATE INDEX CONCURRENTLY t_a2 ON t (a);\n",
    );
    write(
        d,
        "migrations/2024-02-01-000000_idx/metadata.toml",
        "run_in_transaction = false\n",
    );
    let (_, out, err) = check_compact(d, &["migrations"]);
    assert!(!out.contains("2024-02-01-000000_idx/up.sql"), "{out}{err}");
    assert!(
        out.contains("2024-03-01-000000_idx2/up.sql:1:1: warning:")
            && out.contains("[concurrent-index-in-transaction]"),
        "{out}"
    );
}

#[test]
fn pre_commit_history_reaches_into_migration_folders_and_stops_at_the_named_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "migrations/2024-01-01-000000_init/up.sql",
        "CREATE TABLE users (id int, bio varchar(512));\n",
    );
    write(
        d,
        "migrations/2024-02-01-000000_widen/up.sql",
        "ALTER TABLE users ALTER COLUMN bio TYPE varchar(2000);\n",
    );
    // After the named file: not its history.
    write(
        d,
        "migrations/2024-03-01-000000_later/up.sql",
        "ALTER TABLE users ALTER COLUMN bio TYPE int USING 0;\n",
    );
    let (code, out, err) = check_compact(d, &["migrations/2024-02-01-000000_widen/up.sql"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!out.contains("not known"), "{out}");
    // Prisma, and a file named from inside its own folder.
    write(
        d,
        "prisma/migrations/20240101000000_init/migration.sql",
        "CREATE TABLE t (a varchar(10));\n",
    );
    write(
        d,
        "prisma/migrations/20240201000000_w/migration.sql",
        "ALTER TABLE t ALTER COLUMN a TYPE varchar(20);\n",
    );
    let (code, out, err) = check_compact(d, &["prisma/migrations/20240201000000_w/migration.sql"]);
    assert_eq!(code, Some(0), "{out}{err}");
    write(d, "flat/1_init.sql", "CREATE TABLE t (a varchar(10));\n");
    write(
        d,
        "flat/2_w.sql",
        "ALTER TABLE t ALTER COLUMN a TYPE varchar(20);\n",
    );
    let (code, out, err) = check_compact(&d.join("flat"), &["2_w.sql"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!out.contains("not known"), "{out}");
}

#[test]
fn liquibase_changelog_named_on_the_command_line_gets_its_master_history() {
    let (code, out, err) = check_compact(
        &root(),
        &["testdata/layouts/liquibase-yaml/src/main/resources/db/changelog/changes/002-contract.yaml"],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("src/main/resources/db/changelog/changes/002-contract.yaml:6:30: error:")
            && out.contains("[drop-column]"),
        "{out}"
    );
    // Shown on the changelog as written, not on the SQL made from it.
    let o = run(&["check", "testdata/layouts/liquibase", "--color", "never"]);
    let out = stdout(&o);
    assert!(out.contains("<renameColumn tableName=\"users\""), "{out}");
}
