//! Linting a release: every statement of the release's files, in order, against
//! what the release created before it and what stable's history knew.

use crate::changes::{from_statement, ChangeKind, StatementText};
use crate::history::History;
use crate::layout::Layout;
use crate::parse::{parse_file, ParsedFile};
use crate::rules::{self, unparsed_statement, ReleaseState, RuleCx};
use crate::scan::{scan, scan_ops};
use crate::Dialect;
use canary_lint_core::{sort_diagnostics, Diagnostic, SourceFile, Span};
use sqlparser::ast::Statement;

/// What the rules may know beyond the release itself.
#[derive(Default, Clone, Copy)]
pub struct LintContext<'a> {
    /// The schema stable runs against (history replayed), when known. Without it
    /// rules decide from the statements alone and say which facts are unknown.
    pub history: Option<&'a dyn History>,
}

impl std::fmt::Debug for LintContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LintContext")
            .field("has_history", &self.history.is_some())
            .finish()
    }
}

/// Parses and lints the files of one release, in the order given (version order).
pub fn lint_release(
    release: &[(SourceFile, Layout)],
    dialect: Dialect,
    ctx: &LintContext<'_>,
) -> Vec<Diagnostic> {
    // Parse, lint and drop one file at a time: keeping every AST of a large
    // release alive costs more in allocation than the linting itself.
    let mut out = Vec::new();
    let mut state = ReleaseState::default();
    for (f, l) in release {
        lint_file(&parse_file(f, *l, dialect), &mut state, ctx, &mut out);
    }
    sort_diagnostics(&mut out);
    out
}

/// Lints already parsed files of one release (parse them in parallel with
/// [`parse_file`], then call this). Findings are sorted.
pub fn lint_parsed(release: &[ParsedFile], ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut state = ReleaseState::default();
    for pf in release {
        lint_file(pf, &mut state, ctx, &mut out);
    }
    sort_diagnostics(&mut out);
    out
}

/// Lints one file of a release, after the files before it (`state`).
fn lint_file(
    pf: &ParsedFile,
    state: &mut ReleaseState,
    ctx: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let text: &str = &pf.file.text;
    let framework_tx = pf.layout.file_in_transaction(text);
    let mut explicit_tx = false;
    let mut lock_timeout_set = false;
    let mut lock_timeout_reported = false;
    for s in &pf.statements {
        let first = first_word(text, s.span);
        let ops = OPS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first));
        let schema = s.ast.as_ref().is_some_and(may_change_schema);
        let rejected = s.ast.is_none() && !s.skipped;
        if !ops && !schema && !rejected {
            continue;
        }
        let st = StatementText::new(text, s.span, pf.dialect);
        let mut changes = match (&s.ast, &s.error) {
            (Some(ast), _) if schema => from_statement(ast, &st),
            (Some(_), _) => Vec::new(),
            (None, _) if s.skipped => Vec::new(),
            (None, err) => {
                let (message, at) = match err {
                    Some(e) => (e.message.as_str(), e.offset),
                    None => ("unknown error", None),
                };
                out.push(unparsed_statement::report(
                    &pf.file, s.span, at, message, pf.dialect,
                ));
                scan(&st)
            }
        };
        if ops {
            let mut extra = scan_ops(&st);
            for c in &mut extra {
                c.by_scan = rejected;
            }
            changes.extend(extra);
        }
        let cx = RuleCx {
            file: &pf.file,
            dialect: pf.dialect,
            release: state,
            history: ctx.history,
            in_transaction: framework_tx || explicit_tx,
            lock_timeout_set,
            lock_timeout_reported,
        };
        let before = out.len();
        for c in &changes {
            rules::check(&cx, c, out);
        }
        if out[before..]
            .iter()
            .any(|d| d.rule == rules::missing_lock_timeout::MISSING_LOCK_TIMEOUT.name)
        {
            lock_timeout_reported = true;
        }
        for c in &changes {
            match c.kind {
                ChangeKind::Begin => explicit_tx = true,
                ChangeKind::Commit => explicit_tx = false,
                ChangeKind::SetLockTimeout => lock_timeout_set = true,
                _ => {}
            }
            state.note(c);
        }
    }
}

/// First words of statements whose lock, data or session facts the token scan
/// reads (see [`crate::scan::scan_ops`]).
const OPS_WORDS: &[&str] = &[
    "CREATE", "DROP", "ALTER", "TRUNCATE", "UPDATE", "DELETE", "SET", "BEGIN", "START", "COMMIT",
    "END", "ROLLBACK", "EXEC", "EXECUTE",
];

fn first_word(text: &str, span: Span) -> &str {
    let n = text.as_bytes()[span.start..span.end]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    &text[span.start..span.start + n]
}

fn may_change_schema(s: &Statement) -> bool {
    matches!(
        s,
        Statement::CreateTable(_)
            | Statement::CreateView(_)
            | Statement::CreateType { .. }
            | Statement::AlterTable(_)
            | Statement::RenameTable(_)
            | Statement::Drop { .. }
            | Statement::AlterType(_)
    )
}

/// Replays parsed history files into the schema model, for
/// [`LintContext::history`]. Statements the model cannot follow are skipped by
/// the model (it never stops); rejected statements have no AST to replay.
pub fn replay_schema(history: &[ParsedFile]) -> crate::model::Schema {
    let mut schema = crate::model::Schema::new();
    for f in history {
        for s in &f.statements {
            if let Some(ast) = &s.ast {
                schema.apply(ast, f.dialect);
            }
        }
    }
    schema
}

/// The default mode of `check` without `--base` or explicit files: each
/// migration, in order, is its own release against the schema replayed from the
/// migrations before it. Replays incrementally, so the work is linear in the
/// number of files. `files` must be in version order.
pub fn lint_each_as_release(files: &[ParsedFile]) -> Vec<Diagnostic> {
    let mut schema = crate::model::Schema::new();
    let mut out = Vec::new();
    for f in files {
        let ctx = LintContext {
            history: Some(&schema),
        };
        let mut state = ReleaseState::default();
        lint_file(f, &mut state, &ctx, &mut out);
        for s in &f.statements {
            if let Some(ast) = &s.ast {
                schema.apply(ast, f.dialect);
            }
        }
    }
    sort_diagnostics(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_migration_is_checked_against_the_ones_before() {
        let files: Vec<ParsedFile> = [
            "CREATE TABLE users (id bigint PRIMARY KEY, email text, phone text NOT NULL);",
            "ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users DROP COLUMN nick;",
            "ALTER TABLE users DROP COLUMN email;\nALTER TABLE users ALTER COLUMN phone SET NOT NULL;",
            "DROP TABLE never_created;",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| parse_file(&SourceFile::new(format!("{i}.sql"), *t), Layout::Plain, Dialect::Postgres))
        .collect();
        let compat: Vec<(String, String)> = lint_each_as_release(&files)
            .into_iter()
            .filter(|d| d.severity == canary_lint_core::Severity::Error)
            .map(|d| (d.file.to_string(), d.rule))
            .collect();
        // 1.sql drops a column it added itself; phone was already NOT NULL; the
        // history never saw never_created.
        assert_eq!(
            compat,
            vec![("2.sql".to_string(), "drop-column".to_string())]
        );
    }
}
