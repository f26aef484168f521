//! Property-based fuzzing of every input canary-lint reads: SQL in all five dialects,
//! config files in every format, YAML (the layer the manifests engine reads through),
//! traffic manifests, and `canary-lint.toml`. Inputs are built from the pieces hostile
//! text is made of (quotes, comments, dollar tags, `\r`, BOMs, deep brackets, anchors and
//! aliases, merge keys, escapes) plus arbitrary text. Properties: no panic, no hang, an
//! exit code of 0, 1 or 2 for the binary, and no secret in any output.
//!
//! CI runs a bounded number of cases per target (`CANARY_FUZZ_CASES`, default 48); run
//! longer with e.g. `CANARY_FUZZ_CASES=20000 cargo test --release --test fuzz`.
#![allow(clippy::unwrap_used)]

use canary_lint_config::{diff_text, listing, load_str, ConfigFormat};
use canary_lint_core::SourceFile;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_canary-lint");

fn config() -> Config {
    let cases = std::env::var("CANARY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

/// Text made of `pieces` and arbitrary characters, up to `max` pieces.
fn text_of(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => "[ -~\u{a0}-\u{2ff}\t\r\n]{0,6}",
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

const SQL_PIECES: &[&str] = &[
    "CREATE TABLE t (id int, x text);",
    "ALTER TABLE t ",
    "DROP COLUMN x",
    "RENAME COLUMN x TO y",
    "ADD COLUMN z int NOT NULL",
    "DROP TABLE t;",
    "CREATE INDEX i ON t (x);",
    "UPDATE t SET x = 1",
    "DELETE FROM t",
    " WHERE ",
    " AND ",
    " OR ",
    " + ",
    " || ",
    " UNION SELECT 1",
    "SELECT ",
    ";",
    "(",
    ")",
    "'",
    "''",
    "\"",
    "`",
    "[",
    "]",
    "$$",
    "$tag$",
    "E'\\'",
    "--",
    "-- canary-lint: ignore drop-column -- r\n",
    "/*",
    "*/",
    "#",
    "\r",
    "\r\n",
    "\n",
    "\u{feff}",
    "é",
    "𝄞",
    "DELIMITER //\n",
    "//",
    "BEGIN",
    "END",
    "-- +goose Up\n",
    "-- +goose StatementBegin\n",
    "-- +goose Down\n",
    "-- migrate:up\n",
    "CREATE ROLE r PASSWORD 'pw-Zq81x';",
    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;",
    "ALTER TYPE e ADD VALUE 'v';",
    "SET lock_timeout = '1s';",
    "GO\n",
    "0x1F",
    "1e99",
    "?",
    "$1",
    ":name",
];

const DIALECTS: &[&str] = &["postgres", "mysql", "sqlite", "mssql", "generic"];

/// Runs the binary with `stdin` as input; returns the exit code and all output.
fn run_stdin(args: &[&str], stdin: &[u8]) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A write error only means the binary stopped reading early.
    let _ = input.write_all(stdin);
    drop(input);
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn assert_ran(code: Option<i32>, out: &str) {
    assert!(
        matches!(code, Some(0..=2)),
        "exit {code:?} (a panic or a signal):\n{out}"
    );
    assert!(!out.contains("panicked"), "{out}");
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sql_in_every_dialect(sql in text_of(SQL_PIECES, 40), d in 0..DIALECTS.len()) {
        let (code, out) = run_stdin(
            &["check", "-", "--stdin-filename", "fuzz.sql", "--dialect", DIALECTS[d], "--format", "json"],
            sql.as_bytes(),
        );
        assert_ran(code, &out);
        prop_assert!(!out.contains("pw-Zq81x"), "a SQL password was printed:\n{out}");
    }

    #[test]
    fn sql_human_output(sql in text_of(SQL_PIECES, 30)) {
        let (code, out) = run_stdin(&["check", "-", "--stdin-filename", "fuzz.sql"], sql.as_bytes());
        assert_ran(code, &out);
        prop_assert!(!out.contains("pw-Zq81x"), "a SQL password was printed:\n{out}");
    }
}

const YAML_PIECES: &[&str] = &[
    "a: ",
    "b:\n",
    "  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "&x ",
    "*x",
    "&y ",
    "*y",
    "<<: *x\n",
    "<<: [*x, *y]\n",
    "'",
    "''",
    "\"",
    "\\t",
    "\\u0041",
    "\\",
    "|\n",
    ">\n",
    "|-\n",
    "---\n",
    "...\n",
    "# c\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "~",
    "null",
    "!!str ",
    "!tag ",
    "? ",
    "%YAML 1.2\n",
    "\u{feff}",
    "password: &pw Zq8SECRETxK1\n",
    "copy: *pw\n",
    "spring:\n  datasource:\n    url: jdbc:x\n",
    "apiVersion: v1\nkind: ConfigMap\ndata:\n",
    "  app.yaml: |\n    k: v\n",
];

const FLAT_PIECES: &[&str] = &[
    "a.b=1\n",
    "A_B=2\n",
    "key = value\n",
    "k: v\n",
    "k=\\\n  cont\n",
    "\\u00e9",
    "\\uZZZZ",
    "#---\n",
    "!---\n",
    "# c\n",
    "! c\n",
    "=",
    ":",
    " ",
    "\t",
    "\"",
    "'",
    "`",
    "$",
    "${X}",
    "export ",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "é",
    "{",
    "}",
    "[",
    "]",
    "[[t]]\n",
    "[t]\n",
    "\"k\" = \"v\"\n",
    "x = 1979-05-27\n",
    ",",
    "true",
    "null",
    "1e400",
    "-0",
    "password=Zq8SECRETxK1\n",
    "DB_PASSWORD=Zq8SECRETxK1\n",
];

const FORMATS: &[ConfigFormat] = &[
    ConfigFormat::Properties,
    ConfigFormat::SpringYaml,
    ConfigFormat::Kubernetes,
    ConfigFormat::Dotenv,
    ConfigFormat::Json,
    ConfigFormat::Toml,
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn config_files_of_every_format(
        text in prop_oneof![text_of(YAML_PIECES, 40), text_of(FLAT_PIECES, 40)],
        other in text_of(FLAT_PIECES, 10),
        f in 0..FORMATS.len(),
    ) {
        let format = FORMATS[f];
        if let Ok(cfg) = load_str("fuzz", &text, format) {
            // Spans stay inside the (masked) text and on character boundaries.
            for e in &cfg.entries {
                let t: &str = &cfg.files[e.file].text;
                for s in [e.key_span, e.value_span] {
                    prop_assert!(s.start <= s.end && s.end <= t.len(), "{s:?} in {}", t.len());
                    prop_assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
                }
            }
            let empty = load_str("other", &other, ConfigFormat::Properties)
                .unwrap_or_default();
            let shown = format!(
                "{}{}{}",
                listing(&cfg),
                diff_text(&empty, &cfg),
                cfg.files.iter().map(|f| f.text.to_string()).collect::<String>()
            );
            prop_assert!(!shown.contains("Zq8SECRETxK1"), "secret shown:\n{shown}");
        }
    }

    #[test]
    fn yaml_layer_is_bounded(text in text_of(YAML_PIECES, 60)) {
        // Whatever the nodes, the reader returns (an error or a tree) without panicking.
        let _ = canary_lint_config::yaml::parse_nodes(&text);
    }

    #[test]
    fn traffic_manifests(text in text_of(YAML_PIECES, 40)) {
        let manifest = format!("apiVersion: networking.istio.io/v1\nkind: VirtualService\n{text}");
        let file = SourceFile::new("fuzz.yaml", manifest);
        let _ = canary_lint_manifests::check(
            std::slice::from_ref(&file),
            &canary_lint_manifests::Settings::default(),
        );
    }
}

const TOML_PIECES: &[&str] = &[
    "dialect = \"postgres\"\n",
    "dialect = \"nope\"\n",
    "[migrations]\n",
    "paths = [\"db\"]\n",
    "paths = [\"/etc\"]\n",
    "paths = [\"../..\"]\n",
    "layout = \"flyway\"\n",
    "[stable]\n",
    "src = [\"/proc/self\"]\n",
    "ref = [\"--octopus\"]\n",
    "[[config.pairs]]\n",
    "stable = \"/proc/self/environ\"\n",
    "canary = \"a.env\"\n",
    "[rules]\n",
    "drop-column = \"off\"\n",
    "drop-column = \"loud\"\n",
    "[packs]\n",
    "[manifests]\n",
    "[traffic]\n",
    "x = 1\n",
    "\"",
    "'",
    "[",
    "]",
    "=",
    "\n",
    "\r",
    "\u{feff}",
    "#",
    "é",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn settings_files(text in text_of(TOML_PIECES, 20)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("canary-lint.toml"), &text).unwrap();
        std::fs::write(dir.path().join("a.env"), "A=1\n").unwrap();
        let o = Command::new(BIN)
            .args(["check", "--format", "compact"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_ran(o.status.code(), &out);
        // Nothing outside the repository is ever read.
        prop_assert!(!out.contains("PATH="), "{out}");
    }
}
