//! drop-column: `ALTER TABLE .. DROP COLUMN` on a column stable uses.

use super::{qualified, ReleaseCx, RuleCx};
use crate::changes::{Change, ChangeKind};
use crate::delta::Act;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TABLE .. DROP COLUMN` on a column that existed before the
    /// release (MySQL and SQLite `DROP [COLUMN]` too).
    ///
    /// ## Why it breaks stable
    /// While the canary rolls out, the stable version keeps running against the
    /// same database. Its `SELECT`s name the column, its `INSERT`s and `UPDATE`s
    /// write it, and ORMs often list every mapped column: all of those queries
    /// fail the moment the column is gone, long before stable is retired.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users DROP COLUMN email;
    /// ```
    ///
    /// ## Use instead
    /// Expand-contract over two releases: first ship code that no longer reads or
    /// writes the column (make it nullable or give it a default if stable's
    /// INSERTs still need that), and drop the column only in a later release,
    /// once no running version references it.
    pub const DROP_COLUMN = {
        name: "drop-column",
        family: Compat,
        severity: Error,
        summary: "dropping a column stable still reads or writes"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::DropColumn { table, column, .. } = &change.kind else {
        return;
    };
    if cx.release.column(table, column) || !cx.stable_may_know_column(table, column) {
        return;
    }
    let q = qualified(table, column);
    out.push(cx.diag(
        &DROP_COLUMN,
        change,
        format!(
            "dropping `{q}` breaks stable: stable's schema has `{q}`; the running version may still read or write it, and those queries fail as soon as the column is gone"
        ),
        format!("drops `{q}`"),
        format!(
            "stop reading and writing `{}` in this release; drop the column in a later release, once no running version uses it",
            column.display
        ),
    )
    .subject(table.key.clone(), Some(column.key.clone())));
}

/// Columns a table stable knew has lost by the end of the release without a
/// statement dropping them (a table swap or rebuild): reported at the statement
/// that gave the table its new shape.
pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for k in cx.kept() {
        let (b, a) = (k.before, k.after);
        for &(col, now) in &k.changed_columns {
            if now.is_some() {
                continue;
            }
            let subject = format!("{}.{}", b.key, col.key);
            if cx.confirmed(DROP_COLUMN.name, &subject)
                || cx.confirmed("rename-column", &subject)
                || cx
                    .last(
                        &crate::delta::ObjKey::Column(b.key.clone(), col.key.to_string()),
                        &[Act::Drop, Act::RenameAway],
                    )
                    .is_some()
            {
                continue;
            }
            let Some(at) = cx.table_site(&b.key) else {
                continue;
            };
            let q = format!("{}.{}", a.name, col.name);
            out.push(
                cx.diag(
                    &DROP_COLUMN,
                    at,
                    format!(
                        "`{}` ends the release without `{}`: {}, and queries naming it fail",
                        a.name,
                        col.name,
                        cx.uses(&format!("`{q}`"))
                    ),
                    format!("`{}` has no `{}` after this", a.name, col.name),
                    format!(
                        "keep `{}` in the new `{}` in this release; drop it in a later release, once no running version uses it",
                        col.name, a.name
                    ),
                )
                .subject(b.key.clone(), Some(col.key.to_string())),
            );
        }
    }
}
