//! Generated stable trees for benchmarks: many realistic source files (Java, Python, Go,
//! TypeScript, SQL and mapper XML) with SQL strings and ORM mappings, a few of which reference
//! the [`bench_targets`]. Deterministic for a given seed.

use crate::search::Target;
use std::fs;
use std::io;
use std::path::Path;

/// The targets a generated tree references: table `users` and column `users.email`
/// (as `email`, `EMAIL`, `emailAddress` via `users.email_address`), and table `audit_log`.
pub fn bench_targets() -> Vec<Target> {
    vec![
        Target::table("users"),
        Target::column("users", "email"),
        Target::column("users", "email_address"),
        Target::table("audit_log"),
        Target::column("orders", "id"),
    ]
}

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True with probability `per_mille`/1000.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }
}

const TABLES: &[&str] = &[
    "orders",
    "products",
    "customers",
    "invoices",
    "payments",
    "shipments",
    "carts",
    "sessions",
    "reviews",
    "inventory",
    "warehouses",
    "coupons",
    "refunds",
    "tickets",
    "accounts",
];
const COLUMNS: &[&str] = &[
    "id",
    "name",
    "created_at",
    "updated_at",
    "status",
    "amount",
    "total",
    "quantity",
    "price",
    "owner_id",
    "description",
    "title",
    "code",
    "currency",
    "notes",
];
const WORDS: &[&str] = &[
    "value", "result", "item", "count", "index", "buffer", "config", "handler", "request",
    "response", "context", "builder", "cache", "logger", "client", "service", "mapper", "entry",
];

/// Writes `files` generated source files under `root` (created if needed), about 100 per
/// directory, and returns how many of them reference a [`bench_targets`] name on purpose
/// (about 1 in 100; others may mention `id`/`name` without the table).
pub fn generate_tree(root: &Path, files: usize, seed: u64) -> io::Result<usize> {
    let mut rng = Rng(seed);
    let mut referencing = 0;
    fs::create_dir_all(root)?;
    fs::write(root.join(".gitignore"), "build/\n*.log\n")?;
    for i in 0..files {
        let dir = root.join(format!(
            "src/module{:03}/pkg{:02}",
            i / 1000,
            (i / 100) % 10
        ));
        if i % 100 == 0 {
            fs::create_dir_all(&dir)?;
        }
        let hot = rng.chance(10);
        if hot {
            referencing += 1;
        }
        let (name, text) = match i % 10 {
            0..=2 => (format!("Repo{i}.java"), java(&mut rng, i, hot)),
            3..=4 => (format!("models_{i}.py"), python(&mut rng, i, hot)),
            5..=6 => (format!("store_{i}.go"), golang(&mut rng, i, hot)),
            7..=8 => (format!("service{i}.ts"), typescript(&mut rng, i, hot)),
            _ if i % 20 == 9 => (format!("query_{i}.sql"), sql(&mut rng, hot)),
            _ => (format!("Mapper{i}.xml"), mapper(&mut rng, i, hot)),
        };
        fs::write(dir.join(name), text)?;
    }
    Ok(referencing)
}

fn filler(rng: &mut Rng, out: &mut String, lines: usize, comment: &str) {
    for _ in 0..lines {
        let a = rng.pick(WORDS);
        let b = rng.pick(WORDS);
        let c = rng.pick(COLUMNS);
        out.push_str(&format!(
            "    {comment} update the {a} with {b} and its {c} {}\n",
            rng.below(1000)
        ));
    }
}

fn select(rng: &mut Rng, hot: bool) -> (String, &'static str) {
    if hot {
        match rng.below(3) {
            0 => (
                "SELECT id, email, name FROM users WHERE id = ?".to_string(),
                "users",
            ),
            1 => (
                "UPDATE users SET email_address = ? WHERE id = ?".to_string(),
                "users",
            ),
            _ => (
                "INSERT INTO audit_log (actor, action) VALUES (?, ?)".to_string(),
                "audit_log",
            ),
        }
    } else {
        let t = rng.pick(TABLES);
        let c1 = rng.pick(COLUMNS);
        let c2 = rng.pick(COLUMNS);
        (
            format!("SELECT {c1}, {c2} FROM {t} WHERE id = ? ORDER BY {c1}"),
            "",
        )
    }
}

