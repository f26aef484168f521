//! Command-line interface (a contract).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "canary-lint",
    version,
    about = "Pre-deploy compatibility linter: what breaks for the stable version while a canary runs beside it",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint migrations, config pairs and manifests.
    Check(CheckArgs),
    /// Compare two config files or directories: findings, then a redacted unified diff.
    Diff(DiffArgs),
    /// Schema delta between history and history+release, or between two migration sets.
    SchemaDiff(SchemaDiffArgs),
    /// List every rule: name, family, default severity, summary.
    Rules(RulesArgs),
    /// Print one rule's documentation.
    Rule(RuleArgs),
    /// Write a commented starter canary-lint.toml for the current repository.
    Init(InitArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Compact,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    Postgres,
    Mysql,
    /// MariaDB, read as MySQL.
    Mariadb,
    Sqlite,
    Mssql,
    Generic,
}

/// Options shared by commands that print findings.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Colour in the human format (NO_COLOR is respected).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Only these rules (comma separated).
    #[arg(long, value_delimiter = ',', value_parser = current_rule_name)]
    pub select: Vec<String>,
    /// Not these rules (comma separated).
    #[arg(long, value_delimiter = ',', value_parser = current_rule_name)]
    pub ignore: Vec<String>,
    /// Settings file (default: canary-lint.toml found by walking up from the working directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Migration directories or files, config files, repositories; `-` reads SQL from stdin.
    pub paths: Vec<PathBuf>,
    /// SQL dialect of the migrations.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,
    /// The release is the migrations added or changed since the merge-base with REF.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Stable's source tree, searched for names the release drops or renames (repeatable).
    #[arg(long, value_name = "DIR")]
    pub stable_src: Vec<PathBuf>,
    /// Stable's git revision, searched without a checkout (repeatable: N-1, N-2 ...).
    #[arg(long, value_name = "REF")]
    pub stable_ref: Vec<String>,
    /// Name for SQL read from stdin (`-`), used in locations.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Also list statements the schema model did not understand.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Stable's config file or directory.
    pub stable: PathBuf,
    /// Canary's config file or directory.
    pub canary: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SchemaDiffArgs {
    /// A migration directory (release vs history), or OLD then NEW migration sets.
    #[arg(num_args = 1..=2, required = true)]
    pub paths: Vec<PathBuf>,
    /// SQL dialect of the migrations.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,
    /// The release is the migrations added or changed since the merge-base with REF.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// human or json.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Settings file.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print as json.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Rule name, e.g. rename-column.
    pub name: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing canary-lint.toml.
    #[arg(long)]
    pub force: bool,
}

/// A rule name as given, or the rule a former name was folded into.
fn current_rule_name(name: &str) -> Result<String, std::convert::Infallible> {
    Ok(canary_lint_core::current_rule_name(name).to_string())
}
