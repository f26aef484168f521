//! Entry points around the release engine ([`crate::engine`]): history replay,
//! each migration as its own release, and the one-step-rename hint.

use crate::delta::Knowledge;
use crate::engine::{analyze_release, analyze_release_findings};
use crate::layout::Layout;
use crate::model::Schema;
use crate::parse::{parse_file_all, parse_file_checked, ParsedFile};
use crate::Dialect;
use canary_lint_core::{sort_diagnostics, Diagnostic, SourceFile, Span};

/// Parses and checks the files of one release, in the order given (version
/// order), with no history: the path of a loose SQL file. See
/// [`crate::engine::analyze_release`].
pub fn lint_release(release: &[(SourceFile, Layout)], dialect: Dialect) -> Vec<Diagnostic> {
    let parsed: Vec<ParsedFile> = release
        .iter()
        .map(|(f, l)| parse_file_checked(f, *l, dialect))
        .collect();
    analyze_release_findings(&mut Schema::new(), Knowledge::NoHistory, &parsed).diagnostics
}

/// Checks `file` as one release against `history` (a SQL file replayed first into
/// the schema model), as `check` judges a migration after the ones before it;
/// without a history the release is judged alone. The rule fixtures run through
/// it (in-process, and through the binary in the end-to-end tests).
pub fn analyze_file(
    file: &SourceFile,
    history: Option<&SourceFile>,
    layout: Layout,
    dialect: Dialect,
) -> crate::engine::ReleaseAnalysis {
    let (mut schema, knowledge) = match history {
        Some(h) => (
            replay_schema(&[parse_file_all(h, Layout::Plain, dialect)]),
            Knowledge::History,
        ),
        None => (Schema::new(), Knowledge::NoHistory),
    };
    let release = [parse_file_all(file, layout, dialect)];
    analyze_release(&mut schema, knowledge, &release)
}

/// Replays parsed history files into the schema model, for
/// the release engine ([`crate::engine::analyze_release`]). Statements the model cannot follow are skipped by
/// the model (it never stops); of the rejected statements only those the token
/// scan reads whole are replayed (`DROP INDEX CONCURRENTLY`).
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
        let applied = match s.tree(&pf.file.text, pf.dialect) {
            Some(ast) => schema.apply_in(
                &ast,
                &crate::changes::StatementText::new(&pf.file.text, s.span, pf.dialect),
            ),
            None if s.read().is_some() => {
                schema.apply_read(&crate::parse::read_changes(s), pf.dialect)
            }
            None if s.error().is_some() => {
                crate::engine::replay_rejected(schema, &pf.file.text, s.span, pf.dialect)
            }
            None => continue,
        };
        if let crate::model::Applied::NotUnderstood(why) = applied {
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
    for (i, f) in files.iter().enumerate() {
        let knowledge = if i == 0 {
            Knowledge::NoHistory
        } else {
            Knowledge::History
        };
        out.extend(
            analyze_release_findings(&mut schema, knowledge, std::slice::from_ref(f)).diagnostics,
        );
    }
    sort_diagnostics(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_file_all;

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
        .map(|(i, t)| parse_file_all(&SourceFile::new(format!("{i}.sql"), *t), Layout::Plain, Dialect::Postgres))
        .collect();
        let all = lint_each_as_release(&files);
        let compat: Vec<(String, String)> = all
            .iter()
            .filter(|d| d.severity == canary_lint_core::Severity::Error)
            .map(|d| (d.file.to_string(), d.rule.clone()))
            .collect();
        // 1.sql drops a column it added itself; phone was already NOT NULL; the
        // history never created never_created: the table may exist outside the
        // migrations, so the drop is reported, and says what is not known.
        assert_eq!(
            compat,
            vec![
                ("2.sql".to_string(), "drop-column".to_string()),
                ("3.sql".to_string(), "drop-table".to_string())
            ]
        );
        assert!(all
            .iter()
            .any(|d| d.file.as_ref() == "3.sql" && d.message.contains("never create")));
    }
}
