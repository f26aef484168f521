//! Hostile input, end to end through the real binary: the repository is written by
//! whoever opens the pull request and the CI log is public. Each test is the regression
//! test of one attack: secrets never printed, paths from `canary-lint.toml` confined to
//! the repository, special files refused, no crash, no silent pass.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::{git, stderr, stdout, write, BIN};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    common::command(dir, args)
        .env("CANARY_HOSTILE_PROBE", "probe-9f3c1d2e7a")
        .stdin(Stdio::null())
        .output()
        .unwrap()
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

fn history_and(d: &Path, release: &[u8]) {
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    std::fs::write(d.join("db/V2__release.sql"), release).unwrap();
}

fn compact(d: &Path) -> (Option<i32>, String) {
    let o = run_in(d, &["check", "db", "--format", "compact"]);
    (o.status.code(), stdout(&o))
}

#[test]
fn bom_does_not_hide_the_first_statement_and_positions_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    history_and(
        dir.path(),
        b"\xef\xbb\xbfALTER TABLE users DROP COLUMN email;\n",
    );
    let (code, out) = compact(dir.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("db/V2__release.sql:1:19: error:") && out.contains("[drop-column]"),
        "{out}"
    );
    assert!(!out.contains("unparsed-statement"), "{out}");
}

#[test]
fn lone_cr_ends_a_line_comment_as_postgres_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    history_and(
        dir.path(),
        b"SELECT 1; -- harmless\rALTER TABLE users DROP COLUMN email;\r\nSELECT 2;\n",
    );
    let (code, out) = compact(dir.path());
    assert_eq!(code, Some(1), "{out}");
    // The lone CR is a line end: the DROP is on line 2, in every format.
    assert!(out.contains("db/V2__release.sql:2:19: error:"), "{out}");
    let o = run_in(dir.path(), &["check", "db", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let drop = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "drop-column")
        .unwrap();
    assert_eq!(
        (drop["line"].as_u64(), drop["column"].as_u64()),
        (Some(2), Some(19))
    );
    let human = stdout(&run_in(dir.path(), &["check", "db"]));
    assert!(human.contains("db/V2__release.sql:2:19"), "{human}");
}

#[test]
fn unterminated_block_comment_is_reported_where_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    history_and(
        dir.path(),
        b"SELECT 1;\n  /* never closed\nALTER TABLE users DROP COLUMN email;\n",
    );
    let (code, out) = compact(dir.path());
    assert!(
        out.contains("db/V2__release.sql:2:3: warning:")
            && out.contains("unterminated block comment"),
        "{out}"
    );
    assert_eq!(code, Some(0), "{out}");
    let o = run_in(dir.path(), &["check", "db", "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn unterminated_string_is_reported_where_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    history_and(
        dir.path(),
        b"SELECT 1;\nSELECT 'abc\nALTER TABLE users DROP COLUMN email;\n",
    );
    let (_, out) = compact(dir.path());
    assert!(out.contains("db/V2__release.sql:2:8: warning:"), "{out}");
}

#[test]
fn migration_name_that_is_not_utf8_is_named_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/V1__init.sql",
        "CREATE TABLE users (id int, email text);\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"V2__\xff.sql");
        std::fs::write(
            d.join("db").join(name),
            "ALTER TABLE users DROP COLUMN email;\n",
        )
        .unwrap();
        let o = run_in(d, &["check", "db", "--format", "compact"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));
        assert!(stdout(&o).contains("[drop-column]"), "{}", stdout(&o));
    }
}

#[test]
fn discovery_follows_the_whole_tree_and_respects_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let deep = "a/b/c/d/e/f/g/h/i/db";
    write(
        d,
        &format!("{deep}/V1__init.sql"),
        "CREATE TABLE users (id int, email text);\n",
    );
    write(
        d,
        &format!("{deep}/V2__drop.sql"),
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    write(
        d,
        "ignored/db/V1__init.sql",
        "CREATE TABLE t (id int, x int);\n",
    );
    write(
        d,
        "ignored/db/V2__drop.sql",
        "ALTER TABLE t DROP COLUMN x;\n",
    );
    write(d, ".gitignore", "ignored/\n");
    let o = run_in(d, &["check", ".", "--format", "compact"]);
    let out = stdout(&o);
    assert!(
        out.contains(&format!("{deep}/V2__drop.sql:1:19: error:")),
        "{out}"
    );
    assert!(!out.contains("ignored/"), "{out}");
}

#[test]
fn diff_of_directories_reports_a_bad_file_and_compares_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "s/app.properties",
        "spring.datasource.url=jdbc:postgresql://db/shop\n",
    );
    write(
        d,
        "c/app.properties",
        "spring.datasource.url=jdbc:postgresql://other/shop\n",
    );
    write(d, "c/broken.yaml", "a: [1, 2\n");
    let o = run_in(d, &["diff", "s", "c", "--format", "compact"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("c/broken.yaml:"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("[database-target-mismatch]"),
        "{}",
        stdout(&o)
    );
}

// ---- 3. No crash, no hang ---------------------------------------------------------------

#[test]
fn finding_past_column_65536_renders_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut sql = " ".repeat(70_000).into_bytes();
    sql.extend_from_slice(b"ALTER TABLE users DROP COLUMN email;\n");
    history_and(dir.path(), &sql);
    for fmt in ALL_FORMATS {
        let o = run_in(dir.path(), &["check", "db", "--format", fmt]);
        assert_eq!(o.status.code(), Some(1), "{fmt}: {}", stderr(&o));
        assert!(stdout(&o).contains("70019"), "{fmt}");
    }
}

