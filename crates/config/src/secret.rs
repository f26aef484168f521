//! Secrets: which keys hold them, which values look like them, and how they are kept out of
//! every output.
//!
//! A key is secret when its flat form names a password, secret, token, credential, private
//! key, API key or access key, or when one of its segments is `pwd`, `pass`, `pw` or (as the
//! last segment) `key` (`tls.key`). Its value is compared like any other but printed as
//! [`REDACTED`]. Whatever the key, a value is masked where it has the shape of a secret
//! ([`embedded_secret_ranges`]): the password in any URL's user-info (whatever characters it
//! holds), `password=`-style parameters (spaces around `=` allowed), PEM private keys, JWTs,
//! GitHub, GitLab, AWS, Slack, Stripe, Google and other well-known token formats, bearer
//! tokens and Oracle-style `user/password@host` connect strings. Source text kept for
//! snippets has the same characters replaced by mask characters of equal UTF-8 length, so
//! byte spans and character columns stay exactly as in the original file.

use crate::normalize::flat_key;
use crate::ConfigEntry;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

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
    "authorization",
    "bearer",
    "cookiekey",
    "sessionkey",
];

/// Key segments that name a secret on their own (`db.pwd`, `smtp.pass`).
const SECRET_SEGMENTS: &[&str] = &["pwd", "pass", "pw", "passwd", "pword"];

/// Whether a key (any spelling) names a secret.
pub fn is_secret_key(key: &str) -> bool {
    let flat = flat_key(key);
    if SECRET_WORDS.iter().any(|w| flat.contains(w)) {
        return true;
    }
    let segments: Vec<String> = key
        .split(['.', '_', '-', '[', ']', '/', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    segments
        .iter()
        .any(|s| SECRET_SEGMENTS.contains(&s.as_str()))
        || segments.last().is_some_and(|s| s == "key")
}

/// The value as it may be printed: [`REDACTED`] for secret keys, embedded secrets masked.
/// A container env `valueFrom` reference (`valueFrom secretKeyRef db/password`) is shown: it
/// says where the secret is kept, not what it is.
pub fn display_value(entry: &ConfigEntry) -> String {
    if entry.secret && entry.value_from.is_none() {
        return REDACTED.to_string();
    }
    mask_embedded(&entry.value)
}

/// `value` with embedded secrets replaced by [`REDACTED`].
pub fn mask_embedded(value: &str) -> String {
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

/// Shapes that are secrets wherever they appear; the capture group `s` (or the whole match)
/// is the secret part.
const SHAPE_PATTERNS: &[&str] = &[
    // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, PGP ... BLOCK): the body, also
    // when the END line is missing.
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?s:(?P<s>.*?))(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)",
    // JSON Web Tokens.
    r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
    // GitHub tokens and fine-grained PATs.
    r"\b(?:gh[pousr])_[A-Za-z0-9]{16,}",
    r"\bgithub_pat_[A-Za-z0-9_]{16,}",
    // GitLab, npm, PyPI, Docker Hub, Hugging Face, OpenAI/Anthropic-style keys.
    r"\bglpat-[A-Za-z0-9_-]{16,}",
    r"\bnpm_[A-Za-z0-9]{20,}",
    r"\bpypi-[A-Za-z0-9_-]{16,}",
    r"\bdckr_pat_[A-Za-z0-9_-]{16,}",
    r"\bhf_[A-Za-z0-9]{20,}",
    r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}",
    // AWS access key ids.
    r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b",
    // Slack tokens and incoming webhooks.
    r"\bxox[abposre]-[A-Za-z0-9-]{10,}",
    r"hooks\.slack\.com/services/(?P<s>[A-Za-z0-9_/-]+)",
    r"\bxapp-[A-Za-z0-9-]{10,}",
    // Stripe, Google, SendGrid, Twilio, Mailgun, Square, Shopify.
    r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}",
    r"\bAIza[0-9A-Za-z_-]{30,}",
    r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}",
    r"\bSK[0-9a-fA-F]{32}\b",
    r"\bkey-[0-9a-f]{32}\b",
    r"\bsq0[a-z]{3}-[0-9A-Za-z_-]{22,}",
    r"\bshp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}",
    // Azure storage and service-bus keys inside connection strings.
    r"(?i)(?:AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*(?P<s>[^;\s]+)",
    // Authorization headers.
    r"(?i)\b(?:bearer|basic)\s+(?P<s>[A-Za-z0-9._~+/=-]*[0-9][A-Za-z0-9._~+/=-]*)",
    // `password=...`, `Password = ...`, `pwd=`, `secret=`, `token=` parameters
    // (also `password: x`, with a YAML anchor or JSON quotes, inside a value);
    // a quoted value up to its closing quote.
    r#"(?i)(?:password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|sslpassword|auth[_-]?token)["']?\s*[=:]\s*(?:&[^\s]+\s+)?(?:'(?P<s>[^']*)'|"(?P<t>[^"]*)"|(?P<u>[^&;,\s)}]+))"#,
    // Oracle / SQL*Plus style `user/password@host`.
    r"\b[A-Za-z][A-Za-z0-9_$#.]*/(?P<s>[^\s@/'\x22]+)@[A-Za-z0-9_.:-]+",
];

