#![allow(clippy::unwrap_used)]

use super::*;
use crate::Dialect;
use sqlparser::parser::Parser;

fn parse(dialect: Dialect, sql: &str) -> Vec<sqlparser::ast::Statement> {
    Parser::parse_sql(&*dialect.sqlparser(), sql).unwrap()
}

/// Replays `sql` onto `schema`, returning what each statement made.
fn apply_all(schema: &mut Schema, dialect: Dialect, sql: &str) -> Vec<Applied> {
    parse(dialect, sql)
        .iter()
        .map(|s| schema.apply(s, dialect))
        .collect()
}

fn replay(dialect: Dialect, sql: &str) -> Schema {
    let mut schema = Schema::new();
    let results = apply_all(&mut schema, dialect, sql);
    for r in &results {
        assert!(!matches!(r, Applied::NotUnderstood(_)), "{r:?} in {sql}");
    }
    schema
}

fn col<'a>(s: &'a Schema, t: &str, c: &str) -> &'a Column {
    s.column(t, c)
        .unwrap_or_else(|| panic!("no column {t}.{c}"))
}

fn names(t: &Table) -> Vec<&str> {
    t.columns().iter().map(|c| &*c.name).collect()
}

// ----- Postgres -----------------------------------------------------------------------------

#[test]
fn pg_create_table_columns_and_constraints() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE public.users (
            id bigserial PRIMARY KEY,
            \"Email\" varchar(100) NOT NULL UNIQUE,
            name text DEFAULT 'anon',
            org_id int REFERENCES orgs (id),
            age int CHECK (age > 0),
            code int GENERATED ALWAYS AS IDENTITY,
            total numeric GENERATED ALWAYS AS (age * 2) STORED,
            CONSTRAINT users_name_uq UNIQUE (name)
        );",
    );
    let t = s.table("users").unwrap();
    assert_eq!(
        names(t),
        ["id", "Email", "name", "org_id", "age", "code", "total"]
    );
    let id = col(&s, "users", "id");
    assert!(!id.nullable);
    assert_eq!(id.generated, Some(Generated::Identity));
    let email = col(&s, "users", "Email");
    assert!(!email.nullable);
    assert_eq!(email.type_display(), "VARCHAR(100)");
    assert!(
        s.column("users", "email").is_none(),
        "quoted name keeps its case"
    );
    let name = col(&s, "users", "name");
    assert!(name.nullable);
    assert_eq!(name.default.as_deref(), Some("'anon'"));
    assert_eq!(
        col(&s, "users", "code").generated,
        Some(Generated::Identity)
    );
    assert_eq!(
        col(&s, "users", "total").generated,
        Some(Generated::Computed)
    );
    assert_eq!(t.primary_key().unwrap().columns[..], ["id"]);
    let fk = t
        .constraints
        .iter()
        .find(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
        .unwrap();
    assert_eq!(
        fk.kind,
        ConstraintKind::ForeignKey {
            table: "orgs".into(),
            columns: vec!["id".into()]
        }
    );
    assert!(t
        .constraints
        .iter()
        .any(|c| c.key.as_deref() == Some("users_name_uq") && c.kind == ConstraintKind::Unique));
    assert!(t
        .constraints
        .iter()
        .any(|c| matches!(&c.kind, ConstraintKind::Check(e) if e == "age > 0")));
}

#[test]
fn pg_table_primary_key_makes_columns_not_null() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE m (a int, b int, c int, PRIMARY KEY (a, b));",
    );
    assert!(!col(&s, "m", "a").nullable);
    assert!(!col(&s, "m", "b").nullable);
    assert!(col(&s, "m", "c").nullable);
}

#[test]
fn pg_alter_sequence_of_changes() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b int NOT NULL DEFAULT 0);
         ALTER TABLE t ADD COLUMN c text;
         ALTER TABLE t ADD COLUMN IF NOT EXISTS c int;
         ALTER TABLE t ALTER COLUMN a TYPE varchar(50);
         ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b DROP NOT NULL;
         ALTER TABLE t ALTER COLUMN b DROP DEFAULT;
         ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x';
         ALTER TABLE t RENAME COLUMN c TO d;
         ALTER TABLE t RENAME TO u;
         ALTER TABLE IF EXISTS nothing_here ADD COLUMN z int;",
    );
    assert!(!s.has_table("t"));
    let t = s.table("u").unwrap();
    assert_eq!(names(t), ["id", "a", "b", "d"]);
    assert_eq!(col(&s, "u", "a").type_display(), "VARCHAR(50)");
    assert!(!col(&s, "u", "a").nullable);
    assert!(col(&s, "u", "b").nullable);
    assert_eq!(col(&s, "u", "b").default, None);
    assert_eq!(col(&s, "u", "d").default.as_deref(), Some("'x'"));
    assert_eq!(
        col(&s, "u", "d").type_display(),
        "TEXT",
        "IF NOT EXISTS kept the first"
    );
    let kinds: Vec<_> = s.renames().iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RenameKind::Column, RenameKind::Table]);
}

#[test]
fn pg_drop_column_takes_its_index_and_constraints() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int);
         CREATE INDEX t_a_idx ON t (a);
         CREATE INDEX t_b_idx ON t (b);
         ALTER TABLE t DROP COLUMN a;
         ALTER TABLE t DROP COLUMN IF EXISTS zzz;",
    );
    let t = s.table("t").unwrap();
    assert_eq!(names(t), ["id", "b"]);
    assert!(s.index("t_a_idx").is_none());
    assert_eq!(s.index("t_b_idx").unwrap().columns[..], ["b"]);
    assert_eq!(t.constraints.len(), 1);
}

#[test]
fn pg_constraints_added_renamed_dropped() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE t (id int, org int);
         ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id);
         ALTER TABLE t ADD CONSTRAINT t_org_fk FOREIGN KEY (org) REFERENCES orgs (id) NOT VALID;
         ALTER TABLE t RENAME CONSTRAINT t_org_fk TO t_org_fkey;
         ALTER TABLE t DROP CONSTRAINT t_pk;",
    );
    let t = s.table("t").unwrap();
    assert!(t.primary_key().is_none());
    assert!(
        !col(&s, "t", "id").nullable,
        "NOT NULL outlives the dropped key"
    );
    assert_eq!(t.constraints.len(), 1);
    assert_eq!(t.constraints[0].key.as_deref(), Some("t_org_fkey"));
}

