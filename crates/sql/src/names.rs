//! Object-name keys: how two spellings of a name are found to be the same object.
//!
//! Unquoted identifiers fold to lower case (Postgres folds unquoted names; MySQL
//! column names, SQLite and SQL Server compare case-insensitively by default);
//! quoted identifiers keep their case. The dialect's default schema is dropped, so
//! `public.users`, `users` and `"users"` are one key on Postgres, and `"Users"` another.

use crate::lex::TokenKind;
use crate::Dialect;
use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

/// The comparison key of one identifier.
pub fn ident_key(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

/// The comparison key of a possibly qualified object name: `schema.name`, or `name`
/// when the schema is absent or the dialect's default.
pub fn object_key(name: &ObjectName, dialect: Dialect) -> String {
    if let [ObjectNamePart::Identifier(i)] = name.0.as_slice() {
        return ident_key(i);
    }
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => ident_key(i),
            other => other.to_string(),
        })
        .collect();
    join_parts(&parts, dialect)
}

/// As [`object_key`], from already-keyed parts (for the token scan).
pub fn join_parts(parts: &[String], dialect: Dialect) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [.., schema, name] => {
            if dialect.default_schema() == Some(schema.as_str()) {
                name.clone()
            } else {
                format!("{schema}.{name}")
            }
        }
    }
}