#[test]
fn long_operator_chains_are_reported_not_a_stack_overflow() {
    for (op, n) in [
        (" AND ", 40_000),
        (" OR ", 40_000),
        (" + ", 40_000),
        (" || ", 40_000),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let chain = vec!["id = 1"; n].join(op);
        let sql = format!(
            "UPDATE users SET id = 1 WHERE {chain};\nALTER TABLE users DROP COLUMN email;\n"
        );
        history_and(dir.path(), sql.as_bytes());
        let (code, out) = compact(dir.path());
        assert_eq!(code, Some(1), "{op}");
        assert!(out.contains("too deeply nested"), "{op}: {out}");
        assert!(out.contains("db/V2__release.sql:2:19: error:"), "{op}");
    }
    let dir = tempfile::tempdir().unwrap();
    let sql = format!("SELECT 1 {};\n", vec!["UNION SELECT 1"; 40_000].join(" "));
    history_and(dir.path(), sql.as_bytes());
    let (code, out) = compact(dir.path());
    assert_eq!(code, Some(0));
    assert!(out.contains("too deeply nested"), "{out}");
}

#[test]
fn yaml_alias_bomb_and_deep_nesting_are_errors_not_memory_or_stack() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for n in "bcdefghi".chars() {
        bomb.push_str(&format!(
            "{n}: &{n} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
        prev = n;
    }
    assert!(bomb.len() < 800);
    write(d, "bomb.yaml", &bomb);
    write(
        d,
        "deep.yaml",
        &format!("a: {}{}\n", "[".repeat(7000), "]".repeat(7000)),
    );
    let block: String = (0..600).map(|i| format!("{}-\n", "  ".repeat(i))).collect();
    write(d, "deep-block.yaml", &block);
    write(d, "ok.yaml", "a: 1\n");
    for (f, want) in [
        ("bomb.yaml", "aliases expand to more than"),
        ("deep.yaml", "invalid YAML"),
        ("deep-block.yaml", "nested deeper than"),
    ] {
        let o = run_in(d, &["diff", "ok.yaml", f]);
        assert_eq!(o.status.code(), Some(2), "{f}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{f}: {}", stderr(&o));
    }
}

#[test]
fn yaml_merge_keys_are_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base =
        "defaults: &d\n  url: jdbc:postgresql://db/shop\nspring:\n  datasource:\n    <<: *d\n";
    write(d, "stable.yaml", base);
    write(d, "canary.yaml", &base.replace("db/shop", "elsewhere/shop"));
    let o = run_in(
        d,
        &["diff", "stable.yaml", "canary.yaml", "--format", "compact"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("`spring.datasource.url` differs")
            && stdout(&o).contains("[database-target-mismatch]"),
        "{}",
        stdout(&o)
    );
}

/// Runs a command whose reader goes away at once: no panic (exit 101), no abort.
fn closed_pipe(d: &Path, args: &[&str]) -> Option<i32> {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(d)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    o.status.code()
}

#[test]
fn every_command_survives_a_closed_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    history_and(d, b"ALTER TABLE users DROP COLUMN email;\n");
    let many: String = (0..5000).map(|i| format!("k{i}=v{i}\n")).collect();
    write(d, "a.properties", &many);
    write(d, "b.properties", &many.replace("=v", "=w"));
    for args in [
        &["rules"][..],
        &["rules", "--json"],
        &["rule", "drop-column"],
        &["schema-diff", "db"],
        &["diff", "a.properties", "b.properties"],
        &["check", "db"],
    ] {
        let code = closed_pipe(d, args);
        assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?}");
    }
}

#[test]
fn parser_messages_never_quote_a_string_literal() {
    let dir = tempfile::tempdir().unwrap();
    history_and(
        dir.path(),
        b"INSERT INTO users VALUES ('hunter2-literal' 'x' garbage;\nSELECT \"quoted-secret\" \"y\" oops;\n",
    );
    for fmt in ALL_FORMATS {
        let o = run_in(dir.path(), &["check", "db", "--format", fmt]);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("unparsed-statement"), "{fmt}: {all}");
        for m in all.lines().filter(|l| l.contains("could not read")) {
            assert!(
                !m.contains("hunter2-literal") && !m.contains("quoted-secret"),
                "{fmt}: {m}"
            );
        }
    }
}

