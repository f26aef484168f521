//! Bad input never panics: every fixture, cut at many points and with bytes
//! mangled, is split, parsed and linted in every dialect and layout.
#![allow(clippy::unwrap_used)]

use canary_lint_core::SourceFile;
use canary_lint_sql::{lint_release, Dialect, Layout, ParsedFile};
use std::path::Path;

fn fixtures() -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sql") {
                out.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn truncated_and_mangled_input_never_panics() {
    let dialects = [
        Dialect::Postgres,
        Dialect::Mysql,
        Dialect::Sqlite,
        Dialect::Mssql,
    ];
    let mut extra = vec![
        "'unterminated".to_string(),
        "$$ never closed".to_string(),
        "/* open comment".to_string(),
        "E'\\".to_string(),
        "ALTER TABLE \"é\" DROP COLUMN \"ü\\".to_string(),
        "DELIMITER".to_string(),
        "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 'é'; END $$".to_string(),
        "-- +goose StatementBegin\nSELECT 1;".to_string(),
        "ALTER TABLE".to_string(),
        "DROP TABLE ,,,;".to_string(),
        "RENAME TABLE a TO".to_string(),
        "\u{0}\u{1}é名;;;".to_string(),
    ];
    extra.extend(fixtures());
    for text in &extra {
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .step_by(5)
            .chain([text.len()])
            .collect();
        for cut in cuts {
            let t = &text[..cut];
            let mangled = t.replace(';', "'").replace('(', "$$");
            for s in [t.to_string(), mangled] {
                for d in dialects {
                    for layout in [Layout::Plain, Layout::Goose] {
                        let f = SourceFile::new("x.sql", s.clone());
                        let diags = lint_release(&[(f, layout)], d);
                        for diag in diags {
                            assert!(diag.span.end <= s.len());
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn parsed_files_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ParsedFile>();
    send_sync::<canary_lint_core::Diagnostic>();
    send_sync::<canary_lint_sql::ReleaseAnalysis>();
}

#[test]
fn random_token_soup_never_panics() {
    const VOCAB: &[&str] = &[
        "ALTER",
        "TABLE",
        "DROP",
        "COLUMN",
        "RENAME",
        "TO",
        "ADD",
        "NOT",
        "NULL",
        "DEFAULT",
        "CREATE",
        "INDEX",
        "CONCURRENTLY",
        "ON",
        "TYPE",
        "SET",
        "BEGIN",
        "END",
        "CHANGE",
        "MODIFY",
        "VALUE",
        "UPDATE",
        "DELETE",
        "FROM",
        "WHERE",
        "TRUNCATE",
        "VIEW",
        "t",
        "\"Q\"",
        "`b`",
        "[m]",
        "é",
        "名",
        "'s'",
        "'",
        "\"",
        "`",
        "$$",
        "$x$",
        "$",
        "/*",
        "*/",
        "--",
        "#",
        "\n",
        ";",
        ",",
        "(",
        ")",
        ".",
        "=",
        "E'",
        "\\",
        "DELIMITER",
        "//",
        "-- +goose StatementBegin\n",
        "-- +goose StatementEnd\n",
        "-- +goose Up\n",
        "-- +goose Down\n",
        "1",
        "varchar(10)",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..600 {
        let n = (next() % 40) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(VOCAB[(next() % VOCAB.len() as u64) as usize]);
            if next() % 3 != 0 {
                s.push(' ');
            }
        }
        let d = [
            Dialect::Postgres,
            Dialect::Mysql,
            Dialect::Sqlite,
            Dialect::Mssql,
            Dialect::Generic,
        ][(next() % 5) as usize];
        let layout = if next() % 2 == 0 {
            Layout::Plain
        } else {
            Layout::Goose
        };
        let f = SourceFile::new("soup.sql", s.clone());
        for diag in lint_release(&[(f, layout)], d) {
            assert!(diag.span.end <= s.len(), "{s:?}");
        }
    }
}
