//! drop-function: a function stable calls is dropped, or re-created with another
//! signature.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports a function or procedure stable knew that, after the release, no
    /// longer exists under its name, or exists with other argument or return
    /// types. A function dropped and re-created with the same signature (the
    /// usual way to change its body) is not reported; functions created in the
    /// release are not reported, nor are trigger functions (`RETURNS trigger`:
    /// their triggers call them, not stable's code). Overloads are told apart
    /// by their argument types: `CREATE OR REPLACE FUNCTION f(bigint)` beside a
    /// known `f(int)` adds an overload (stable's `f(int)` still exists), and
    /// dropping one overload is reported even when others of the name remain.
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
        if before.returns_trigger
            || before
                .signature
                .to_ascii_uppercase()
                .ends_with("RETURNS EVENT_TRIGGER")
        {
            // Called by its triggers, not by stable's code.
            continue;
        }
        let bare = crate::names::bare(&before.name_key);
        // One overload of several is named with its argument types.
        let name = if cx.before.overloads(&before.name_key).len() > 1 {
            format!(
                "{bare}{}",
                key.get(before.name_key.len()..).unwrap_or_default()
            )
        } else {
            bare.to_string()
        };
        let replacement = match cx.after.function(key) {
            // Same arguments, another return type.
            Some(f) if f.signature != before.signature => cx
                .last(&ObjKey::Function(key.to_string()), &[Act::Create])
                .map(|at| (at, f)),
            Some(_) => continue,
            // Overloads are functions of their own: another overload of the
            // name made in the release is a new signature only when this one
            // is gone.
            None => cx
                .after
                .overloads(&before.name_key)
                .into_iter()
                .find_map(|k| {
                    let at = cx.last(&ObjKey::Function(k.clone()), &[Act::Create])?;
                    let f = cx.after.function(&k)?;
                    cx.before.function(&k).is_none().then_some((at, f))
                }),
        };
        let (at, message) = match replacement {
            Some((at, f)) => (
                Some(at),
                format!(
                    "function `{name}` is re-created as `{}` instead of `{}`: stable's calls to the old signature fail",
                    f.signature, before.signature
                ),
            ),
            None => (
                cx.last(&ObjKey::Function(key.to_string()), &[Act::Drop]),
                format!(
                    "dropping function `{name}` breaks stable: {}, and its calls fail once it is gone",
                    cx.uses(&format!("`{name}`"))
                ),
            ),
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
