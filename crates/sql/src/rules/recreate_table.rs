//! recreate-table: a table stable uses, dropped (or renamed away) and created again
//! under its name in the same release.

use super::ReleaseCx;
use canary_lint_core::{declare_rule, Diagnostic, Severity};

declare_rule! {
    /// ## What it does
    /// Reports a table stable knew that the release removes from its name
    /// (`DROP TABLE`, or `RENAME` away) and replaces by a new table under the same
    /// name (`CREATE TABLE`, or `RENAME` of a new table into the name), as in a
    /// table swap or SQLite's create-copy-drop-rename rebuild.
    ///
    /// - No rows copied into the new table (no `INSERT .. SELECT`, no
    ///   `CREATE TABLE .. AS SELECT`): an **error** at the statement that creates
    ///   the new table: every row stable reads is gone.
    /// - Rows copied, but the removal and the new table are not in one
    ///   transaction: a **warning**. Between the two statements the name does
    ///   not exist, and stable's queries fail for that window. MySQL commits
    ///   around every DDL statement, so two statements are always two
    ///   transactions there (a single `RENAME TABLE a TO a_old, a_new TO a` is
    ///   atomic); a migration runs in one transaction when its framework wraps it
    ///   (see the layout) or between an explicit `BEGIN` and `COMMIT`.
    ///
    /// The columns of the old table against the new one are judged by
    /// `drop-column` and `change-column-type`; the swap itself is not a
    /// `drop-table`.
    ///
    /// ## Example
    /// ```sql
    /// DROP TABLE sessions;
    /// CREATE TABLE sessions (id bigint PRIMARY KEY, token text NOT NULL);
    /// ```
    ///
    /// ## Use instead
    /// Change the table in place (`ALTER TABLE`), or build the new table under
    /// another name, copy the rows, and swap the names inside one transaction.
    pub const RECREATE_TABLE = {
        name: "recreate-table",
        family: Data,
        severity: Error,
        summary: "a table stable uses dropped and re-created: its rows are gone, or missing for a moment"
    };
}

pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for r in cx.recreated {
        let t = &r.display;
        if !r.filled {
            let mut d = cx.diag(
                &RECREATE_TABLE,
                r.refilled,
                format!(
                    "`{t}` is replaced by a new, empty table: no rows are copied into it, so every row stable reads from `{t}` is gone"
                ),
                format!("new, empty `{t}`"),
                format!(
                    "alter `{t}` in place, or copy its rows into the new table (INSERT .. SELECT) before the old one goes"
                ),
            );
            cx.relate(&mut d, r.vacated, format!("the old `{t}` is removed here"));
            out.push(d);
        } else if r.vacated.tx != r.refilled.tx {
            let mut d = cx
                .diag(
                    &RECREATE_TABLE,
                    r.refilled,
                    format!(
                        "`{t}` does not exist between the statement that removes the old table and this one, which are not in one transaction: stable's queries on `{t}` fail in that window"
                    ),
                    format!("`{t}` exists again only here"),
                    format!(
                        "run the swap in one transaction (on MySQL, one `RENAME TABLE {t} TO {t}_old, {t}_new TO {t}`)"
                    ),
                )
                .severity(Severity::Warning);
            cx.relate(&mut d, r.vacated, format!("the old `{t}` is removed here"));
            out.push(d);
        }
    }
}
