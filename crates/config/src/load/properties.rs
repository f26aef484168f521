//! Java/Spring `.properties`: `=`, `:` or whitespace between key and value, `\` escapes
//! (`\uXXXX` included), `\` line continuations, `#`/`!` comment lines, and Spring's `#---`
//! (or `!---`) document separator, each document possibly bound to a profile.

use super::{document_profile, LoadedText, Raw, SyntaxError};
use canary_lint_core::Span;

/// Whether a line reads as `key=value` (used to sniff embedded files).
pub(crate) fn looks_like_property(line: &str) -> bool {
    match line.find(['=', ':']) {
        Some(i) => {
            let key = line[..i].trim();
            !key.is_empty() && !key.contains(char::is_whitespace) && line.as_bytes()[i] == b'='
        }
        None => false,
    }
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0c')
}

/// A logical line: characters with their byte offsets, continuations removed, escape
/// pairs kept (`\` then the escaped character) for the decoder.
struct Logical {
    chars: Vec<(usize, char)>,
    end: usize,
}

/// Reads the logical line starting at `start`; returns it and the offset after it.
fn logical_line(text: &str, start: usize) -> (Logical, usize) {
    let mut chars = Vec::new();
    let mut it = text[start..]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .peekable();
    let mut end = text.len();
    let mut next = text.len();
    while let Some((i, c)) = it.next() {
        match c {
            '\n' => {
                end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                next = i + 1;
                break;
            }
            '\r' if it.peek().map(|p| p.1) == Some('\n') => {}
            '\\' => match it.peek().copied() {
                Some((_, '\n')) | Some((_, '\r')) | None => {
                    // Continuation: skip the line break and the next line's leading blanks.
                    if let Some((_, '\r')) = it.peek() {
                        it.next();
                    }
                    if let Some((_, '\n')) = it.peek() {
                        it.next();
                    }
                    while let Some(&(_, b)) = it.peek() {
                        if is_blank(b) {
                            it.next();
                        } else {
                            break;
                        }
                    }
                }
                Some(escaped) => {
                    chars.push((i, c));
                    chars.push(escaped);
                    it.next();
                }
            },
            _ => chars.push((i, c)),
        }
    }
    if next == text.len() {
        end = text.len();
        while end > start && matches!(text.as_bytes()[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
    }
    (Logical { chars, end }, next)
}

/// Decodes one character at `k` (an escape pair or a plain character); returns the
/// character and the index after it.
fn decode(chars: &[(usize, char)], k: usize) -> Result<(char, usize), SyntaxError> {
    let (at, c) = chars[k];
    if c != '\\' || k + 1 >= chars.len() {
        return Ok((c, k + 1));
    }
    let e = chars[k + 1].1;
    Ok(match e {
        't' => ('\t', k + 2),
        'n' => ('\n', k + 2),
        'r' => ('\r', k + 2),
        'f' => ('\x0c', k + 2),
        'u' => {
            let hex: String = chars.iter().skip(k + 2).take(4).map(|p| p.1).collect();
            let code = (hex.len() == 4)
                .then(|| u32::from_str_radix(&hex, 16).ok())
                .flatten()
                .and_then(char::from_u32)
                .ok_or_else(|| SyntaxError::new(at, "malformed \\uXXXX escape"))?;
            (code, k + 6)
        }
        other => (other, k + 2),
    })
}

/// Parses a whole `.properties` text.
pub(crate) fn parse(text: &str) -> Result<LoadedText, SyntaxError> {
    let mut loaded = LoadedText::default();
    let mut doc: Vec<Raw> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[at..line_end];
        let body = line.trim_start_matches(is_blank);
        let body_trim = body.trim_end();
        if body_trim.is_empty() {
            at = line_end + 1;
            continue;
        }
        if body.starts_with('#') || body.starts_with('!') {
            if body_trim == "#---" || body_trim == "!---" {
                finish(&mut doc, &mut loaded);
            }
            at = line_end + 1;
            continue;
        }
        let start = at + (line.len() - body.len());
        let (logical, next) = logical_line(text, start);
        doc.push(entry(&logical)?);
        at = next;
    }
    finish(&mut doc, &mut loaded);
    Ok(loaded)
}

fn finish(doc: &mut Vec<Raw>, loaded: &mut LoadedText) {
    let profile = document_profile(doc);
    for mut raw in doc.drain(..) {
        raw.profile = profile.clone();
        loaded.entries.push(raw);
    }
}

fn entry(line: &Logical) -> Result<Raw, SyntaxError> {
    let chars = &line.chars;
    let mut key = String::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if c != '\\' && (c == '=' || c == ':' || is_blank(c)) {
            break;
        }
        let (d, n) = decode(chars, k)?;
        key.push(d);
        k = n;
    }
    let key_start = chars.first().map_or(line.end, |c| c.0);
    let key_end = chars.get(k).map_or(line.end, |c| c.0);
    while k < chars.len() && is_blank(chars[k].1) {
        k += 1;
    }
    if k < chars.len() && matches!(chars[k].1, '=' | ':') {
        k += 1;
        while k < chars.len() && is_blank(chars[k].1) {
            k += 1;
        }
    }
    let value_start = chars.get(k).map_or(line.end, |c| c.0);
    let mut value = String::new();
    while k < chars.len() {
        let (d, n) = decode(chars, k)?;
        value.push(d);
        k = n;
    }
    Ok(Raw {
        key,
        value,
        key_span: Span::new(key_start, key_end),
        value_span: Span::new(value_start, line.end),
        profile: None,
        env: false,
        value_from: None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn kv(text: &str) -> Vec<(String, String, String, String)> {
        parse(text)
            .unwrap()
            .entries
            .into_iter()
            .map(|r| {
                (
                    r.key,
                    r.value,
                    text[r.value_span.start..r.value_span.end].to_string(),
                    r.profile.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn separators_and_comments() {
        let got = kv("# c\n! c\na=1\nb : 2\nc 3\n  d\t=\t4  \ne\n");
        let pairs: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect();
        assert_eq!(
            pairs,
            [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4  "), ("e", "")]
        );
        assert_eq!(got[1].2, "2");
    }

    #[test]
    fn escapes_and_continuations() {
        let text = "k\\=ey=a\\tb\\u00e9\\\\\nlong=one, \\\n    two\r\nx=y";
        let got = kv(text);
        assert_eq!(got[0].0, "k=ey");
        assert_eq!(got[0].1, "a\tb\u{e9}\\");
        assert_eq!(got[1].1, "one, two");
        assert_eq!(got[1].2, "one, \\\n    two");
        assert_eq!(got[2].1, "y");
    }

    #[test]
    fn documents_and_profiles() {
        let got = kv("a=1\n#---\nspring.config.activate.on-profile=prod\na=2\n!---\nspring.profiles=dev\na=3\n");
        let profiles: Vec<_> = got.iter().map(|g| (g.1.as_str(), g.3.as_str())).collect();
        assert_eq!(profiles[0], ("1", ""));
        assert_eq!(profiles[2], ("2", "prod"));
        assert_eq!(profiles[4], ("3", "dev"));
    }

    #[test]
    fn bad_unicode_escape_is_an_error_at_its_offset() {
        let e = parse("a=1\nb=\\u12G4\n").unwrap_err();
        assert_eq!(e.offset, 6);
    }
}
