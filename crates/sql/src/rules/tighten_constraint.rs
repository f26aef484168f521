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
        let obj = ObjKey::Table(b.key.clone());
        let Some(at) = cx
            .last(&obj, &[Act::Constrain])
            .or_else(|| cx.table_site(&b.key))
        else {
            continue;
        };
        // Columns as they were named before the release's renames.
        let origin = |cols: &[String]| -> Vec<String> {
            cols.iter()
                .map(|c| cx.column_origin(&b.key, c).to_string())
                .collect()
        };
        // A constraint only on columns new in the release constrains no write of
        // stable's (stable does not write them); an expression counts as old.
        let touches_old = |cols: &[String]| {
            cols.is_empty()
                || cols
                    .iter()
                    .any(|c| c.contains('(') || b.has_column(cx.column_origin(&b.key, c)))
        };
        let mut added: Vec<String> = a
            .constraints
            .iter()
            .filter(|c| touches_old(&c.columns))
            .filter(|c| {
                let cols = origin(&c.columns);
                !b.constraints
                    .iter()
                    .any(|o| same_kind(&o.kind, &c.kind) && o.columns == cols)
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
        let old_unique: Vec<Vec<String>> = cx
            .before
            .indexes_on(&b.key)
            .filter(|i| i.unique)
            .map(|i| i.columns.clone())
            .chain(
                b.constraints
                    .iter()
                    .filter(|c| {
                        matches!(c.kind, ConstraintKind::Unique | ConstraintKind::PrimaryKey)
                    })
                    .map(|c| c.columns.clone()),
            )
            .collect();
        added.extend(
            cx.after
                .indexes_on(&a.key)
                .filter(|i| {
                    i.unique && touches_old(&i.columns) && !old_unique.contains(&origin(&i.columns))
                })
                .map(|i| format!("unique index `{}` ({})", i.name, i.columns.join(", "))),
        );
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

/// Two constraints of the same kind (a check by its expression, a foreign key by
/// its kind only: a renamed target table is the same reference).
fn same_kind(a: &ConstraintKind, b: &ConstraintKind) -> bool {
    match (a, b) {
        (ConstraintKind::ForeignKey { .. }, ConstraintKind::ForeignKey { .. }) => true,
        _ => a == b,
    }
}
