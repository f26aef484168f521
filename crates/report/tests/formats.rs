//! The CI formats (sarif, github, junit) and the compact format's editor contract,
//! rendered from one small fixed set of findings.

#![allow(clippy::unwrap_used)]

mod common;

use canary_lint_report::{render, Format, Report};
use common::{fixture, one, Fixture};
use serde_json::Value;

fn report<'a>(f: &'a Fixture) -> Report<'a> {
    Report {
        diagnostics: &f.diagnostics,
        sources: &f.sources,
        rules: &f.rules,
        files: f.sources.len(),
        color: false,
    }
}

fn render_fixture(format: Format) -> String {
    let f = fixture();
    render(format, &report(&f))
}

#[test]
fn format_names_round_trip() {
    for name in Format::NAMES {
        assert!(Format::parse(name).is_some(), "{name}");
    }
    assert_eq!(Format::parse("sarif"), Some(Format::Sarif));
    assert_eq!(Format::parse("github"), Some(Format::Github));
    assert_eq!(Format::parse("junit"), Some(Format::Junit));
    assert_eq!(Format::parse("xml"), None);
}

// ---------------------------------------------------------------- sarif

fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(text).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    // Formats draft-04 knows (`uri`, `date-time`) are checked too.
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!(render_fixture(Format::Sarif));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let v = sarif_validator();
    let doc: Value = serde_json::from_str(&render_fixture(Format::Sarif)).unwrap();
    assert_eq!(schema_errors(&v, &doc), Vec::<String>::new());

    // An empty run is valid too.
    let f = Fixture {
        diagnostics: vec![],
        ..fixture()
    };
    let empty: Value = serde_json::from_str(&render(Format::Sarif, &report(&f))).unwrap();
    assert_eq!(schema_errors(&v, &empty), Vec::<String>::new());
    assert_eq!(empty["runs"][0]["results"], Value::Array(vec![]));
    assert_eq!(
        empty["runs"][0]["tool"]["driver"]["rules"],
        Value::Array(vec![])
    );

    // The validator really checks: a level SARIF does not know is rejected.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema_errors(&v, &bad).is_empty());
    let mut bad = doc;
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!schema_errors(&v, &bad).is_empty());
}

#[test]
fn sarif_paths_are_uri_references_the_schema_accepts() {
    let v = sarif_validator();
    // The schema marks artifactLocation.uri as `uri-reference`, a format draft-04
    // validators do not know (it arrived in draft-06): check it with a draft-07
    // validator of just that format.
    let uri_ref = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&serde_json::json!({ "type": "string", "format": "uri-reference" }))
        .unwrap();
    assert!(!uri_ref.is_valid(&"config/canary app.properties".into()));
    assert!(!uri_ref.is_valid(&"db/100%.sql".into()));
    assert!(uri_ref.is_valid(&"config/canary%20app.properties".into()));

    for (path, uri) in [
        ("db/odd:name,1%.sql", "db/odd%3Aname,1%25.sql"),
        ("/srv/app/db/a b.sql", "file:///srv/app/db/a%20b.sql"),
        ("./migrations/é#1.sql", "migrations/%C3%A9%231.sql"),
        ("C:\\repo\\m.sql", "file:///C:/repo/m.sql"),
    ] {
        let (diags, sources) = one(path, "m", None);
        // A rule the report has no metadata for still gets a descriptor (id only).
        let r = Report {
            diagnostics: &diags,
            sources: &sources,
            rules: &[],
            files: 1,
            color: false,
        };
        let doc: Value = serde_json::from_str(&render(Format::Sarif, &r)).unwrap();
        assert_eq!(schema_errors(&v, &doc), Vec::<String>::new(), "{path}");
        let loc = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], uri);
        assert!(uri_ref.is_valid(&loc["artifactLocation"]["uri"]), "{uri}");
        assert_eq!(
            doc["runs"][0]["tool"]["driver"]["rules"],
            serde_json::json!([{ "id": "drop-column" }])
        );
    }
}

