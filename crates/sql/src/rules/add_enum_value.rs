//! add-enum-value: a label added to an enum type stable reads.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports labels added to an enum type stable knew (`ALTER TYPE .. ADD
    /// VALUE`, or an enum re-created with more labels). Quiet for a type created
    /// in the release. Labels that are renames are `rename-enum-value`.
    ///
    /// ## Why it breaks stable
    /// The canary can write the new label; stable reads it back and has no
    /// mapping for it: ORM enums fail to decode, `switch` statements fall through.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TYPE order_status ADD VALUE 'refunded';
    /// ```
    ///
    /// ## Use instead
    /// Ship readers that accept the new label (an "unknown" fallback) first; add
    /// the label and start writing it in a later release.
    pub const ADD_ENUM_VALUE = {
        name: "add-enum-value",
        family: Compat,
        severity: Warning,
        summary: "a new enum label stable cannot map"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for (key, before) in cx.before.enum_types() {
        let Some(after) = cx.after.enum_type(key) else {
            continue;
        };
        let renamed_to: Vec<&str> = cx
            .renames
            .iter()
            .filter(|r| r.parent.as_deref() == Some(key))
            .map(|r| r.to.as_str())
            .collect();
        let added: Vec<&String> = after
            .values
            .iter()
            .filter(|v| !before.values.contains(v) && !renamed_to.contains(&v.as_str()))
            .collect();
        if added.is_empty() {
            continue;
        }
        let Some(at) = cx.last(
            &ObjKey::Type(key.to_string()),
            &[Act::Alter, Act::Create, Act::RenameInto],
        ) else {
            continue;
        };
        let labels = added
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(cx.diag(
            &ADD_ENUM_VALUE,
            at,
            format!(
                "enum `{}` gains {labels}: the canary can write {} stable has no mapping for",
                after.name,
                if added.len() == 1 { "a label" } else { "labels" }
            ),
            format!("adds {labels}"),
            "ship readers that accept the new label first; add it and write it in a later release".to_string(),
        ));
    }
}
