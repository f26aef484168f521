//! Throughput benchmark of the real `canary-lint` binary (run: `cargo bench
//! --features bench-stats`).
//!
//! It generates realistic migration folders (Flyway layout, Postgres), then times
//! whole `canary-lint check` runs the way CI and pre-commit invoke them, and reads
//! the peak resident memory and CPU time the binary reports about itself
//! (`CANARY_LINT_STATS=1`, read only by a binary built with the `bench-stats`
//! feature; without it those columns are 0).
//! Set `CANARY_LINT_BENCH_REAL=DIR` to also time a real migration folder.
//! Figures go into the README by hand; this is a benchmark, not a test.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_canary-lint");

/// A small deterministic generator (xorshift), so every run writes the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const TYPES: &[&str] = &[
    "BIGINT",
    "INTEGER",
    "TEXT",
    "VARCHAR(255)",
    "BOOLEAN NOT NULL DEFAULT false",
    "TIMESTAMPTZ NOT NULL DEFAULT now()",
    "NUMERIC(12, 2)",
    "JSONB",
    "UUID",
];

/// One migration of the kind real projects accumulate: a header comment, then a new
/// table with constraints and indexes, column changes, a function, seed data or a
/// backfill (about 1.5 KB on average, like the real folders we measured).
fn migration(rng: &mut Rng, n: usize, tables: &mut Vec<String>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "-- Migration {n}: generated for the throughput benchmark."
    );
    let _ = writeln!(
        s,
        "-- Ticket SHOP-{}: keep the schema in step with the service.",
        1000 + n
    );
    let _ = writeln!(s, "SET lock_timeout = '5s';\n");
    let kind = if tables.len() < 20 { 0 } else { rng.below(10) };
    match kind {
        0..=2 => {
            let t = format!("table_{n}");
            let _ = writeln!(s, "CREATE TABLE {t} (\n    id BIGSERIAL PRIMARY KEY,");
            let cols = 6 + rng.below(16);
            for c in 0..cols {
                let _ = writeln!(s, "    col_{c} {},", rng.pick(TYPES));
            }
            let other = tables.last().cloned().unwrap_or_else(|| t.clone());
            let _ = writeln!(
                s,
                "    parent_id BIGINT REFERENCES {other} (id) ON DELETE SET NULL,"
            );
            let _ = writeln!(s, "    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),");
            let _ = writeln!(
                s,
                "    CONSTRAINT {t}_col_0_positive CHECK (col_0 IS NULL OR col_0 IS NOT NULL)\n);"
            );
            let _ = writeln!(
                s,
                "CREATE INDEX CONCURRENTLY {t}_created_idx ON {t} (created_at);"
            );
            let _ = writeln!(s, "CREATE INDEX CONCURRENTLY {t}_parent_idx ON {t} (parent_id) WHERE parent_id IS NOT NULL;");
            let _ = writeln!(
                s,
                "COMMENT ON TABLE {t} IS 'Holds generated rows for {t}.';"
            );
            for c in 0..3 {
                let _ = writeln!(
                    s,
                    "COMMENT ON COLUMN {t}.col_{c} IS 'Generated column {c} of {t}.';"
                );
            }
            tables.push(t);
        }
        3..=5 => {
            let t = tables[rng.below(tables.len() as u64) as usize].clone();
            for k in 0..(1 + rng.below(4)) {
                let _ = writeln!(
                    s,
                    "ALTER TABLE {t} ADD COLUMN extra_{n}_{k} {};",
                    rng.pick(&TYPES[..4])
                );
            }
            let _ = writeln!(
                s,
                "CREATE INDEX CONCURRENTLY {t}_extra_{n}_idx ON {t} (extra_{n}_0);"
            );
            let _ = writeln!(s, "ALTER TABLE {t} ADD CONSTRAINT {t}_extra_{n}_fk FOREIGN KEY (extra_{n}_0) REFERENCES {t} (id) NOT VALID;");
            let _ = writeln!(s, "ALTER TABLE {t} VALIDATE CONSTRAINT {t}_extra_{n}_fk;");
        }
        6 => {
            let _ = writeln!(
                s,
                "CREATE OR REPLACE FUNCTION touch_{n}() RETURNS trigger AS $$\nBEGIN\n    -- Keep updated_at current; a semicolon; inside the body.\n    NEW.updated_at := now();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;"
            );
            let t = tables[rng.below(tables.len() as u64) as usize].clone();
            let _ = writeln!(s, "CREATE TRIGGER {t}_touch_{n} BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION touch_{n}();");
        }
        7 => {
            let t = tables[rng.below(tables.len() as u64) as usize].clone();
            let _ = writeln!(s, "INSERT INTO {t} (col_0, created_at) VALUES");
            let rows = 10 + rng.below(30);
            for r in 0..rows {
                let sep = if r + 1 == rows { ';' } else { ',' };
                let _ = writeln!(s, "    ({r}, '2024-01-{:02} 00:00:00+00'){sep}", 1 + r % 28);
            }
        }
        8 => {
            let t = tables[rng.below(tables.len() as u64) as usize].clone();
            let _ = writeln!(s, "UPDATE {t} SET col_0 = NULL WHERE id < {} AND created_at < now() - interval '30 days';", rng.below(1000));
            let _ = writeln!(s, "ALTER TABLE {t} ALTER COLUMN col_1 SET DEFAULT 0;");
            let _ = writeln!(s, "CREATE OR REPLACE VIEW {t}_recent AS\n    SELECT id, col_0, created_at FROM {t}\n    WHERE created_at > now() - interval '7 days';");
        }
        _ => {
            let t = tables[rng.below(tables.len() as u64) as usize].clone();
            let _ = writeln!(s, "ALTER TABLE {t}\n    DROP COLUMN IF EXISTS legacy_{n};");
            let _ = writeln!(s, "DROP INDEX CONCURRENTLY IF EXISTS {t}_legacy_{n}_idx;");
        }
    }
    s
}

