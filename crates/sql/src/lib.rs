//! SQL migrations: layouts, statement splitting, parsing, schema model and the SQL rules.

pub mod dialect;
pub mod names;

pub use dialect::Dialect;