/// A key without its schema part, for display and for stable-source searches.
/// Words that cannot be an unquoted table name after the object keywords
/// [`object_names`] reads (`TABLE`, `ON`, `TO`, `FROM`, ...): Postgres's reserved
/// key words, and the words DDL puts after `ON` and `TO` (`ON DELETE CASCADE`,
/// `ON COMMIT DROP`, `ON DUPLICATE KEY UPDATE`, `SET x TO DEFAULT`). Taking one of
/// them for a name only makes `check` read more history; missing a name would
/// leave the history of that table unread.
const RESERVED_AFTER_OBJECT_KEYWORD: &[&str] = &[
    "action",
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "commit",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "duplicate",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "no",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "preserve",
    "primary",
    "references",
    "restrict",
    "returning",
    "right",
    "rows",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

fn is_reserved_after_object_keyword(word: &str) -> bool {
    RESERVED_AFTER_OBJECT_KEYWORD
        .iter()
        .any(|r| r.eq_ignore_ascii_case(word))
}

pub fn bare(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Keywords after which a statement names a table, view, type, index, sequence,
/// domain or routine.
const OBJECT_KEYWORDS: &[&str] = &[
    "domain",
    "from",
    "function",
    "index",
    "into",
    "join",
    "on",
    "procedure",
    "references",
    "sequence",
    "table",
    "to",
    "truncate",
    "type",
    "update",
    "view",
];
/// Words that may stand between such a keyword and the name.
const FILLER_WORDS: &[&str] = &[
    "concurrently",
    "exists",
    "if",
    "materialized",
    "not",
    "only",
];

/// The names of the objects a SQL text touches: the word after `TABLE`, `ON`,
/// `REFERENCES`, `INTO`, `VIEW`, `TYPE`, `INDEX`, `TO` ... (both parts of a
/// qualified name), lower-cased and unquoted, read from the tokens of
/// [`crate::lex`] (so nothing in a string or a comment counts). Column names are
/// left out on purpose: every statement about a column also names its table, and
/// generic column names (`id`, `created_at`) would make every statement look
/// relevant. `check` uses it to pick the history a release needs.
pub fn object_names(text: &str, dialect: Dialect) -> Vec<String> {
    // Identifier tokens: value (borrowed unless it was quoted), quoted, the index
    // of the token among the non-comment ones, and whether a `.` follows it.
    let mut words: Vec<(std::borrow::Cow<'_, str>, bool, usize, bool)> = Vec::new();
    let mut lx = crate::lex::Lexer::new(text, 0, text.len(), dialect);
    let mut index = 0;
    // SQL Server's `EXEC sp_rename 'schema.table[.column]', 'new'` names its
    // objects in string literals.
    let mut sp_rename: Option<Vec<String>> = None;
    while let Some(t) = lx.next_token() {
        match t.kind {
            TokenKind::LineComment | TokenKind::BlockComment => continue,
            TokenKind::Word
                if index == 1
                    && t.is_word(text, "sp_rename")
                    && words.first().is_some_and(|w| {
                        matches!(w.0.to_ascii_uppercase().as_str(), "EXEC" | "EXECUTE")
                    }) =>
            {
                sp_rename = Some(Vec::new());
            }
            TokenKind::Str => {
                if let Some(names) = sp_rename.as_mut() {
                    let (value, _) = crate::lex::ident_value(text, &t);
                    names.extend(
                        value
                            .split('.')
                            .map(|p| p.trim_matches(['[', ']', '"']).to_ascii_lowercase()),
                    );
                }
            }
            TokenKind::Word => words.push((t.text(text).into(), false, index, false)),
            TokenKind::QuotedIdent => {
                let (value, _) = crate::lex::ident_value(text, &t);
                words.push((value.into(), true, index, false));
            }
            TokenKind::Punct if t.is_punct(text, b'.') => {
                if let Some(w) = words.last_mut().filter(|w| w.2 + 1 == index) {
                    w.3 = true;
                }
            }
            _ => {}
        }
        index += 1;
    }
    type W<'a> = (std::borrow::Cow<'a, str>, bool, usize, bool);
    let one_of = |w: &W, list: &[&str]| !w.1 && list.iter().any(|k| k.eq_ignore_ascii_case(&w.0));
    // A reserved word is no name unless it was quoted (`"user"`). Only reserved
    // words: most SQL keywords (`items`, `events`, `data`, `name`) are valid
    // table names, and a name missed here would leave its history unread.
    let is_name = |w: &W| w.1 || !is_reserved_after_object_keyword(&w.0);
    let mut out = Vec::new();
    for k in 0..words.len() {
        if !one_of(&words[k], OBJECT_KEYWORDS) {
            continue;
        }
        let mut j = k + 1;
        while j < words.len() && one_of(&words[j], FILLER_WORDS) {
            j += 1;
        }
        let Some(w) = words.get(j) else { continue };
        if !is_name(w) {
            continue;
        }
        out.push(w.0.to_ascii_lowercase());
        // `schema.table`, possibly quoted: `"public"."users"`.
        if w.3 {
            if let Some(next) = words.get(j + 1).filter(|n| n.2 == w.2 + 2 && is_name(n)) {
                out.push(next.0.to_ascii_lowercase());
            }
        }
    }
    out.extend(sp_rename.unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(parts: &[(&str, Option<char>)]) -> ObjectName {
        ObjectName(
            parts
                .iter()
                .map(|(v, q)| {
                    let mut i = Ident::new(*v);
                    i.quote_style = *q;
                    ObjectNamePart::Identifier(i)
                })
                .collect(),
        )
    }

    #[test]
    fn default_schema_and_case_fold() {
        let pg = Dialect::Postgres;
        assert_eq!(
            object_key(&name(&[("public", None), ("Users", None)]), pg),
            "users"
        );
        assert_eq!(object_key(&name(&[("users", Some('"'))]), pg), "users");
        assert_eq!(object_key(&name(&[("Users", Some('"'))]), pg), "Users");
        assert_eq!(
            object_key(&name(&[("audit", None), ("log", None)]), pg),
            "audit.log"
        );
        assert_eq!(
            object_key(&name(&[("public", None), ("t", None)]), Dialect::Mysql),
            "public.t"
        );
    }

    #[test]
    fn keyword_lists_are_sorted() {
        assert!(OBJECT_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(FILLER_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn object_names_are_tables_views_types_and_indexes() {
        let pg = Dialect::Postgres;
        let n = object_names(
            "ALTER TABLE \"public\".\"Users\" ADD COLUMN org_id bigint REFERENCES orgs (id)",
            pg,
        );
        assert_eq!(n, ["public", "users", "orgs"]);
        let n = object_names(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email)",
            pg,
        );
        assert_eq!(n, ["users_email", "users"]);
        assert_eq!(
            object_names("ALTER TABLE users RENAME TO people", pg),
            ["users", "people"]
        );
        assert_eq!(
            object_names(
                "DROP FUNCTION IF EXISTS user_score(bigint); DROP SEQUENCE s",
                pg
            ),
            ["user_score", "s"]
        );
        // Strings and comments name nothing.
        assert_eq!(
            object_names("-- drop table old\nUPDATE t SET a = 'from x'", pg),
            ["t"]
        );
    }
}
