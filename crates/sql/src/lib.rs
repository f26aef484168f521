//! SQL migrations: layouts, statement splitting, parsing, schema model and the SQL rules.

pub mod changes;
pub mod dialect;
pub mod history;
pub mod layout;
pub mod lex;
pub mod lint;
pub mod model;
pub mod names;
pub mod parse;
pub mod rules;
pub mod scan;
pub mod split;

pub use dialect::Dialect;
pub use history::{ColumnFacts, History, ReplayHistory};
pub use layout::{
    detect, discover, discover_with, forward_ranges, DiscoverError, Layout, MigrationFile, Version,
};
pub use lint::{lint_parsed, lint_release, replay_schema, LintContext};
pub use parse::{parse_file, parse_file_all, ParseError, ParsedFile, ParsedStatement};

/// Every SQL rule (compat and parse families).
pub fn rules() -> Vec<&'static canary_lint_core::StaticRule> {
    rules::all()
}