fn generate(dir: &Path, files: usize, seed: u64) -> u64 {
    std::fs::create_dir_all(dir).expect("create bench dir");
    let mut rng = Rng(seed);
    let mut tables = Vec::new();
    let mut bytes = 0u64;
    for n in 1..=files {
        let text = migration(&mut rng, n, &mut tables);
        bytes += text.len() as u64;
        std::fs::write(dir.join(format!("V{n}__step_{n}.sql")), text).expect("write migration");
    }
    bytes
}

struct Run {
    wall: Duration,
    peak_kib: u64,
    /// CPU time of all the binary's threads (0 when the system does not say).
    cpu: Duration,
}

fn run(args: &[&str], cwd: &Path) -> Run {
    let start = Instant::now();
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("CANARY_LINT_STATS", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("run canary-lint");
    let wall = start.elapsed();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "canary-lint failed ({code}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak_kib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("canary-lint stats: peak_rss_kib="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let cpu_us: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("canary-lint stats: cpu_us="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Run {
        wall,
        peak_kib,
        cpu: Duration::from_micros(cpu_us),
    }
}

/// Best of `n` runs (the least disturbed by other work on the machine).
fn best(n: usize, args: &[&str], cwd: &Path) -> Run {
    let mut runs: Vec<Run> = (0..n).map(|_| run(args, cwd)).collect();
    runs.sort_by_key(|r| r.wall);
    runs.swap_remove(0)
}

fn report_dir(label: &str, dir: &Path, bytes: u64, files: usize) {
    let d = dir.to_string_lossy().to_string();
    let r = best(
        3,
        &["check", "--format", "compact", "--fail-on", "never", &d],
        Path::new("."),
    );
    let secs = r.wall.as_secs_f64();
    let cpu = r.cpu.as_secs_f64();
    println!(
        "{label}: {files} files, {:.1} MB in {:.3} s wall: {:.1} MB/s, {:.0} files/s, peak RSS {:.1} MiB; \
         CPU {:.3} s: {:.1} MB per CPU-second",
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs,
        files as f64 / secs,
        r.peak_kib as f64 / 1024.0,
        cpu,
        if cpu > 0.0 { bytes as f64 / 1e6 / cpu } else { 0.0 }
    );
}