#[test]
fn pg_indexes_named_unnamed_renamed_dropped() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE app.t (a int, b int);
         CREATE UNIQUE INDEX CONCURRENTLY t_ab ON app.t (a, lower(b));
         CREATE INDEX ON app.t (b);
         ALTER INDEX app.t_ab RENAME TO t_ab2;
         DROP INDEX IF EXISTS app.nope;",
    );
    let i = s.index("app.t_ab2").unwrap();
    assert!(i.unique);
    assert_eq!(&*i.table, "app.t");
    assert_eq!(i.columns[..], ["a", "lower(b)"]);
    assert!(
        s.index("app.t_b_idx").is_some(),
        "{:?}",
        s.indexes().collect::<Vec<_>>()
    );
    assert_eq!(s.indexes_on("app.t").count(), 2);
    let mut s = s;
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "DROP INDEX app.t_ab2; DROP INDEX nope;",
    );
    assert_eq!(r[0], Applied::Understood);
    assert!(matches!(&r[1], Applied::NotUnderstood(m) if m.contains("nope")));
    assert!(s.index("app.t_ab2").is_none());
}

#[test]
fn pg_enum_types() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         ALTER TYPE mood ADD VALUE 'happy';
         ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
         ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
         ALTER TYPE mood ADD VALUE 'glum' AFTER 'sad';
         ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
         CREATE TABLE p (m mood);",
    );
    assert_eq!(
        s.enum_type("mood").unwrap().values,
        ["sad", "glum", "meh", "fine", "happy"]
    );
    assert_eq!(s.column_enum("p", "m").unwrap().values.len(), 5);
    let mut s = s;
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "ALTER TYPE mood RENAME TO feeling; DROP TYPE IF EXISTS other;",
    );
    assert_eq!(r, [Applied::Understood, Applied::Understood]);
    assert!(s.enum_type("mood").is_none());
    assert_eq!(col(&s, "p", "m").type_display(), "feeling");
    assert!(s.column_enum("p", "m").is_some());
    apply_all(&mut s, Dialect::Postgres, "DROP TYPE feeling CASCADE;");
    assert!(s.enum_type("feeling").is_none());
}

#[test]
fn pg_views_and_materialized_views() {
    let mut s = replay(
        Dialect::Postgres,
        "CREATE TABLE t (id int, name text);
         CREATE VIEW v AS SELECT id, name AS label FROM t;
         CREATE MATERIALIZED VIEW mv AS SELECT * FROM t;
         CREATE OR REPLACE VIEW w (x, y) AS SELECT id, name FROM t;",
    );
    assert_eq!(
        s.view("v").unwrap().columns.as_deref(),
        Some(&["id".to_string(), "label".to_string()][..])
    );
    assert!(s.view("mv").unwrap().materialized);
    assert_eq!(s.view("mv").unwrap().columns, None);
    assert_eq!(s.view("w").unwrap().columns.as_ref().unwrap(), &["x", "y"]);
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "ALTER VIEW v RENAME TO v2; DROP MATERIALIZED VIEW mv; DROP VIEW IF EXISTS nope, w;",
    );
    assert!(r.iter().all(Applied::is_understood), "{r:?}");
    assert!(s.has_view("v2") && !s.has_view("v") && !s.has_view("mv") && !s.has_view("w"));
    assert!(s.has_relation("t"));
}

#[test]
fn pg_view_dependencies_follow_renames_and_cascade() {
    let mut s = replay(
        Dialect::Postgres,
        "CREATE TABLE a (id int); CREATE TABLE b (id int);
         CREATE VIEW v AS WITH w AS (SELECT id FROM a) SELECT w.id FROM w JOIN public.b ON true;
         CREATE VIEW vv AS SELECT * FROM v UNION SELECT id FROM (SELECT id FROM b) AS sub;
         CREATE VIEW other AS SELECT 1 AS one;",
    );
    assert_eq!(s.view("v").unwrap().depends_on, ["a", "b"]);
    assert_eq!(s.view("vv").unwrap().depends_on, ["b", "v"]);
    apply_all(&mut s, Dialect::Postgres, "ALTER TABLE a RENAME TO a2;");
    assert_eq!(s.view("v").unwrap().depends_on, ["a2", "b"]);
    let r = apply_all(&mut s, Dialect::Postgres, "DROP TABLE a2 CASCADE;");
    assert_eq!(r, [Applied::Understood]);
    assert!(
        !s.has_view("v") && !s.has_view("vv"),
        "dropped with what they read"
    );
    assert!(s.has_view("other"));
}

#[test]
fn pg_create_table_as_select_and_if_not_exists() {
    let mut s = replay(
        Dialect::Postgres,
        "CREATE TABLE t (a int);
         CREATE TABLE IF NOT EXISTS t (b int);
         CREATE TABLE copy AS SELECT * FROM t;",
    );
    assert_eq!(names(s.table("t").unwrap()), ["a"]);
    let copy = s.table("copy").unwrap();
    assert!(!copy.columns_known);
    // A column the model cannot know about is not an error on such a table.
    let r = apply_all(&mut s, Dialect::Postgres, "ALTER TABLE copy DROP COLUMN a;");
    assert_eq!(r, [Applied::Understood]);
}

#[test]
fn pg_drop_table_cascade_and_schema() {
    let mut s = replay(
        Dialect::Postgres,
        "CREATE TABLE orgs (id int PRIMARY KEY);
         CREATE TABLE users (id int, org int REFERENCES orgs (id));
         CREATE INDEX orgs_id ON orgs (id);
         CREATE TABLE audit.log (id int);
         CREATE SEQUENCE audit.seq;",
    );
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "DROP TABLE IF EXISTS orgs CASCADE; DROP SCHEMA audit CASCADE; DROP TABLE ghost;",
    );
    assert_eq!(r[0], Applied::Understood);
    assert_eq!(r[1], Applied::Understood);
    assert!(matches!(&r[2], Applied::NotUnderstood(m) if m.contains("ghost")));
    assert!(!s.has_table("orgs"));
    assert!(s.index("orgs_id").is_none());
    assert!(s.table("users").unwrap().constraints.is_empty());
    assert!(!s.has_table("audit.log"));
    assert!(s.sequence("audit.seq").is_none());
}

