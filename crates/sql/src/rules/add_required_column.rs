//! add-required-column: `ADD COLUMN .. NOT NULL` without a default.

use super::{qualified, ReleaseCx, RuleCx};
use crate::changes::{Change, ChangeKind};
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TABLE .. ADD COLUMN c <type> NOT NULL` with no `DEFAULT`
    /// on a table that existed before the release. Nullable columns, columns
    /// with a default, generated and identity columns (`GENERATED`, `SERIAL`,
    /// `AUTO_INCREMENT`) and tables created in the release are not reported.
    ///
    /// Judged by the net effect of the release: a column added nullable and
    /// made `NOT NULL` later in the release is reported at the statement that
    /// completes it. Not reported either: a table with a `BEFORE INSERT` trigger
    /// (created in the release or in the history; it may set the column), and a
    /// table filled by trigger functions (`RETURNS trigger`, history or release)
    /// when every `INSERT INTO` that table in their bodies names the column.
    ///
    /// A column renamed away and a new one added under its name in the same
    /// release is judged by the net effect: stable still finds a column of
    /// that name, so only a new column that ends NOT NULL without a default
    /// where the old one could be omitted is reported (its type is judged by
    /// `change-column-type`, its nullability by `drop-not-null`).
    ///
    /// ## Why it breaks stable
    /// The stable version does not know the new column, so its `INSERT`s do not
    /// name it. With `NOT NULL` and no default, every one of those inserts fails
    /// with a not-null violation while stable is still serving traffic (and on
    /// most databases the statement fails outright on a non-empty table).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// Add the column nullable (or with a default), have the canary write it,
    /// backfill existing rows, and add `NOT NULL` in a later release once every
    /// running version writes the column.
    pub const ADD_REQUIRED_COLUMN = {
        name: "add-required-column",
        family: Compat,
        severity: Error,
        summary: "adding a NOT NULL column without a default that stable's INSERTs omit"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::AddColumn {
        table,
        column,
        spec,
    } = &change.kind
    else {
        return;
    };
    if !spec.not_null || spec.has_default || spec.generated {
        return;
    }
    if cx.release.table(table) || !cx.stable_may_know_table(table) {
        return;
    }
    let q = qualified(table, column);
    out.push(cx.diag(
        &ADD_REQUIRED_COLUMN,
        change,
        format!(
            "adding `{q}` as NOT NULL without a default breaks stable: stable's INSERTs into `{}` do not name `{}` and fail with a not-null violation",
            table.display, column.display
        ),
        format!("adds required column `{}`", column.display),
        format!(
            "add `{}` as nullable (or with a DEFAULT), write it from the canary, backfill, and set NOT NULL in a later release",
            column.display
        ),
    ));
}

/// A column new to a table stable knew that ends the release NOT NULL without a
/// default, however it got there (`ADD` + `SET NOT NULL`, `NOT NULL DEFAULT x` +
/// `DROP DEFAULT`, a re-created table with an extra required column): reported at
/// the statement that completes it, with the first statement as related location.
pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for (b, a) in cx.kept_tables() {
        let table = ObjKey::Table(b.key.clone());
        if cx.first(&table, &[Act::Trigger]).is_some() {
            continue;
        }
        for col in a.columns() {
            if col.can_be_omitted() {
                continue;
            }
            // A column of a name stable knows is new to stable's INSERTs only
            // when it replaced one renamed away that they could omit.
            let origin = cx.column_origin(&b.key, &col.key);
            let readded = match b.column(origin) {
                Some(old) => match cx.readded(&b.key, &col.key) {
                    Some(at) if *origin == *col.key && old.can_be_omitted() => Some(at),
                    _ => continue,
                },
                None => None,
            };
            // A BEFORE INSERT trigger, or trigger functions that fill the
            // table: the database writes the column.
            if cx.running.fills_on_insert(&a.key, &col.key) {
                continue;
            }
            let obj = ObjKey::Column(b.key.clone(), col.key.to_string());
            let Some(last) = cx.last(&obj, &[]).or_else(|| cx.table_site(&b.key)) else {
                continue;
            };
            let first = readded.or_else(|| cx.first(&obj, &[])).unwrap_or(last);
            let q = format!("{}.{}", a.name, col.name);
            if readded.is_some() {
                let mut d = cx.diag(
                    &ADD_REQUIRED_COLUMN,
                    last,
                    format!(
                        "`{q}` is a new column under the name of one renamed away in this release, and ends it NOT NULL without a default: stable's INSERTs into `{}` that omit `{}` (as they could before) fail with a not-null violation",
                        a.name, col.name
                    ),
                    format!("`{}` becomes required", col.name),
                    format!(
                        "keep `{}` nullable (or give it a DEFAULT) in this release; set NOT NULL in a later release, once every running version writes it",
                        col.name
                    ),
                );
                if first != last {
                    cx.relate(
                        &mut d,
                        first,
                        format!("the new `{}` is added here", col.name),
                    );
                }
                out.push(d);
                continue;
            }
            let mut d = cx.diag(
                &ADD_REQUIRED_COLUMN,
                last,
                format!(
                    "`{q}` is new and ends the release NOT NULL without a default: stable's INSERTs into `{}` do not name `{}` and fail with a not-null violation",
                    a.name, col.name
                ),
                format!("`{}` becomes required", col.name),
                format!(
                    "keep `{}` nullable (or give it a DEFAULT) in this release, write it from the canary, backfill, and set NOT NULL in a later release",
                    col.name
                ),
            );
            if first != last {
                cx.relate(&mut d, first, format!("`{}` is added here", col.name));
            }
            out.push(d);
        }
    }
}
