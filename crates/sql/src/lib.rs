//! SQL migrations: layouts, statement splitting, parsing, schema model and the SQL rules.

pub mod dialect;
pub mod layout;
pub mod lex;
pub mod names;
pub mod parse;
pub mod split;

pub use dialect::Dialect;
