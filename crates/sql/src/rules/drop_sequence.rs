//! drop-sequence: a sequence stable uses is dropped.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `DROP SEQUENCE` of a sequence stable knew that does not exist
    /// after the release. Sequences created in the release are not reported.
    ///
    /// ## Why it breaks stable
    /// Stable calls `nextval('seq')` (directly, or through a column default it
    /// relies on); those calls fail once the sequence is gone.
    ///
    /// ## Example
    /// ```sql
    /// DROP SEQUENCE invoice_number_seq;
    /// ```
    ///
    /// ## Use instead
    /// Stop using the sequence in one release; drop it in a later release.
    pub const DROP_SEQUENCE = {
        name: "drop-sequence",
        family: Compat,
        severity: Error,
        summary: "dropping a sequence stable uses"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx
        .delta
        .iter()
        .filter(|e| e.change.description.starts_with("sequence dropped"))
    {
        let key = &e.change.object;
        let Some(at) = cx.last(&ObjKey::Sequence(key.clone()), &[Act::Drop]) else {
            continue;
        };
        let name = crate::names::bare(key);
        out.push(cx.diag(
            &DROP_SEQUENCE,
            at,
            format!(
                "dropping sequence `{name}` breaks stable: {}, and its `nextval('{name}')` calls fail once it is gone",
                cx.uses(&format!("`{name}`"))
            ),
            format!("drops `{name}`"),
            format!("stop using `{name}` in this release; drop it in a later release"),
        ));
    }
}
