//! drop-type: a user type stable uses is dropped.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports a user-defined type (enum, composite, domain, range) that stable
    /// knew and that no longer exists under its name after the release. A type
    /// dropped and re-created in the release is judged by its labels
    /// (`drop-enum-value`, `add-enum-value`); a rename is `rename-type`. Types
    /// created in the release are not reported.
    ///
    /// ## Why it breaks stable
    /// Stable's queries cast to the type (`'x'::status`) and its columns use it;
    /// those queries fail once the type is gone.
    ///
    /// ## Example
    /// ```sql
    /// DROP TYPE legacy_status;
    /// ```
    ///
    /// ## Use instead
    /// Stop using the type in one release; drop it in a later release.
    pub const DROP_TYPE = {
        name: "drop-type",
        family: Compat,
        severity: Error,
        summary: "dropping a type stable uses"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.delta.iter().filter(|e| {
        e.change.description.starts_with("enum type dropped")
            || e.change.description.starts_with("type dropped")
    }) {
        let key = &e.change.object;
        let obj = ObjKey::Type(key.clone());
        let Some(at) = cx.last(&obj, &[Act::Drop]).or_else(|| cx.last(&obj, &[])) else {
            continue;
        };
        let name = crate::names::bare(key);
        out.push(cx.diag(
            &DROP_TYPE,
            at,
            format!(
                "dropping type `{name}` breaks stable: {}, and its casts and columns of the type fail once it is gone",
                cx.uses(&format!("`{name}`"))
            ),
            format!("drops `{name}`"),
            format!("stop using `{name}` in this release; drop it in a later release"),
        ));
    }
}
