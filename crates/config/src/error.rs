//! Errors that stop a run (exit 2): malformed config input, invalid rule packs.
//! Both carry the file and the 1-based line and column, and print as
//! `file:line:column: message`.

use canary_lint_core::SourceFile;

/// A config file that cannot be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: impl Into<String>, line: u32, column: u32, msg: impl Into<String>) -> Self {
        ConfigError {
            file: file.into(),
            line,
            column,
            message: msg.into(),
        }
    }

    /// An error at byte `offset` of `file`.
    pub fn at(file: &SourceFile, offset: usize, msg: impl Into<String>) -> Self {
        let p = file.position(offset);
        ConfigError::new(file.path.to_string(), p.line, p.column, msg)
    }
}

/// A rule pack that cannot be used: bad TOML, unknown field or check, bad glob, missing field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PackError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl PackError {
    pub fn at(file: &SourceFile, offset: usize, msg: impl Into<String>) -> Self {
        let p = file.position(offset);
        PackError {
            file: file.path.to_string(),
            line: p.line,
            column: p.column,
            message: msg.into(),
        }
    }
}
