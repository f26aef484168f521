//! The matching heuristic, one behaviour per test, on in-memory texts.
#![allow(clippy::unwrap_used)]

use canary_lint_stable::search::{has_binary_extension, looks_binary, Matcher};
use canary_lint_stable::{scan_bytes, Strength, Target};

/// (target, line, column, strength) of each hit.
fn hits(path: &str, text: &str, targets: &[Target]) -> Vec<(usize, u32, u32, Strength)> {
    scan_bytes(path, text.as_bytes(), targets)
        .into_iter()
        .map(|h| (h.target, h.line, h.column, h.context))
        .collect()
}

fn users_email() -> Vec<Target> {
    vec![Target::table("users"), Target::column("users", "email")]
}

#[test]
fn whole_word_case_insensitive() {
    let t = vec![Target::table("users")];
    assert_eq!(
        hits("a.py", "q = 'select * FROM Users'", &t),
        vec![(0, 1, 20, Strength::SqlContext)]
    );
    assert_eq!(hits("a.py", "q = 'SELECT * FROM USERS'", &t).len(), 1);
    assert!(hits("a.py", "q = 'SELECT * FROM users_archive'", &t).is_empty());
    assert!(hits("a.py", "q = 'SELECT * FROM myusers'", &t).is_empty());
    assert!(hits("a.py", "q = 'SELECT * FROM users2'", &t).is_empty());
}

#[test]
fn table_needs_sql_or_orm_context() {
    let t = vec![Target::table("users")];
    assert!(hits(
        "a.py",
        "users = load()\nfor u in users:\n    print(u)\n",
        &t
    )
    .is_empty());
    for text in [
        "DELETE FROM users WHERE x",
        "INSERT INTO public.users (a) VALUES (1)",
        "SELECT * FROM a JOIN \"users\" u ON u.id = a.id",
        "DROP TABLE IF EXISTS users",
        "ALTER TABLE ONLY users ADD x int",
        "UPDATE `users` SET a = 1",
        "TRUNCATE users",
        "fk bigint REFERENCES users(id)",
        "CREATE TABLE [dbo].[users] (id int)",
        "db.select().from('users')",
        "$rows = DB::table('users')->get();",
        "knex(\"users\").where({})",
        "SELECT *\n  FROM\n    users",
    ] {
        let found = hits("a.txt", text, &t);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].3, Strength::SqlContext, "{text}");
    }
}

#[test]
fn orm_table_mappings() {
    let t = vec![Target::table("users")];
    for text in [
        "@Table(name = \"users\")",
        "@Table(schema = \"app\", name = \"users\")",
        "@Table(\"users\")",
        "@Entity('users')",
        "@Entity({ name: 'users' })",
        "    __tablename__ = 'users'",
        "        db_table = \"users\"",
        "  self.table_name = \"users\"",
        "  tableName: 'users',",
        "    protected $table = 'users';",
        "  @@map(\"users\")",
        "object Users : Table(\"users\") {",
        "object Users : LongIdTable(name = \"users\") {",
        "  schema \"users\" do",
        "func (User) TableName() string {\n\treturn \"users\"\n}",
        "func (User) TableName() string { return \"users\" }",
    ] {
        let found = hits("a.txt", text, &t);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].3, Strength::OrmMapping, "{text}");
    }
}

#[test]
fn column_needs_its_table_in_context() {
    let t = users_email();
    // No table: nothing, however SQL-like.
    assert!(hits("a.java", "String q = \"SELECT email FROM customers\";", &t).is_empty());
    assert!(hits("a.java", "user.email = form.email;", &t).is_empty());
    // Same string.
    assert_eq!(
        hits("a.java", "String q = \"SELECT email FROM users\";", &t),
        vec![
            (0, 1, 31, Strength::SqlContext),
            (1, 1, 20, Strength::SameStatement)
        ]
    );
}

