//! The vocabulary every part of canary-lint speaks.
//!
//! Rules produce [`Diagnostic`]s against a [`SourceFile`]; reporters turn them into
//! text. Nothing here renders to a terminal and nothing here knows SQL or YAML: that
//! keeps rules independent of output formats (a rule never touches the terminal, a
//! reporter never knows SQL).

mod diagnostic;
pub mod read;
mod rule;
mod source;
pub mod suppress;

pub use diagnostic::{sort_diagnostics, Diagnostic, Label, Related, Subject};
pub use rule::{
    current_rule_name, unindent_doc, Family, RuleMeta, Severity, StaticRule, RENAMED_RULES,
};
pub use source::{LineIndex, Position, SourceFile, Span};