#[test]
fn pg_not_understood_statement_does_not_stop_replay() {
    let mut s = Schema::new();
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "CREATE TABLE t2 (a int);
         ALTER TABLE missing ADD COLUMN b int;
         EXECUTE my_plan(1);
         INSERT INTO t2 VALUES (1);
         BEGIN; SET lock_timeout = '1s'; COMMIT;
         GRANT SELECT ON t2 TO app;
         COMMENT ON TABLE t2 IS 'x';
         ALTER TABLE t2 ADD COLUMN c int;",
    );
    assert_eq!(r[0], Applied::Understood);
    assert!(matches!(&r[1], Applied::NotUnderstood(m) if m.contains("missing")));
    assert!(
        matches!(&r[2], Applied::NotUnderstood(m) if m.contains("EXECUTE my_plan")),
        "{:?}",
        r[2]
    );
    assert!(r[3..9].iter().all(|a| *a == Applied::Ignored), "{r:?}");
    assert_eq!(r[9], Applied::Understood);
    assert!(s.column("t2", "c").is_some());
}

#[test]
fn pg_like_copies_columns() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE a (id int NOT NULL, v text DEFAULT 'x');
         CREATE TABLE b (LIKE a);",
    );
    let b = s.table("b").unwrap();
    assert_eq!(names(b), ["id", "v"]);
    assert!(!col(&s, "b", "id").nullable);
    assert_eq!(
        col(&s, "b", "v").default,
        None,
        "defaults only with INCLUDING DEFAULTS"
    );
}

#[test]
fn pg_other_types_and_history_trait() {
    use crate::history::History;
    let mut s = replay(
        Dialect::Postgres,
        "CREATE DOMAIN posint AS int CHECK (VALUE > 0);
         CREATE TYPE pair AS (a int, b int);
         CREATE TYPE mood AS ENUM ('a');
         ALTER TYPE pair RENAME TO couple;
         CREATE TABLE t (id int PRIMARY KEY, n text DEFAULT 'x', g int GENERATED ALWAYS AS IDENTITY);
         CREATE VIEW v AS SELECT id FROM t;
         CREATE TABLE q AS SELECT 1 AS one;",
    );
    assert!(s.has_type("posint") && s.has_type("couple") && s.has_type("mood"));
    assert!(!s.has_type("pair"));
    let h: &dyn History = &s;
    assert!(h.has_table("t") && h.has_view("v") && h.has_type("mood"));
    let id = h.column("t", "id").unwrap();
    assert_eq!(id.data_type.as_deref(), Some("INT"));
    assert_eq!((id.nullable, id.has_default), (Some(false), Some(false)));
    let n = h.column("t", "n").unwrap();
    assert_eq!((n.nullable, n.has_default), (Some(true), Some(true)));
    assert_eq!(h.column("t", "g").unwrap().has_default, Some(true));
    assert!(h.column("q", "one").is_none());
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "DROP DOMAIN posint; DROP TYPE couple, mood; DROP TYPE ghost;",
    );
    assert_eq!(r[..2], [Applied::Understood, Applied::Understood]);
    assert!(matches!(&r[2], Applied::NotUnderstood(m) if m.contains("ghost")));
    assert!(!s.has_type("posint") && !s.has_type("couple") && !s.has_type("mood"));
}

#[test]
fn pg_dump_style_schema() {
    let mut s = Schema::new();
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "SET statement_timeout = 0;
         SELECT pg_catalog.set_config('search_path', '', false);
         CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
         CREATE TABLE public.users (
             id bigint NOT NULL,
             email character varying(255) NOT NULL,
             created_at timestamp(6) without time zone NOT NULL
         );
         CREATE SEQUENCE public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
         ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);
         ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
         CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);
         CREATE TABLE public.posts (id bigint NOT NULL, user_id bigint);
         ALTER TABLE ONLY public.posts ADD CONSTRAINT fk_rails_1 FOREIGN KEY (user_id) REFERENCES public.users(id);
         ALTER TABLE public.posts VALIDATE CONSTRAINT fk_rails_1;
         ALTER TABLE public.posts OWNER TO app;
         COMMENT ON COLUMN public.posts.user_id IS 'author';
         CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_live ON posts (user_id) WHERE id > 0;",
    );
    assert!(
        r.iter().all(|a| !matches!(a, Applied::NotUnderstood(_))),
        "{r:?}"
    );
    assert_eq!(
        col(&s, "users", "id").default.as_deref(),
        Some("nextval('public.users_id_seq'::REGCLASS)")
    );
    assert_eq!(
        col(&s, "users", "created_at").type_display(),
        "TIMESTAMP(6) WITHOUT TIME ZONE"
    );
    assert!(s.sequence("users_id_seq").is_some());
    assert!(s.index("index_users_on_email").unwrap().unique);
    assert_eq!(s.index("posts_live").unwrap().columns[..], ["user_id"]);
    assert!(s.table("posts").unwrap().constraints.iter().any(|c| c.kind
        == ConstraintKind::ForeignKey {
            table: "users".into(),
            columns: vec!["id".into()]
        }));
    // A rename of the referenced table and column follows into the foreign key.
    apply_all(
        &mut s,
        Dialect::Postgres,
        "ALTER TABLE users RENAME COLUMN id TO user_id; ALTER TABLE users RENAME TO accounts;",
    );
    assert!(s.table("posts").unwrap().constraints.iter().any(|c| c.kind
        == ConstraintKind::ForeignKey {
            table: "accounts".into(),
            columns: vec!["user_id".into()]
        }));
    assert_eq!(&*s.index("index_users_on_email").unwrap().table, "accounts");
}

// ----- MySQL --------------------------------------------------------------------------------

