//! table-rewrite: a statement that rewrites a whole table under an exclusive lock.

use super::{qualified, RuleCx};
use crate::changes::{Change, ChangeKind, Name, RewriteCause};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports statements that copy every row of a table stable uses while
    /// holding a lock that stops stable's queries on it:
    ///
    /// - a column type change that is not catalog-only (Postgres): `integer` to
    ///   `bigint`, `int` to `numeric`, `text` to `integer`, `timestamp` to
    ///   `timestamptz` and so on. Quiet for `varchar(n)` to `varchar(m >= n)`,
    ///   `varchar` to `text` and a larger `numeric` precision with the same
    ///   scale, which only change the catalogue. Without migration history the
    ///   previous type is unknown and the finding says so. `timestamp` to
    ///   `timestamptz` (or back) is reported with its condition: Postgres 12+
    ///   skips the rewrite when the session time zone is UTC. MySQL copies the
    ///   table for a type change too (`MODIFY`/`CHANGE` to another type);
    /// - `ADD COLUMN` whose value is computed for every existing row: a volatile
    ///   default (`random()`, `gen_random_uuid()`, `clock_timestamp()`,
    ///   `nextval()`, and any function not known to be immutable or stable,
    ///   user-defined ones included, since their volatility cannot be seen from
    ///   the migration), `SERIAL`, an identity column, `GENERATED ALWAYS AS (..)
    ///   STORED`; on MySQL an `AUTO_INCREMENT` or stored generated column;
    /// - `ALTER TABLE .. SET LOGGED` / `SET UNLOGGED` / `SET TABLESPACE`,
    ///   `VACUUM FULL`, `CLUSTER`;
    /// - MySQL `ALGORITHM=COPY` and `CONVERT TO CHARACTER SET`.
    ///
    /// Tables created in the same release are not reported: stable has no
    /// queries on them. This rule replaces `add-column-rewrite`; that name is
    /// still accepted in suppressions, `--select`, `--ignore` and `[rules]`.
    ///
    /// ## Why it stalls stable
    /// A rewrite holds `ACCESS EXCLUSIVE` (Postgres) or blocks writes (MySQL's
    /// copy algorithm) for as long as it takes to copy the table and rebuild its
    /// indexes: minutes on a large table, during which every query stable sends
    /// to it waits, and its connection pool drains.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN id TYPE bigint;
    /// ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Use instead
    /// Add a new column (nullable, no volatile default), fill it in batches,
    /// keep it in step with a trigger or from the canary's writes, then switch
    /// over; for a new default, add the column first and `SET DEFAULT` after.
    /// Run `VACUUM FULL`/`CLUSTER` in a maintenance window or use an online tool
    /// (pg_repack); on MySQL prefer `ALGORITHM=INPLACE` or `INSTANT` or an online
    /// schema change tool.
    pub const TABLE_REWRITE = {
        name: "table-rewrite",
        family: Lock,
        severity: Warning,
        summary: "a statement rewrites a whole table under an exclusive lock"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    if !matches!(cx.dialect, Dialect::Postgres | Dialect::Mysql) {
        return;
    }
    let (table, message, label, help) = match &change.kind {
        ChangeKind::AddColumn {
            table,
            column,
            spec,
        } => {
            let pg = cx.dialect == Dialect::Postgres;
            let what = if pg && spec.volatile_default {
                "a default that must be computed for each row (a volatile or user-defined function)"
            } else if spec.fills_rows {
                "a value generated for every existing row (serial, identity or stored generated column)"
            } else {
                return;
            };
            (
                table,
                format!(
                    "adding `{}` with {what} rewrites every row of `{}` under an exclusive lock: stable's queries on it wait for the whole rewrite",
                    column.display, table.display
                ),
                "fills every existing row".to_string(),
                "add the column without a computed default, fill it in batches, then set the default (or the generator) for new rows".to_string(),
            )
        }
        ChangeKind::ChangeType {
            table,
            column,
            new_type,
            restated,
            ..
        } => {
            let old = cx.stable_column(table, column).and_then(|f| f.data_type);
            let known = match &old {
                Some(old) => match rewrites(old, new_type, cx.dialect) {
                    Some(false) => return,
                    Some(true) => true,
                    None => false,
                },
                None => false,
            };
            // A MySQL `MODIFY` restates the type even when it keeps it: without
            // the previous type nothing is established.
            if *restated && !known {
                return;
            }
            let q = qualified(table, column);
            let message = match (&old, known) {
                (Some(old), true) if cx.dialect == Dialect::Postgres && time_zone_only(old, new_type) => format!(
                    "changing `{q}` from `{old}` to `{new_type}` rewrites every row of `{}` under an exclusive lock unless the migration's session time zone is UTC (Postgres 12+ then changes only the catalogue): stable's queries on it wait for the whole rewrite",
                    table.display
                ),
                (Some(old), true) => format!(
                    "changing `{q}` from `{old}` to `{new_type}` rewrites every row of `{}` under an exclusive lock: stable's queries on it wait for the whole rewrite",
                    table.display
                ),
                _ => format!(
                    "changing `{q}` to `{new_type}` rewrites every row of `{}` under an exclusive lock unless it is a catalog-only widening (`varchar` to a longer `varchar` or `text`, more `numeric` precision), and the previous type is not known from the migrations seen: stable's queries on it wait for the whole rewrite",
                    table.display
                ),
            };
            (
                table,
                message,
                format!("rewrites `{}` to change the type", table.display),
                format!(
                    "add a new column of type `{new_type}`, fill it in batches and keep it in step, then switch over in a later release"
                ),
            )
        }
        ChangeKind::AlgorithmCopy { table } => (
            table,
            format!(
                "ALGORITHM=COPY copies every row of `{}` while blocking writes: stable's writes wait for the whole copy",
                table.display
            ),
            "ALGORITHM=COPY".to_string(),
            "use ALGORITHM=INPLACE or INSTANT where the change allows it, or an online schema change tool".to_string(),
        ),
        ChangeKind::Rewrite { table, cause } => {
            let help = match cause {
                RewriteCause::VacuumFull | RewriteCause::Cluster => {
                    "run it in a maintenance window, or use an online tool such as pg_repack"
                }
                RewriteCause::ConvertCharset => {
                    "convert the columns one by one with an online schema change tool"
                }
                RewriteCause::SetLogged | RewriteCause::SetTablespace => {
                    "do it in a maintenance window, or build the new table beside the old one and switch"
                }
            };
            let sql = cause.as_sql();
            match table {
                Some(t) => (
                    t,
                    format!(
                        "{sql} rewrites every row of `{}` under an exclusive lock: stable's queries on it wait for the whole rewrite",
                        t.display
                    ),
                    sql.to_string(),
                    help.to_string(),
                ),
                None => {
                    out.push(cx.diag(
                        &TABLE_REWRITE,
                        change,
                        format!("{sql} without a table rewrites every table it may process, each under an exclusive lock: stable's queries on each wait for its rewrite"),
                        sql.to_string(),
                        help.to_string(),
                    ));
                    return;
                }
            }
        }
        _ => return,
    };
    if !stable_uses(cx, table) {
        return;
    }
    out.push(cx.diag(&TABLE_REWRITE, change, message, label, help));
}