fn shapes() -> &'static [Regex] {
    static SHAPES: OnceLock<Vec<Regex>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        (0..SHAPE_PATTERNS.len())
            .filter_map(shape)
            .cloned()
            .collect()
    })
}

/// Shape `i`, compiled the first time it is needed (most runs need none of them).
fn shape(i: usize) -> Option<&'static Regex> {
    static ONE: [OnceLock<Option<Regex>>; SHAPE_COUNT] = [const { OnceLock::new() }; SHAPE_COUNT];
    ONE.get(i)?
        .get_or_init(|| Regex::new(SHAPE_PATTERNS.get(i)?).ok())
        .as_ref()
}

const SHAPE_COUNT: usize = 25;

/// Byte ranges of the password in every `scheme://user:password@host`. The user-info ends
/// at the last `@` before the next URL or line break, so a password holding `/`, `?`, `#`,
/// `@`, `:` or a space is covered whole (a later `@` in the same text errs towards masking).
fn url_userinfo_ranges(value: &str, out: &mut Vec<Range<usize>>) {
    let mut search = 0;
    while let Some(i) = value[search..].find("://") {
        let auth_start = search + i + 3;
        let rest = &value[auth_start..];
        let url_end = [rest.find("://"), rest.find(['\n', '\r'])]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len());
        let url = &rest[..url_end];
        if let Some(at) = url.rfind('@') {
            if let Some(colon) = url[..at].find(':') {
                if colon + 1 < at {
                    out.push(auth_start + colon + 1..auth_start + at);
                }
            }
        }
        search = auth_start;
    }
}

/// The last two shapes need context (`password=`, `user/pass@`); the others start with
/// a literal and are cheap to look for in large texts.
const CONTEXT_SHAPES: usize = 2;

/// Byte ranges of secrets inside a value: URL passwords, secret parameters and the
/// well-known secret shapes. Sorted, not overlapping.
pub fn embedded_secret_ranges(value: &str) -> Vec<Range<usize>> {
    shape_ranges(value, true, shapes())
}

fn shape_ranges<'r>(
    value: &str,
    urls: bool,
    shapes: impl IntoIterator<Item = &'r Regex>,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if urls {
        url_userinfo_ranges(value, &mut out);
    }
    for re in shapes {
        for caps in re.captures_iter(value) {
            let m = ["s", "t", "u"]
                .iter()
                .find_map(|g| caps.name(g))
                .or_else(|| caps.get(0));
            if let Some(m) = m {
                if !m.is_empty() {
                    out.push(m.start()..m.end());
                }
            }
        }
    }
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The SQL literals that hold a password (see [`sql_secret_ranges`]).
const SQL_PATTERN: &str = r#"(?i)\b(?:PASSWORD|IDENTIFIED\s+BY|IDENTIFIED\s+WITH\s+\w+\s+(?:BY|AS)|SECRET)\s*=?\s*[EN]?(?:'(?P<s>(?:[^']|'')*)'|"(?P<t>[^"]*)"|\$\$(?P<u>.*?)\$\$)"#;