#[test]
fn mysql_create_and_change_modify() {
    let s = replay(
        Dialect::Mysql,
        "CREATE TABLE `Orders` (
            id INT AUTO_INCREMENT PRIMARY KEY,
            status ENUM('new','paid') NOT NULL DEFAULT 'new',
            note VARCHAR(20),
            total DECIMAL(10,2),
            KEY idx_status (status),
            UNIQUE KEY uq_note (note)
         ) ENGINE=InnoDB;
         ALTER TABLE `Orders` CHANGE note memo VARCHAR(40) NOT NULL;
         ALTER TABLE `Orders` MODIFY total DECIMAL(12,2) AFTER id;
         ALTER TABLE `Orders` ADD COLUMN first_col INT FIRST;",
    );
    let key = "Orders";
    let t = s.table(key).unwrap();
    assert_eq!(names(t), ["first_col", "id", "total", "status", "memo"]);
    let id = col(&s, key, "id");
    assert_eq!(id.generated, Some(Generated::Identity));
    assert!(!id.nullable);
    let status = col(&s, key, "status");
    assert_eq!(status.type_display(), "ENUM('new', 'paid')");
    assert_eq!(status.default.as_deref(), Some("'new'"));
    let memo = col(&s, key, "memo");
    assert!(!memo.nullable);
    assert_eq!(memo.type_display(), "VARCHAR(40)");
    assert_eq!(col(&s, key, "total").type_display(), "DECIMAL(12,2)");
    assert!(
        col(&s, key, "total").nullable,
        "MODIFY without NOT NULL makes it nullable"
    );
    assert_eq!(
        s.index_on(key, "idx_status").unwrap().columns[..],
        ["status"]
    );
    assert!(t
        .constraints
        .iter()
        .any(|c| c.key.as_deref() == Some("uq_note") && c.columns == ["memo"]));
}

#[test]
fn mysql_rename_table_and_drop_index() {
    let mut s = replay(
        Dialect::Mysql,
        "CREATE TABLE a (id INT, x INT, INDEX ix (x));
         CREATE TABLE c (id INT);
         RENAME TABLE a TO b, c TO d;",
    );
    assert!(s.has_table("b") && s.has_table("d") && !s.has_table("a"));
    assert_eq!(&*s.index_on("b", "ix").unwrap().table, "b");
    let r = apply_all(
        &mut s,
        Dialect::Mysql,
        "DROP INDEX ix ON b; ALTER TABLE b DROP PRIMARY KEY, RENAME COLUMN x TO y; ALTER TABLE d RENAME TO e;",
    );
    assert!(r.iter().all(Applied::is_understood), "{r:?}");
    assert!(s.index_on("b", "ix").is_none());
    assert!(s.column("b", "y").is_some());
    assert!(s.has_table("e"));
}

#[test]
fn mysql_laravel_style_schema() {
    let mut s = Schema::new();
    let r = apply_all(
        &mut s,
        Dialect::Mysql,
        "SET FOREIGN_KEY_CHECKS=0;
         CREATE TABLE `users` (
             `id` bigint unsigned NOT NULL AUTO_INCREMENT,
             `email` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
             `created_at` timestamp NULL DEFAULT NULL,
             PRIMARY KEY (`id`),
             UNIQUE KEY `users_email_unique` (`email`)
         ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
         ALTER TABLE `users` ADD `name` varchar(255) NOT NULL AFTER `id`;
         CREATE TABLE posts (id INT PRIMARY KEY, user_id BIGINT UNSIGNED);
         ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
         ALTER TABLE posts ADD INDEX posts_user_idx (user_id);
         ALTER TABLE posts DROP FOREIGN KEY posts_user_fk;
         ALTER TABLE users ALTER COLUMN name SET DEFAULT '';
         LOCK TABLES users WRITE;
         UNLOCK TABLES;
         INSERT INTO users (email, name) VALUES ('a', 'b');",
    );
    assert!(
        r.iter().all(|a| !matches!(a, Applied::NotUnderstood(_))),
        "{r:?}"
    );
    let t = s.table("users").unwrap();
    assert_eq!(names(t), ["id", "name", "email", "created_at"]);
    assert_eq!(t.primary_key().unwrap().columns[..], ["id"]);
    assert_eq!(col(&s, "users", "id").type_display(), "BIGINT UNSIGNED");
    assert!(col(&s, "users", "created_at").nullable);
    assert_eq!(col(&s, "users", "name").default.as_deref(), Some("''"));
    assert!(
        s.table("posts").unwrap().constraints.len() == 1,
        "only the primary key is left"
    );
    assert_eq!(
        s.index_on("posts", "posts_user_idx").unwrap().columns[..],
        ["user_id"]
    );
}

#[test]
fn mysql_recreated_table_keeps_its_new_inline_indexes_only() {
    let s = replay(
        Dialect::Mysql,
        "CREATE TABLE t (a INT, b INT, KEY ka (a));
         DROP TABLE IF EXISTS nothing;
         CREATE OR REPLACE TABLE t (a INT, b INT, KEY kb (b));",
    );
    assert!(s.index_on("t", "ka").is_none());
    assert_eq!(s.index_on("t", "kb").unwrap().columns[..], ["b"]);
}

#[test]
fn mysql_unquoted_names_fold() {
    let s = replay(Dialect::Mysql, "CREATE TABLE Users (Id INT);");
    assert!(s.has_table("users"));
    assert_eq!(&*col(&s, "users", "id").name, "Id");
}

// ----- SQLite -------------------------------------------------------------------------------

#[test]
fn sqlite_alter_and_primary_keys() {
    let s = replay(
        Dialect::Sqlite,
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT PRIMARY KEY, v TEXT);
         ALTER TABLE t ADD COLUMN w INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE t RENAME COLUMN v TO value;
         ALTER TABLE t DROP COLUMN w;
         ALTER TABLE t RENAME TO items;
         CREATE INDEX items_value ON items (value);
         DROP INDEX IF EXISTS missing_idx;",
    );
    let t = s.table("items").unwrap();
    assert_eq!(names(t), ["id", "code", "value"]);
    let id = col(&s, "items", "id");
    assert!(!id.nullable);
    assert_eq!(id.generated, Some(Generated::Identity));
    assert!(
        col(&s, "items", "code").nullable,
        "SQLite lets non-INTEGER keys be NULL"
    );
    assert_eq!(&*s.index("items_value").unwrap().table, "items");
}

#[test]
fn sqlite_table_rebuild_diffs_as_the_same_table() {
    use DeltaKind::*;
    let lite = Dialect::Sqlite;
    let old = replay(lite, "CREATE TABLE x (a INTEGER, b TEXT);");
    let mut new = old.clone();
    let r = apply_all(
        &mut new,
        lite,
        "PRAGMA foreign_keys = 0;
         CREATE TABLE new_x (a INTEGER, b TEXT NOT NULL);
         INSERT INTO new_x SELECT a, b FROM x;
         DROP TABLE x;
         ALTER TABLE new_x RENAME TO x;",
    );
    assert!(
        r.iter().all(|a| !matches!(a, Applied::NotUnderstood(_))),
        "{r:?}"
    );
    let got = changes(&old, &new);
    assert_eq!(
        got,
        [(
            Contract,
            "x.b".to_string(),
            "became NOT NULL: stable's writes of NULL fail".to_string()
        )]
    );
}

