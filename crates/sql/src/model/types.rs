//! Type comparison: what changing a column from one type to another means for the stable
//! version (can it still write what it writes?) and for the deploy (is the table rewritten?).
//!
//! The reasoning, per family:
//! - **integers**: a wider integer holds every old value, but on Postgres (and MySQL) the
//!   stored width changes, so `int -> bigint` rewrites the table under an exclusive lock:
//!   [`TypeChange::WideningRewrite`]. Narrower, or signed to unsigned: [`TypeChange::Narrowing`].
//! - **numeric(p,s) -> numeric(p2,s2)**: every old value fits when `p2 >= p`, `s2 >= s` and
//!   `p2 - s2 >= p - s` (no fewer integer digits). On Postgres a larger precision with the same
//!   scale, or dropping the constraint altogether, is a catalog-only change; a larger scale
//!   rewrites. MySQL rebuilds the table for any `DECIMAL` change.
//! - **character types**: `varchar(n) -> varchar(m > n)`, `-> varchar` and `-> text` are
//!   catalog-only on Postgres. `char(n) -> varchar/text` fits every value but converting
//!   `bpchar` strips trailing blanks, so it rewrites. On MySQL growing a `VARCHAR` is in place
//!   only while its length prefix stays one byte (at most 255 bytes, counted here with 4 bytes
//!   per character, utf8mb4) or was already two; `VARCHAR -> TEXT` and `TEXT -> MEDIUMTEXT`
//!   copy the table.
//! - **time types**: more fractional-second precision is catalog-only on Postgres; switching
//!   between `timestamp` and `timestamptz` reinterprets values: [`TypeChange::FamilyChange`].
//! - **MySQL `ENUM`/`SET`**: appending values at the end is in place; inserting them elsewhere
//!   copies the table; removing a value is a narrowing.
//! - **SQLite** compares type *affinities* (SQLite §3.1 rules on the declared name): lengths are
//!   not enforced, so only an affinity change matters.
//! - anything else that differs (`json -> jsonb`, `text -> int`, one user type to another) is a
//!   [`TypeChange::FamilyChange`].

use super::replay::last_part;
use crate::Dialect;
use sqlparser::ast::{
    ArrayElemTypeDef, BinaryLength, CharacterLength, DataType, EnumMember, ExactNumberInfo,
    TimezoneInfo,
};

/// What changing a column's type from `old` to `new` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeChange {
    /// The same type, perhaps spelled differently (`int`/`integer`/`int4`).
    Same,
    /// Every old value fits, and the change is catalog-only (no table rewrite).
    SafeWidening,
    /// Every old value fits, but the table is rewritten (or copied) to change it: safe for
    /// stable, not for the deploy's lock time.
    WideningRewrite,
    /// Some old values (or values stable writes) may no longer fit.
    Narrowing,
    /// A different kind of type: stable reads and writes values of another type.
    FamilyChange,
}

impl TypeChange {
    /// Whether stable can keep writing the values it writes today.
    pub fn is_safe_for_stable(self) -> bool {
        matches!(
            self,
            TypeChange::Same | TypeChange::SafeWidening | TypeChange::WideningRewrite
        )
    }

    /// Whether applying the change rewrites (or copies) the table, where the engine supports
    /// changing the type in place at all.
    pub fn rewrites_table(self) -> bool {
        matches!(
            self,
            TypeChange::WideningRewrite | TypeChange::Narrowing | TypeChange::FamilyChange
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TypeChange::Same => "same type",
            TypeChange::SafeWidening => "widening",
            TypeChange::WideningRewrite => "widening that rewrites the table",
            TypeChange::Narrowing => "narrowing",
            TypeChange::FamilyChange => "change of type family",
        }
    }
}

/// Compares two column types in `dialect`. See the module documentation for the reasoning.
pub fn type_change(old: &DataType, new: &DataType, dialect: Dialect) -> TypeChange {
    if old == new {
        return TypeChange::Same;
    }
    if dialect == Dialect::Sqlite {
        return if affinity(old) == affinity(new) {
            TypeChange::SafeWidening
        } else {
            TypeChange::FamilyChange
        };
    }
    let (a, b) = (canon(old, dialect), canon(new, dialect));
    compare(&a, &b, dialect)
}