#[test]
fn sarif_describes_fired_rules_and_locates_results() {
    let doc: Value = serde_json::from_str(&render_fixture(Format::Sarif)).unwrap();
    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "canary-lint");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "create-index-non-concurrently",
            "drop-column",
            "key-added-in-canary"
        ]
    );
    assert_eq!(
        rules[1]["shortDescription"]["text"],
        "a column stable still reads is dropped"
    );
    assert!(rules[1]["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .contains("Why: stable still selects"));
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "note");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], r["ruleId"],
            "ruleIndex points at its rule"
        );
    }
    let drop = results
        .iter()
        .find(|r| r["ruleId"] == "drop-column")
        .unwrap();
    assert_eq!(drop["level"], "error");
    let loc = &drop["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "db/migrations/002_drop_email.sql"
    );
    // `  DROP COLUMN email;` on line 3: columns 3..20 (end exclusive).
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 20})
    );
    let text = drop["message"]["text"].as_str().unwrap();
    assert!(text.starts_with("dropping users.email breaks stable"));
    assert!(text.contains("\nhelp: first deploy code"));
    let related = drop["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(
        related[0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/repo/users.rs"
    );
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 10);
    assert_eq!(drop["properties"]["relatedTotal"], 3);

    let scan = results
        .iter()
        .find(|r| r["ruleId"] == "create-index-non-concurrently")
        .unwrap();
    assert_eq!(scan["level"], "warning");
    assert_eq!(scan["properties"]["foundByScan"], true);

    let note = results
        .iter()
        .find(|r| r["ruleId"] == "key-added-in-canary")
        .unwrap();
    assert_eq!(note["level"], "note");
    let loc = &note["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "config/canary%20app.properties"
    );
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["endLine"], 3);
}

// ---------------------------------------------------------------- github

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(render_fixture(Format::Github));
}

/// Undoes the runner's escaping of a command's data or a property value.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_escapes_message_and_properties() {
    let message = "50% of rows: a, b\nthen c\r\nend %0A";
    let (diags, sources) = one("db/odd:name,1%.sql", message, Some("do x, then y: z"));
    let rules = vec![common::DROP_COLUMN.meta()];
    let r = Report {
        diagnostics: &diags,
        sources: &sources,
        rules: &rules,
        files: 1,
        color: false,
    };
    let out = render(Format::Github, &r);
    assert_eq!(out.lines().count(), 1, "one command per finding: {out:?}");
    let line = out.trim_end_matches('\n');
    assert!(line.starts_with("::error file=db/odd%3Aname%2C1%25.sql,line=1,col=1,endLine=1,"));
    let (head, data) = line
        .split_once("::")
        .map(|(_, rest)| rest)
        .unwrap()
        .split_once("::")
        .unwrap();
    // Properties: no raw `,` inside a value, so splitting on `,` gives the pairs.
    let props: Vec<(&str, String)> = head
        .trim_start_matches("error ")
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k, unescape(v))
        })
        .collect();
    assert_eq!(
        props,
        [
            ("file", "db/odd:name,1%.sql".to_string()),
            ("line", "1".into()),
            ("col", "1".into()),
            ("endLine", "1".into()),
            ("endColumn", "11".into()),
            ("title", "drop-column".into()),
        ]
    );
    // The data keeps `:` and `,` literal but encodes `%`, CR and LF.
    assert!(data.contains("50%25 of rows: a, b%0Athen c%0D%0Aend %250A"));
    assert!(!data.contains('\n') && !data.contains('\r'));
    assert_eq!(unescape(data), format!("{message}\nhelp: do x, then y: z"));
}

#[test]
fn github_commands_per_severity_and_multiline_spans() {
    let out = render_fixture(Format::Github);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("::notice file=config/canary app.properties,line=2,endLine=3,title=")
    );
    assert!(
        !lines[0].contains(",col="),
        "no columns on a multi-line span"
    );
    assert!(lines[1].starts_with("::error file=db/migrations/002_drop_email.sql,line=3,col=3,endLine=3,endColumn=20,title=drop-column::"));
    assert!(lines[1].contains("%0A= src/repo/users.rs:10:5: stable reads users.email here"));
    assert!(lines[1].ends_with("%0A= ... and 1 more"));
    assert!(lines[2].starts_with("::warning "));
    assert!(lines[2].contains("found by token scan"));
}

// ---------------------------------------------------------------- junit

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(render_fixture(Format::Junit));
}

