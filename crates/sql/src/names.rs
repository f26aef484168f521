//! Object-name keys: how two spellings of a name are found to be the same object.
//!
//! Unquoted identifiers fold to lower case (Postgres folds unquoted names; MySQL
//! column names, SQLite and SQL Server compare case-insensitively by default);
//! quoted identifiers keep their case. The dialect's default schema is dropped, so
//! `public.users`, `users` and `"users"` are one key on Postgres, and `"Users"` another.

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

/// Whether `word` (any case) is one of sqlparser's SQL keywords.
pub fn is_sql_keyword(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    sqlparser::keywords::ALL_KEYWORDS
        .binary_search(&upper.as_str())
        .is_ok()
}

/// A key without its schema part, for display and for stable-source searches.
pub fn bare(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
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
}