/// A type reduced to what matters for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Canon {
    Int {
        bytes: u8,
        unsigned: bool,
    },
    /// `precision: None`: unconstrained (Postgres `numeric`).
    Numeric {
        precision: Option<u64>,
        scale: i64,
    },
    Float {
        bytes: u8,
    },
    /// `cap: None`: unbounded. `lob`: a MySQL/SQL large-object text type.
    Text {
        cap: Option<u64>,
        fixed: bool,
        lob: bool,
    },
    Binary {
        cap: Option<u64>,
        fixed: bool,
        lob: bool,
    },
    Bool,
    Date,
    Time {
        precision: u64,
        tz: bool,
    },
    Timestamp {
        precision: u64,
        tz: bool,
    },
    /// MySQL `DATETIME`, distinct from its `TIMESTAMP`.
    Datetime {
        precision: u64,
    },
    Interval,
    Json,
    Jsonb,
    Uuid,
    Enum(Vec<String>),
    Set(Vec<String>),
    Array(Box<Canon>),
    Other(String),
}

fn canon(dt: &DataType, dialect: Dialect) -> Canon {
    use DataType as D;
    let mysql = dialect == Dialect::Mysql;
    let int = |bytes: u8, unsigned: bool| Canon::Int { bytes, unsigned };
    let text = |cap: Option<u64>, fixed: bool| Canon::Text {
        cap,
        fixed,
        lob: false,
    };
    let lob_text = |cap: u64| Canon::Text {
        cap: Some(cap),
        fixed: false,
        lob: true,
    };
    let lob_bin = |cap: u64| Canon::Binary {
        cap: Some(cap),
        fixed: false,
        lob: true,
    };
    let time_precision = |p: &Option<u64>| p.unwrap_or(if mysql { 0 } else { 6 });
    match dt {
        D::TinyInt(_) | D::Bool | D::Boolean if mysql => int(1, false),
        D::TinyInt(_) => int(1, false),
        D::TinyIntUnsigned(_) | D::UTinyInt => int(1, true),
        D::SmallInt(_) | D::Int2(_) | D::Int16 => int(2, false),
        D::SmallIntUnsigned(_) | D::Int2Unsigned(_) | D::USmallInt | D::UInt16 => int(2, true),
        D::MediumInt(_) => int(3, false),
        D::MediumIntUnsigned(_) => int(3, true),
        D::Int(_) | D::Int4(_) | D::Integer(_) | D::Int32 => int(4, false),
        D::IntUnsigned(_) | D::Int4Unsigned(_) | D::IntegerUnsigned(_) | D::UInt32 => int(4, true),
        D::BigInt(_) | D::Int8(_) | D::Int64 => int(8, false),
        D::BigIntUnsigned(_) | D::Int8Unsigned(_) | D::UBigInt | D::UInt64 => int(8, true),
        D::Int128 | D::HugeInt => int(16, false),
        D::UInt128 | D::UHugeInt => int(16, true),
        D::UInt8 => int(1, true),
        D::Numeric(info)
        | D::Decimal(info)
        | D::Dec(info)
        | D::DecimalUnsigned(info)
        | D::DecUnsigned(info)
        | D::BigNumeric(info)
        | D::BigDecimal(info) => match info {
            ExactNumberInfo::None if mysql => Canon::Numeric {
                precision: Some(10),
                scale: 0,
            },
            ExactNumberInfo::None => Canon::Numeric {
                precision: None,
                scale: 0,
            },
            ExactNumberInfo::Precision(p) => Canon::Numeric {
                precision: Some(*p),
                scale: 0,
            },
            ExactNumberInfo::PrecisionAndScale(p, s) => Canon::Numeric {
                precision: Some(*p),
                scale: *s,
            },
        },
        D::Float4 | D::Float32 | D::Real | D::RealUnsigned => Canon::Float { bytes: 4 },
        D::Float8
        | D::Float64
        | D::DoublePrecision
        | D::DoublePrecisionUnsigned
        | D::Double(_)
        | D::DoubleUnsigned(_) => Canon::Float { bytes: 8 },
        D::Float(info) | D::FloatUnsigned(info) => match info {
            ExactNumberInfo::Precision(p) | ExactNumberInfo::PrecisionAndScale(p, _) => {
                Canon::Float {
                    bytes: if *p <= 24 { 4 } else { 8 },
                }
            }
            ExactNumberInfo::None => Canon::Float {
                bytes: if mysql { 4 } else { 8 },
            },
        },
        D::Char(len) | D::Character(len) => text(Some(char_len(len).unwrap_or(1)), true),
        D::Varchar(len) | D::CharacterVarying(len) | D::CharVarying(len) | D::Nvarchar(len) => {
            text(char_len(len), false)
        }
        D::String(len) => text(*len, false),
        D::Text if mysql => lob_text(65_535),
        D::Text => text(None, false),
        D::TinyText => lob_text(255),
        D::MediumText => lob_text(16_777_215),
        D::LongText => lob_text(4_294_967_295),
        D::Clob(_) | D::CharacterLargeObject(_) | D::CharLargeObject(_) => Canon::Text {
            cap: None,
            fixed: false,
            lob: true,
        },
        D::Binary(len) => Canon::Binary {
            cap: Some(len.unwrap_or(1)),
            fixed: true,
            lob: false,
        },
        D::Varbinary(len) => Canon::Binary {
            cap: match len {
                Some(BinaryLength::IntegerLength { length }) => Some(*length),
                _ => None,
            },
            fixed: false,
            lob: false,
        },
        D::Bytea | D::Bytes(None) => Canon::Binary {
            cap: None,
            fixed: false,
            lob: false,
        },
        D::Bytes(Some(n)) => Canon::Binary {
            cap: Some(*n),
            fixed: false,
            lob: false,
        },
        D::TinyBlob => lob_bin(255),
        D::Blob(_) => lob_bin(65_535),
        D::MediumBlob => lob_bin(16_777_215),
        D::LongBlob => lob_bin(4_294_967_295),
        D::Bool | D::Boolean => Canon::Bool,
        D::Date => Canon::Date,
        D::Time(p, tz) => Canon::Time {
            precision: time_precision(p),
            tz: has_tz(tz),
        },
        D::Timestamp(p, tz) => Canon::Timestamp {
            precision: time_precision(p),
            tz: has_tz(tz) || mysql,
        },
        D::Datetime(p) if mysql => Canon::Datetime {
            precision: time_precision(p),
        },
        D::Datetime(p) => Canon::Timestamp {
            precision: time_precision(p),
            tz: false,
        },
        D::Interval { .. } => Canon::Interval,
        D::JSON => Canon::Json,
        D::JSONB => Canon::Jsonb,
        D::Uuid => Canon::Uuid,
        D::Enum(members, _) => Canon::Enum(members.iter().map(member_name).collect()),
        D::Set(values) => Canon::Set(values.clone()),
        D::Array(elem) => match elem {
            ArrayElemTypeDef::AngleBracket(t)
            | ArrayElemTypeDef::SquareBracket(t, _)
            | ArrayElemTypeDef::Parenthesis(t)
            | ArrayElemTypeDef::ParenthesisNotNull(t)
            | ArrayElemTypeDef::Qualified(t, _) => Canon::Array(Box::new(canon(t, dialect))),
            ArrayElemTypeDef::None => Canon::Other("array".into()),
        },
        D::Collate(inner, _)
        | D::Zerofill(inner)
        | D::Nullable(inner)
        | D::LowCardinality(inner) => canon(inner, dialect),
        D::Custom(name, mods) if mods.is_empty() => match last_part(name).as_deref() {
            Some("serial" | "serial4") => int(4, false),
            Some("bigserial" | "serial8") => int(8, false),
            Some("smallserial" | "serial2") => int(2, false),
            Some("timestamptz") => Canon::Timestamp {
                precision: 6,
                tz: true,
            },
            Some("timetz") => Canon::Time {
                precision: 6,
                tz: true,
            },
            _ => Canon::Other(crate::names::object_key(name, dialect)),
        },
        other => Canon::Other(other.to_string().to_lowercase()),
    }
}

