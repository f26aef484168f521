//! change-column-type: `ALTER COLUMN .. TYPE`, MySQL `MODIFY`/`CHANGE` to another type.

use super::{qualified, ReleaseCx, RuleCx};
use crate::changes::{Change, ChangeKind};
use crate::delta::{Act, ObjKey};
use crate::model::TypeChange;
use crate::type_name::normalize;
use crate::Dialect;
use canary_lint_core::Severity;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports a column stable knew whose type differs after the release from its
    /// type before it (`ALTER COLUMN .. TYPE`, MySQL `MODIFY`/`CHANGE`, a table
    /// swap), in three tiers:
    ///
    /// - **quiet**: the same type, or a widening after which stable decodes the
    ///   same type: `varchar(n)` to `varchar(m)` with `m >= n`, `varchar` to
    ///   `text` (Postgres), a larger `numeric` precision with the same scale.
    ///   (Whether the change rewrites the table is a lock question, not this
    ///   rule's.)
    /// - **warning**: every value is kept, but the type stable's driver decodes
    ///   changes: `smallint` to `integer`, `integer` to `bigint` (a 32-bit field
    ///   in stable's code overflows on the canary's larger values), `real` to
    ///   `double precision`.
    /// - **error**: a change of family or a narrowing: `integer` to `numeric` or
    ///   to a float (exact becomes approximate, or the driver type changes
    ///   kind), `text` to `integer`, `timestamp` to `timestamptz` and back (the
    ///   meaning of stored values shifts with the session time zone), `json` to
    ///   `jsonb` (key order and duplicate keys are not kept), `varchar(n)` to a
    ///   shorter length.
    ///
    /// Without migration history the previous type is unknown, and the finding
    /// says so.
    ///
    /// The same tiers apply to the columns of a view re-created in the release,
    /// where both definitions show a column's type (a column of a known table or
    /// view, or a cast such as `age::text`); other expressions are not typed.
    /// A column renamed away and a new one added under its name is judged
    /// against the old one, at the statement that adds the new one.
    ///
    /// ## Why it breaks stable
    /// The stable version was built against the old type: its drivers decode the
    /// column as that type, its validations allow values only the old type takes,
    /// and narrowing or reinterpreting conversions make its writes fail or its
    /// reads misbehave while both versions run.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN amount TYPE integer USING amount::integer;
    /// ```
    ///
    /// ## Use instead
    /// Expand-contract: add a new column of the new type, dual-write from the
    /// canary, backfill, switch reads to the new column, and drop the old one in a
    /// later release once no running version uses it.
    pub const CHANGE_COLUMN_TYPE = {
        name: "change-column-type",
        family: Compat,
        severity: Error,
        summary: "changing the type of a column stable reads and writes"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::ChangeType {
        table,
        column,
        new_type,
        ..
    } = &change.kind
    else {
        return;
    };
    if cx.release.column(table, column) || !cx.stable_may_know_column(table, column) {
        return;
    }
    let old = cx.stable_column(table, column).and_then(|f| f.data_type);
    if let Some(old) = &old {
        if safe_for_stable(old, new_type, cx.dialect) {
            return;
        }
    }
    let q = qualified(table, column);
    let (message, label) = match &old {
        Some(old) => (
            format!(
                "changing `{q}` from `{old}` to `{new_type}` breaks stable: stable's schema has `{q}` as `{old}`; the running version may still read or write it as such"
            ),
            format!("changes the type to `{new_type}`"),
        ),
        None => (
            format!(
                "changing the type of `{q}` to `{new_type}` breaks stable: the running version may still read or write `{q}` as its previous type (not known from the migrations seen)"
            ),
            format!("sets the type to `{new_type}`"),
        ),
    };
    out.push(cx.diag(
        &CHANGE_COLUMN_TYPE,
        change,
        message,
        label,
        format!(
            "add a new column of type `{new_type}`, dual-write from the canary, backfill, switch reads, and drop `{}` in a later release",
            column.display
        ),
    ));
}

