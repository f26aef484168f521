//! Suppression comments (a contract).
//!
//! ```sql
//! -- canary-lint: ignore drop-column, drop-table -- columns unused since v41
//! ALTER TABLE users DROP COLUMN email;
//! -- canary-lint: ignore-file unbounded-update -- backfill of a new table
//! ```
//!
//! `ignore` covers the next statement (SQL) or the next entry (config files);
//! `ignore-file` covers the whole file, wherever it stands. Config files (YAML,
//! `.properties`, `.env`, TOML) use `#` instead of the first `--`:
//! `# canary-lint: ignore key-added-in-canary -- rollout flag`.
//!
//! What counts as a directive: only a **whole-line** comment, i.e. the comment
//! marker is the first non-blank text of its line. A comment trailing a statement
//! on the same line is not read. This keeps detection cheap and keeps `--` or `#`
//! inside values and string literals on statement lines out of it. Which lines of
//! a SQL file are comments is the SQL lexer's call (the sql crate's
//! `lex::whole_line_comments`, with the file's dialect): the same lexer splits the
//! statements, so a line starting with `--` inside a multi-line literal or a
//! function body is not a directive either. For `#` files ([`hash_line_comments`])
//! a line whose first non-blank character is `#` is a comment (a block scalar or
//! multi-line string holding such a line is not recognised).
//!
//! [`apply`] removes the suppressed findings of one file and adds meta findings:
//! `suppression-without-reason` when no reason follows ` -- ` (the suppression
//! still applies), `unused-suppression` for each named rule that matched nothing,
//! for unknown rule names, for a directive naming no rule and for an unknown
//! directive word. Meta findings are not themselves suppressible.

use crate::{declare_rule, Diagnostic, SourceFile, Span, StaticRule};

declare_rule! {
    /// ## What it does
    /// Reports a `canary-lint: ignore` or `ignore-file` comment that gives no reason
    /// after ` -- `.
    ///
    /// ## Why is this bad?
    /// A suppression hides a finding that breaks or stalls stable. Without the reason,
    /// a reviewer cannot tell a checked exception (the column has been unused for two
    /// releases) from a silenced alarm. The suppression still applies.
    ///
    /// ## Example
    /// ```sql
    /// -- canary-lint: ignore drop-column
    /// ALTER TABLE users DROP COLUMN email;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- canary-lint: ignore drop-column -- stable stopped reading email in v41
    /// ALTER TABLE users DROP COLUMN email;
    /// ```
    pub const SUPPRESSION_WITHOUT_REASON = {
        name: "suppression-without-reason",
        family: Meta,
        severity: Warning,
        summary: "a suppression comment gives no reason",
    };
}

declare_rule! {
    /// ## What it does
    /// Reports a suppression that suppressed nothing: the named rule did not fire on
    /// the statement or entry it covers (or anywhere in the file, for `ignore-file`),
    /// the rule name is unknown, no rule is named, or the directive word is neither
    /// `ignore` nor `ignore-file`.
    ///
    /// ## Why is this bad?
    /// A stale suppression waits for the next real finding at that place and hides it.
    /// A misspelt rule name silences nothing while looking as if it did.
    ///
    /// ## Example
    /// ```sql
    /// -- canary-lint: ignore drop-colum -- legacy column
    /// ALTER TABLE users DROP COLUMN email;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- canary-lint: ignore drop-column -- legacy column
    /// ALTER TABLE users DROP COLUMN email;
    /// ```
    /// or delete the comment when the finding is gone.
    pub const UNUSED_SUPPRESSION = {
        name: "unused-suppression",
        family: Meta,
        severity: Warning,
        summary: "a suppression comment matched no finding",
    };
}

/// The rules this module reports.
pub fn rules() -> Vec<&'static StaticRule> {
    vec![&SUPPRESSION_WITHOUT_REASON, &UNUSED_SUPPRESSION]
}

/// The comment syntax of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// SQL: `-- canary-lint: ...`.
    Sql,
    /// YAML, `.properties`, `.env`, TOML: `# canary-lint: ...`.
    Hash,
}