/// For the SQL pattern (index 0) and each shape that [`sql_secret_ranges`] uses (index
/// `1 + i` for shape `i`): literals one of which every match contains, and whether they
/// are matched case-insensitively (as their pattern is). A text that holds none of a
/// pattern's literals cannot match it, so that pattern is neither compiled nor run.
const TRIGGERS: &[(bool, &[&str])] = &[
    (true, &["password", "identified", "secret"]),
    (false, &["-----BEGIN "]),
    (false, &["eyJ"]),
    (false, &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
    (false, &["github_pat_"]),
    (false, &["glpat-"]),
    (false, &["npm_"]),
    (false, &["pypi-"]),
    (false, &["dckr_pat_"]),
    (false, &["hf_"]),
    (false, &["sk-"]),
    (
        false,
        &["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA"],
    ),
    (false, &["xox"]),
    (false, &["hooks.slack.com/services/"]),
    (false, &["xapp-"]),
    (false, &["_live_", "_test_"]),
    (false, &["AIza"]),
    (false, &["SG."]),
    (false, &["SK"]),
    (false, &["key-"]),
    (false, &["sq0"]),
    (false, &["shpat_", "shpss_", "shpca_", "shppa_"]),
    (
        true,
        &["accountkey", "sharedaccesskey", "sharedaccesssignature"],
    ),
    (true, &["bearer", "basic"]),
];

/// Which patterns of [`TRIGGERS`] `text` holds a literal of: two passes of a
/// literal searcher (case-sensitive literals on the text, the others on its ASCII
/// lower-case copy) instead of one regex search per pattern (this runs on every SQL
/// file read, history included, and most hold no secret).
fn triggered(text: &str) -> [bool; TRIGGER_COUNT + 1] {
    type Searcher = Option<(aho_corasick::AhoCorasick, Vec<usize>)>;
    fn build(ci: bool) -> Searcher {
        let mut literals = Vec::new();
        let mut owners = Vec::new();
        for (i, (c, lits)) in TRIGGERS.iter().enumerate() {
            if *c == ci {
                for l in *lits {
                    literals.push(*l);
                    owners.push(i);
                }
            }
        }
        if !ci {
            // URL user-info ([`url_userinfo_ranges`]) needs `://`.
            literals.push("://");
            owners.push(URL);
        }
        if ci {
            // The two letters outside ASCII that case-insensitive matching folds into
            // ASCII ones (long s, Kelvin sign) may spell any case-insensitive literal.
            for l in ["\u{17f}", "\u{212a}"] {
                literals.push(l);
                owners.push(usize::MAX);
            }
        }
        // A contiguous NFA: building the DFA the crate picks by default for this
        // few literals was 1.6 M instructions, a tenth of a pre-commit run, and
        // the prefilter finds the literals before either automaton runs.
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&literals)
            .ok()
            .map(|ac| (ac, owners))
    }
    static SEARCHERS: OnceLock<(Searcher, Searcher)> = OnceLock::new();
    let (cs, ci) = SEARCHERS.get_or_init(|| (build(false), build(true)));
    let (Some((cs, cs_owners)), Some((ci, ci_owners))) = (cs, ci) else {
        // Without the searchers every pattern runs.
        return [true; TRIGGER_COUNT + 1];
    };
    let mut hit = [false; TRIGGER_COUNT + 1];
    let lower = text.to_ascii_lowercase();
    for (ac, owners, hay) in [(cs, cs_owners, text), (ci, ci_owners, lower.as_str())] {
        // Every start position: no literal is hidden inside an earlier match.
        let mut at = 0;
        while let Some(m) = ac.find(aho_corasick::Input::new(hay).range(at..)) {
            match owners[m.pattern().as_usize()] {
                usize::MAX => {
                    for (h, (c, _)) in hit.iter_mut().zip(TRIGGERS) {
                        *h |= *c;
                    }
                }
                i => hit[i] = true,
            }
            at = m.start() + 1;
        }
    }
    hit
}

