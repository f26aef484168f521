//! Turning a finished run into output and an exit code.

use crate::args::{ColorArg, FailOn, FormatArg, OutputArgs};
use canary_lint_core::{sort_diagnostics, Diagnostic, RuleMeta, Severity, SourceFile};
use canary_lint_report::{render, Format, Report};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};

/// Writes to standard output, ignoring a closed pipe (`canary-lint rules | head -1`):
/// the reader has what it wanted, and the exit code still tells the run's outcome.
/// Every command prints through this (or [`out!`]/[`outln!`]), never `println!`, which
/// panics when the pipe is gone.
pub fn write_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// `print!` that survives a closed pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_out(&format!($($arg)*))
    };
}

/// `println!` that survives a closed pipe.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::output::write_out("\n")
    };
    ($($arg:tt)*) => {
        $crate::output::write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Everything a run found, plus the problems that made the run itself fail.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Files read, by path, whose text may be shown.
    pub sources: BTreeMap<String, SourceFile>,
    /// Files read whose text is not kept (history files that name nothing a
    /// release touches): counted in the summary, never shown.
    pub unshown: BTreeSet<String>,
    /// Problems with the run itself (unreadable file, bad config): exit 2.
    pub run_errors: Vec<String>,
    /// Secret values read from config files: masked at their source already, and
    /// scrubbed from everything printed as a last guard.
    pub secrets: Vec<String>,
}

impl Outcome {
    pub fn add_source(&mut self, file: &SourceFile) {
        if !self.sources.contains_key(&*file.path) {
            self.sources.insert(String::from(&*file.path), file.clone());
        }
    }

    pub fn add_unshown(&mut self, path: &str) {
        self.unshown.insert(path.to_string());
    }

    /// How many distinct files were read.
    pub fn file_count(&self) -> usize {
        self.sources.len()
            + self
                .unshown
                .iter()
                .filter(|p| !self.sources.contains_key(*p))
                .count()
    }

    pub fn run_error(&mut self, msg: impl Into<String>) {
        self.run_errors.push(msg.into());
    }
}

pub fn format_of(f: FormatArg) -> Format {
    match f {
        FormatArg::Human => Format::Human,
        FormatArg::Compact => Format::Compact,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Junit => Format::Junit,
    }
}

/// Whether the human format may colour its output.
pub fn use_color(arg: ColorArg) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Applies `--select`, `--ignore` and `[rules]` levels from the settings file.
pub fn filter(
    diags: Vec<Diagnostic>,
    select: &[String],
    ignore: &[String],
    levels: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| select.is_empty() || select.iter().any(|s| s == &d.rule))
        .filter(|d| !ignore.iter().any(|s| s == &d.rule))
        .filter_map(|mut d| match levels.get(&d.rule).map(String::as_str) {
            Some("off") => None,
            Some(level) => {
                if let Some(sev) = Severity::parse(level) {
                    d.severity = sev;
                }
                Some(d)
            }
            None => Some(d),
        })
        .collect()
}

/// Prints the report and returns the exit code: 2 if the run failed, 1 if a finding
/// reaches `--fail-on`, else 0.
pub fn finish(mut outcome: Outcome, out: &OutputArgs, rules: &[RuleMeta]) -> i32 {
    sort_diagnostics(&mut outcome.diagnostics);
    outcome.diagnostics.dedup();
    let report = Report {
        diagnostics: &outcome.diagnostics,
        sources: &outcome.sources,
        rules,
        files: outcome.file_count(),
        color: use_color(out.color),
    };
    let text = render(format_of(out.format), &report);
    let mut secrets = outcome.secrets.clone();
    secrets.extend(crate::redact::secrets_in_code());
    let text = canary_lint_config::scrub(&text, &secrets);
    write_out(&text);
    for e in &outcome.run_errors {
        eprintln!(
            "canary-lint: error: {}",
            canary_lint_config::scrub(e, &secrets)
        );
    }
    if !outcome.run_errors.is_empty() {
        return 2;
    }
    let threshold = match out.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    match threshold {
        Some(t) if outcome.diagnostics.iter().any(|d| d.severity >= t) => 1,
        _ => 0,
    }
}
