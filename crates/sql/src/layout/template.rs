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
    let b = text.as_bytes();
    memchr_any(b)?;
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i + 1 < b.len() {
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
        }
        i = end;
    }
    out.and_then(|v| String::from_utf8(v).ok())
}

fn memchr_any(b: &[u8]) -> Option<usize> {
    b.windows(2)
        .position(|w| (w[0] == b'{' || w[0] == b'$') && w[1] == b'{')
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
    fn control_actions_are_blank() {
        let t = "{{ if .X }}DROP TABLE a;{{ end }}";
        let r = replace_placeholders(t).unwrap();
        assert_eq!(r, "           DROP TABLE a;         ");
        assert_eq!(replace_placeholders("SELECT 1; -- $$ {x}"), None);
    }
}
