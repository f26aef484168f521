//! Output formats. One file per format; each turns sorted [`Diagnostic`]s into text.
//!
//! A reporter never knows SQL or YAML: it sees rule names, severities, messages and
//! positions, plus the source text for snippets in the human format.

use canary_lint_core::{Diagnostic, RuleMeta, Severity, SourceFile};
use std::collections::BTreeMap;

mod compact;
mod github;
mod human;
mod json;
mod junit;
mod sarif;

/// The output formats of `--format` (a contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Compact,
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

impl Format {
    pub const NAMES: &'static [&'static str] =
        &["human", "compact", "json", "sarif", "github", "junit"];

    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "human" => Some(Format::Human),
            "compact" => Some(Format::Compact),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" => Some(Format::Github),
            "junit" => Some(Format::Junit),
            _ => None,
        }
    }
}

/// Everything a reporter may look at.
#[derive(Debug)]
pub struct Report<'a> {
    /// Findings, already sorted with [`canary_lint_core::sort_diagnostics`].
    pub diagnostics: &'a [Diagnostic],
    /// Source text by display path, for snippets.
    pub sources: &'a BTreeMap<String, SourceFile>,
    /// Metadata of every known rule (for formats that describe rules).
    pub rules: &'a [RuleMeta],
    /// How many files were checked.
    pub files: usize,
    /// Whether the human format may use colour.
    pub color: bool,
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
    }
}

/// Renders `report` in `format`. The result ends with a newline unless empty.
pub fn render(format: Format, report: &Report<'_>) -> String {
    match format {
        Format::Human => human::render(report),
        Format::Compact => compact::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Junit => junit::render(report),
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