/// What a directive covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `ignore`: the next statement or entry.
    Ignore,
    /// `ignore-file`: the whole file.
    IgnoreFile,
    /// `canary-lint:` followed by another word (kept so it can be reported).
    Unknown(String),
}

/// One rule named by a directive, with where its name stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveRule {
    pub name: String,
    pub span: Span,
}

/// A parsed `canary-lint:` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    pub rules: Vec<DirectiveRule>,
    /// The text after ` -- `, trimmed; `None` when missing or blank.
    pub reason: Option<String>,
    /// The whole comment, from its marker to the end of the line (no newline).
    pub span: Span,
    /// 1-based line of the comment.
    pub line: u32,
}

const TAG: &str = "canary-lint:";

/// Finds every `canary-lint:` directive in the whole-line comments of `file`.
/// `comments(text)` lists them (spans from the comment marker to the end of its
/// line, without the line break); it is only called when the text holds a
/// directive at all.
pub fn parse(
    file: &SourceFile,
    style: CommentStyle,
    comments: impl FnOnce(&str) -> Vec<Span>,
) -> Vec<Directive> {
    let text = &*file.text;
    // Most files have no directive at all: skip the comment scan for them.
    if !text.contains(TAG) {
        return Vec::new();
    }
    let marker = match style {
        CommentStyle::Sql => 2,
        CommentStyle::Hash => 1,
    };
    comments(text)
        .into_iter()
        .filter_map(|span| {
            let d = parse_comment(text, span, marker)?;
            Some(Directive {
                line: file.position(span.start).line,
                ..d
            })
        })
        .collect()
}

/// Parses one comment `span` (marker included) if it is a directive.
fn parse_comment(text: &str, span: Span, marker: usize) -> Option<Directive> {
    let body_start = span.start + marker;
    let body = &text[body_start..span.end];
    let lead = body.len() - body.trim_start().len();
    let after_tag_rel = body.trim_start().strip_prefix(TAG)?;
    let mut pos = body_start + lead + TAG.len();
    pos += after_tag_rel.len() - after_tag_rel.trim_start().len();
    let rest = &text[pos..span.end];
    let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..word_len];
    let kind = match word {
        "ignore" => DirectiveKind::Ignore,
        "ignore-file" => DirectiveKind::IgnoreFile,
        other => DirectiveKind::Unknown(other.to_string()),
    };
    let list_start = pos + word_len;
    let tail = &text[list_start..span.end];
    let (list_end, reason) = match tail.find("--") {
        Some(i) => {
            let r = tail[i + 2..].trim();
            (list_start + i, (!r.is_empty()).then(|| r.to_string()))
        }
        None => (span.end, None),
    };
    let mut rules = Vec::new();
    let list = &text[list_start..list_end];
    let mut offset = list_start;
    for piece in list.split(|c: char| c == ',' || c.is_whitespace()) {
        if !piece.is_empty() {
            let start = offset;
            rules.push(DirectiveRule {
                // A former rule name suppresses the rule it was folded into.
                name: crate::current_rule_name(piece).to_string(),
                span: Span::new(start, start + piece.len()),
            });
        }
        offset += piece.len() + 1;
    }
    Some(Directive {
        kind,
        rules,
        reason,
        span,
        line: 0,
    })
}

/// Whole-line `#` comments: (marker, end of line) spans.
pub fn hash_line_comments(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if trimmed.starts_with('#') {
            let at = start + (content.len() - trimmed.len());
            out.push(Span::new(at, start + content.len()));
        }
        start += line.len();
    }
    out
}

