//! Secrets masked in the text of every file as it is read, before anything can
//! show it: SQL by the sql crate's lexer (only inside literals and comments, so
//! the parser reads the same statements), other text by the config crate's
//! secret shapes. What cannot be masked without changing what is parsed is
//! scrubbed from every output instead.

use canary_lint_sql::Dialect;
use std::collections::BTreeSet;

/// Secret-looking text found outside any literal of a SQL file (see
/// [`mask_secrets`]); every output is scrubbed of it.
static SECRETS_IN_CODE: std::sync::Mutex<BTreeSet<String>> = std::sync::Mutex::new(BTreeSet::new());

fn remember_secret_in_code(part: &str) {
    if let Ok(mut s) = SECRETS_IN_CODE.lock() {
        s.insert(part.to_string());
    }
}

/// The secret-looking text found outside literals so far (sorted).
pub fn secrets_in_code() -> Vec<String> {
    SECRETS_IN_CODE
        .lock()
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default()
}

/// Secrets masked as a file is read, so that no output can show them. In SQL
/// (`dialect` given): the literals of `PASSWORD '..'`, `IDENTIFIED BY '..'` ...
/// and the secret shapes inside string literals and comments, as the sql crate's
/// lexer finds them, so masking never changes what is parsed. In other text
/// (manifests, Terraform), only the secret shapes, which never span a quote or a
/// line end; the engines of those formats mask values by their keys.
pub fn mask_secrets(text: &str, dialect: Option<Dialect>) -> std::borrow::Cow<'_, str> {
    let mut ranges = match dialect {
        Some(d) => {
            let (found, keywords) = canary_lint_config::sql_secret_ranges_and_keywords(text);
            let mut r = canary_lint_sql::secrets::confine_to_literals(text, d, found.clone());
            // What the text patterns found outside any literal: in malformed SQL
            // (an unterminated string) a password can sit in what the lexer calls
            // code. Masking code could hide statements from the parser, so it is
            // left in the text and scrubbed from every output instead; a range
            // over a line end or a `;` is SQL between two literals, no secret.
            for f in found.iter().filter(|f| !r.contains(f)) {
                let part = text[f.clone()].trim();
                if !part.contains([';', '\n', '\r']) && part.len() >= 4 {
                    remember_secret_in_code(part);
                }
            }
            if keywords {
                r.extend(canary_lint_sql::secrets::keyword_literals(text, d));
            }
            r
        }
        None => canary_lint_config::shape_secret_ranges(text),
    };
    if ranges.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(canary_lint_config::mask_ranges(text, &mut ranges))
    }
}
