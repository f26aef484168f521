//! The secret corpus: more than fifty shapes of secret, by key name and by value shape,
//! in every config format, reached through YAML aliases, merge keys, escapes and folded
//! or literal block scalars, and in SQL. Every output format of `diff` and `check` (and
//! stderr) is searched for any six consecutive bytes of any secret: none may appear.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_canary-lint");
const FORMATS: &[&str] = &["human", "compact", "json", "sarif", "github", "junit"];

/// A secret body: distinctive, deterministic, `len` characters from `alphabet`.
fn body(i: usize, side: usize, len: usize, alphabet: &str) -> String {
    let a: Vec<char> = alphabet.chars().collect();
    let mut x = (i as u64 + 1) * 2_654_435_761 + side as u64 * 97_531;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            a[(x % a.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "QxKpLmVbNzRtWyHdGfJc2345679aeuso";
const UPPER: &str = "QXKPLMVBNZRTWYHDGFJC234567";
const HEX: &str = "0123456789abcdef";

/// (value template with `{B}` for the secret body, body alphabet, body length). The
/// key these go under names nothing secret: only the value's shape tells.
const SHAPES: &[(&str, &str, usize)] = &[
    ("postgres://app:{B}@db:5432/shop", ALNUM, 16),
    ("redis://app:{B}/x?y#z@cache:6379/0", ALNUM, 14),
    ("amqp://user:{B} with space@mq/vhost", ALNUM, 14),
    ("mongodb+srv://root:{B}@cluster0.example.net/db", ALNUM, 18),
    ("redis://:{B}@cache:6379", ALNUM, 16),
    ("jdbc:mysql://db/x?user=a&password={B}&ssl=true", ALNUM, 16),
    ("Server=db;User Id=app;Password = {B};Encrypt=true", ALNUM, 16),
    ("host=db user=app pwd={B} dbname=x", ALNUM, 16),
    ("app/{B}@orcl.example.com:1521", ALNUM, 14),
    ("eyJhbGciOiJIUzI1NiJ9.eyJ{B}.{B}", ALNUM, 24),
    ("ghp_{B}", ALNUM, 36),
    ("gho_{B}", ALNUM, 36),
    ("ghu_{B}", ALNUM, 36),
    ("ghs_{B}", ALNUM, 36),
    ("ghr_{B}", ALNUM, 36),
    ("github_pat_{B}", ALNUM, 60),
    ("glpat-{B}", ALNUM, 20),
    ("AKIA{B}", UPPER, 16),
    ("ASIA{B}", UPPER, 16),
    ("https://hooks.slack.com/services/T0{B}", ALNUM, 30),
    ("xoxb-{B}", ALNUM, 30),
    ("xoxp-{B}", ALNUM, 30),
    ("sk_live_{B}", ALNUM, 24),
    ("rk_live_{B}", ALNUM, 24),
    ("AIza{B}", ALNUM, 35),
    ("SG.{B}.{B}", ALNUM, 22),
    ("npm_{B}", ALNUM, 36),
    ("SK{B}", HEX, 32),
    ("Bearer 9{B}", ALNUM, 30),
    ("DefaultEndpointsProtocol=https;AccountName=x;AccountKey={B};EndpointSuffix=core.windows.net", ALNUM, 40),
    ("hf_{B}", ALNUM, 34),
    ("sk-proj-{B}", ALNUM, 40),
    ("pypi-{B}", ALNUM, 40),
    ("dckr_pat_{B}", ALNUM, 27),
    ("xapp-1-{B}", ALNUM, 30),
    ("shpat_{B}", HEX, 32),
    ("key-{B}", HEX, 32),
];

/// Keys that name a secret: their value (any shape) is one.
const SECRET_KEYS: &[&str] = &[
    "password",
    "spring.datasource.password",
    "api-key",
    "client_secret",
    "github.token",
    "tls.key",
    "smtp.pwd",
    "mail.pass",
    "signing-key",
    "aws.secret-access-key",
    "oauth.credentials",
    "ssh.passphrase",
    "app.private-key",
    "session.cookie-key",
];

#[derive(Default)]
struct Side {
    properties: String,
    env: String,
    json: Vec<String>,
    toml: String,
    yaml: String,
    configmap: String,
    secrets: Vec<String>,
}

fn put(side: &mut Side, n: usize, key: &str, value: &str) {
    let env_key = key.to_ascii_uppercase().replace(['.', '-'], "_");
    match n % 6 {
        0 => {
            let _ = writeln!(side.properties, "{key}={value}");
        }
        1 => {
            let _ = writeln!(side.env, "{env_key}=\"{value}\"");
        }
        2 => side.json.push(format!(
            "  \"{key}\": {}",
            serde_json::to_string(value).unwrap()
        )),
        3 => {
            let _ = writeln!(
                side.toml,
                "\"{key}\" = {}",
                serde_json::to_string(value).unwrap()
            );
        }
        4 => {
            let _ = writeln!(
                side.yaml,
                "{key}: {}",
                serde_json::to_string(value).unwrap()
            );
        }
        _ => {
            let _ = writeln!(
                side.configmap,
                "  {key}: {}",
                serde_json::to_string(value).unwrap()
            );
        }
    }
}

fn build(side_no: usize) -> Side {
    let mut s = Side::default();
    let mut n = 0;
    for (i, (template, alphabet, len)) in SHAPES.iter().enumerate() {
        let mut value = (*template).to_string();
        while let Some(at) = value.find("{B}") {
            let b = body(i * 7 + value.len(), side_no, *len, alphabet);
            s.secrets.push(b.clone());
            value.replace_range(at..at + 3, &b);
        }
        put(&mut s, n, &format!("app.setting{i:02}"), &value);
        n += 1;
    }
    for (i, key) in SECRET_KEYS.iter().enumerate() {
        let b = body(500 + i, side_no, 14, ALNUM);
        s.secrets.push(b.clone());
        put(&mut s, n, key, &b);
        n += 1;
    }
    // PEM private keys: multi-line, in a YAML block scalar and in JSON with escapes.
    for (i, kind) in ["RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED "]
        .iter()
        .enumerate()
    {
        let lines: Vec<String> = (0..3)
            .map(|l| body(700 + i * 10 + l, side_no, 48, ALNUM))
            .collect();
        s.secrets.extend(lines.iter().cloned());
        let pem = format!(
            "-----BEGIN {kind}PRIVATE KEY-----\n{}\n-----END {kind}PRIVATE KEY-----",
            lines.join("\n")
        );
        if i % 2 == 0 {
            let indented: String = pem.lines().map(|l| format!("  {l}\n")).collect();
            let _ = write!(s.yaml, "cert.bundle{i}: |\n{indented}");
        } else {
            s.json.push(format!(
                "  \"cert.bundle{i}\": {}",
                serde_json::to_string(&pem).unwrap()
            ));
        }
    }
    // YAML: an alias of a password under a harmless key, a merge key, escapes, folding.
    let [a, m, q, e, f1, f2, l1] = std::array::from_fn(|k| body(900 + k, side_no, 15, ALNUM));
    s.secrets
        .extend([&a, &m, &q, &e, &f1, &f2, &l1].map(|x| x.clone()));
    let _ = write!(
        s.yaml,
        "db:\n  password: &pw {a}\nreport:\n  owner: *pw\n\
         defaults: &defaults\n  passwd: {m}\n  url: jdbc:postgresql://db/shop\n\
         spring:\n  datasource:\n    <<: *defaults\n\
         quoted:\n  secret: '{q}''s'\n\
         escaped:\n  token: \"{e}\\t\\u0041\"\n\
         folded:\n  secret: >\n    {f1}\n    {f2}\n\
         literal:\n  password: |\n    {l1}\n"
    );
    s
}

fn write_side(dir: &Path, s: &Side) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("app.properties"), &s.properties).unwrap();
    std::fs::write(dir.join("app.env"), &s.env).unwrap();
    std::fs::write(
        dir.join("config.json"),
        format!("{{\n{}\n}}\n", s.json.join(",\n")),
    )
    .unwrap();
    std::fs::write(dir.join("config.toml"), &s.toml).unwrap();
    std::fs::write(dir.join("application.yml"), &s.yaml).unwrap();
    std::fs::write(
        dir.join("configmap.yaml"),
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n{}",
            s.configmap
        ),
    )
    .unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        o.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// No six consecutive bytes of any secret anywhere in `out`.
fn assert_clean(what: &str, out: &str, secrets: &[String]) {
    for s in secrets {
        for w in s.as_bytes().windows(6) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                !out.contains(w),
                "{what}: `{w}` of secret `{s}` printed:\n{out}"
            );
        }
    }
}