fn java(rng: &mut Rng, i: usize, hot: bool) -> String {
    let mut s = format!(
        "package com.example.module{};\n\nimport java.util.List;\n\n",
        i / 1000
    );
    let table = if hot && rng.chance(500) {
        "users"
    } else {
        rng.pick(TABLES)
    };
    s.push_str(&format!(
        "@Entity\n@Table(name = \"{table}\")\npublic class Repo{i} {{\n"
    ));
    s.push_str(
        "    @Id\n    private Long id;\n    @Column(name = \"name\")\n    private String name;\n",
    );
    if table == "users" {
        s.push_str("    private String emailAddress;\n");
    }
    let n = 20 + rng.below(40);
    filler(rng, &mut s, n, "//");
    let (q, _) = select(rng, hot);
    s.push_str(&format!("    private static final String Q = \"{q}\";\n\n"));
    s.push_str("    public List<Row> load(Jdbc jdbc, long id) {\n        return jdbc.query(Q, id);\n    }\n");
    let n = 10 + rng.below(30);
    filler(rng, &mut s, n, "//");
    s.push_str("}\n");
    s
}

fn python(rng: &mut Rng, i: usize, hot: bool) -> String {
    let table = rng.pick(TABLES);
    let mut s =
        format!("from sqlalchemy import Column, Integer, String\n\n\nclass Model{i}(Base):\n");
    s.push_str(&format!("    __tablename__ = \"{table}\"\n    id = Column(Integer, primary_key=True)\n    name = Column(String)\n\n"));
    let n = 15 + rng.below(30);
    filler(rng, &mut s, n, "#");
    let (q, _) = select(rng, hot);
    s.push_str(&format!("\n    def load(self, db):\n        return db.execute(\"\"\"\n            {q}\n        \"\"\")\n"));
    s
}

fn golang(rng: &mut Rng, i: usize, hot: bool) -> String {
    let table = rng.pick(TABLES);
    let mut s = format!("package store\n\ntype Row{i} struct {{\n\tID   int64  `gorm:\"column:id\"`\n\tName string `gorm:\"column:name\"`\n}}\n\n");
    s.push_str(&format!(
        "func (Row{i}) TableName() string {{\n\treturn \"{table}\"\n}}\n\n"
    ));
    let n = 15 + rng.below(30);
    filler(rng, &mut s, n, "//");
    let (q, _) = select(rng, hot);
    s.push_str(&format!("\nconst query{i} = `\n\t{q}\n`\n"));
    s
}

fn typescript(rng: &mut Rng, i: usize, hot: bool) -> String {
    let table = rng.pick(TABLES);
    let mut s = format!("import {{ Knex }} from 'knex';\n\nexport async function load{i}(knex: Knex, id: number) {{\n");
    s.push_str(&format!(
        "  const rows = await knex('{table}').where('id', id).select('name');\n"
    ));
    let n = 15 + rng.below(30);
    filler(rng, &mut s, n, "//");
    let (q, _) = select(rng, hot);
    s.push_str(&format!("  return knex.raw(`{q}`, [id]);\n}}\n"));
    s
}

fn sql(rng: &mut Rng, hot: bool) -> String {
    let mut s = String::from("-- report query\n");
    let (q, _) = select(rng, hot);
    s.push_str(&q);
    s.push_str(";\n");
    s
}

fn mapper(rng: &mut Rng, i: usize, hot: bool) -> String {
    let (q, _) = select(rng, hot);
    format!(
        "<?xml version=\"1.0\"?>\n<mapper namespace=\"com.example.Mapper{i}\">\n  <select id=\"load\">\n    {}\n  </select>\n</mapper>\n",
        q.replace('<', "&lt;")
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.push((rel, fs::read(e.path()).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_tree_other_seed_other_tree() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let na = generate_tree(a.path(), 250, 1).unwrap();
        let nb = generate_tree(b.path(), 250, 1).unwrap();
        generate_tree(c.path(), 250, 2).unwrap();
        assert_eq!(na, nb);
        let sa = snapshot(a.path());
        assert_eq!(sa.len(), 251, "250 files and .gitignore");
        assert_eq!(sa, snapshot(b.path()));
        assert_ne!(sa, snapshot(c.path()));
        let kinds: std::collections::BTreeSet<&str> = sa
            .iter()
            .filter_map(|(p, _)| p.rsplit('.').next())
            .collect();
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["gitignore", "go", "java", "py", "sql", "ts", "xml"]
        );
    }
}