#[test]
fn sqlite_main_schema_is_default() {
    let s = replay(Dialect::Sqlite, "CREATE TABLE main.t (a TEXT);");
    assert!(s.has_table("t"));
}

// ----- SQL Server (best effort) ---------------------------------------------------------------

#[test]
fn mssql_identity_and_sp_rename() {
    let mut s = replay(
        Dialect::Mssql,
        "CREATE TABLE dbo.t (id INT IDENTITY(1,1) PRIMARY KEY, n NVARCHAR(50));
         CREATE INDEX ix_n ON dbo.t (n);",
    );
    let id = col(&s, "t", "id");
    assert_eq!(id.generated, Some(Generated::Identity));
    assert!(!id.nullable);
    let r = apply_all(
        &mut s,
        Dialect::Mssql,
        "EXEC sp_rename 'dbo.t.n', 'm', 'COLUMN';
         EXEC sp_rename 'dbo.t.ix_n', 'ix_m', 'INDEX';
         EXEC sp_rename 'dbo.t', 'u';
         EXEC sp_rename 'dbo.nope', 'x';",
    );
    assert_eq!(
        r[..3],
        [
            Applied::Understood,
            Applied::Understood,
            Applied::Understood
        ]
    );
    assert!(matches!(&r[3], Applied::NotUnderstood(m) if m.contains("nope")));
    assert!(s.column("u", "m").is_some());
    assert_eq!(s.index_on("u", "ix_m").unwrap().columns[..], ["m"]);
}

// ----- type_change -------------------------------------------------------------------------

fn ty(dialect: Dialect, t: &str) -> sqlparser::ast::DataType {
    let s = replay(dialect, &format!("CREATE TABLE x (c {t});"));
    (*col(&s, "x", "c").data_type).clone()
}

fn tc(dialect: Dialect, a: &str, b: &str) -> TypeChange {
    type_change(&ty(dialect, a), &ty(dialect, b), dialect)
}

#[test]
fn type_change_postgres() {
    use TypeChange::*;
    let pg = Dialect::Postgres;
    assert_eq!(tc(pg, "int", "integer"), Same);
    assert_eq!(tc(pg, "int4", "int"), Same);
    assert_eq!(tc(pg, "varchar", "text"), Same);
    assert_eq!(tc(pg, "varchar(10)", "varchar(20)"), SafeWidening);
    assert_eq!(tc(pg, "varchar(10)", "varchar"), SafeWidening);
    assert_eq!(tc(pg, "varchar(10)", "text"), SafeWidening);
    assert_eq!(tc(pg, "character varying(10)", "varchar(10)"), Same);
    assert_eq!(tc(pg, "char(5)", "text"), WideningRewrite);
    assert_eq!(tc(pg, "varchar(20)", "varchar(10)"), Narrowing);
    assert_eq!(tc(pg, "text", "varchar(10)"), Narrowing);
    assert_eq!(tc(pg, "int", "bigint"), WideningRewrite);
    assert!(tc(pg, "int", "bigint").rewrites_table());
    assert_eq!(tc(pg, "serial", "bigint"), WideningRewrite);
    assert_eq!(tc(pg, "bigint", "int"), Narrowing);
    assert_eq!(tc(pg, "numeric(10,2)", "numeric(12,2)"), SafeWidening);
    assert_eq!(tc(pg, "numeric(10,2)", "numeric(12,4)"), WideningRewrite);
    assert_eq!(
        tc(pg, "numeric(10,2)", "numeric(10,4)"),
        Narrowing,
        "fewer integer digits"
    );
    assert_eq!(tc(pg, "numeric(10,2)", "numeric"), SafeWidening);
    assert_eq!(tc(pg, "numeric", "numeric(10,2)"), Narrowing);
    assert_eq!(tc(pg, "int", "numeric(12,2)"), WideningRewrite);
    assert_eq!(tc(pg, "int", "numeric(8,2)"), Narrowing);
    assert_eq!(tc(pg, "timestamp(3)", "timestamp"), SafeWidening);
    assert_eq!(tc(pg, "timestamp", "timestamptz"), FamilyChange);
    assert_eq!(
        tc(pg, "timestamp", "timestamp with time zone"),
        FamilyChange
    );
    assert_eq!(tc(pg, "json", "jsonb"), FamilyChange);
    assert_eq!(tc(pg, "text", "int"), FamilyChange);
    assert_eq!(tc(pg, "real", "double precision"), WideningRewrite);
    assert_eq!(tc(pg, "varchar(10)[]", "varchar(20)[]"), SafeWidening);
    assert!(!FamilyChange.is_safe_for_stable() && WideningRewrite.is_safe_for_stable());
}

#[test]
fn type_change_mysql() {
    use TypeChange::*;
    let my = Dialect::Mysql;
    assert_eq!(tc(my, "VARCHAR(10)", "VARCHAR(50)"), SafeWidening);
    assert_eq!(
        tc(my, "VARCHAR(50)", "VARCHAR(100)"),
        WideningRewrite,
        "crosses 255 bytes"
    );
    assert_eq!(tc(my, "VARCHAR(100)", "VARCHAR(200)"), SafeWidening);
    assert_eq!(tc(my, "VARCHAR(100)", "TEXT"), WideningRewrite);
    assert_eq!(tc(my, "TEXT", "MEDIUMTEXT"), WideningRewrite);
    assert_eq!(tc(my, "MEDIUMTEXT", "TEXT"), Narrowing);
    assert_eq!(tc(my, "INT", "BIGINT"), WideningRewrite);
    assert_eq!(tc(my, "INT UNSIGNED", "INT"), Narrowing);
    assert_eq!(tc(my, "INT UNSIGNED", "BIGINT"), WideningRewrite);
    assert_eq!(tc(my, "BOOLEAN", "TINYINT(1)"), Same);
    assert_eq!(tc(my, "DECIMAL", "DECIMAL(10,0)"), Same);
    assert_eq!(tc(my, "DECIMAL(10,2)", "DECIMAL(12,2)"), WideningRewrite);
    assert_eq!(tc(my, "ENUM('a','b')", "ENUM('a','b','c')"), SafeWidening);
    assert_eq!(
        tc(my, "ENUM('a','b')", "ENUM('c','a','b')"),
        WideningRewrite
    );
    assert_eq!(tc(my, "ENUM('a','b')", "ENUM('a')"), Narrowing);
    assert_eq!(tc(my, "DATETIME", "TIMESTAMP"), FamilyChange);
}

