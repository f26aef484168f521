//! Template placeholders in migration files: Go templates (`{{ index .Options
//! "Namespace" }}`, supabase/auth) and `${name}` (Flyway and Liquibase
//! properties). Each is replaced by an identifier of the same byte length made
//! from the placeholder's letters (`{{ .Schema }}` becomes `pschema_______`), so
//! the statement parses and every position still points into the original
//! file. Control actions (`{{ if }}`, `{{ end }}`, `{{/* */}}` ...) and
//! placeholders that span lines become blanks.

/// Go template actions that stand for no text.
const CONTROL: &[&str] = &[
    "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
];

/// `text` with every placeholder replaced; `None` when it has none.
pub fn replace_placeholders(text: &str) -> Option<String> {
    replace_ranged(text).map(|(s, _)| s)
}

/// [`replace_placeholders`], with the byte ranges of the placeholders replaced
/// by a name.
fn replace_ranged(text: &str) -> Option<(String, Vec<(usize, usize)>)> {
    let mut named = Vec::new();
    let b = text.as_bytes();
    memchr_any(b)?;
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i + 1 < b.len() {
        // Placeholders start at `{` or `$`: jump to the next one (the text of a
        // routine body has `$$`, so most files get this far).
        match memchr::memchr2(b'{', b'$', &b[i..b.len() - 1]) {
            Some(k) => i += k,
            None => break,
        }
        let found = match (b[i], b[i + 1]) {
            (b'{', b'{') => text[i + 2..].find("}}").map(|e| (i + 2 + e + 2, true)),
            (b'$', b'{') => {
                let n = b[i + 2..]
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-')
                    })
                    .count();
                (n > 0 && b.get(i + 2 + n) == Some(&b'}')).then_some((i + 2 + n + 1, false))
            }
            _ => None,
        };
        let Some((end, go)) = found else {
            i += 1;
            continue;
        };
        let buf = out.get_or_insert_with(|| b.to_vec());
        let inner = &text[i + 2..end - if go { 2 } else { 1 }];
        let action = inner
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let first = action.split_whitespace().next().unwrap_or("");
        let blank = inner.contains('\n')
            || (go && (action.starts_with("/*") || CONTROL.contains(&first) || action.is_empty()));
        if blank {
            for c in &mut buf[i..end] {
                if *c != b'\n' && *c != b'\r' {
                    *c = b' ';
                }
            }
        } else {
            let mut name = vec![b'p'];
            name.extend(
                inner
                    .bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase()),
            );
            name.resize(end - i, b'_');
            buf[i..end].copy_from_slice(&name);
            named.push((i, end));
        }
        i = end;
    }
    let s = String::from_utf8(out?).ok()?;
    Some((s, named))
}

/// `(identifier, placeholder)` pairs of `text`: what [`replace_placeholders`]
/// wrote for each placeholder it replaced by a name.
pub fn placeholder_names(text: &str) -> Vec<(String, String)> {
    let Some((replaced, ranges)) = replace_ranged(text) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for (start, end) in ranges {
        let name = replaced[start..end].trim_end_matches('_').to_string();
        if !name.is_empty() && !out.iter().any(|p| p.0 == name) {
            out.push((name, text[start..end].to_string()));
        }
    }
    out
}

/// Puts the placeholders of `text` back into the names in `message`
/// (`pschema____.users` reads `{{ .Schema }}.users` again).
pub fn restore(message: &str, pairs: &[(String, String)]) -> String {
    let mut m = message.to_string();
    let mut pairs: Vec<&(String, String)> = pairs.iter().collect();
    // Longer names first, so that one name that starts another is not taken for it.
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    for (name, original) in pairs {
        let mut at = 0;
        while let Some(k) = m[at..].find(name.as_str()) {
            let start = at + k;
            let mut end = start + name.len();
            while m.as_bytes().get(end) == Some(&b'_') {
                end += 1;
            }
            if m.as_bytes().get(end).is_some_and(u8::is_ascii_alphanumeric) {
                at = end;
                continue;
            }
            m.replace_range(start..end, original);
            at = start + original.len();
        }
    }
    m
}

/// Puts placeholders back into the messages, labels and help of findings in
/// files that had them; `text_of` gives a file's text by its display path.
pub fn restore_in(
    diags: &mut [canary_lint_core::Diagnostic],
    text_of: &dyn Fn(&str) -> Option<std::sync::Arc<str>>,
) {
    let mut cache: std::collections::HashMap<String, Vec<(String, String)>> =
        std::collections::HashMap::new();
    for d in diags {
        let pairs = cache.entry(d.file.to_string()).or_insert_with(|| {
            text_of(&d.file)
                .filter(|t| t.contains("{{") || t.contains("${"))
                .map(|t| placeholder_names(&t))
                .unwrap_or_default()
        });
        if pairs.is_empty() {
            continue;
        }
        d.message = restore(&d.message, pairs);
        d.help = d.help.as_deref().map(|h| restore(h, pairs));
        d.label = d.label.as_deref().map(|l| restore(l, pairs));
        for l in &mut d.labels {
            l.message = restore(&l.message, pairs);
        }
    }
}

fn memchr_any(b: &[u8]) -> Option<usize> {
    // Vectorised search for the first byte (this runs on every SQL file read).
    memchr::memchr2_iter(b'{', b'$', b).find(|&i| b.get(i + 1) == Some(&b'{'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn same_length_identifiers() {
        let t = "ALTER TABLE {{ index .Options \"Namespace\" }}.users DROP COLUMN x;";
        let r = replace_placeholders(t).unwrap();
        assert_eq!(r.len(), t.len());
        assert!(
            r.starts_with("ALTER TABLE pindexoptionsnamespace__________.users"),
            "{r}"
        );
        let t = "CREATE TABLE ${flyway:defaultSchema}.t (a int);";
        let r = replace_placeholders(t).unwrap();
        assert_eq!(r.len(), t.len());
        assert!(r.contains("pflywaydefaultschema___.t"), "{r}");
    }

    #[test]
    fn names_are_restored_in_messages() {
        let t = "ALTER TABLE {{ index .Options \"Namespace\" }}.users DROP COLUMN x;";
        let pairs = placeholder_names(t);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        let m = "dropping `pindexoptionsnamespace__________.users.x` breaks stable";
        assert_eq!(
            restore(m, &pairs),
            "dropping `{{ index .Options \"Namespace\" }}.users.x` breaks stable"
        );
    }

    #[test]
    fn control_actions_are_blank() {
        let t = "{{ if .X }}DROP TABLE a;{{ end }}";
        let r = replace_placeholders(t).unwrap();
        assert_eq!(r, "           DROP TABLE a;         ");
        assert_eq!(replace_placeholders("SELECT 1; -- $$ {x}"), None);
    }
}