#[test]
fn sql_passwords_never_reach_a_snippet() {
    let dir = tempfile::tempdir().unwrap();
    history_and(
        dir.path(),
        b"CREATE ROLE app LOGIN PASSWORD 'rolepw-Zq81';\nALTER USER app WITH PASSWORD 'rolepw-Zq82';\nALTER TABLE users DROP COLUMN email;\n",
    );
    for fmt in ALL_FORMATS {
        let o = run_in(
            dir.path(),
            &["check", "db", "--format", fmt, "--fail-on", "never"],
        );
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!all.contains("rolepw"), "{fmt}: {all}");
    }
}

#[cfg(unix)]
#[test]
fn rule_pack_or_migration_path_linked_to_a_device_is_refused_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::os::unix::fs::symlink("/dev/zero", d.join("pack.toml")).unwrap();
    std::os::unix::fs::symlink("/dev", d.join("devdir")).unwrap();
    for (text, key) in [
        ("[packs]\npaths = [\"pack.toml\"]\n", "packs.paths"),
        ("[migrations]\npaths = [\"devdir\"]\n", "migrations.paths"),
        ("[manifests]\npaths = [\"/etc\"]\n", "manifests.paths"),
    ] {
        write(d, "canary-lint.toml", text);
        let o = run_in(d, &["check"]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(
            stderr(&o).contains(key) && stderr(&o).contains("canary-lint.toml:2:"),
            "{text}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn configmap_quoted_escaped_and_folded_secrets_are_masked_on_their_own_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cm = |v: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n\
             db.password: 'it''s-{v}-Qz1'\n  \
             api.token: \"{v}\\u0041-Qz2\\t\"\n  \
             other.secret: >\n    {v}-folded-Qz3\n    second-line-Qz4\n  \
             tls.key: |\n    {v}-literal-Qz5\n  \
             spring.datasource.url: jdbc:postgresql://{v}-host/shop\n"
        )
        .replace("data:\ndb", "data:\n  db")
    };
    write(d, "stable.yaml", &cm("stable"));
    write(d, "canary.yaml", &cm("canary"));
    for fmt in ALL_FORMATS {
        let o = run_in(d, &["diff", "stable.yaml", "canary.yaml", "--format", fmt]);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert_eq!(o.status.code(), Some(1), "{fmt}: {all}");
        for secret in [
            "Qz1",
            "Qz2",
            "Qz3",
            "Qz4",
            "Qz5",
            "s-stable",
            "s-canary",
            "stable\\u0041",
            "stableA",
        ] {
            assert!(!all.contains(secret), "{fmt} printed {secret}:\n{all}");
        }
        // The URL (not a secret) is still shown where a finding quotes it.
        if *fmt == "compact" {
            assert!(all.contains("jdbc:postgresql://canary-host/shop"), "{all}");
        }
    }
}

/// A literal that reads like a secret (`'top secret'`) followed later by another
/// literal once made the secret mask take the SQL between them for a password:
/// the DROP was turned into stars and passed unchecked. Secrets are masked only
/// inside one literal or comment now, so the DROP is read and reported, and the
/// password of a role is still masked.
#[test]
fn a_secret_looking_literal_never_hides_the_statements_after_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "migrations/001_init.sql",
        "CREATE TABLE users (id int, note text);\n",
    );
    write(
        dir.path(),
        "migrations/002_hide.sql",
        "UPDATE users SET note = 'top secret' WHERE id = 1;\nALTER TABLE users DROP COLUMN note;\nCREATE ROLE app PASSWORD 'Hunter2-role-pw';\nUPDATE users SET note = 'x' WHERE id = 2;\n",
    );
    for format in ["human", "compact", "json"] {
        let o = run_in(dir.path(), &["check", "migrations", "--format", format]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{format}: {out}{}", stderr(&o));
        assert!(out.contains("drop-column"), "{format}: {out}");
        assert!(!out.contains("unparsed-statement"), "{format}: {out}");
        assert!(!out.contains("Hunter2-role-pw"), "{format}: {out}");
    }
}

/// Terraform read for weighted DNS records: attributes named like secrets are
/// masked in every format, and a value the SQL secret pattern would once have
/// mis-masked (`"x-Secret"`) no longer makes the file unreadable.
#[test]
fn terraform_secret_attributes_are_masked_and_the_file_still_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "dns.tf",
        "resource \"aws_route53_record\" \"shop_stable\" {\n  name = \"shop.example.com\"\n  set_identifier = \"stable\"\n  weighted_routing_policy {\n    weight = 90\n  }\n}\nresource \"aws_route53_record\" \"shop_canary\" {\n  name = \"shop.example.com\"\n  note = \"x-Secret\"\n  set_identifier = \"canary\"\n  db_password = \"Zq9-hunter2-Secret\"\n  weighted_routing_policy {\n    password = \"hunter4pass\"\n    weight = 10\n  }\n}\n",
    );
    for format in ["human", "compact", "json", "sarif", "github", "junit"] {
        let o = run_in(dir.path(), &["check", "dns.tf", "--format", format]);
        let out = format!("{}{}", stdout(&o), stderr(&o));
        assert!(out.contains("dns-weighted-canary"), "{format}: {out}");
        assert!(!out.contains("malformed"), "{format}: {out}");
        assert!(!out.contains("hunter"), "{format}: {out}");
    }
}