/// Whether stable can keep reading and writing the column after the change: the
/// schema model's type comparison ([`crate::model::type_change`]) when both types
/// parse, else the conservative comparison below.
pub(crate) fn safe_for_stable(old: &str, new: &str, dialect: Dialect) -> bool {
    let parse = |s: &str| {
        let d = dialect.sqlparser();
        sqlparser::parser::Parser::new(&*d)
            .try_with_sql(s)
            .and_then(|mut p| p.parse_data_type())
            .ok()
    };
    match (parse(old), parse(new)) {
        (Some(o), Some(n)) => crate::model::type_change(&o, &n, dialect).is_safe_for_stable(),
        _ => same_type(old, new) || is_safe_widening(old, new, dialect),
    }
}

pub(crate) fn same_type(old: &str, new: &str) -> bool {
    normalize(old) == normalize(new)
}

/// Widenings that keep every value stable can write and read unchanged.
pub(crate) fn is_safe_widening(old: &str, new: &str, dialect: Dialect) -> bool {
    let (ob, oa) = normalize(old);
    let (nb, na) = normalize(new);
    match (ob.as_str(), nb.as_str()) {
        ("varchar", "varchar") => match (oa.first(), na.first()) {
            (Some(o), Some(n)) => n >= o,
            (_, None) => dialect == Dialect::Postgres,
            (None, Some(_)) => false,
        },
        ("varchar", "text") => dialect == Dialect::Postgres,
        ("numeric", "numeric") => match (oa.as_slice(), na.as_slice()) {
            (_, []) => dialect == Dialect::Postgres,
            ([op], [np]) => np >= op,
            ([op, os], [np, ns]) => np >= op && ns == os,
            ([op], [np, 0]) => np >= op,
            _ => false,
        },
        _ => false,
    }
}