const TRIGGER_COUNT: usize = 24;

/// The index in [`triggered`]'s answer that says whether `text` holds `://`.
const URL: usize = TRIGGER_COUNT;

/// Secrets in SQL text: the literal of `PASSWORD '...'` (`CREATE/ALTER ROLE|USER`, also
/// `WITH PASSWORD = '...'`), `IDENTIFIED BY '...'`, and the secret shapes of
/// [`embedded_secret_ranges`] that cannot span a quote. Only characters inside the
/// literal are in the ranges, so masked SQL still splits and parses the same way.
pub fn sql_secret_ranges(text: &str) -> Vec<Range<usize>> {
    sql_secret_ranges_and_keywords(text).0
}

/// [`sql_secret_ranges`], and whether `text` may name one of the keywords that
/// introduce a password (`password`, `identified`, `secret`, in any ASCII case):
/// `false` only when it names none of them.
pub fn sql_secret_ranges_and_keywords(text: &str) -> (Vec<Range<usize>>, bool) {
    let hit = triggered(text);
    let mut out = Vec::new();
    if hit[0] && sql_pattern_may_match(text) {
        static SQL: OnceLock<Option<Regex>> = OnceLock::new();
        if let Some(re) = SQL.get_or_init(|| Regex::new(SQL_PATTERN).ok()) {
            for caps in re.captures_iter(text) {
                if let Some(m) = ["s", "t", "u"].iter().find_map(|g| caps.name(g)) {
                    if !m.is_empty() {
                        out.push(m.start()..m.end());
                    }
                }
            }
        }
    }
    shapes_in(text, &hit, &mut out);
    out.sort_by_key(|r| r.start);
    (out, hit[0])
}

/// Whether [`SQL_PATTERN`] may match `text`: `false` only when no `password` or
/// `secret` (any ASCII case) is followed, past blanks, an optional `=` and an
/// optional `E`/`N`, by a quote or `$$`, and `text` names no `identified` and holds
/// none of the letters outside ASCII that case-insensitive matching folds into
/// ASCII ones. Compiling the pattern is most of what masking costs a file that
/// only names a `secret` column or table.
fn sql_pattern_may_match(text: &str) -> bool {
    if text.contains(['\u{17f}', '\u{212a}']) {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("identified") {
        return true;
    }
    let b = lower.as_bytes();
    // Blanks as the pattern's `\s` reads them; any byte outside ASCII may start one.
    let skip_blanks = |mut i: usize| -> Option<usize> {
        while let Some(&c) = b.get(i) {
            if c >= 0x80 {
                return None;
            }
            if !c.is_ascii_whitespace() && c != 0x0b {
                break;
            }
            i += 1;
        }
        Some(i)
    };
    for word in ["password", "secret"] {
        for (at, _) in lower.match_indices(word) {
            let Some(mut i) = skip_blanks(at + word.len()) else {
                return true;
            };
            if b.get(i) == Some(&b'=') {
                let Some(j) = skip_blanks(i + 1) else {
                    return true;
                };
                i = j;
            }
            if matches!(b.get(i), Some(b'e' | b'n')) {
                i += 1;
            }
            match b.get(i) {
                Some(b'\'' | b'"') => return true,
                Some(b'$') if b.get(i + 1) == Some(&b'$') => return true,
                _ => {}
            }
        }
    }
    false
}

/// The secret shapes of [`embedded_secret_ranges`] in any text (no SQL keyword
/// pattern): what a file that is not SQL (a manifest, Terraform) gets masked as it
/// is read. A shape never spans a quote, a line end or a `;`.
pub fn shape_secret_ranges(text: &str) -> Vec<Range<usize>> {
    let hit = triggered(text);
    let mut out = Vec::new();
    shapes_in(text, &hit, &mut out);
    out.sort_by_key(|r| r.start);
    out
}

fn shapes_in(text: &str, hit: &[bool; TRIGGER_COUNT + 1], out: &mut Vec<Range<usize>>) {
    let used = (0..SHAPE_PATTERNS.len() - CONTEXT_SHAPES).filter(|&i| hit[1 + i]);
    for r in shape_ranges(text, hit[URL], used.filter_map(shape)) {
        let part = &text[r.clone()];
        if !part.contains(['\'', '"', '\n', ';']) {
            out.push(r);
        }
    }
}

/// `text` with the secrets of [`sql_secret_ranges`] masked (same byte length, so spans
/// stay valid); borrowed when there is nothing to mask.
pub fn mask_sql_secrets(text: &str) -> std::borrow::Cow<'_, str> {
    let mut ranges = sql_secret_ranges(text);
    if ranges.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(mask_ranges(text, &mut ranges))
    }
}

