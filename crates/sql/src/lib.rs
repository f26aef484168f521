//! SQL migrations: layouts, statement splitting, parsing, schema model and the SQL rules.
//!
//! The pipeline, each step a pure function over `Send` data so files can be
//! handled in parallel:
//! 1. [`discover`] lists a directory's forward migrations in version order
//!    ([`layout`]); [`forward_ranges`] cuts goose/dbmate Down sections off.
//! 2. [`parse_file`] splits ([`split`]) and parses each statement with the
//!    dialect's sqlparser parser, keeping byte spans of the original file; the
//!    parser is fed tokens made by [`sqltokens`] where that tokenizer covers the
//!    statement, and tokenizes the statement itself otherwise.
//! 3. [`analyze_release`] (the [`engine`]) turns statements into [`changes`]
//!    (from the AST, or from the token [`scan`] when the parser rejected a
//!    statement), runs the rules' statement steps ([`mod@rules`]) against what
//!    stable knew ([`replay_schema`]), replays the release, and judges the
//!    release delta (before against after) with the rules' release steps.
//!    [`lint_each_as_release`] checks every migration against the ones before it.

pub mod changes;
pub mod changesets;
pub mod definition;
pub mod delta;
pub mod dialect;
pub mod engine;
pub mod history;
pub mod layout;
pub mod lex;
pub mod lint;
pub mod model;
pub mod names;
pub mod parse;
mod renames;
pub mod rules;
pub mod scan;
pub mod secrets;
pub mod split;
pub mod sqltokens;
pub mod touches;
mod type_name;

pub use delta::{DeltaEntry, Knowledge};
pub use dialect::Dialect;
pub use engine::{analyze_release, analyze_release_findings, ReleaseAnalysis};
pub use history::{ColumnFacts, History};
pub use layout::{
    detect, discover, discover_with, forward_ranges, DiscoverError, Layout, MigrationFile, Version,
};
pub use lint::{analyze_file, lint_each_as_release, lint_release, replay_file, replay_schema};
pub use parse::{
    parse_file, parse_file_all, parse_file_checked, parse_file_where, statement_spans, ParseError,
    ParsedFile, ParsedStatement,
};

/// Every SQL rule (compat and parse families).
pub fn rules() -> Vec<&'static canary_lint_core::StaticRule> {
    rules::all()
}
