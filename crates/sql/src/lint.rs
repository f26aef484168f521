//! Linting a release: every statement of the release's files, in order, against
//! what the release created before it and what stable's history knew.

use crate::changes::{from_statement, StatementText};
use crate::history::History;
use crate::layout::Layout;
use crate::parse::{parse_file, ParsedFile};
use crate::rules::{self, unparsed_statement, ReleaseState, RuleCx};
use crate::scan::scan;
use crate::Dialect;
use canary_lint_core::{sort_diagnostics, Diagnostic, SourceFile};
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
    let parsed: Vec<ParsedFile> = release
        .iter()
        .map(|(f, l)| parse_file(f, *l, dialect))
        .collect();
    lint_parsed(&parsed, ctx)
}

/// Lints already parsed files of one release (parse them in parallel with
/// [`parse_file`], then call this). Findings are sorted.
pub fn lint_parsed(release: &[ParsedFile], ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut state = ReleaseState::default();
    for pf in release {
        for s in &pf.statements {
            let changes = match (&s.ast, &s.error) {
                (Some(ast), _) => {
                    if !may_change_schema(ast) {
                        continue;
                    }
                    from_statement(ast, &StatementText::new(&pf.file.text, s.span, pf.dialect))
                }
                (None, err) => {
                    let (message, at) = match err {
                        Some(e) => (e.message.as_str(), e.offset),
                        None => ("unknown error", None),
                    };
                    out.push(unparsed_statement::report(
                        &pf.file, s.span, at, message, pf.dialect,
                    ));
                    scan(&StatementText::new(&pf.file.text, s.span, pf.dialect))
                }
            };
            let cx = RuleCx {
                file: &pf.file,
                dialect: pf.dialect,
                release: &state,
                history: ctx.history,
            };
            for c in &changes {
                rules::check(&cx, c, &mut out);
            }
            for c in &changes {
                state.note(c);
            }
        }
    }
    sort_diagnostics(&mut out);
    out
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