/// The last guard before text leaves the process: every occurrence of a known secret (as
/// written, and as JSON, XML and GitHub-command escaping would write it) is replaced by
/// [`REDACTED`]. Secrets shorter than 4 bytes are left (they would erase ordinary text);
/// they are masked at their source instead.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut forms: Vec<String> = Vec::new();
    for s in secrets {
        for part in std::iter::once(s.as_str()).chain(s.lines().map(str::trim)) {
            if part.len() < 4 {
                continue;
            }
            forms.push(part.to_string());
            let json = serde_json::to_string(part).unwrap_or_default();
            forms.push(json[1..json.len().saturating_sub(1).max(1)].to_string());
            forms.push(
                part.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
                    .replace('\'', "&apos;"),
            );
            forms.push(
                part.replace('%', "%25")
                    .replace('\r', "%0D")
                    .replace('\n', "%0A"),
            );
        }
    }
    forms.retain(|f| f.len() >= 4);
    // Longest first, so a secret is not half-replaced through a shorter one.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    let mut out = text.to_string();
    for f in &forms {
        if out.contains(f.as_str()) {
            out = out.replace(f.as_str(), REDACTED);
        }
    }
    out
}

/// Every byte range of `text` where one of `needles` occurs (needles of fewer than 3
/// bytes are skipped: they would mask ordinary text). Used to mask a secret wherever its
/// value is written again (an anchor's text, a repeated literal).
pub(crate) fn occurrences(text: &str, needles: &[&str]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for n in needles {
        if n.len() < 3 {
            continue;
        }
        let mut from = 0;
        while let Some(i) = text[from..].find(n) {
            out.push(from + i..from + i + n.len());
            from += i + n.len();
        }
    }
    out
}