fn dir_size(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p: PathBuf = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sql")
                && !p.to_string_lossy().ends_with("down.sql")
            {
                bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
                files += 1;
            }
        }
    }
    (bytes, files)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // CANARY_LINT_BENCH_DIR keeps the generated inputs (for profiling) instead of a
    // temporary directory that is removed at the end.
    let keep = std::env::var_os("CANARY_LINT_BENCH_DIR").map(PathBuf::from);
    let tmp = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("canary-lint-bench-{}", std::process::id()))
    });
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("canary-lint throughput benchmark ({cpus} cores)");
    if !cfg!(feature = "bench-stats") {
        println!("(peak memory and CPU time need `cargo bench --features bench-stats`)");
    }

    let big = tmp.join("migrations-10000");
    let bytes = generate(&big, 10_000, 0x5eed);
    report_dir("generated", &big, bytes, 10_000);

    let small = tmp.join("migrations-1000");
    let bytes = generate(&small, 1_000, 0xbeef);
    report_dir("generated", &small, bytes, 1_000);

    // The pre-commit case: one staged file.
    let one = small.join("V500__step_500.sql");
    let one = one.to_string_lossy().to_string();
    let r = best(
        10,
        &["check", "--format", "compact", "--fail-on", "never", &one],
        Path::new("."),
    );
    println!(
        "single file (pre-commit): {:.1} ms wall, peak RSS {:.1} MiB",
        r.wall.as_secs_f64() * 1e3,
        r.peak_kib as f64 / 1024.0
    );

    // Release-aware: 9,999 migrations of history replayed into the schema model, a
    // release that drops and renames what stable knew, and a 50,000-file stable tree.
    let hist = tmp.join("release");
    let mut bytes = generate(&hist, 9_999, 0x5eed);
    let release =
        "ALTER TABLE users RENAME COLUMN email TO email_address;\nDROP TABLE audit_log;\n";
    std::fs::write(
        hist.join("V0__users.sql"),
        "CREATE TABLE users (id BIGINT, email TEXT);\nCREATE TABLE audit_log (id BIGINT);\n",
    )
    .expect("write history");
    std::fs::write(hist.join("V10000__release.sql"), release).expect("write release");
    bytes += release.len() as u64;
    let tree = tmp.join("stable-tree");
    canary_lint_stable::bench_support::generate_tree(&tree, 50_000, 7)
        .expect("generate stable tree");
    // The folder as a whole: every migration is checked against the full replay of
    // the ones before it, and the last one's drop and rename are searched for.
    let hist_s = hist.to_string_lossy().to_string();
    let tree_s = tree.to_string_lossy().to_string();
    let args = [
        "check",
        "--format",
        "compact",
        "--fail-on",
        "never",
        &hist_s,
        "--stable-src",
        &tree_s,
    ];
    let r = best(3, &args, Path::new("."));
    println!(
        "release-aware: replay 10,000 migrations ({:.1} MB) + scan 50,000 stable files: {:.3} s wall, peak RSS {:.1} MiB",
        bytes as f64 / 1e6,
        r.wall.as_secs_f64(),
        r.peak_kib as f64 / 1024.0
    );

    // Config comparison: two 10,000-key Spring properties files.
    let cfg = tmp.join("config");
    std::fs::create_dir_all(&cfg).expect("create config dir");
    let mut stable = String::new();
    let mut canary = String::new();
    for i in 0..10_000 {
        let _ = writeln!(stable, "app.module{}.setting-{i}=value-{i}", i % 97);
        let v = if i % 500 == 0 {
            format!("changed-{i}")
        } else {
            format!("value-{i}")
        };
        if i % 1000 != 999 {
            let _ = writeln!(canary, "app.module{}.setting-{i}={v}", i % 97);
        }
    }
    stable.push_str("logging.pattern.console=%d %-5level %msg%n\n");
    canary.push_str("logging.pattern.console={\"ts\":\"%d\"}%n\n");
    std::fs::write(cfg.join("stable.properties"), stable).expect("write config");
    std::fs::write(cfg.join("canary.properties"), canary).expect("write config");
    let (a, b) = (cfg.join("stable.properties"), cfg.join("canary.properties"));
    let (a, b) = (
        a.to_string_lossy().to_string(),
        b.to_string_lossy().to_string(),
    );
    // In process: loading each side, then the comparison itself (best of 5).
    let load = |p: &Path| canary_lint_config::load_path(p).expect("load config");
    let packs = canary_lint_config::builtin_packs().expect("built-in packs");
    let mut load_t = Duration::MAX;
    let mut cmp_t = Duration::MAX;
    let mut findings = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (sc, cc) = (
            load(&cfg.join("stable.properties")),
            load(&cfg.join("canary.properties")),
        );
        load_t = load_t.min(t.elapsed());
        let t = Instant::now();
        let found = canary_lint_config::compare(&sc, &cc, &packs);
        cmp_t = cmp_t.min(t.elapsed());
        findings = found.len();
    }
    println!(
        "config compare (in process): loading both sides {:.1} ms, comparing {:.1} ms ({findings} findings)",
        load_t.as_secs_f64() * 1e3,
        cmp_t.as_secs_f64() * 1e3
    );
    let r = best(
        5,
        &["diff", &a, &b, "--format", "compact", "--fail-on", "never"],
        Path::new("."),
    );
    println!(
        "config diff: two 10,000-key configs compared in {:.1} ms wall (whole process), peak RSS {:.1} MiB",
        r.wall.as_secs_f64() * 1e3,
        r.peak_kib as f64 / 1024.0
    );

    if let Some(real) = std::env::var_os("CANARY_LINT_BENCH_REAL") {
        let real = PathBuf::from(real);
        let (bytes, files) = dir_size(&real);
        report_dir(&format!("real ({})", real.display()), &real, bytes, files);
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
