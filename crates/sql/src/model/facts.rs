//! The schema model as the rules' [`History`]: what stable knew, from a full replay.

use super::Schema;
use crate::history::{ColumnFacts, History};

impl History for Schema {
    fn has_table(&self, table: &str) -> bool {
        Schema::has_table(self, table)
    }

    /// Facts of a known column; `None` for an unknown column, or any column of a table whose
    /// columns cannot be known (`CREATE TABLE .. AS SELECT`).
    fn column(&self, table: &str, column: &str) -> Option<ColumnFacts> {
        let c = Schema::column(self, table, column)?;
        Some(ColumnFacts {
            data_type: Some(c.type_display()),
            nullable: Some(c.nullable),
            has_default: Some(c.default.is_some() || c.generated.is_some()),
        })
    }

    fn has_view(&self, view: &str) -> bool {
        Schema::has_view(self, view)
    }

    fn has_type(&self, name: &str) -> bool {
        Schema::has_type(self, name)
    }

    fn not_null_checked(&self, table: &str, column: &str) -> bool {
        let Some(t) = Schema::table(self, table) else {
            return false;
        };
        t.constraints.iter().any(|c| match &c.kind {
            super::ConstraintKind::Check(expr) => checks_not_null(expr, column),
            _ => false,
        })
    }
}

/// Whether a check expression is exactly `column IS NOT NULL` (parentheses,
/// quotes and case aside).
fn checks_not_null(expr: &str, column: &str) -> bool {
    let flat: String = expr
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"'))
        .collect::<String>()
        .to_lowercase();
    let words: Vec<&str> = flat.split_whitespace().collect();
    words.len() == 4
        && words[0].to_lowercase() == column.to_lowercase()
        && words[1..] == ["is", "not", "null"]
}
