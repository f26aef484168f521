//! tighten-constraint: a constraint added to a table stable writes.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use crate::model::ConstraintKind;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports a CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or EXCLUDE constraint,
    /// or a unique index, added to a table stable knew (also with `NOT VALID`:
    /// new writes are still checked). Quiet for tables created in the release,
    /// for constraints only on columns the release adds (stable does not write
    /// them), and for a table swapped under its name with the constraints it had
    /// (an `EXCLUDE` is the same constraint when its method, elements and
    /// `WHERE` are).
    ///
    /// Also quiet for a constraint stable's schema already enforced: a CHECK with
    /// the same expression, a FOREIGN KEY from the same columns to the same
    /// table (by name, a target renamed in the release, or one swapped under
    /// its name) and columns (none means its primary key), and a UNIQUE constraint or unique index
    /// whose columns include all those of a unique index, unique constraint or
    /// primary key stable already had (rows unique on `email` are unique on
    /// `email, org`). A partial unique index (`WHERE ..`) covers only a new
    /// unique index with the same `WHERE`; one on more columns than the new
    /// constraint covers nothing. A PRIMARY KEY is covered the same way when its
    /// columns were also NOT NULL already.
    ///
    /// ## Why it breaks stable
    /// Stable's writes were valid under the old rules; those that violate the new
    /// constraint now fail while stable still serves traffic.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Use instead
    /// Ship code that only writes values the constraint accepts first (and clean
    /// up existing rows); add the constraint in a later release.
    pub const TIGHTEN_CONSTRAINT = {
        name: "tighten-constraint",
        family: Compat,
        severity: Warning,
        summary: "a new constraint that stable's writes may violate"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for (b, a) in cx.kept_tables() {
        // Without a column rename on the table, every column has its old name.
        let renamed = cx.renames.iter().any(|r| {
            r.kind == crate::model::RenameKind::Column
                && r.parent.as_deref() == Some(b.key.as_str())
        });
        // A constraint only on columns new in the release constrains no write of
        // stable's (stable does not write them); an expression counts as old.
        let touches_old = |cols: &[String]| {
            cols.is_empty()
                || cols
                    .iter()
                    .any(|c| c.contains('(') || b.has_column(cx.column_origin(&b.key, c)))
        };
        // A unique rule on columns stable's schema already kept unique.
        let already_unique = |cols: &[String], predicate: Option<&str>| {
            cx.before
                .keeps_unique(&b.key, &origin(cx, &b.key, renamed, cols), predicate)
        };
        // A primary key also makes its columns NOT NULL: covered when stable's
        // columns already were.
        let not_null = |cols: &[String]| {
            cols.iter().all(|c| {
                b.column(cx.column_origin(&b.key, c))
                    .is_some_and(|c| !c.nullable)
            })
        };
        let mut added: Vec<String> = a
            .constraints
            .iter()
            // Without column renames, one stable's schema had as it is: known.
            .filter(|c| renamed || !b.constraints.contains(c))
            .filter(|c| touches_old(&c.columns))
            .filter(|c| {
                let cols = origin(cx, &b.key, renamed, &c.columns);
                let known = b
                    .constraints
                    .iter()
                    .any(|o| o.columns[..] == cols[..] && same_kind(cx, &o.kind, &c.kind));
                let covered = || match c.kind {
                    ConstraintKind::Unique => already_unique(&c.columns, None),
                    ConstraintKind::PrimaryKey => {
                        already_unique(&c.columns, None) && not_null(&c.columns)
                    }
                    _ => false,
                };
                !known && !covered()
            })
            .map(|c| match &c.kind {
                ConstraintKind::Check(e) => format!("CHECK ({e})"),
                ConstraintKind::Exclude(e) => format!("EXCLUDE {e}"),
                ConstraintKind::Unique => format!("UNIQUE ({})", c.columns.join(", ")),
                ConstraintKind::ForeignKey { table, .. } => {
                    format!("FOREIGN KEY ({}) REFERENCES {table}", c.columns.join(", "))
                }
                ConstraintKind::PrimaryKey => format!("PRIMARY KEY ({})", c.columns.join(", ")),
            })
            .collect();
        added.extend(
            cx.after
                .indexes_on(&a.key)
                .filter(|i| {
                    i.unique
                        && touches_old(&i.columns)
                        && !already_unique(&i.columns, i.predicate.as_deref())
                })
                .map(|i| format!("unique index `{}` ({})", i.name, i.columns.join(", "))),
        );
        if added.is_empty() {
            continue;
        }
        let obj = ObjKey::Table(b.key.clone());
        let Some(at) = cx
            .last(&obj, &[Act::Constrain])
            .or_else(|| cx.table_site(&b.key))
        else {
            continue;
        };
        for c in added {
            out.push(cx.diag(
                &TIGHTEN_CONSTRAINT,
                at,
                format!(
                    "`{}` gets {c}: stable's writes were valid without it, and those that violate it now fail",
                    a.name
                ),
                "adds a constraint".to_string(),
                "ship code that only writes values the constraint accepts first; add the constraint in a later release".to_string(),
            ));
        }
    }
}

/// Columns of `table` as they were named before the release's renames (`cols`
/// itself when the release renamed none of the table's columns).
fn origin<'c>(
    cx: &ReleaseCx<'_>,
    table: &str,
    renamed: bool,
    cols: &'c [String],
) -> std::borrow::Cow<'c, [String]> {
    if !renamed {
        return std::borrow::Cow::Borrowed(cols);
    }
    cols.iter()
        .map(|c| cx.column_origin(table, c).to_string())
        .collect::<Vec<_>>()
        .into()
}

/// Two constraints of the same kind: a check by its expression, a foreign key
/// by the table it references (by name, a target the release renamed, or a
/// target swapped under its name) and the columns it references there (none:
/// the target's primary key).
fn same_kind(cx: &ReleaseCx<'_>, old: &ConstraintKind, new: &ConstraintKind) -> bool {
    match (old, new) {
        (
            ConstraintKind::ForeignKey {
                table: old_table,
                columns: old_columns,
            },
            ConstraintKind::ForeignKey { table, columns },
        ) => {
            // The old target under the name it ends the release with.
            let mut target = old_table.as_str();
            for r in cx.renames {
                if r.kind == crate::model::RenameKind::Table && r.from == target {
                    target = &r.to;
                }
            }
            cx.running
                .same_foreign_key(old_table, target, old_columns, table, columns)
        }
        _ => old == new,
    }
}