#[test]
fn type_change_sqlite_uses_affinity() {
    use TypeChange::*;
    let lite = Dialect::Sqlite;
    assert_eq!(tc(lite, "VARCHAR(10)", "VARCHAR(10)"), Same);
    assert_eq!(tc(lite, "VARCHAR(10)", "TEXT"), SafeWidening);
    assert_eq!(
        tc(lite, "VARCHAR(20)", "VARCHAR(10)"),
        SafeWidening,
        "lengths are not enforced"
    );
    assert_eq!(tc(lite, "INT", "BIGINT"), SafeWidening);
    assert_eq!(tc(lite, "TEXT", "INTEGER"), FamilyChange);
}

// ----- diff --------------------------------------------------------------------------------

fn changes(old: &Schema, new: &Schema) -> Vec<(DeltaKind, String, String)> {
    diff(old, new)
        .into_iter()
        .map(|c| (c.kind, c.object, c.description))
        .collect()
}

#[test]
fn diff_expand_and_contract_by_replay() {
    use DeltaKind::*;
    let pg = Dialect::Postgres;
    let old = replay(
        pg,
        "CREATE TABLE users (id int PRIMARY KEY, email varchar(50), name text, legacy text);
         CREATE TABLE gone (id int);
         CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE VIEW v AS SELECT id, email FROM users;
         CREATE INDEX users_email ON users (email);",
    );
    let mut new = old.clone();
    let r = apply_all(
        &mut new,
        pg,
        "ALTER TABLE users RENAME COLUMN name TO full_name;
         ALTER TABLE users ALTER COLUMN email TYPE varchar(100);
         ALTER TABLE users ALTER COLUMN email SET NOT NULL;
         ALTER TABLE users DROP COLUMN legacy;
         ALTER TABLE users ADD COLUMN nick text;
         ALTER TABLE users ADD COLUMN must int NOT NULL;
         ALTER TABLE users ADD COLUMN flag bool NOT NULL DEFAULT false;
         DROP TABLE gone;
         CREATE TABLE fresh (id int);
         ALTER TYPE mood ADD VALUE 'happy';
         ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
         CREATE INDEX users_nick ON users (nick);
         ALTER TABLE users RENAME TO members;
         CREATE TEMPORARY TABLE scratch (x int);
         ALTER TABLE members ADD COLUMN seq bigserial;",
    );
    assert!(r.iter().all(Applied::is_understood), "{r:?}");
    let got = changes(&old, &new);
    let has = |kind: DeltaKind, object: &str, text: &str| {
        assert!(
            got.iter()
                .any(|(k, o, d)| *k == kind && o == object && d.contains(text)),
            "missing {kind:?} {object} {text}: {got:#?}"
        );
    };
    has(Contract, "members", "renamed from `users`");
    has(Contract, "members.full_name", "renamed from `name`");
    has(
        Expand,
        "members.email",
        "widened from `VARCHAR(50)` to `VARCHAR(100)`",
    );
    has(Contract, "members.email", "became NOT NULL");
    has(Contract, "members.legacy", "column dropped");
    has(Expand, "members.nick", "new nullable column");
    has(Contract, "members.must", "without default");
    has(Expand, "members.flag", "with a default");
    has(Contract, "gone", "table dropped");
    has(Expand, "fresh", "new table");
    has(Expand, "mood", "value 'happy' added");
    has(Contract, "mood", "value 'sad' renamed to 'blue'");
    has(Expand, "users_nick", "new index");
    has(Expand, "members.seq", "new generated column");
    assert!(
        !got.iter().any(|(_, o, _)| o == "scratch"),
        "temporary tables are left out"
    );
    // No spurious drop for the renamed objects.
    assert!(!got
        .iter()
        .any(|(_, o, d)| o == "users" && d.contains("dropped")));
    assert!(!got
        .iter()
        .any(|(_, o, _)| o == "members.name" || o == "members.id"));
    // Sorted, deterministic, serialisable.
    let all = diff(&old, &new);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    let json = serde_json::to_string(&all[0]).unwrap();
    assert!(json.contains("\"kind\":\""), "{json}");
}

#[test]
fn diff_without_shared_history_sees_drop_and_add() {
    use DeltaKind::*;
    let pg = Dialect::Postgres;
    let old = replay(pg, "CREATE TABLE a (x int);");
    let new = replay(pg, "CREATE TABLE b (x int);");
    let got = changes(&old, &new);
    assert_eq!(
        got,
        [
            (
                Contract,
                "a".into(),
                "table dropped: the running stable version may still read and write it".into()
            ),
            (Expand, "b".into(), "new table".into()),
        ]
    );
}

#[test]
fn diff_enum_removal_constraints_views_and_ordering() {
    use DeltaKind::*;
    let pg = Dialect::Postgres;
    let old = replay(
        pg,
        "CREATE TYPE s AS ENUM ('a', 'b', 'c');
         CREATE TABLE t (id int, k int, CONSTRAINT t_k_check CHECK (k > 0));
         CREATE VIEW v AS SELECT id, k FROM t;",
    );
    let new = replay(
        pg,
        "CREATE TYPE s AS ENUM ('a', 'x', 'c');
         CREATE TABLE t (id int, k int UNIQUE);
         CREATE VIEW v AS SELECT id FROM t;",
    );
    let got = changes(&old, &new);
    let has = |kind: DeltaKind, object: &str, text: &str| {
        assert!(
            got.iter()
                .any(|(k, o, d)| *k == kind && o == object && d.contains(text)),
            "missing {kind:?} {object} {text}: {got:#?}"
        );
    };
    has(Contract, "s", "value 'b' removed");
    has(Expand, "s", "value 'x' added before 'c'");
    has(Contract, "t", "new constraint UNIQUE (k)");
    has(Expand, "t", "constraint CHECK (k > 0) dropped");
    has(Contract, "v", "column `k` no longer in the view");
    assert_eq!(diff(&old, &old), []);
}

