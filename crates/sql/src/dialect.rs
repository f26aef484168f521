//! The SQL dialects of `--dialect` and their sqlparser counterparts.

use sqlparser::dialect::{
    Dialect as SqlDialect, GenericDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect,
    SQLiteDialect,
};

/// `--dialect postgres|mysql|sqlite|mssql|generic` (default postgres).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
    Mssql,
    Generic,
}

impl Dialect {
    /// Every dialect, in the order of [`Dialect::NAMES`].
    pub const ALL: [Dialect; 5] = [
        Dialect::Postgres,
        Dialect::Mysql,
        Dialect::Sqlite,
        Dialect::Mssql,
        Dialect::Generic,
    ];

    pub const NAMES: &'static [&'static str] = &["postgres", "mysql", "sqlite", "mssql", "generic"];

    pub fn parse(s: &str) -> Option<Dialect> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            "sqlite" | "sqlite3" => Some(Dialect::Sqlite),
            "mssql" | "sqlserver" | "tsql" => Some(Dialect::Mssql),
            "generic" | "ansi" => Some(Dialect::Generic),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
            Dialect::Mssql => "mssql",
            Dialect::Generic => "generic",
        }
    }

    /// The sqlparser dialect that parses this dialect's statements.
    pub fn sqlparser(self) -> Box<dyn SqlDialect + Send + Sync> {
        match self {
            Dialect::Postgres => Box::new(PostgreSqlDialect {}),
            Dialect::Mysql => Box::new(MySqlDialect {}),
            Dialect::Sqlite => Box::new(SQLiteDialect {}),
            Dialect::Mssql => Box::new(MsSqlDialect {}),
            Dialect::Generic => Box::new(GenericDialect {}),
        }
    }

    /// The schema that an unqualified name lives in, dropped from qualified names
    /// so that `public.users` and `users` are one table on Postgres.
    pub fn default_schema(self) -> Option<&'static str> {
        match self {
            Dialect::Postgres => Some("public"),
            Dialect::Sqlite => Some("main"),
            Dialect::Mssql => Some("dbo"),
            Dialect::Mysql | Dialect::Generic => None,
        }
    }
}
