//! drop-function: a function stable calls is dropped, or re-created with another
//! signature.

use super::ReleaseCx;
use crate::engine::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports a function or procedure stable knew that, after the release, no
    /// longer exists under its name, or exists with other argument or return
    /// types. A function dropped and re-created with the same signature (the
    /// usual way to change its body) is not reported; functions created in the
    /// release are not reported, nor are trigger functions (`RETURNS trigger`:
    /// their triggers call them, not stable's code). Overloads are not told
    /// apart: the model keeps one signature per name.
    ///
    /// ## Why it breaks stable
    /// Stable calls the function by name and argument types; once it is gone, or
    /// takes other arguments, those calls fail.
    ///
    /// ## Example
    /// ```sql
    /// DROP FUNCTION user_score(bigint);
    /// ```
    ///
    /// ## Use instead
    /// Add the new function (or signature) beside the old one, move callers, and
    /// drop the old one in a later release.
    pub const DROP_FUNCTION = {
        name: "drop-function",
        family: Compat,
        severity: Error,
        summary: "dropping (or changing the signature of) a function stable calls"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for (key, before) in cx.before.functions() {
        let sig = before.signature.to_ascii_uppercase();
        if sig.ends_with("RETURNS TRIGGER") || sig.ends_with("RETURNS EVENT_TRIGGER") {
            // Called by its triggers, not by stable's code.
            continue;
        }
        let obj = ObjKey::Function(key.to_string());
        let name = crate::names::bare(key);
        let (at, message) = match cx.after.function(key) {
            None => (
                cx.last(&obj, &[Act::Drop]),
                format!(
                    "dropping function `{name}` breaks stable: {}, and its calls fail once it is gone",
                    cx.uses(&format!("`{name}`"))
                ),
            ),
            Some(f) if f.signature != before.signature => (
                cx.last(&obj, &[Act::Create]),
                format!(
                    "function `{name}` is re-created as `{}` instead of `{}`: stable's calls to the old signature fail",
                    f.signature, before.signature
                ),
            ),
            Some(_) => continue,
        };
        let Some(at) = at else { continue };
        out.push(cx.diag(
            &DROP_FUNCTION,
            at,
            message,
            format!("`{name}` as stable knew it is gone"),
            format!("keep `{name}` with its signature in this release; drop or change it in a later release"),
        ));
    }
}
