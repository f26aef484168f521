//! The tables a trigger function's body inserts into, read from its text.

use crate::changes::{name_from_parts, skip_object_name, Name};
use crate::lex::{dollar_body, ident_value, tokens, Token, TokenKind};
use crate::Dialect;
use canary_lint_core::Span;

/// The tables a routine body (as SQL text, dollar quotes included) inserts into,
/// with the columns each `INSERT INTO t (a, b)` names (`None`: no column list).
pub(crate) fn inserts(text: &str, dialect: Dialect) -> Vec<(Name, Option<Vec<String>>)> {
    let mut out = Vec::new();
    // No `INSERT` in any case: nothing to tokenize the body for.
    if names_insert(text) {
        inserts_in(text, Span::new(0, text.len()), dialect, &mut out, 0);
    }
    out
}

/// Whether `text` holds `insert` in some ASCII case (a body without it has no
/// `INSERT` word).
fn names_insert(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'i', b'I', b).any(|i| {
        b.get(i..i + 6)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"insert"))
    })
}

fn inserts_in(
    text: &str,
    span: Span,
    dialect: Dialect,
    out: &mut Vec<(Name, Option<Vec<String>>)>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    let toks: Vec<Token> = tokens(text, span.start, span.end, dialect)
        .into_iter()
        .filter(|t| !t.is_comment())
        .collect();
    for (i, t) in toks.iter().enumerate() {
        if let Some(inner) = dollar_body(text, t) {
            inserts_in(text, inner, dialect, out, depth + 1);
            continue;
        }
        if !(t.is_word(text, "INSERT") && toks.get(i + 1).is_some_and(|n| n.is_word(text, "INTO")))
        {
            continue;
        }
        let Some((parts, end)) = skip_object_name(text, &toks, i + 2) else {
            continue;
        };
        let name = name_from_parts(text, &toks, i + 2, end, &parts, dialect);
        let mut columns = None;
        if toks.get(end).is_some_and(|x| x.is_punct(text, b'(')) {
            let mut cols = Vec::new();
            let mut j = end + 1;
            while let Some(x) = toks.get(j) {
                if !matches!(x.kind, TokenKind::Word | TokenKind::QuotedIdent) {
                    break;
                }
                let (v, quoted) = ident_value(text, x);
                cols.push(if quoted { v } else { v.to_lowercase() });
                match toks.get(j + 1) {
                    Some(p) if p.is_punct(text, b',') => j += 2,
                    Some(p) if p.is_punct(text, b')') => {
                        columns = Some(cols);
                        break;
                    }
                    _ => break,
                }
            }
        }
        out.push((name, columns));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn inserts_of_a_trigger_function_body() {
        let t = "$$ BEGIN IF (TG_OP = 'INSERT') THEN INSERT INTO post_aggregates (post_id, \"Creator\") VALUES (NEW.id, 1); END IF; INSERT INTO s.log VALUES (1); RETURN NULL; END $$";
        let found: Vec<(String, Option<Vec<String>>)> = inserts(t, Dialect::Postgres)
            .into_iter()
            .map(|(n, c)| (n.key, c))
            .collect();
        assert!(names_insert("x InSeRt"));
        assert!(!names_insert("BEGIN RETURN NEW; END -- inser"));
        assert!(inserts("$$ BEGIN UPDATE t SET a = 1; END $$", Dialect::Postgres).is_empty());
        assert_eq!(
            found,
            vec![
                (
                    "post_aggregates".to_string(),
                    Some(vec!["post_id".to_string(), "Creator".to_string()])
                ),
                ("s.log".to_string(), None),
            ]
        );
    }
}
