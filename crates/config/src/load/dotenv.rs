//! `.env` files: `KEY=value` lines, optional `export `, `#` comments, unquoted values (a
//! ` #` starts a comment), `'single'` (literal) and `"double"` quotes (`\n`, `\t`, `\"`,
//! `\\` escapes; may span lines).

use super::{LoadedText, Raw, SyntaxError};
use canary_lint_core::Span;

fn strip_export(line: &str) -> &str {
    match line.strip_prefix("export") {
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => line,
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Whether a line reads as an upper-case `KEY=value` assignment (used for sniffing).
pub(crate) fn looks_like_assignment(line: &str) -> bool {
    let line = strip_export(line);
    match line.split_once('=') {
        Some((k, _)) => {
            let k = k.trim_end();
            valid_key(k) && !k.contains('.') && !k.chars().any(|c| c.is_ascii_lowercase())
        }
        None => false,
    }
}

pub(crate) fn parse(text: &str) -> Result<LoadedText, SyntaxError> {
    let mut loaded = LoadedText::default();
    let mut at = 0;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[at..line_end];
        let body = line.trim_start();
        if body.trim().is_empty() || body.starts_with('#') {
            at = line_end + 1;
            continue;
        }
        let after_export = strip_export(body);
        let key_start = at + (line.len() - after_export.len());
        let Some(eq) = after_export.find('=') else {
            return Err(SyntaxError::new(key_start, "expected `KEY=value`"));
        };
        let key = after_export[..eq].trim_end();
        if !valid_key(key) {
            return Err(SyntaxError::new(
                key_start,
                format!("invalid variable name `{key}`"),
            ));
        }
        let mut v = key_start + eq + 1;
        while v < line_end && matches!(text.as_bytes()[v], b' ' | b'\t') {
            v += 1;
        }
        let (value, value_span, next) = match text.as_bytes().get(v) {
            Some(&q @ (b'"' | b'\'')) => quoted(text, v, q)?,
            _ => {
                let raw = &text[v..line_end];
                let cut = raw
                    .find(" #")
                    .or_else(|| raw.find("\t#"))
                    .unwrap_or(raw.len());
                let value = raw[..cut].trim_end();
                (
                    value.to_string(),
                    Span::new(v, v + value.len()),
                    line_end + 1,
                )
            }
        };
        loaded.entries.push(Raw {
            key: key.to_string(),
            value,
            key_span: Span::new(key_start, key_start + key.len()),
            value_span,
            profile: None,
            env: true,
            value_from: None,
        });
        at = next;
    }
    Ok(loaded)
}

/// A quoted value starting at `open`; returns the value, its span (quotes included) and
/// the offset of the line after it.
fn quoted(text: &str, open: usize, q: u8) -> Result<(String, Span, usize), SyntaxError> {
    let mut value = String::new();
    let mut it = text[open + 1..]
        .char_indices()
        .map(|(i, c)| (open + 1 + i, c));
    while let Some((i, c)) = it.next() {
        if c as u32 == q as u32 {
            let end = i + 1;
            let next = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
            return Ok((value, Span::new(open, end), next));
        }
        if c == '\\' && q == b'"' {
            match it.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, 'r')) => value.push('\r'),
                Some((_, other)) => value.push(other),
                None => break,
            }
            continue;
        }
        value.push(c);
    }
    Err(SyntaxError::new(open, "unterminated quoted value"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn assignments_quotes_and_export() {
        let text = "# c\nexport A=1\nB = two words # note\nC=\"x\\ny\"\nD='$lit'\nE=\n";
        let l = parse(text).unwrap();
        let kv: Vec<_> = l
            .entries
            .iter()
            .map(|r| (r.key.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            kv,
            [
                ("A", "1"),
                ("B", "two words"),
                ("C", "x\ny"),
                ("D", "$lit"),
                ("E", "")
            ]
        );
        let b = &l.entries[1];
        assert_eq!(&text[b.value_span.start..b.value_span.end], "two words");
        assert_eq!(&text[b.key_span.start..b.key_span.end], "B");
    }

    #[test]
    fn multi_line_double_quotes() {
        let l = parse("K=\"a\nb\"\nL=2\n").unwrap();
        assert_eq!(l.entries[0].value, "a\nb");
        assert_eq!(l.entries[1].key, "L");
    }

    #[test]
    fn errors() {
        assert_eq!(parse("A=1\nnot an assignment\n").unwrap_err().offset, 4);
        assert!(parse("A=\"open\n")
            .unwrap_err()
            .message
            .contains("unterminated"));
        assert!(parse("1A=x\n")
            .unwrap_err()
            .message
            .contains("invalid variable name"));
    }
}