fn char_len(len: &Option<CharacterLength>) -> Option<u64> {
    match len {
        Some(CharacterLength::IntegerLength { length, .. }) => Some(*length),
        Some(CharacterLength::Max) | None => None,
    }
}

fn has_tz(tz: &TimezoneInfo) -> bool {
    matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz)
}

fn member_name(m: &EnumMember) -> String {
    match m {
        EnumMember::Name(n) | EnumMember::NamedValue(n, _) => n.clone(),
    }
}

/// Decimal digits needed for every value of an integer of this width.
fn int_digits(bytes: u8, unsigned: bool) -> u64 {
    match (bytes, unsigned) {
        (1, _) => 3,
        (2, _) => 5,
        (3, _) => 8,
        (4, _) => 10,
        (8, false) => 19,
        (8, true) => 20,
        _ => 39,
    }
}

fn compare(a: &Canon, b: &Canon, dialect: Dialect) -> TypeChange {
    use Canon as C;
    use TypeChange as T;
    let pg = matches!(dialect, Dialect::Postgres | Dialect::Generic);
    if a == b {
        return T::Same;
    }
    match (a, b) {
        (
            C::Int {
                bytes: x,
                unsigned: ux,
            },
            C::Int {
                bytes: y,
                unsigned: uy,
            },
        ) => {
            let fits = if ux == uy {
                y >= x
            } else {
                // unsigned -> signed needs a strictly wider type; signed -> unsigned loses
                // the negative values.
                *ux && y > x
            };
            if fits {
                T::WideningRewrite
            } else {
                T::Narrowing
            }
        }
        (C::Int { bytes, unsigned }, C::Numeric { precision, scale }) => {
            let room = precision.map(|p| p.saturating_sub((*scale).max(0) as u64));
            let fits = match room {
                None => true,
                Some(r) => r >= int_digits(*bytes, *unsigned),
            };
            if fits {
                T::WideningRewrite
            } else {
                T::Narrowing
            }
        }
        (C::Int { bytes, .. }, C::Float { bytes: f }) => {
            // A float holds integers exactly up to its mantissa: 24 bits (float4), 53 (float8).
            if (*f == 4 && *bytes <= 2) || (*f == 8 && *bytes <= 4) {
                T::WideningRewrite
            } else {
                T::Narrowing
            }
        }
        (
            C::Numeric {
                precision: p,
                scale: s,
            },
            C::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => match (p, p2) {
            (None, Some(_)) => T::Narrowing,
            (Some(_), None) => {
                if pg {
                    T::SafeWidening
                } else {
                    T::WideningRewrite
                }
            }
            (None, None) => T::Same,
            (Some(p), Some(p2)) => {
                let (p, p2) = (*p as i128, *p2 as i128);
                let (s, s2) = (i128::from(*s), i128::from(*s2));
                if p2 >= p && s2 >= s && p2 - s2 >= p - s {
                    if pg && s2 == s {
                        T::SafeWidening
                    } else {
                        T::WideningRewrite
                    }
                } else {
                    T::Narrowing
                }
            }
        },
        (C::Float { bytes: x }, C::Float { bytes: y }) => {
            if y > x {
                T::WideningRewrite
            } else {
                T::Narrowing
            }
        }
        (
            C::Text {
                cap: ca,
                fixed: fa,
                lob: la,
            },
            C::Text {
                cap: cb,
                fixed: fb,
                lob: lb,
            },
        ) => {
            let fits = match (ca, cb) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(x), Some(y)) => y >= x,
            };
            if !fits {
                return T::Narrowing;
            }
            if *fa || *fb || la != lb || *la {
                // Padding semantics change, or the storage class changes.
                return T::WideningRewrite;
            }
            match dialect {
                Dialect::Mysql => {
                    // The length prefix grows from one byte to two past 255 bytes.
                    let bytes = |c: &Option<u64>| c.map_or(u64::MAX, |c| c.saturating_mul(4));
                    if (bytes(ca) <= 255) == (bytes(cb) <= 255) {
                        T::SafeWidening
                    } else {
                        T::WideningRewrite
                    }
                }
                _ => T::SafeWidening,
            }
        }
        (
            C::Binary {
                cap: ca,
                fixed: fa,
                lob: la,
            },
            C::Binary {
                cap: cb,
                fixed: fb,
                lob: lb,
            },
        ) => {
            let fits = match (ca, cb) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(x), Some(y)) => y >= x,
            };
            if !fits {
                T::Narrowing
            } else if *fa || *fb || la != lb || *la || dialect == Dialect::Mysql {
                T::WideningRewrite
            } else {
                T::SafeWidening
            }
        }
        (
            C::Time {
                precision: p,
                tz: ta,
            },
            C::Time {
                precision: p2,
                tz: tb,
            },
        )
        | (
            C::Timestamp {
                precision: p,
                tz: ta,
            },
            C::Timestamp {
                precision: p2,
                tz: tb,
            },
        ) => {
            if ta != tb {
                T::FamilyChange
            } else if p2 < p {
                T::Narrowing
            } else if pg {
                T::SafeWidening
            } else {
                T::WideningRewrite
            }
        }
        (C::Datetime { precision: p }, C::Datetime { precision: p2 }) => {
            if p2 < p {
                T::Narrowing
            } else {
                T::WideningRewrite
            }
        }
        (C::Enum(x), C::Enum(y)) | (C::Set(x), C::Set(y)) => {
            if !x.iter().all(|v| y.contains(v)) {
                T::Narrowing
            } else if y.starts_with(x) {
                T::SafeWidening
            } else {
                T::WideningRewrite
            }
        }
        (C::Array(x), C::Array(y)) => compare(x, y, dialect),
        _ => T::FamilyChange,
    }
}

/// SQLite's column affinity of a declared type (SQLite "Datatypes", section 3.1).
fn affinity(dt: &DataType) -> &'static str {
    let name = dt.to_string().to_uppercase();
    if name.contains("INT") {
        "INTEGER"
    } else if name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") {
        "TEXT"
    } else if name.contains("BLOB") || name.is_empty() {
        "BLOB"
    } else if name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}