#[test]
fn statement_window_is_lines_and_paragraph() {
    let t = vec![Target::column("users", "email")];
    let near = "q = (\n  'SELECT id, '\n  'email '\n  'FROM users')\n";
    assert_eq!(
        hits("a.py", near, &t),
        vec![(0, 3, 4, Strength::SameStatement)]
    );
    let blank = "q = 'SELECT id FROM users'\n\nprint(row.email)\n";
    assert!(hits("a.py", blank, &t).is_empty());
    let mut far = String::from("q = 'SELECT id FROM users'\n");
    for i in 0..10 {
        far.push_str(&format!("x{i} = {i}\n"));
    }
    far.push_str("print(row.email)\n");
    assert!(hits("a.py", &far, &t).is_empty(), "11 lines apart");
    let mut edge = String::from("q = 'SELECT id FROM users'\n");
    for i in 0..9 {
        edge.push_str(&format!("x{i} = {i}\n"));
    }
    edge.push_str("print(row.email)\n");
    assert_eq!(
        hits("a.py", &edge, &t),
        vec![(0, 11, 11, Strength::SameStatement)],
        "10 lines apart"
    );
    // The table may come after the column (SELECT list before FROM) on a later line.
    let after = "sql = \"\"\"\n    SELECT email\n    FROM users\n\"\"\"\n";
    assert_eq!(
        hits("a.py", after, &t),
        vec![(0, 2, 12, Strength::SameStatement)]
    );
}

#[test]
fn qualified_columns() {
    let t = vec![Target::column("users", "email")];
    for text in [
        "x = users.email",
        "x = \"users\".\"email\"",
        "x = `users`.`email`",
        "x = [users].[email]",
    ] {
        assert_eq!(hits("a.txt", text, &t).len(), 1, "{text}");
        assert_eq!(hits("a.txt", text, &t)[0].3, Strength::Qualified, "{text}");
    }
    assert!(hits("a.txt", "x = customers.email", &t).is_empty());
}

#[test]
fn orm_mapped_files_count_their_fields_but_not_the_mapping_syntax() {
    let t = vec![
        Target::column("users", "name"),
        Target::column("users", "email_address"),
    ];
    let java = "@Entity\n@Table(name = \"users\")\nclass User {\n  @Column(name = \"email_address\")\n  private String emailAddress;\n  private String name;\n}\n";
    assert_eq!(
        hits("User.java", java, &t),
        vec![
            (0, 6, 18, Strength::OrmMapping),
            (1, 4, 19, Strength::OrmMapping),
            (1, 5, 18, Strength::OrmMapping)
        ]
    );
    let django = "class User(models.Model):\n    name = models.CharField(max_length=10)\n    class Meta:\n        db_table = 'users'\n";
    assert_eq!(
        hits("models.py", django, &t),
        vec![(0, 2, 5, Strength::OrmMapping)]
    );
    // A file mapping another table does not count.
    let other = java.replace("\"users\"", "\"accounts\"");
    assert!(hits("Account.java", &other, &t).is_empty());
}

#[test]
fn orm_spellings_of_snake_and_camel_names() {
    let t = vec![Target::column("user_accounts", "email_address")];
    let text = "@Table(name = \"user_accounts\")\nclass A { String emailAddress; String EmailAddress; String EMAIL_ADDRESS; String email_address; String emailaddress; String email_Address2; }";
    let found = hits("A.java", text, &t);
    assert_eq!(found.len(), 5, "{found:?}");
    // A camelCase target matches its snake_case spelling.
    let t = vec![Target::column("userAccounts", "emailAddress")];
    let sql = "SELECT email_address FROM user_accounts";
    assert_eq!(
        hits("q.txt", sql, &t),
        vec![(0, 1, 8, Strength::SameStatement)]
    );
}

#[test]
fn schema_and_quotes_are_dropped_from_targets() {
    let t = vec![
        Target::table("public.\"users\""),
        Target::column("`users`", "\"email\""),
    ];
    assert_eq!(hits("q.txt", "SELECT email FROM users", &t).len(), 2);
}

#[test]
fn query_files_use_statements() {
    let t = vec![Target::table("users"), Target::column("users", "name")];
    let sql = "SELECT name\n\n\nFROM users;\nSELECT name FROM accounts;\n-- users are people\n";
    assert_eq!(
        hits("q.sql", sql, &t),
        vec![
            (0, 4, 6, Strength::SqlContext),
            (0, 6, 4, Strength::QueryFile),
            (1, 1, 8, Strength::SameStatement)
        ]
    );
    let xml = "<mapper namespace=\"x\">\n<select id=\"a\">SELECT * FROM users</select>\n<update id=\"b\">UPDATE accounts SET name = 1</update>\n</mapper>\n";
    assert_eq!(
        hits("M.xml", xml, &t),
        vec![(0, 2, 30, Strength::SqlContext)]
    );
    // XML that is not a mapper is not a query file (and there is no SQL context here).
    assert!(hits(
        "pom.xml",
        "<project><users/><name>users</name></project>",
        &t
    )
    .is_empty());
    let prisma = "model User {\n  id   Int\n  name String\n  @@map(\"users\")\n}\n\nmodel Account {\n  name String\n}\n";
    assert_eq!(
        hits("schema.prisma", prisma, &t),
        vec![
            (0, 4, 10, Strength::OrmMapping),
            (1, 3, 3, Strength::QueryFile)
        ]
    );
}

