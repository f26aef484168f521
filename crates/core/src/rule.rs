//! Rule metadata: names, families and default severities (a contract).

use serde::Serialize;
use std::fmt;

/// Rules that were folded into another one: the old name, still accepted wherever a
/// rule is named (suppression comments, `--select`, `--ignore`, `[rules]` settings,
/// `canary-lint rule`), and the rule that now reports those findings.
pub const RENAMED_RULES: &[(&str, &str)] = &[("add-column-rewrite", "table-rewrite")];

/// The current name of a rule: `name` itself, or the rule it was folded into.
pub fn current_rule_name(name: &str) -> &str {
    RENAMED_RULES
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new)
}

/// How bad a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The family a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Breaks stable while both versions run.
    Compat,
    /// Stalls stable while the migration runs.
    Lock,
    /// Rewrites or removes data stable relies on.
    Data,
    /// The input could not be fully understood.
    Parse,
    /// About canary-lint's own annotations (suppressions).
    Meta,
    /// Canary vs stable configuration.
    Config,
    /// Traffic-split manifests.
    Traffic,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Compat => "compat",
            Family::Lock => "lock",
            Family::Data => "data",
            Family::Parse => "parse",
            Family::Meta => "meta",
            Family::Config => "config",
            Family::Traffic => "traffic",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of a rule. `doc` is the rule's doc comment, captured by
/// [`declare_rule!`](crate::declare_rule) so that the comment is the only copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub name: String,
    pub family: Family,
    pub severity: Severity,
    pub summary: String,
    pub doc: String,
}

/// The compile-time form of [`RuleMeta`], for rules written in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticRule {
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
}

impl StaticRule {
    pub fn meta(&self) -> RuleMeta {
        RuleMeta {
            name: self.name.to_string(),
            family: self.family,
            severity: self.severity,
            summary: self.summary.to_string(),
            doc: unindent_doc(self.doc),
        }
    }
}

/// Doc comments arrive as `#[doc = " line"]`: drop the one leading space per line.
pub fn unindent_doc(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    for line in doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

/// Declares a rule as a `StaticRule` constant whose doc comment becomes its
/// documentation (`canary-lint rule NAME` prints it).
///
/// ```
/// canary_lint_core::declare_rule! {
///     /// What it does: an example.
///     pub const EXAMPLE = { name: "example", family: Compat, severity: Error,
///         summary: "an example rule" };
/// }
/// assert!(EXAMPLE.doc.contains("What it does"));
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis const $ident:ident = {
            name: $name:literal,
            family: $family:ident,
            severity: $severity:ident,
            summary: $summary:literal $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis const $ident: $crate::StaticRule = $crate::StaticRule {
            name: $name,
            family: $crate::Family::$family,
            severity: $crate::Severity::$severity,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
        };
    };
}
