//! set-not-null: `SET NOT NULL`, MySQL `MODIFY .. NOT NULL`, on a nullable column.

use super::{qualified, ReleaseCx, RuleCx};
use crate::changes::{Change, ChangeKind};
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER COLUMN c SET NOT NULL` and MySQL `MODIFY`/`CHANGE` that make
    /// a column `NOT NULL`, when the column was nullable before the release.
    /// With migration history, columns already `NOT NULL` are not reported;
    /// without it the earlier nullability is unknown and the finding says so.
    /// Columns added in the release are not reported, nor columns a `CHECK (c IS
    /// NOT NULL)` constraint already keeps from NULL (added earlier in the
    /// release, or in the history): that is the recipe below, and stable's NULL
    /// writes already failed on the check (even a `NOT VALID` one checks every
    /// new write). A column renamed in the release and then made `NOT NULL` is
    /// judged by the column stable knew under its old name: the rename is
    /// `rename-column`'s finding, the new `NOT NULL` this rule's. The same holds
    /// for a renamed column of a table the release also renames (before or
    /// after the `NOT NULL`).
    ///
    /// ## Why it breaks stable
    /// The stable version may insert rows without the column, or write NULL into
    /// it. After the change those writes fail with a not-null violation while
    /// stable is still serving traffic.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// Make the canary always write the column, backfill the NULL rows, and add
    /// the constraint in a later release once no running version writes NULL.
    /// On Postgres: `ADD CONSTRAINT c_not_null CHECK (c IS NOT NULL) NOT VALID`,
    /// `VALIDATE CONSTRAINT c_not_null` in a later transaction, then `SET NOT
    /// NULL` (Postgres 12+ uses the validated check and skips the scan) and drop
    /// the check.
    pub const SET_NOT_NULL = {
        name: "set-not-null",
        family: Compat,
        severity: Error,
        summary: "making a column NOT NULL while stable may still write NULL"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::SetNotNull {
        table,
        column,
        restated,
    } = &change.kind
    else {
        return;
    };
    if cx.release.column(table, column) || !cx.stable_may_know_column(table, column) {
        return;
    }
    // The recipe: a `CHECK (c IS NOT NULL)` already rejects stable's NULL
    // writes (validated, Postgres 12+ also uses it to skip the scan).
    if cx.release.not_null_checked(table, column)
        || cx
            .history
            .is_some_and(|h| h.not_null_checked(&table.key, &column.key))
    {
        return;
    }
    let nullable = cx.stable_column(table, column).and_then(|f| f.nullable);
    if nullable == Some(false) {
        return;
    }
    let q = qualified(table, column);
    let known = if nullable == Some(true) {
        String::new()
    } else {
        " (whether it was nullable before is not known from the migrations seen)".to_string()
    };
    let verb = if *restated { "redefining" } else { "making" };
    let what = if *restated {
        format!("`{q}` as NOT NULL")
    } else {
        format!("`{q}` NOT NULL")
    };
    out.push(cx.diag(
        &SET_NOT_NULL,
        change,
        format!(
            "{verb} {what} breaks stable: stable may still insert rows without `{}` or write NULL into it, and those writes fail{known}",
            column.display
        ),
        format!("makes `{}` NOT NULL", column.display),
        format!(
            "make the canary always write `{}`, backfill NULL rows, and add NOT NULL in a later release",
            column.display
        ),
    )
    .subject(table.key.clone(), Some(column.key.clone()))
    );
}

/// Columns renamed in the release and made NOT NULL under their new name: the
/// statement step judges a column by the name stable knew, which the new name
/// is not, so the net effect on the column stable knew is judged here.
pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    // Only a table with a column renamed under one of its names has a column
    // whose name stable knew another.
    let renames_columns_of = |t: &str| {
        cx.renames
            .iter()
            .any(|r| r.kind == crate::model::RenameKind::Column && r.parent.as_deref() == Some(t))
    };
    for (b, a) in cx.kept_tables().chain(cx.renamed_tables()) {
        if !renames_columns_of(&b.key) && !renames_columns_of(&a.key) {
            continue;
        }
        for col in a.columns() {
            // Column renames are recorded under the table's name at the time:
            // the new name after a table rename, the old one before it.
            let origin = if a.key == b.key {
                cx.column_origin(&b.key, &col.key)
            } else {
                cx.column_origin(&b.key, cx.column_origin(&a.key, &col.key))
            };
            if *origin == *col.key || col.nullable {
                continue;
            }
            let Some(old) = b.column(origin) else {
                continue;
            };
            if !old.nullable || cx.confirmed(SET_NOT_NULL.name, &format!("{}.{}", a.key, col.key)) {
                continue;
            }
            let at = [&b.key, &a.key].into_iter().find_map(|t| {
                let obj = ObjKey::Column(t.clone(), col.key.to_string());
                cx.last(&obj, &[Act::Alter, Act::ChangeType])
            });
            let Some(at) = at else {
                continue;
            };
            // Stable's name for the column: with its table's old name too when
            // the release renamed the table.
            let stable_name = if a.key == b.key {
                old.name.to_string()
            } else {
                format!("{}.{}", b.name, old.name)
            };
            out.push(cx.diag(
                &SET_NOT_NULL,
                at,
                format!(
                    "making `{}.{}` NOT NULL breaks stable: stable knows this column as `{stable_name}` (renamed in this release), nullable; its INSERTs that leave the column out and its writes of NULL fail",
                    a.name, col.name
                ),
                format!("makes `{}` (stable's `{stable_name}`) NOT NULL", col.name),
                format!(
                    "keep `{}` nullable in this release; make the canary always write it, backfill NULL rows, and add NOT NULL in a later release",
                    col.name
                ),
            ));
        }
    }
}