#[test]
fn no_secret_byte_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join(".git")).unwrap();
    let (stable, canary) = (build(1), build(2));
    write_side(&d.join("stable"), &stable);
    write_side(&d.join("canary"), &canary);
    let secrets: Vec<String> = stable
        .secrets
        .iter()
        .chain(&canary.secrets)
        .cloned()
        .collect();
    assert!(SHAPES.len() + SECRET_KEYS.len() + 5 + 7 >= 50);
    assert!(secrets.len() > 100);

    // SQL: passwords of roles and users, secret shapes in literals and comments, in
    // statements that findings point at (so snippets show them).
    let sql_secrets: Vec<String> = (0..6).map(|k| body(1000 + k, 3, 16, ALNUM)).collect();
    std::fs::create_dir_all(d.join("db")).unwrap();
    std::fs::write(
        d.join("db/V1__init.sql"),
        "CREATE TABLE users (id int, email text, token text);\n",
    )
    .unwrap();
    std::fs::write(
        d.join("db/V2__release.sql"),
        format!(
            "CREATE ROLE app LOGIN PASSWORD '{}';\nALTER USER app WITH PASSWORD '{}';\n\
             UPDATE users SET token = 'postgres://u:{}@db/x';\n\
             UPDATE users SET token = 'ghp_{}{}';\n\
             ALTER TABLE users DROP COLUMN email; -- was redis://:{}@cache\n",
            sql_secrets[0],
            sql_secrets[1],
            sql_secrets[2],
            sql_secrets[3],
            sql_secrets[3],
            sql_secrets[4]
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("canary-lint.toml"),
        "[migrations]\npaths = [\"db\"]\n[[config.pairs]]\nstable = \"stable\"\ncanary = \"canary\"\n",
    )
    .unwrap();
    let mut all = secrets.clone();
    all.extend(sql_secrets);

    for fmt in FORMATS {
        let (code, out) = run(d, &["diff", "stable", "canary", "--format", fmt]);
        assert!(matches!(code, Some(0..=1)), "diff {fmt}: {code:?}\n{out}");
        if *fmt == "human" {
            // The unified diff lists every key of both sides.
            assert!(out.contains("app.setting36"), "diff {fmt}:\n{out}");
        }
        assert_clean(&format!("diff --format {fmt}"), &out, &all);
        let (code, out) = run(d, &["check", "--format", fmt, "--fail-on", "never"]);
        assert_eq!(code, Some(0), "check {fmt}:\n{out}");
        assert!(out.contains("drop-column"), "check {fmt}:\n{out}");
        assert_clean(&format!("check --format {fmt}"), &out, &all);
    }
}