#[test]
fn columns_count_characters_and_survive_odd_bytes() {
    let t = vec![Target::table("users")];
    let text = "-- é\n/* ünïcödé */ SELECT 1 FROM users\r\n";
    assert_eq!(
        hits("a.txt", text, &t),
        vec![(0, 2, 29, Strength::SqlContext)],
        "29 characters, 33 bytes"
    );
    let mut latin1 = b"q = '\xe9t\xe9 ".to_vec();
    latin1.extend_from_slice(b"FROM users'\n\xff\xfe");
    let found = scan_bytes("a.txt", &latin1, &t);
    assert_eq!((found.len(), found[0].line), (1, 1));
    assert!(scan_bytes("a.txt", b"", &t).is_empty());
    assert!(scan_bytes("a.txt", b"FROM", &t).is_empty());
    assert!(scan_bytes("a.txt", b"users", &t).is_empty());
}

#[test]
fn many_targets_sharing_names() {
    let t = vec![
        Target::column("users", "id"),
        Target::column("orders", "id"),
        Target::table("users"),
        Target::column("users", "id"),
    ];
    let text = "SELECT id FROM users";
    let found = hits("a.txt", text, &t);
    assert_eq!(
        found,
        vec![
            (0, 1, 8, Strength::SameStatement),
            (2, 1, 16, Strength::SqlContext),
            (3, 1, 8, Strength::SameStatement)
        ]
    );
}

#[test]
fn binary_detection() {
    assert!(looks_binary(b"abc\0def"));
    assert!(!looks_binary(b"plain text"));
    let mut late_nul = vec![b'a'; 9000];
    late_nul.push(0);
    assert!(!looks_binary(&late_nul), "only the first 8 KiB are sniffed");
    assert!(has_binary_extension("assets/Logo.PNG"));
    assert!(has_binary_extension("lib/x.jar"));
    assert!(!has_binary_extension("src/Main.java"));
    assert!(!has_binary_extension(".png"), "a dot file has no extension");
}

#[test]
fn matcher_is_reusable_and_send_sync() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    let m = Matcher::new(&users_email());
    assert_send_sync(&m);
    assert_eq!(m.scan("a.sql", b"SELECT email FROM users").len(), 2);
    assert_eq!(m.scan("b.sql", b"SELECT 1").len(), 0);
}

#[test]
fn one_huge_line_stays_linear() {
    let unit = "SELECT email FROM users; ";
    let text = unit.repeat(40_000);
    let started = std::time::Instant::now();
    let found = hits("bundle.min.js", &text, &users_email());
    assert_eq!(found.len(), 80_000);
    let last_users = 39_999 * unit.len() as u32 + 19;
    assert!(found.contains(&(0, 1, last_users, Strength::SqlContext)));
    assert!(found.contains(&(1, 1, last_users - 11, Strength::SameStatement)));
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn quoted_column_names_in_a_file_querying_the_table() {
    let t = vec![Target::column("users", "email")];
    let java = "String Q = \"SELECT * FROM users\";\n\nUser map(ResultSet rs) {\n  return new User(rs.getString(\"email\"), email);\n}\n";
    assert_eq!(
        hits("Dao.java", java, &t),
        vec![(0, 4, 33, Strength::SameFile)]
    );
    // Without the table in SQL context in the file: nothing.
    let other = java.replace("FROM users", "FROM accounts");
    assert!(hits("Dao.java", &other, &t).is_empty());
    // Partially quoted or a longer string: not the column name itself.
    let partial = "q = 'SELECT 1 FROM users'\n\nx = 'email is' + \"email\\\"\n";
    assert!(hits("a.py", partial, &t).is_empty());
}

#[test]
fn import_lines_are_not_field_references() {
    let t = vec![Target::column("users", "id")];
    let java = "package app.id;\nimport javax.persistence.Id;\n\n@Table(name = \"users\")\nclass User {\n  @Id\n  private Long id;\n}\n";
    assert_eq!(
        hits("User.java", java, &t),
        vec![
            (0, 6, 4, Strength::OrmMapping),
            (0, 7, 16, Strength::OrmMapping)
        ]
    );
}