#[test]
fn diff_foreign_key_to_the_primary_key_written_either_way_is_no_change() {
    let pg = Dialect::Postgres;
    let old = replay(
        pg,
        "CREATE TABLE users (id bigint PRIMARY KEY);
         CREATE TABLE orders (user_id bigint, CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id));",
    );
    let new = replay(
        pg,
        "CREATE TABLE users (id bigint PRIMARY KEY);
         CREATE TABLE orders (user_id bigint, CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users);",
    );
    assert_eq!(changes(&old, &new), []);
    // Another column of the target is another foreign key.
    let other = replay(
        pg,
        "CREATE TABLE users (id bigint PRIMARY KEY, code bigint UNIQUE);
         CREATE TABLE orders (user_id bigint, CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (code));",
    );
    assert!(changes(&new, &other)
        .iter()
        .any(|(k, o, d)| *k == DeltaKind::Contract && o == "orders" && d.contains("(code)")));
}

#[test]
fn diff_mysql_enum_column_widening_is_expand() {
    use DeltaKind::*;
    let my = Dialect::Mysql;
    let old = replay(my, "CREATE TABLE t (s ENUM('a','b'), n INT);");
    let mut new = old.clone();
    apply_all(
        &mut new,
        my,
        "ALTER TABLE t MODIFY s ENUM('a','b','c'); ALTER TABLE t MODIFY n SMALLINT;",
    );
    let got = changes(&old, &new);
    assert!(
        got.iter().any(|(k, o, _)| *k == Expand && o == "t.s"),
        "{got:#?}"
    );
    assert!(got
        .iter()
        .any(|(k, o, d)| *k == Contract && o == "t.n" && d.contains("narrowed")));
}

// ----- robustness --------------------------------------------------------------------------

const CORPUS: &[&str] = &[
    "CREATE TABLE a (id int PRIMARY KEY, b int REFERENCES a (id), c text UNIQUE)",
    "CREATE TABLE IF NOT EXISTS a (x int)",
    "CREATE TABLE b AS SELECT * FROM a",
    "CREATE TABLE c (LIKE a)",
    "CREATE TABLE a (id int)",
    "ALTER TABLE a RENAME TO a",
    "ALTER TABLE a RENAME COLUMN b TO b",
    "ALTER TABLE a RENAME COLUMN id TO b",
    "ALTER TABLE a DROP COLUMN id, DROP COLUMN id",
    "ALTER TABLE a ADD COLUMN id int, ADD COLUMN id int",
    "ALTER TABLE a ADD CONSTRAINT pk PRIMARY KEY (nope)",
    "ALTER TABLE a ADD CONSTRAINT u UNIQUE USING INDEX nope",
    "ALTER TABLE a ALTER COLUMN nope SET NOT NULL",
    "ALTER TABLE a DROP CONSTRAINT nope",
    "ALTER TABLE b RENAME TO a",
    "ALTER TABLE c RENAME TO b",
    "ALTER TABLE a ADD COLUMN z int FIRST",
    "ALTER TABLE a CHANGE id id2 bigint NOT NULL AFTER nope",
    "ALTER TABLE a MODIFY c varchar(3) FIRST",
    "ALTER TABLE a DROP PRIMARY KEY",
    "ALTER TABLE a DROP INDEX nope",
    "RENAME TABLE a TO b, b TO a",
    "CREATE INDEX ON a (id)",
    "CREATE INDEX i ON nope (x)",
    "CREATE UNIQUE INDEX i ON a ((id + 1))",
    "DROP INDEX i",
    "DROP INDEX i ON a",
    "ALTER INDEX i RENAME TO j",
    "CREATE TYPE e AS ENUM ()",
    "CREATE TYPE e AS ENUM ('x')",
    "ALTER TYPE e ADD VALUE 'y' BEFORE 'nope'",
    "ALTER TYPE e RENAME VALUE 'nope' TO 'z'",
    "ALTER TYPE e RENAME TO e",
    "ALTER TYPE nope ADD VALUE 'q'",
    "DROP TYPE e, nope",
    "CREATE VIEW v AS SELECT 1",
    "CREATE VIEW v AS SELECT * FROM a UNION SELECT * FROM b",
    "ALTER VIEW v RENAME TO v",
    "DROP VIEW v, v",
    "DROP TABLE a, a CASCADE",
    "DROP SCHEMA public CASCADE",
    "DROP SEQUENCE nope",
    "CREATE SEQUENCE s",
    "EXEC sp_rename 'a', 'b'",
    "EXEC sp_rename 'a.', '', 'COLUMN'",
    "EXEC sp_rename 'x'",
    "EXEC other_proc",
    "SELECT 1",
    "TRUNCATE a",
];

#[test]
fn arbitrary_statement_orders_never_panic() {
    for dialect in Dialect::ALL {
        let statements: Vec<_> = CORPUS
            .iter()
            .filter_map(|sql| Parser::parse_sql(&*dialect.sqlparser(), sql).ok())
            .flatten()
            .collect();
        assert!(statements.len() > CORPUS.len() / 3, "{dialect:?}");
        let mut snapshots = vec![Schema::new()];
        for order in 0..3 {
            let mut schema = Schema::new();
            for i in 0..statements.len() {
                let at = match order {
                    0 => i,
                    1 => statements.len() - 1 - i,
                    _ => (i * 7) % statements.len(),
                };
                schema.apply(&statements[at], dialect);
                schema.apply(&statements[at], dialect);
            }
            snapshots.push(schema);
        }
        for a in &snapshots {
            for b in &snapshots {
                let d = diff(a, b);
                let mut sorted = d.clone();
                sorted.sort();
                assert_eq!(d, sorted);
            }
        }
    }
}

// ----- performance -------------------------------------------------------------------------

#[test]
fn replay_ten_thousand_migrations_is_fast() {
    let pg = Dialect::Postgres;
    let mut sql = String::new();
    for i in 0..2_000 {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id bigserial PRIMARY KEY, a varchar(10), b int NOT NULL DEFAULT 0);
             ALTER TABLE t{i} ADD COLUMN c text;
             CREATE INDEX t{i}_a ON t{i} (a);
             ALTER TABLE t{i} RENAME COLUMN c TO d;
             ALTER TABLE t{i} ALTER COLUMN a TYPE varchar(20);\n"
        ));
    }
    let statements = parse(pg, &sql);
    assert_eq!(statements.len(), 10_000);
    let start = std::time::Instant::now();
    let mut schema = Schema::new();
    for s in &statements {
        assert!(schema.apply(s, pg).is_understood());
    }
    let replayed = start.elapsed();
    let d = diff(&Schema::new(), &schema);
    let elapsed = start.elapsed();
    eprintln!("replay of 10,000 statements: {replayed:?}, + diff: {elapsed:?}");
    assert_eq!(d.len(), 4_000);
    // Debug build on a shared machine: a generous bound that still catches quadratic work.
    assert!(
        elapsed.as_millis() < 1_500,
        "replay + diff took {elapsed:?}"
    );
}