/// A view stable knew, re-created in the release with a column whose type (as
/// far as its query shows: a column of a known relation, or a cast) changed.
fn judge_views(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    let dialect = cx.after.dialect();
    for (key, before) in cx.before.views() {
        let Some(after) = cx.after.view(key) else {
            continue;
        };
        let (Some(old_cols), Some(new_cols)) = (&before.columns, &after.columns) else {
            continue;
        };
        for (i, c) in old_cols.iter().enumerate() {
            let Some(j) = new_cols.iter().position(|n| n == c) else {
                continue;
            };
            let (Some(Some(old)), Some(Some(new))) = (before.types.get(i), after.types.get(j))
            else {
                continue;
            };
            let t = tier(old, new, dialect);
            if t == Tier::Quiet {
                continue;
            }
            let Some(at) = cx.last(&ObjKey::View(key.to_string()), &[Act::Create]) else {
                continue;
            };
            let v = crate::names::bare(key);
            let q = format!("{v}.{c}");
            let (old, new) = (old.to_string(), new.to_string());
            let d = if t == Tier::Decoded {
                cx.diag(
                    &CHANGE_COLUMN_TYPE,
                    at,
                    format!(
                        "view column `{q}` changes from `{old}` to `{new}`: every value is kept, but stable's driver decodes the column as `{old}` and may reject or truncate what it reads"
                    ),
                    format!("`{c}`: `{old}` to `{new}`"),
                    format!("ship code that reads `{q}` as `{new}` first, or keep the view's column as `{old}` (a cast) in this release"),
                )
                .severity(Severity::Warning)
            } else {
                cx.diag(
                    &CHANGE_COLUMN_TYPE,
                    at,
                    format!(
                        "view `{v}` is re-created with `{c}` as `{new}` instead of `{old}`: {}, and its reads of `{old}` values fail or change meaning",
                        cx.uses(&format!("`{q}` as `{old}`"))
                    ),
                    format!("`{c}`: `{old}` to `{new}`"),
                    format!("keep `{c}` as `{old}` in `{v}` (a cast) in this release; add the new type under a new column name"),
                )
            };
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening() {
        let pg = Dialect::Postgres;
        assert!(is_safe_widening("VARCHAR(20)", "character varying(40)", pg));
        assert!(!is_safe_widening("varchar(40)", "varchar(20)", pg));
        assert!(is_safe_widening("varchar(40)", "TEXT", pg));
        assert!(!is_safe_widening("varchar(40)", "TEXT", Dialect::Mysql));
        assert!(is_safe_widening("NUMERIC(10,2)", "DECIMAL(12, 2)", pg));
        assert!(!is_safe_widening("numeric(10,2)", "numeric(12,3)", pg));
        assert!(!is_safe_widening("int", "bigint", pg));
        assert!(same_type("INTEGER", "int4"));
        assert!(safe_for_stable("VARCHAR(100)", "VARCHAR(200)", pg));
        assert!(!safe_for_stable("VARCHAR(100)", "VARCHAR(20)", pg));
        assert!(!safe_for_stable("text", "integer", pg));
    }
}

/// How a type change affects stable, by tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// The same type, or a widening that leaves the type stable decodes as it was.
    Quiet,
    /// Every value is kept, but stable's driver decodes another type.
    Decoded,
    /// Another family of type, or a narrowing.
    Breaking,
}

/// The tier of a change from `old` to `new` (see the rule's documentation).
pub(crate) fn tier(
    old: &sqlparser::ast::DataType,
    new: &sqlparser::ast::DataType,
    dialect: Dialect,
) -> Tier {
    match crate::model::type_change(old, new, dialect) {
        TypeChange::Same | TypeChange::SafeWidening => Tier::Quiet,
        TypeChange::WideningRewrite => {
            let base = |t: &sqlparser::ast::DataType| normalize(&t.to_string()).0;
            let (o, n) = (base(old), base(new));
            let family = |b: &str| match b {
                "smallint" | "int" | "bigint" | "tinyint" | "mediumint" => "integer",
                "real" | "float" | "float4" | "double" => "float",
                "varchar" | "text" | "char" => "text",
                "binary" | "varbinary" | "bytea" | "tinyblob" | "blob" | "mediumblob"
                | "longblob" => "binary",
                other => {
                    if other.starts_with("varchar") {
                        "text"
                    } else {
                        "other"
                    }
                }
            };
            if o == n || (o == "varchar" && n == "text") {
                Tier::Quiet
            } else if family(&o) == family(&n) && family(&o) != "other" {
                Tier::Decoded
            } else {
                Tier::Breaking
            }
        }
        TypeChange::Narrowing | TypeChange::FamilyChange => Tier::Breaking,
    }
}

/// The net type change of every column stable knew: its type before the release
/// against its type after, wherever the change came from (`ALTER COLUMN .. TYPE`,
/// `MODIFY`, a table swap).
pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    let dialect = cx.after.dialect();
    judge_views(cx, out);
    // A column whose type the release left as it was is quiet: not listed.
    for k in cx.kept() {
        let (b, a) = (k.before, k.after);
        for &(col, now) in &k.changed_columns {
            let Some(now) = now else {
                continue;
            };
            if matches!(
                (&*col.data_type, &*now.data_type),
                (
                    sqlparser::ast::DataType::Enum(..),
                    sqlparser::ast::DataType::Enum(..)
                )
            ) {
                // Judged by label: drop-enum-value.
                continue;
            }
            let t = tier(&col.data_type, &now.data_type, dialect);
            if t == Tier::Quiet {
                continue;
            }
            let Some(at) = cx.column_site(&b.key, &col.key, &[Act::ChangeType]) else {
                continue;
            };
            let q = format!("{}.{}", a.name, now.name);
            let (old, new) = (col.type_display(), now.type_display());
            let d = match t {
                Tier::Decoded => cx
                    .diag(
                        &CHANGE_COLUMN_TYPE,
                        at,
                        format!(
                            "`{q}` changes from `{old}` to `{new}`: every value is kept, but stable's driver decodes the column as `{old}` and may reject or truncate what it reads"
                        ),
                        format!("`{old}` to `{new}`"),
                        format!(
                            "ship code that reads `{}` as `{new}` first, or check that stable's driver maps both to the same type",
                            now.name
                        ),
                    )
                    .severity(Severity::Warning),
                _ => cx.diag(
                    &CHANGE_COLUMN_TYPE,
                    at,
                    format!(
                        "changing `{q}` from `{old}` to `{new}` breaks stable: {}, and its reads and writes of `{old}` values fail or change meaning",
                        cx.uses(&format!("`{q}` as `{old}`"))
                    ),
                    format!("`{old}` to `{new}`"),
                    format!(
                        "add a new column of type `{new}`, dual-write from the canary, backfill, switch reads, and drop `{}` in a later release",
                        now.name
                    ),
                ),
            };
            out.push(d);
        }
    }
}