/// Replaces every character in `ranges` of `text` by a mask character of the same UTF-8
/// length (line breaks kept), so offsets and columns do not move.
pub fn mask_ranges(text: &str, ranges: &mut [Range<usize>]) -> String {
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
    fn secret_segments() {
        assert!(is_secret_key("tls.key"));
        assert!(is_secret_key("db.pwd"));
        assert!(is_secret_key("smtp.pass"));
        assert!(is_secret_key("SMTP_PASS"));
        assert!(!is_secret_key("cache.keys.ttl"));
        assert!(!is_secret_key("passenger.count"));
    }

    #[test]
    fn url_passwords_with_any_characters_are_masked() {
        for (v, want) in [
            ("redis://app:ab/c@host", "redis://app:[redacted]@host"),
            (
                "redis://app:a?b#c@host:6379/0",
                "redis://app:[redacted]@host:6379/0",
            ),
            ("amqp://u:p w@h", "amqp://u:[redacted]@h"),
            ("postgres://u:p@ss@db/x", "postgres://u:[redacted]@db/x"),
            (
                "Server=db;User Id=a;Password = s3 ;x=1",
                "Server=db;User Id=a;Password = [redacted] ;x=1",
            ),
            ("scott/tiger@orcl", "scott/[redacted]@orcl"),
        ] {
            assert_eq!(mask_embedded(v), want, "{v}");
        }
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
#[cfg(test)]
mod sql_tests {
    use super::*;

    #[test]
    fn sql_passwords_are_masked_in_place() {
        let sql = "CREATE ROLE app PASSWORD 'rolepw-123' LOGIN;\nALTER USER x IDENTIFIED BY \"p2-secret\";";
        let masked = mask_sql_secrets(sql);
        assert_eq!(masked.len(), sql.len());
        assert!(
            !masked.contains("rolepw") && !masked.contains("p2-secret"),
            "{masked}"
        );
        assert!(masked.contains("PASSWORD '**********' LOGIN"), "{masked}");
    }

    #[test]
    fn the_prefilter_sees_every_sql_secret() {
        // Each text holds one secret `sql_secret_ranges` masks; the prefilter must see it
        // (also next to non-ASCII text), and stay quiet on ordinary SQL.
        let secrets = [
            "CREATE ROLE app WITH PASSWORD 'rolepw-123';",
            "ALTER USER x IDENTIFIED BY \"p2-secret\";",
            "CREATE USER y IDENTIFIED WITH mysql_native_password BY 'pw-9876';",
            "CREATE SERVER s OPTIONS (password $$dollar-pw$$);",
            "INSERT INTO t VALUES ('é postgres://app:pa/ss@db.internal/app');",
            "-- ütoken ghp_0123456789abcdefABCDEF012345",
            "SELECT 'é eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl';",
            "-- AKIAIOSFODNN7EXAMPLE in a comment",
            "-- hooks.slack.com/services/T000/B000/XXXX",
            "SELECT 'Bearer abc123def456';",
            "SELECT 'AccountKey=abc123==;';",
            "-- -----BEGIN RSA PRIVATE KEY----- MIIE -----END RSA PRIVATE KEY-----",
            "-- SK0123456789abcdef0123456789abcdef",
            "CREATE ROLE a PA\u{17f}\u{17f}WORD 'folded-pw';",
        ];
        for text in secrets {
            assert!(triggered(text).iter().any(|&h| h), "no trigger in {text}");
            assert_ne!(mask_sql_secrets(text), text, "{text}");
        }
        let plain =
            "CREATE TABLE users (id bigint, password_hash text NOT NULL, token_count int);\n\
                     UPDATE users SET password_hash = '' WHERE id = 1; -- café";
        assert_eq!(triggered(plain).iter().filter(|&&h| h).count(), 1); // `password`
        assert!(sql_secret_ranges(plain).is_empty());
    }

    /// What [`triggered`] answers, literal by literal: a case-sensitive
    /// literal as written, a case-insensitive one in any ASCII case (or any of
    /// them when the text holds a letter that folds into ASCII).
    fn triggered_by_each_literal(text: &str) -> [bool; TRIGGER_COUNT + 1] {
        let lower = text.to_ascii_lowercase();
        let folds = text.contains(['\u{17f}', '\u{212a}']);
        let mut hit = [false; TRIGGER_COUNT + 1];
        for (h, (ci, lits)) in hit.iter_mut().zip(TRIGGERS) {
            *h = if *ci {
                folds || lits.iter().any(|l| lower.contains(l))
            } else {
                lits.iter().any(|l| text.contains(l))
            };
        }
        hit[URL] = text.contains("://");
        hit
    }

    #[test]
    fn triggered_finds_each_literal_in_its_case_only() {
        let mut texts: Vec<String> = Vec::new();
        for (_, lits) in TRIGGERS {
            for l in *lits {
                for v in [
                    l.to_string(),
                    l.to_ascii_lowercase(),
                    l.to_ascii_uppercase(),
                    l[..l.len() - 1].to_string(),
                ] {
                    texts.push(format!("SELECT 'x{v}y' FROM task_list; -- ask"));
                    texts.push(v.clone());
                }
            }
        }
        texts.extend(
            [
                "",
                "sk",
                "Sk-live",
                "task sk- SK",
                "ghp ghp_ GHP_",
                "postgres://u:p@h/d",
                "PA\u{17f}\u{17f}WORD",
                "\u{212a}ey-",
                "sharedaccesssignatur sharedaccesskey",
                "SHAREDACCESSSIGNATURE",
                "_live _test_ _LIVE_",
                "SG. sg. Sg.",
            ]
            .map(String::from),
        );
        for t in &texts {
            assert_eq!(triggered(t), triggered_by_each_literal(t), "{t}");
        }
    }

    #[test]
    fn the_sql_pattern_is_skipped_only_where_it_cannot_match() {
        let Ok(re) = regex::Regex::new(SQL_PATTERN) else {
            panic!("the SQL pattern compiles");
        };
        let texts = [
            "CREATE ROLE app WITH PASSWORD 'rolepw-123';",
            "ALTER ROLE app PASSWORD = E'x';",
            "ALTER ROLE app password\t=\x0bN\"x\";",
            "CREATE SERVER s OPTIONS (password $$dollar-pw$$);",
            "ALTER USER x IDENTIFIED BY \"p2-secret\";",
            "CREATE SECRET s (TYPE s3, SECRET 'k');",
            "CREATE ROLE a PA\u{17f}\u{17f}WORD 'folded-pw';",
            "CREATE ROLE a PASSWORD\u{a0}'nbsp-pw';",
            "CREATE TABLE secret (id int, jwt_secret varchar NOT NULL);",
            "ALTER TABLE users ADD COLUMN password_hash text DEFAULT '';",
            "UPDATE users SET secret = NULL, password = password_hash;",
            "SELECT 'password' || \"secret\";",
        ];
        for text in texts {
            if re.is_match(text) {
                assert!(sql_pattern_may_match(text), "{text}");
            }
        }
        assert!(!sql_pattern_may_match(texts[8]));
        assert!(!sql_pattern_may_match(texts[9]));
        assert!(!sql_pattern_may_match(texts[10]));
    }
}

#[cfg(test)]
mod shape_tests {
    #[test]
    fn every_shape_compiles() {
        // A pattern that failed to compile would be dropped silently.
        assert_eq!(super::SHAPE_PATTERNS.len(), super::SHAPE_COUNT);
        assert_eq!(super::shapes().len(), super::SHAPE_PATTERNS.len());
        assert!(regex::Regex::new(super::SQL_PATTERN).is_ok());
        // One trigger list for the SQL pattern and each shape SQL masking uses.
        assert_eq!(
            super::TRIGGERS.len(),
            1 + super::SHAPE_PATTERNS.len() - super::CONTEXT_SHAPES
        );
        assert_eq!(super::TRIGGERS.len(), super::TRIGGER_COUNT);
        // A single trigger literal is written in its pattern.
        for (i, (_, lits)) in super::TRIGGERS.iter().enumerate().skip(1) {
            let p = super::SHAPE_PATTERNS[i - 1].replace('\\', "");
            assert!(lits.len() > 1 || p.contains(lits[0]), "shape {i}: {p}");
        }
    }
}

#[cfg(test)]
mod scrub_tests {
    use super::*;

    #[test]
    fn scrub_finds_every_escaped_form() {
        let secrets = vec!["p\"w<&>d\nline-two".to_string(), "ab".to_string()];
        let text =
            "raw p\"w<&>d\nline-two json p\\\"w<&>d\\nline-two xml p&quot;w&lt;&amp;&gt;d ab";
        let out = scrub(text, &secrets);
        assert!(
            !out.contains("line-two") && !out.contains("w<&>d") && !out.contains("&lt;&amp;"),
            "{out}"
        );
        // Too short to scrub without erasing ordinary text: masked at the source instead.
        assert!(out.ends_with(" ab"), "{out}");
    }
}