#[test]
fn junit_is_well_formed_with_one_suite_per_file() {
    let out = render_fixture(Format::Junit);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("3"));
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    let names: Vec<_> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "config/canary app.properties",
            "db/migrations/001_init.sql",
            "db/migrations/002_drop_email.sql"
        ]
    );
    // The clean file passes.
    let clean = &suites[1];
    assert_eq!(clean.attribute("failures"), Some("0"));
    let case = clean.children().find(|n| n.is_element()).unwrap();
    assert_eq!(case.attribute("name"), Some("canary-lint"));
    assert!(case.children().all(|n| !n.is_element()));
    // The migration fails twice.
    let mig = &suites[2];
    assert_eq!(
        (mig.attribute("tests"), mig.attribute("failures")),
        (Some("2"), Some("2"))
    );
    let cases: Vec<_> = mig.children().filter(|n| n.is_element()).collect();
    assert_eq!(cases[0].attribute("name"), Some("drop-column at 3:3"));
    assert_eq!(
        cases[0].attribute("classname"),
        Some("db/migrations/002_drop_email.sql")
    );
    let failure = cases[0].children().find(|n| n.is_element()).unwrap();
    assert_eq!(failure.tag_name().name(), "failure");
    assert_eq!(failure.attribute("type"), Some("error"));
    let body = failure.text().unwrap();
    assert!(body.starts_with("db/migrations/002_drop_email.sql:3:3: error[drop-column]: dropping"));
    assert!(body.contains("\nhelp: first deploy code"));
    assert!(body.contains("\n= src/api/profile.rs:11:5: stable reads users.email here"));
    assert!(body.ends_with("\n= ... and 1 more"));
    assert_eq!(
        cases[1].attribute("name"),
        Some("create-index-non-concurrently at 4:1")
    );
}

#[test]
fn junit_escapes_markup_and_control_characters() {
    let message = "a <b> & \"c\" 'd'\nline two\u{1}\u{1B}[0m\ttab";
    let (diags, sources) = one("db/<&'\">.sql", message, Some("use <x> & y\r\n"));
    let rules = vec![common::DROP_COLUMN.meta()];
    let r = Report {
        diagnostics: &diags,
        sources: &sources,
        rules: &rules,
        files: 1,
        color: false,
    };
    let out = render(Format::Junit, &r);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let suite = doc
        .root_element()
        .children()
        .find(|n| n.is_element())
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("db/<&'\">.sql"));
    let case = suite.children().find(|n| n.is_element()).unwrap();
    let failure = case.children().find(|n| n.is_element()).unwrap();
    // Markup, quotes, LF and tab survive; C0 controls XML cannot carry become U+FFFD.
    assert_eq!(
        failure.attribute("message"),
        Some("a <b> & \"c\" 'd'\nline two\u{FFFD}\u{FFFD}[0m\ttab")
    );
    let body = failure.text().unwrap();
    assert!(body.ends_with("help: use <x> & y\r\n"), "{body:?}");
    assert!(!out.contains('\u{1}') && !out.contains('\u{1B}'));
}

// ---------------------------------------------------------------- compact

/// The `$gcc`-style pattern the editors documentation relies on (docs/editors.md),
/// with `note` accepted as a severity.
const GCC_STYLE: &str = r"^(.*):(\d+):(\d+):\s+(?:fatal\s+)?(warning|error|note):\s+(.*)$";
/// The pattern of the `$gcc` matcher shipped by VS Code's C/C++ extension.
const CPPTOOLS_GCC: &str = r"^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$";

#[test]
fn compact_lines_match_the_gcc_style_matcher() {
    let f = fixture();
    let out = render(Format::Compact, &report(&f));
    let gcc = regex::Regex::new(GCC_STYLE).unwrap();
    let cpptools = regex::Regex::new(CPPTOOLS_GCC).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), f.diagnostics.len());
    for (line, d) in lines.iter().zip(&f.diagnostics) {
        let c = gcc
            .captures(line)
            .unwrap_or_else(|| panic!("no match: {line}"));
        assert_eq!(&c[1], &*d.file);
        assert_eq!(c[2].parse::<u32>().unwrap(), d.start.line);
        assert_eq!(c[3].parse::<u32>().unwrap(), d.start.column);
        assert_eq!(&c[4], d.severity.as_str());
        assert_eq!(c[5].to_string(), format!("{} [{}]", d.message, d.rule));
        // The C/C++ extension's own $gcc reads errors and warnings (not notes).
        match cpptools.captures(line) {
            Some(c) => {
                assert_ne!(d.severity.as_str(), "note");
                assert_eq!(&c[1], &*d.file);
                assert_eq!(&c[4], d.severity.as_str());
            }
            None => assert_eq!(d.severity.as_str(), "note", "{line}"),
        }
    }
}

#[test]
fn compact_keeps_a_multiline_message_on_one_line() {
    let (diags, sources) = one("a.sql", "first\nsecond: third", None);
    let rules = vec![common::DROP_COLUMN.meta()];
    let r = Report {
        diagnostics: &diags,
        sources: &sources,
        rules: &rules,
        files: 1,
        color: false,
    };
    let out = render(Format::Compact, &r);
    assert_eq!(out, "a.sql:1:1: error: first second: third [drop-column]\n");
    let gcc = regex::Regex::new(GCC_STYLE).unwrap();
    assert!(gcc.is_match(out.trim_end()));
}
