//! change-column-type: `ALTER COLUMN .. TYPE`, MySQL `MODIFY`/`CHANGE` to another type.

use super::{qualified, RuleCx};
use crate::changes::{Change, ChangeKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TABLE .. ALTER COLUMN c [SET DATA] TYPE t` and MySQL
    /// `MODIFY`/`CHANGE` that give an existing column another type. Provably safe
    /// widenings are not reported: `varchar(n)` to `varchar(m)` with `m >= n`,
    /// `varchar` to `text` on Postgres, a larger `numeric` precision with the same
    /// scale. Without migration history the previous type is unknown, and the
    /// finding says so.
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
                "changing `{q}` from `{old}` to `{new_type}` breaks stable: stable still reads and writes `{q}` as `{old}`"
            ),
            format!("changes the type to `{new_type}`"),
        ),
        None => (
            format!(
                "changing the type of `{q}` to `{new_type}` breaks stable: stable still reads and writes `{q}` as its previous type (not known from the migrations seen)"
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

/// A type reduced to a base name and numeric arguments: `varchar(255)` is
/// `("varchar", [255])`, `CHARACTER VARYING(10)` is `("varchar", [10])`.
pub(crate) fn normalize(ty: &str) -> (String, Vec<u64>) {
    let lower = ty.trim().to_ascii_lowercase();
    let (base, args) = match lower.find('(') {
        Some(i) => (
            lower[..i].trim().to_string(),
            &lower[i + 1..lower.rfind(')').unwrap_or(lower.len())],
        ),
        None => (lower.clone(), ""),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let base = match base.as_str() {
        "character varying" | "varchar2" | "nvarchar" => "varchar",
        "integer" | "int4" => "int",
        "int8" => "bigint",
        "int2" => "smallint",
        "decimal" | "dec" => "numeric",
        "bool" => "boolean",
        "character" => "char",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "double precision" | "float8" => "double",
        other => other,
    }
    .to_string();
    let args = args
        .split(',')
        .filter_map(|a| a.trim().parse::<u64>().ok())
        .collect();
    (base, args)
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
