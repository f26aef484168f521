//! Column type spellings reduced to one form, read by the change values (function
//! signatures) and by the type rules alike.

/// A type reduced to a base name and numeric arguments: `varchar(255)` is
/// `("varchar", [255])`, `CHARACTER VARYING(10)` is `("varchar", [10])`.
pub(crate) fn normalize(ty: &str) -> (String, Vec<u64>) {
    let lower = ty.trim().to_ascii_lowercase();
    let (base, args) = match lower.find('(') {
        Some(i) => (
            lower[..i].trim().to_string(),
            &lower[i + 1..lower.rfind(')').unwrap_or(lower.len())],
        ),
        None => (lower.clone(), ""),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let base = match base.as_str() {
        "character varying" | "varchar2" | "nvarchar" => "varchar",
        "integer" | "int4" => "int",
        "int8" => "bigint",
        "int2" => "smallint",
        "decimal" | "dec" => "numeric",
        "bool" => "boolean",
        "character" => "char",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "double precision" | "float8" => "double",
        other => other,
    }
    .to_string();
    let args = args
        .split(',')
        .filter_map(|a| a.trim().parse::<u64>().ok())
        .collect();
    (base, args)
}
