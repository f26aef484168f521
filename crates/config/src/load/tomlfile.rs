//! TOML files, flattened: tables joined with `.`, arrays as `key[i]`. Strings keep their
//! content; other scalars their source text.

use super::{LoadedText, Raw, SyntaxError};
use canary_lint_core::Span;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub(crate) fn parse(text: &str) -> Result<LoadedText, SyntaxError> {
    let table = DeTable::parse(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        SyntaxError::new(at, format!("invalid TOML: {}", e.message().trim()))
    })?;
    let mut loaded = LoadedText::default();
    table_entries(text, table.get_ref(), "", &mut loaded.entries);
    Ok(loaded)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn table_entries(text: &str, table: &DeTable<'_>, prefix: &str, out: &mut Vec<Raw>) {
    let mut items: Vec<_> = table.iter().collect();
    items.sort_by_key(|(k, v)| (v.span().start, k.span().start));
    for (k, v) in items {
        let span = k.span();
        value_entries(
            text,
            v,
            &join(prefix, k.get_ref()),
            Span::new(span.start, span.end),
            out,
        );
    }
}

fn value_entries(
    text: &str,
    v: &Spanned<DeValue<'_>>,
    key: &str,
    key_span: Span,
    out: &mut Vec<Raw>,
) {
    let s = v.span();
    let span = Span::new(s.start, s.end);
    let scalar = |value: String, out: &mut Vec<Raw>| {
        out.push(Raw {
            key: key.to_string(),
            value,
            key_span,
            value_span: span,
            profile: None,
            env: false,
            value_from: None,
        })
    };
    match v.get_ref() {
        DeValue::Table(t) => {
            if t.is_empty() {
                scalar(String::new(), out);
            }
            table_entries(text, t, key, out);
        }
        DeValue::Array(items) => {
            if items.is_empty() {
                scalar(String::new(), out);
            }
            for (i, item) in items.iter().enumerate() {
                let st = item.span().start;
                value_entries(text, item, &format!("{key}[{i}]"), Span::new(st, st), out);
            }
        }
        DeValue::String(s) => scalar(s.to_string(), out),
        _ => scalar(
            text.get(s.start..s.end)
                .unwrap_or_default()
                .trim()
                .to_string(),
            out,
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tables_and_arrays_flatten_with_spans() {
        let text =
            "top = 1\n[db]\nurl = \"postgres://x\"\nports = [1, 2]\n[db.pool]\nmax-size = 5\n";
        let l = parse(text).unwrap();
        let kv: Vec<_> = l
            .entries
            .iter()
            .map(|r| (r.key.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            kv,
            [
                ("top", "1"),
                ("db.url", "postgres://x"),
                ("db.ports[0]", "1"),
                ("db.ports[1]", "2"),
                ("db.pool.max-size", "5")
            ]
        );
        let url = &l.entries[1];
        assert_eq!(
            &text[url.value_span.start..url.value_span.end],
            "\"postgres://x\""
        );
        assert_eq!(&text[url.key_span.start..url.key_span.end], "url");
    }

    #[test]
    fn bad_toml_reports_offset() {
        let e = parse("a = 1\nb = \n").unwrap_err();
        assert!(e.message.starts_with("invalid TOML"));
        assert!(e.offset >= 6);
    }
}