/// The next config entry after `offset`: the first line that is neither blank
/// nor a whole-line comment, extended over `\` continuation lines (properties).
pub fn next_config_entry(file: &SourceFile, style: CommentStyle, offset: usize) -> Option<Span> {
    let text = &*file.text;
    let marker = match style {
        CommentStyle::Sql => "--",
        CommentStyle::Hash => "#",
    };
    let mut start = offset.min(text.len());
    // Begin at the start of the next line when `offset` is inside one.
    if start > 0 && !text[..start].ends_with('\n') {
        start = text[start..]
            .find('\n')
            .map_or(text.len(), |n| start + n + 1);
    }
    let mut found: Option<Span> = None;
    for line in text[start..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let line_start = start;
        start += line.len();
        match found {
            None => {
                let trimmed = content.trim();
                if trimmed.is_empty() || trimmed.starts_with(marker) {
                    continue;
                }
                found = Some(Span::new(line_start, line_start + content.len()));
            }
            Some(ref mut span) => span.end = line_start + content.len(),
        }
        let backslashes = content.len() - content.trim_end_matches('\\').len();
        if backslashes % 2 == 0 {
            break;
        }
    }
    found
}

/// As [`apply_checked`], counting every rule name as known.
pub fn apply(
    file: &SourceFile,
    directives: &[Directive],
    diags: Vec<Diagnostic>,
    next_unit: &dyn Fn(usize) -> Option<Span>,
) -> Vec<Diagnostic> {
    apply_checked(file, directives, diags, next_unit, &|_| true)
}

/// Removes the findings of `file` that `directives` suppress and appends the meta
/// findings. `next_unit(offset)` gives the statement or entry an `ignore` covers,
/// where `offset` is the byte just after the comment. Findings of other files pass
/// through untouched. The result is not sorted.
pub fn apply_checked(
    file: &SourceFile,
    directives: &[Directive],
    diags: Vec<Diagnostic>,
    next_unit: &dyn Fn(usize) -> Option<Span>,
    is_known_rule: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    // Per directive: the span it covers (None = the whole file), and per rule
    // whether it matched.
    let scopes: Vec<Option<Option<Span>>> = directives
        .iter()
        .map(|d| match d.kind {
            DirectiveKind::Ignore => Some(next_unit(d.span.end)),
            DirectiveKind::IgnoreFile => Some(None),
            DirectiveKind::Unknown(_) => None,
        })
        .collect();
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.rules.len()])
        .collect();
    let mut out = Vec::with_capacity(diags.len());
    for diag in diags {
        if *diag.file != *file.path {
            out.push(diag);
            continue;
        }
        let mut suppressed = false;
        for (k, d) in directives.iter().enumerate() {
            let in_scope = match scopes[k] {
                None => false,
                Some(None) => true,
                Some(Some(unit)) => covers(unit, diag.span),
            };
            if !in_scope {
                continue;
            }
            for (r, rule) in d.rules.iter().enumerate() {
                if rule.name == diag.rule {
                    used[k][r] = true;
                    suppressed = true;
                }
            }
        }
        if !suppressed {
            out.push(diag);
        }
    }
    for (k, d) in directives.iter().enumerate() {
        if let DirectiveKind::Unknown(word) = &d.kind {
            let msg = if word.is_empty() {
                "`canary-lint:` comment without `ignore` or `ignore-file`".to_string()
            } else {
                format!("unknown canary-lint directive `{word}`: it suppresses nothing")
            };
            out.push(
                Diagnostic::new(&UNUSED_SUPPRESSION, file, d.span, msg)
                    .help("write `canary-lint: ignore RULE -- REASON` or `canary-lint: ignore-file RULE -- REASON`"),
            );
            continue;
        }
        let what = match d.kind {
            DirectiveKind::IgnoreFile => "in this file",
            _ => "on the statement or entry it covers",
        };
        if d.rules.is_empty() {
            out.push(
                Diagnostic::new(
                    &UNUSED_SUPPRESSION,
                    file,
                    d.span,
                    "suppression names no rule",
                )
                .help("name the rules to ignore: `canary-lint: ignore RULE[, RULE] -- REASON`"),
            );
            continue;
        }
        if d.reason.is_none() {
            let names: Vec<&str> = d.rules.iter().map(|r| r.name.as_str()).collect();
            out.push(
                Diagnostic::new(
                    &SUPPRESSION_WITHOUT_REASON,
                    file,
                    d.span,
                    format!("suppression of {} gives no reason", names.join(", ")),
                )
                .help("say why stable is safe after ` -- `, e.g. `-- canary-lint: ignore RULE -- stable stopped using it in v41`"),
            );
        }
        for (r, rule) in d.rules.iter().enumerate() {
            if used[k][r] {
                continue;
            }
            let (msg, help) = if is_known_rule(&rule.name) {
                (
                    format!("suppression of `{}` matched no finding {what}", rule.name),
                    "remove the rule from the comment (or the comment) so it cannot hide a later finding",
                )
            } else {
                (
                    format!("unknown rule `{}` in suppression", rule.name),
                    "check the name with `canary-lint rules`",
                )
            };
            out.push(Diagnostic::new(&UNUSED_SUPPRESSION, file, rule.span, msg).help(help));
        }
    }
    out
}