// ----- Forms replayed from change values that carry the whole definition -----------------

#[test]
fn index_and_constraint_forms_replay_from_change_values() {
    let mut s = Schema::new();
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "CREATE TABLE t (a int, b text, CONSTRAINT t_b_key UNIQUE (b));
         CREATE UNIQUE INDEX IF NOT EXISTS t_lower_b ON t (lower(b)) WHERE a > 0;
         CREATE INDEX ON t (a, b);
         ALTER TABLE t RENAME CONSTRAINT t_b_key TO t_b_uniq;
         ALTER TABLE t DROP CONSTRAINT t_b_key;
         ALTER TABLE t DROP CONSTRAINT t_b_uniq, ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY;
         ALTER TABLE t SWAP WITH u, ADD COLUMN c int;
         DROP INDEX t_a_b_idx;
         DROP INDEX IF EXISTS t_a_b_idx;",
    );
    assert_eq!(r[0], Applied::Understood);
    assert_eq!(r[1], Applied::Understood);
    assert_eq!(r[2], Applied::Understood);
    assert_eq!(r[3], Applied::Understood);
    // Renamed away: the old name is gone.
    assert!(matches!(&r[4], Applied::NotUnderstood(m) if m.contains("t_b_key")));
    assert_eq!(r[5], Applied::Understood);
    // The operation the model does not follow is reported; the others applied.
    assert!(matches!(&r[6], Applied::NotUnderstood(m) if m.contains("SWAP WITH")));
    assert_eq!(r[7], Applied::Understood);
    assert_eq!(r[8], Applied::Understood);
    let t = s.table("t").unwrap();
    assert!(t.constraints.is_empty());
    assert!(t.has_column("c"));
    let a = col(&s, "t", "a");
    assert!(!a.nullable && a.generated == Some(Generated::Identity));
    let idx: Vec<(&str, bool, Vec<String>)> = s
        .indexes_on("t")
        .map(|i| (&*i.name, i.unique, i.columns.to_vec()))
        .collect();
    assert_eq!(idx, vec![("t_lower_b", true, vec!["lower(b)".to_string()])]);
}

#[test]
fn alter_table_of_unknown_table_or_view_and_alter_view() {
    let mut s = Schema::new();
    let r = apply_all(
        &mut s,
        Dialect::Postgres,
        "CREATE TABLE users (id int, active boolean);
         CREATE VIEW v AS SELECT id FROM users;
         ALTER TABLE nope OWNER TO me;
         ALTER TABLE IF EXISTS nope OWNER TO me;
         ALTER TABLE v SET (security_barrier = off);
         ALTER TABLE v ADD CONSTRAINT c CHECK (id > 0);
         ALTER VIEW v RENAME COLUMN id TO user_id;
         ALTER VIEW v RENAME TO w;
         ALTER VIEW v SET SCHEMA s;
         ALTER VIEW IF EXISTS v SET SCHEMA s;
         ALTER VIEW w SET SCHEMA s;",
    );
    assert!(matches!(&r[2], Applied::NotUnderstood(m) if m.contains("nope")));
    assert_eq!(r[3], Applied::Understood);
    // An option on a view changes nothing the model keeps.
    assert_eq!(r[4], Applied::Understood);
    assert!(matches!(&r[5], Applied::NotUnderstood(m) if m.contains("view `v`")));
    assert_eq!(r[6], Applied::Understood);
    assert_eq!(r[7], Applied::Understood);
    assert!(matches!(&r[8], Applied::NotUnderstood(m) if m.contains("`v`")));
    assert_eq!(r[9], Applied::Understood);
    assert!(matches!(&r[10], Applied::NotUnderstood(m) if m.contains("SET SCHEMA")));
    let w = s.view("w").unwrap();
    assert_eq!(w.columns.as_deref(), Some(&["user_id".to_string()][..]));
}

#[test]
fn mysql_drop_index_foreign_and_primary_key_from_change_values() {
    let mut s = Schema::new();
    let r = apply_all(
        &mut s,
        Dialect::Mysql,
        "CREATE TABLE a (id int PRIMARY KEY);
         CREATE TABLE b (id int, a_id int, code int, PRIMARY KEY (id), UNIQUE KEY b_code (code),
           KEY b_a (a_id), CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id));
         ALTER TABLE b DROP FOREIGN KEY b_a_fk, DROP INDEX b_a, DROP INDEX b_code, DROP PRIMARY KEY;
         ALTER TABLE b ADD INDEX b_code_a (code, a_id), DROP INDEX nope;",
    );
    assert_eq!(r[2], Applied::Understood);
    assert!(matches!(&r[3], Applied::NotUnderstood(m) if m.contains("nope")));
    assert!(s.table("b").unwrap().constraints.is_empty());
    let idx: Vec<&str> = s.indexes_on("b").map(|i| &*i.name).collect();
    assert_eq!(idx, vec!["b_code_a"]);
}

// ----- memory ------------------------------------------------------------------------------

#[test]
fn a_column_record_is_64_bytes() {
    assert_eq!(std::mem::size_of::<Column>(), 64);
}

#[test]
fn columns_of_one_type_share_its_value() {
    let s = replay(
        Dialect::Postgres,
        "CREATE TABLE t (a int, b text);
         ALTER TABLE t ADD COLUMN c int;
         ALTER TABLE t ADD COLUMN d varchar(10);
         ALTER TABLE t ALTER COLUMN d TYPE text;",
    );
    let ty = |c: &str| &col(&s, "t", c).data_type;
    assert!(Arc::ptr_eq(ty("a"), ty("c")));
    assert!(Arc::ptr_eq(ty("b"), ty("d")));
    assert!(!Arc::ptr_eq(ty("a"), ty("b")));
    assert_eq!(ty("d").to_string(), "TEXT");
}
