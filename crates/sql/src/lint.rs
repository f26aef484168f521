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
    mark_one_step_renames(&state, &mut out);
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
    mark_one_step_renames(&state, &mut out);
    sort_diagnostics(&mut out);
    out
}

/// A release that adds column B and drops column A of the same table, where the two
/// names are related (`email` and `email_address`, `name` and `full_name`), is
/// usually a rename squeezed into one deploy: say so, and give the two-release
/// recipe instead of the generic one. An unrelated new column says nothing.
fn mark_one_step_renames(state: &ReleaseState, out: &mut [Diagnostic]) {
    for d in out.iter_mut() {
        if d.rule != "drop-column" {
            continue;
        }
        let Some(subject) = &d.subject else { continue };
        let Some(old) = &subject.column else { continue };
        let Some(new) = state
            .added_columns(&subject.table)
            .find(|c| *c != old.as_str() && related_names(old, c))
        else {
            continue;
        };
        let table = crate::names::bare(&subject.table).to_string();
        d.message.push_str(&format!(
            "; the same release adds `{table}.{new}`: this looks like a rename done in one step"
        ));
        d.help = Some(format!(
            "split it over two releases. Release 1 (expand): add `{new}`, write both `{old}` and `{new}`, \
             backfill `{new}` from `{old}`, switch reads to `{new}`. Release 2 (contract), once no running \
             version reads or writes `{old}`: drop `{old}`"
        ));
    }
}

/// Two column names that plausibly name the same thing: one contains the other
/// once separators are dropped, or they share a word of three letters or more.
fn related_names(a: &str, b: &str) -> bool {
    let flat = |s: &str| s.to_lowercase().replace(['_', '-'], "");
    let (fa, fb) = (flat(a), flat(b));
    if fa.len() >= 3 && fb.len() >= 3 && (fa.contains(&fb) || fb.contains(&fa)) {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(['_', '-'])
            .filter(|w| w.len() >= 3)
            .map(str::to_string)
            .collect()
    };
    let wb = words(b);
    words(a).iter().any(|w| wb.contains(w))
}

/// Lints one file of a release, after the files before it (`state`).
fn lint_file(
    pf: &ParsedFile,
    state: &mut ReleaseState,
    ctx: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let text: &str = &pf.file.text;
    let framework_tx = crate::layout::transactions(pf.layout, &pf.file.path, text, pf.dialect);
    let mut explicit_tx = false;
    let mut lock_timeout_set = false;
    let mut lock_timeout_reported = false;
    for s in &pf.statements {
        let first = first_word(text, s.span);
        let ops = OPS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first))
            && (!first.eq_ignore_ascii_case("CREATE")
                || crate::scan::create_is_index(text, s.span, pf.dialect));
        let schema = s.ast.as_deref().is_some_and(may_change_schema);
        let rejected = s.ast.is_none() && !s.skipped;
        // DDL inside `DO` blocks and routine bodies, found by the token scan.
        let in_bodies = crate::scan::in_bodies(text, s.span, pf.dialect);
        if !ops && !schema && !rejected && in_bodies.is_empty() {
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
        changes.extend(in_bodies);
        let cx = RuleCx {
            file: &pf.file,
            dialect: pf.dialect,
            release: state,
            history: ctx.history,
            in_transaction: framework_tx.at(s.span.start) || explicit_tx,
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
        replay_file(&mut schema, f);
    }
    schema
}

/// Replays one parsed file into `schema` and returns the statements the model did
/// not follow (their span and the model's reason), for `--verbose`.
pub fn replay_file(schema: &mut crate::model::Schema, pf: &ParsedFile) -> Vec<(Span, String)> {
    let mut skipped = Vec::new();
    for s in &pf.statements {
        let Some(ast) = &s.ast else { continue };
        if let crate::model::Applied::NotUnderstood(why) = schema.apply(ast, pf.dialect) {
            skipped.push((s.span, why));
        }
    }
    skipped
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
        replay_file(&mut schema, f);
    }
    sort_diagnostics(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_column_names() {
        assert!(related_names("email", "email_address"));
        assert!(related_names("name", "full_name"));
        assert!(related_names("user_name", "username"));
        assert!(!related_names("legacy_flags", "email_verified"));
        assert!(!related_names("id", "uuid"));
    }

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
