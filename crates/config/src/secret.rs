//! Secrets: which keys hold them, and how they are kept out of every output.
//!
//! A key is secret when its flat form names a password, secret, token, credential, private
//! key, API key or access key. Its value is compared like any other but printed as
//! [`REDACTED`]. Passwords embedded in other values (`scheme://user:pass@host`, a
//! `password=` URL parameter) are masked the same way. Source text kept for snippets has the
//! same characters replaced by mask characters of equal UTF-8 length, so byte spans and
//! character columns stay exactly as in the original file.

use crate::normalize::flat_key;
use crate::Entry;
use std::ops::Range;

/// What is printed instead of a secret.
pub const REDACTED: &str = "[redacted]";

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "privatekey",
    "apikey",
    "accesskey",
    "signingkey",
    "encryptionkey",
];

/// Whether a key (any spelling) names a secret.
pub fn is_secret_key(key: &str) -> bool {
    let flat = flat_key(key);
    SECRET_WORDS.iter().any(|w| flat.contains(w))
}

/// The value as it may be printed: [`REDACTED`] for secret keys, embedded passwords masked.
/// A container env `valueFrom` reference (`valueFrom secretKeyRef db/password`) is shown: it
/// says where the secret is kept, not what it is.
pub fn display_value(entry: &Entry) -> String {
    if entry.secret && entry.value_from.is_none() {
        return REDACTED.to_string();
    }
    mask_embedded(&entry.value)
}

/// `value` with embedded passwords replaced by [`REDACTED`].
pub(crate) fn mask_embedded(value: &str) -> String {
    let ranges = embedded_secret_ranges(value);
    if ranges.is_empty() {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&value[at..r.start]);
        out.push_str(REDACTED);
        at = r.end;
    }
    out.push_str(&value[at..]);
    out
}

/// Byte ranges of passwords inside a value: the password of `scheme://user:password@host`
/// and the value of `password=`/`pwd=` parameters. Sorted, not overlapping.
pub(crate) fn embedded_secret_ranges(value: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(i) = value[search..].find("://") {
        let auth_start = search + i + 3;
        let rest = &value[auth_start..];
        let auth_end = rest.find(['/', '?', '#', ' ']).unwrap_or(rest.len());
        let authority = &rest[..auth_end];
        if let Some(at) = authority.rfind('@') {
            if let Some(colon) = authority[..at].find(':') {
                if colon + 1 < at {
                    out.push(auth_start + colon + 1..auth_start + at);
                }
            }
        }
        search = auth_start;
    }
    let lower = value.to_ascii_lowercase();
    for word in ["password=", "pwd=", "secret=", "token="] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(word) {
            let start = from + i + word.len();
            let boundary_ok = start - word.len() == 0
                || matches!(
                    lower.as_bytes()[start - word.len() - 1],
                    b'?' | b'&' | b';' | b' '
                );
            let len = value[start..]
                .find(['&', ';', ' '])
                .unwrap_or(value.len() - start);
            if boundary_ok && len > 0 {
                out.push(start..start + len);
            }
            from = start;
        }
    }
    out.sort_by_key(|r| r.start);
    out.dedup_by(|b, a| b.start < a.end);
    out
}

/// Replaces every character in `ranges` of `text` by a mask character of the same UTF-8
/// length (line breaks kept), so offsets and columns do not move.
pub(crate) fn mask_ranges(text: &str, ranges: &mut [Range<usize>]) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut ri = 0;
    for (i, c) in text.char_indices() {
        while ri < ranges.len() && ranges[ri].end <= i {
            ri += 1;
        }
        let inside = ri < ranges.len() && ranges[ri].start <= i && i < ranges[ri].end;
        if inside && c != '\n' && c != '\r' {
            out.push(match c.len_utf8() {
                1 => '*',
                2 => '\u{00b7}',
                3 => '\u{2217}',
                _ => '\u{1f512}',
            });
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_in_every_spelling() {
        assert!(is_secret_key("spring.datasource.password"));
        assert!(is_secret_key("DB_PASSWORD"));
        assert!(is_secret_key("app.api-key"));
        assert!(is_secret_key("oauth.client_secret"));
        assert!(is_secret_key("GITHUB_TOKEN"));
        assert!(is_secret_key("tls.private-key"));
        assert!(!is_secret_key("spring.datasource.url"));
        assert!(!is_secret_key("logging.pattern.console"));
    }

    #[test]
    fn embedded_passwords_are_masked() {
        assert_eq!(
            mask_embedded("postgres://app:hunter2@db:5432/x"),
            "postgres://app:[redacted]@db:5432/x"
        );
        assert_eq!(
            mask_embedded("jdbc:mysql://db/x?user=a&password=s3cr3t&ssl=true"),
            "jdbc:mysql://db/x?user=a&password=[redacted]&ssl=true"
        );
        assert_eq!(
            mask_embedded("http://eureka:8761/eureka/"),
            "http://eureka:8761/eureka/"
        );
    }

    #[test]
    fn masking_keeps_lengths() {
        let text = "a=pässword\nb=2";
        let mut ranges = vec![std::ops::Range { start: 2, end: 11 }];
        let masked = mask_ranges(text, &mut ranges);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.chars().count(), text.chars().count());
        assert!(!masked.contains("ssword"));
        assert!(masked.ends_with("\nb=2"));
    }
}