/// The table (or materialized view) existed before the release.
fn stable_uses(cx: &RuleCx<'_>, t: &Name) -> bool {
    cx.stable_table(t) && !cx.release.view(t)
}

/// `timestamp` to `timestamptz` or back: Postgres 12+ skips the rewrite when the
/// session time zone is UTC, which the migration does not show.
fn time_zone_only(old: &str, new: &str) -> bool {
    use crate::type_name::normalize;
    let (o, n) = (normalize(old), normalize(new));
    matches!(
        (o.0.as_str(), n.0.as_str()),
        ("timestamp", "timestamptz") | ("timestamptz", "timestamp")
    ) && o.1 == n.1
}

/// Whether changing a column from `old` to `new` rewrites the table, when both
/// types can be read; `None` when they cannot.
fn rewrites(old: &str, new: &str, dialect: Dialect) -> Option<bool> {
    let parse = |s: &str| {
        let d = dialect.sqlparser();
        sqlparser::parser::Parser::new(&*d)
            .try_with_sql(s)
            .and_then(|mut p| p.parse_data_type())
            .ok()
    };
    let (o, n) = (parse(old)?, parse(new)?);
    Some(crate::model::type_change(&o, &n, dialect).rewrites_table())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_type_changes_rewrite() {
        let pg = Dialect::Postgres;
        assert_eq!(rewrites("integer", "bigint", pg), Some(true));
        assert_eq!(rewrites("int", "numeric", pg), Some(true));
        assert_eq!(rewrites("varchar(10)", "varchar(20)", pg), Some(false));
        assert_eq!(rewrites("varchar(10)", "text", pg), Some(false));
        assert_eq!(rewrites("numeric(10,2)", "numeric(12,2)", pg), Some(false));
        assert_eq!(rewrites("int4", "integer", pg), Some(false));
        assert!(time_zone_only("TIMESTAMP WITHOUT TIME ZONE", "timestamptz"));
        assert!(!time_zone_only("timestamp", "date"));
    }
}
