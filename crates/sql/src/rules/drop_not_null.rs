//! drop-not-null: a NOT NULL column stable reads becomes nullable.

use super::ReleaseCx;
use crate::delta::Act;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports a column stable knew as `NOT NULL` that is nullable after the
    /// release (`ALTER COLUMN .. DROP NOT NULL`, a MySQL `MODIFY` without
    /// `NOT NULL`, a re-created table whose column lost the constraint).
    ///
    /// ## Why it breaks stable
    /// Stable's code was written against a column that is always set: its model
    /// types are not optional, its code does not check for NULL. Once the canary
    /// writes NULL there, stable's reads of those rows fail to decode or
    /// misbehave.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// First ship readers that accept NULL (optional types, a fallback), then drop
    /// the constraint in a later release.
    pub const DROP_NOT_NULL = {
        name: "drop-not-null",
        family: Compat,
        severity: Warning,
        summary: "a column stable treats as always set may now be NULL"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for k in cx.kept() {
        let (b, a) = (k.before, k.after);
        for &(col, now) in &k.changed_columns {
            let Some(now) = now else {
                continue;
            };
            if col.nullable || !now.nullable {
                continue;
            }
            let Some(at) = cx.column_site(&b.key, &col.key, &[Act::Alter, Act::ChangeType]) else {
                continue;
            };
            let q = format!("{}.{}", a.name, now.name);
            out.push(cx.diag(
                &DROP_NOT_NULL,
                at,
                format!(
                    "`{q}` may now be NULL: {}, and code written for it may not expect NULL",
                    cx.uses(&format!("`{q}` as NOT NULL"))
                ),
                format!("`{}` becomes nullable", now.name),
                format!(
                    "ship readers of `{}` that accept NULL first; drop NOT NULL in a later release",
                    now.name
                ),
            ));
        }
    }
}
