//! rename-type: a user type stable uses is renamed.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TYPE .. RENAME TO` of a type stable knew, when no type of
    /// the old name exists after the release (an enum swap that re-creates the
    /// old name is judged by its labels instead).
    ///
    /// ## Why it breaks stable
    /// Stable names the type in casts (`'x'::status`) and functions; those fail
    /// once the old name is gone.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TYPE status RENAME TO account_status;
    /// ```
    ///
    /// ## Use instead
    /// Create the type under the new name, move the canary to it, and drop the old
    /// one in a later release.
    pub const RENAME_TYPE = {
        name: "rename-type",
        family: Compat,
        severity: Error,
        summary: "renaming a type stable uses"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx
        .delta
        .iter()
        .filter(|e| e.change.description.contains("type renamed from"))
    {
        let new = &e.change.object;
        let Some(at) = cx.last(&ObjKey::Type(new.clone()), &[Act::RenameInto]) else {
            continue;
        };
        let old = cx
            .renames
            .iter()
            .find(|r| r.to == *new && r.kind == crate::model::RenameKind::Type)
            .map_or(new.as_str(), |r| r.from.as_str());
        let (old, new) = (crate::names::bare(old), crate::names::bare(new));
        out.push(cx.diag(
            &RENAME_TYPE,
            at,
            format!(
                "renaming type `{old}` to `{new}` breaks stable: {}, and its casts to `{old}` fail",
                cx.uses(&format!("`{old}`"))
            ),
            format!("renames `{old}`"),
            format!("create `{new}` beside `{old}`, move the canary to it, and drop `{old}` in a later release"),
        ));
    }
}
