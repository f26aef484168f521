//! rename-enum-value: Postgres `ALTER TYPE .. RENAME VALUE`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TYPE t RENAME VALUE 'a' TO 'b'` on an enum type
    /// that existed before the release.
    ///
    /// ## Why it breaks stable
    /// The stable version still writes the old label and compares against it in
    /// its queries. After the rename the database rejects the old label
    /// (`invalid input value for enum`), so stable's writes fail and its filters
    /// silently match nothing.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TYPE order_status RENAME VALUE 'shipped' TO 'dispatched';
    /// ```
    ///
    /// ## Use instead
    /// Add the new label with `ALTER TYPE .. ADD VALUE`, have the canary write
    /// the new label and accept both, migrate existing rows, and stop accepting
    /// the old label only in a later release.
    pub const RENAME_ENUM_VALUE = {
        name: "rename-enum-value",
        family: Compat,
        severity: Error,
        summary: "renaming an enum label stable still writes"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::RenameEnumValue { ty, from, to } = &change.kind else {
        return;
    };
    if cx.release.enum_type(ty) {
        return;
    }
    if let Some(h) = cx.history {
        if !h.has_type(&ty.key) {
            return;
        }
    }
    out.push(cx.diag(
        &RENAME_ENUM_VALUE,
        change,
        format!(
            "renaming value '{from}' of type `{}` to '{to}' breaks stable: stable's schema has '{from}'; the running version may still write it, which the database then rejects",
            ty.display
        ),
        format!("renames '{from}' to '{to}'"),
        format!(
            "add '{to}' with ALTER TYPE {} ADD VALUE, accept both labels in the canary, migrate rows, and retire '{from}' in a later release",
            ty.display
        ),
    ));
}
