//! drop-enum-value: labels stable can write that the type no longer has.

use super::ReleaseCx;
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};
use sqlparser::ast::DataType;

declare_rule! {
    /// ## What it does
    /// Reports labels of an enum stable knew that the type no longer has after
    /// the release, however they went: an enum swap (rename the old type, create
    /// the new one, move the columns, drop the old), `DROP TYPE .. CASCADE` and a
    /// re-create, or a MySQL `ENUM(..)` column redefined without them. Labels
    /// renamed in the release are `rename-enum-value`.
    ///
    /// ## Why it breaks stable
    /// Stable still writes those labels; every such write fails once the type
    /// no longer accepts them.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TYPE status RENAME TO status_old;
    /// CREATE TYPE status AS ENUM ('active', 'closed');
    /// ALTER TABLE accounts ALTER COLUMN status TYPE status USING status::text::status;
    /// DROP TYPE status_old;
    /// ```
    ///
    /// ## Use instead
    /// Stop writing the label in one release (and migrate rows away from it);
    /// remove it in a later release.
    pub const DROP_ENUM_VALUE = {
        name: "drop-enum-value",
        family: Compat,
        severity: Error,
        summary: "enum labels stable writes are removed"
    };
}

fn report(
    cx: &ReleaseCx<'_>,
    out: &mut Vec<Diagnostic>,
    what: &str,
    lost: &[&String],
    at: crate::delta::StmtRef,
) {
    let labels = lost
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(cx.diag(
        &DROP_ENUM_VALUE,
        at,
        format!(
            "{what} no longer accepts {labels}: stable's schema allows {}, and the running version's writes of {} fail",
            if lost.len() == 1 { "it" } else { "them" },
            if lost.len() == 1 { "it" } else { "them" }
        ),
        format!("drops {labels}"),
        "stop writing the label (and move rows off it) in this release; remove it in a later release".to_string(),
    ));
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for (key, before) in cx.before.enum_types() {
        let Some(after) = cx.after.enum_type(key) else {
            continue;
        };
        let renamed_from: Vec<&str> = cx
            .renames
            .iter()
            .filter(|r| r.parent.as_deref() == Some(key))
            .map(|r| r.from.as_str())
            .collect();
        let lost: Vec<&String> = before
            .values
            .iter()
            .filter(|v| !after.values.contains(v) && !renamed_from.contains(&v.as_str()))
            .collect();
        if lost.is_empty() {
            continue;
        }
        let Some(at) = cx.last(
            &ObjKey::Type(key.to_string()),
            &[Act::Create, Act::RenameInto, Act::Alter],
        ) else {
            continue;
        };
        report(cx, out, &format!("enum `{}`", after.name), &lost, at);
    }
    // MySQL inline ENUM(..) columns.
    for k in cx.kept() {
        let (b, a) = (k.before, k.after);
        for &(col, now) in &k.changed_columns {
            let Some(now) = now else {
                continue;
            };
            let (DataType::Enum(old, _), DataType::Enum(new, _)) =
                (&*col.data_type, &*now.data_type)
            else {
                continue;
            };
            let label = |m: &sqlparser::ast::EnumMember| match m {
                sqlparser::ast::EnumMember::Name(n) => n.clone(),
                sqlparser::ast::EnumMember::NamedValue(n, _) => n.clone(),
            };
            let new: Vec<String> = new.iter().map(label).collect();
            let old: Vec<String> = old.iter().map(label).collect();
            let lost: Vec<&String> = old.iter().filter(|v| !new.contains(v)).collect();
            if lost.is_empty() {
                continue;
            }
            let Some(at) = cx.column_site(&b.key, &col.key, &[Act::ChangeType]) else {
                continue;
            };
            report(
                cx,
                out,
                &format!("column `{}.{}`", a.name, now.name),
                &lost,
                at,
            );
        }
    }
}