/// Whether a finding at `span` belongs to `unit`.
fn covers(unit: Span, span: Span) -> bool {
    if unit.is_empty() {
        span.start == unit.start
    } else {
        span.start >= unit.start && span.start < unit.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    declare_rule! {
        /// Test rule.
        const DROP_COLUMN = { name: "drop-column", family: Compat, severity: Error, summary: "t" };
    }
    declare_rule! {
        /// Test rule.
        const DROP_TABLE = { name: "drop-table", family: Compat, severity: Error, summary: "t" };
    }
    declare_rule! {
        /// Test rule.
        const KEY_ADDED = { name: "key-added-in-canary", family: Config, severity: Note, summary: "t" };
    }

    fn sql(text: &str) -> SourceFile {
        SourceFile::new("m.sql", text)
    }

    /// Directives of test SQL without literals: every line starting with `--`
    /// is a comment (the sql crate's lexer tests cover literals and bodies).
    fn parse_sql(f: &SourceFile) -> Vec<Directive> {
        parse(f, CommentStyle::Sql, |text| {
            let mut out = Vec::new();
            let mut at = 0;
            for line in text.split_inclusive('\n') {
                let content = line.trim_end_matches(['\n', '\r']);
                let lead = content.len() - content.trim_start().len();
                if content.trim_start().starts_with("--") {
                    out.push(Span::new(at + lead, at + content.len()));
                }
                at += line.len();
            }
            out
        })
    }

    /// Statement spans of simple test SQL: split on `;`, leading blanks and
    /// whole-line comments excluded.
    fn statements(text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == ';' {
                let piece = &text[start..=i];
                let mut lead = 0;
                for line in piece.split_inclusive('\n') {
                    let t = line.trim();
                    if t.is_empty() || t.starts_with("--") {
                        lead += line.len();
                    } else {
                        lead += line.len() - line.trim_start().len();
                        break;
                    }
                }
                out.push(Span::new(start + lead, i + 1));
                start = i + 1;
            }
        }
        out
    }

    fn next_statement(text: &str) -> impl Fn(usize) -> Option<Span> + '_ {
        move |offset| statements(text).into_iter().find(|s| s.start >= offset)
    }

    fn diag_at(rule: &StaticRule, f: &SourceFile, needle: &str) -> Diagnostic {
        let at = f.text.find(needle).unwrap_or(0);
        Diagnostic::new(rule, f, Span::new(at, at + needle.len()), "m")
    }

    fn rules_of(out: &[Diagnostic]) -> Vec<(&str, u32)> {
        out.iter()
            .map(|d| (d.rule.as_str(), d.start.line))
            .collect()
    }

    #[test]
    fn parses_ignore_and_ignore_file_with_rules_and_reason() {
        let f = sql(
            "-- canary-lint: ignore drop-column, drop-table -- unused since v41\n\
             SELECT 1;\n\
               --canary-lint:ignore-file unbounded-update\n\
             -- an ordinary comment\n",
        );
        let ds = parse_sql(&f);
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].kind, DirectiveKind::Ignore);
        let names: Vec<&str> = ds[0].rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["drop-column", "drop-table"]);
        assert_eq!(
            &f.text[ds[0].rules[1].span.start..ds[0].rules[1].span.end],
            "drop-table"
        );
        assert_eq!(ds[0].reason.as_deref(), Some("unused since v41"));
        assert_eq!((ds[0].line, ds[0].span.start), (1, 0));
        assert_eq!(
            &f.text[ds[0].span.start..ds[0].span.end],
            f.text.lines().next().unwrap_or("")
        );
        assert_eq!(ds[1].kind, DirectiveKind::IgnoreFile);
        assert_eq!(ds[1].rules[0].name, "unbounded-update");
        assert_eq!(ds[1].reason, None);
        assert_eq!(ds[1].line, 3);
    }

    #[test]
    fn blank_reason_is_no_reason_and_unknown_words_are_kept() {
        let f = sql(
            "-- canary-lint: ignore drop-column --   \n-- canary-lint: ignroe drop-column -- x\n",
        );
        let ds = parse_sql(&f);
        assert_eq!(ds[0].reason, None);
        assert_eq!(ds[1].kind, DirectiveKind::Unknown("ignroe".into()));
    }

    #[test]
    fn hash_comments_in_config_files() {
        let f = SourceFile::new(
            "app.properties",
            "a=1 # canary-lint: ignore key-added-in-canary -- trailing, not read\n  # canary-lint: ignore key-added-in-canary -- rollout flag\r\nb=2\n",
        );
        let ds = parse(&f, CommentStyle::Hash, hash_line_comments);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].line, 2);
        assert_eq!(ds[0].reason.as_deref(), Some("rollout flag"));
        assert!(!f.text[ds[0].span.start..ds[0].span.end].ends_with('\r'));
    }

    #[test]
    fn ignore_covers_only_the_next_statement() {
        let text = "-- canary-lint: ignore drop-column -- unused since v41\n\
                    ALTER TABLE users\n  DROP COLUMN email;\n\
                    ALTER TABLE users DROP COLUMN name;\n";
        let f = sql(text);
        let ds = parse_sql(&f);
        let diags = vec![
            diag_at(&DROP_COLUMN, &f, "DROP COLUMN email"),
            diag_at(&DROP_COLUMN, &f, "DROP COLUMN name"),
        ];
        let out = apply(&f, &ds, diags, &next_statement(text));
        assert_eq!(rules_of(&out), [("drop-column", 4)]);
    }

    #[test]
    fn ignore_matches_by_rule_and_reports_the_unused_rule() {
        let text = "-- canary-lint: ignore drop-column, drop-table -- both\nDROP TABLE t;\n";
        let f = sql(text);
        let ds = parse_sql(&f);
        let out = apply(
            &f,
            &ds,
            vec![diag_at(&DROP_TABLE, &f, "DROP TABLE t")],
            &next_statement(text),
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, "unused-suppression");
        assert_eq!(out[0].severity, Severity::Warning);
        assert_eq!(
            out[0].message,
            "suppression of `drop-column` matched no finding on the statement or entry it covers"
        );
        // Points at the rule name inside the comment.
        assert_eq!((out[0].start.line, out[0].start.column), (1, 24));
    }

    #[test]
    fn ignore_file_covers_every_statement_wherever_it_stands() {
        let text = "DROP TABLE a;\nDROP TABLE b;\n-- canary-lint: ignore-file drop-table -- both tables were created by this release's predecessor and are empty\n";
        let f = sql(text);
        let ds = parse_sql(&f);
        let diags = vec![
            diag_at(&DROP_TABLE, &f, "DROP TABLE a"),
            diag_at(&DROP_TABLE, &f, "DROP TABLE b"),
        ];
        let out = apply(&f, &ds, diags, &next_statement(text));
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn missing_reason_is_reported_but_still_suppresses() {
        let text = "-- canary-lint: ignore drop-table\nDROP TABLE t;\n";
        let f = sql(text);
        let ds = parse_sql(&f);
        let out = apply(
            &f,
            &ds,
            vec![diag_at(&DROP_TABLE, &f, "DROP TABLE t")],
            &next_statement(text),
        );
        assert_eq!(rules_of(&out), [("suppression-without-reason", 1)]);
        assert_eq!(out[0].message, "suppression of drop-table gives no reason");
        assert_eq!(out[0].severity, Severity::Warning);
    }

    #[test]
    fn unknown_rules_words_and_empty_lists_are_unused() {
        let text = "-- canary-lint: ignore drop-colum -- typo\nDROP TABLE t;\n\
                    -- canary-lint: ignroe drop-table -- typo\n\
                    -- canary-lint: ignore -- nothing named\n\
                    -- canary-lint: ignore drop-column -- at the end\n";
        let f = sql(text);
        let ds = parse_sql(&f);
        let known = |r: &str| r == "drop-column" || r == "drop-table";
        let out = apply_checked(
            &f,
            &ds,
            vec![diag_at(&DROP_TABLE, &f, "DROP TABLE t")],
            &next_statement(text),
            &known,
        );
        let msgs: Vec<(&str, u32, &str)> = out
            .iter()
            .map(|d| (d.rule.as_str(), d.start.line, d.message.as_str()))
            .collect();
        assert_eq!(
            msgs,
            [
                ("drop-table", 2, "m"),
                ("unused-suppression", 1, "unknown rule `drop-colum` in suppression"),
                ("unused-suppression", 3, "unknown canary-lint directive `ignroe`: it suppresses nothing"),
                ("unused-suppression", 4, "suppression names no rule"),
                (
                    "unused-suppression",
                    5,
                    "suppression of `drop-column` matched no finding on the statement or entry it covers"
                ),
            ]
        );
    }

    #[test]
    fn other_files_pass_through() {
        let text = "-- canary-lint: ignore-file drop-table -- fine\n";
        let f = sql(text);
        let other = SourceFile::new("other.sql", "DROP TABLE t;");
        let d = Diagnostic::new(&DROP_TABLE, &other, Span::new(0, 12), "m");
        let out = apply(&f, &parse_sql(&f), vec![d], &|_| None);
        let files: Vec<(&str, &str)> = out.iter().map(|d| (&*d.file, d.rule.as_str())).collect();
        assert_eq!(
            files,
            [("other.sql", "drop-table"), ("m.sql", "unused-suppression")]
        );
    }

    #[test]
    fn config_entries_are_the_next_key_line() {
        let text = "# canary-lint: ignore key-added-in-canary -- rollout flag\n\n# note\nfeature.flags=a,\\\n  b\nother=1\n";
        let f = SourceFile::new("canary.properties", text);
        let ds = parse(&f, CommentStyle::Hash, hash_line_comments);
        let unit = next_config_entry(&f, CommentStyle::Hash, ds[0].span.end);
        let unit = unit.map(|s| &text[s.start..s.end]);
        assert_eq!(unit, Some("feature.flags=a,\\\n  b"));
        let next = |o: usize| next_config_entry(&f, CommentStyle::Hash, o);
        let diags = vec![
            diag_at(&KEY_ADDED, &f, "b\n"),
            diag_at(&KEY_ADDED, &f, "other=1"),
        ];
        let out = apply(&f, &ds, diags, &next);
        assert_eq!(rules_of(&out), [("key-added-in-canary", 6)]);
        assert_eq!(next_config_entry(&f, CommentStyle::Hash, text.len()), None);
    }

    #[test]
    fn rules_are_declared_with_docs() {
        let names: Vec<&str> = rules().iter().map(|r| r.name).collect();
        assert_eq!(names, ["suppression-without-reason", "unused-suppression"]);
        for r in rules() {
            assert_eq!(r.family, crate::Family::Meta);
            assert_eq!(r.severity, Severity::Warning);
            for part in ["What it does", "Why is this bad?", "Example", "Use instead"] {
                assert!(r.doc.contains(part), "{} lacks {part}", r.name);
            }
        }
    }
}
