//! Git helpers against temporary repositories (no global git configuration is read).
#![allow(clippy::unwrap_used)]

use canary_lint_stable::bench_support::{bench_targets, generate_tree};
use canary_lint_stable::git::{changed_files_since, merge_base, repo_root, scan_ref, GitError};
use canary_lint_stable::{scan_dir, Strength, Target};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let r = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        r.git(&["init", "-q"]);
        r.git(&["checkout", "-q", "-b", "main"]);
        r
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(self.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(["-c", "core.autocrlf=false"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn write(&self, path: &str, text: impl AsRef<[u8]>) {
        let p = self.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }
}

fn paths(v: &[&str]) -> Vec<PathBuf> {
    v.iter().map(PathBuf::from).collect()
}

#[test]
fn repo_root_from_a_subdirectory() {
    let r = Repo::new();
    r.write("a/b/c.txt", "x");
    let root = repo_root(&r.path().join("a/b")).unwrap();
    assert_eq!(
        fs::canonicalize(root).unwrap(),
        fs::canonicalize(r.path()).unwrap()
    );
}

#[test]
fn merge_base_of_diverged_branches() {
    let r = Repo::new();
    r.write("a.txt", "1");
    let fork = r.commit("base");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("b.txt", "2");
    r.commit("feature work");
    r.git(&["checkout", "-q", "main"]);
    r.write("c.txt", "3");
    r.commit("main moves on");
    r.git(&["checkout", "-q", "feature"]);
    assert_eq!(merge_base(r.path(), "main").unwrap(), fork);
    assert_eq!(fork.len(), 40);
}

#[test]
fn changed_files_cover_committed_staged_unstaged_and_untracked() {
    let r = Repo::new();
    r.write(".gitignore", "build/\n");
    r.write("app.py", "v1");
    r.write("old.py", "old");
    r.write(
        "r1.txt",
        "rename me, long enough to be detected as a rename\n",
    );
    r.write("unstaged.txt", "v1");
    r.write("same.txt", "unchanged");
    r.commit("base");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("db/m/002.sql", "ALTER TABLE users DROP COLUMN email;");
    r.write("app.py", "v2");
    r.write("gone.txt", "committed, then deleted in the work tree");
    r.git(&["rm", "-q", "old.py"]);
    r.git(&["mv", "r1.txt", "r2.txt"]);
    r.commit("feature");
    r.git(&["checkout", "-q", "main"]);
    r.write("main-only.txt", "x");
    r.commit("main moves on");
    r.git(&["checkout", "-q", "feature"]);
    r.write("staged.sql", "SELECT 1;");
    r.git(&["add", "staged.sql"]);
    r.write("unstaged.txt", "v2");
    r.write("new dir/untracked file.txt", "x");
    r.write("build/out.txt", "ignored");
    fs::remove_file(r.path().join("gone.txt")).unwrap();

    let changed = changed_files_since(r.path(), "main").unwrap();
    assert_eq!(
        changed,
        paths(&[
            "app.py",
            "db/m/002.sql",
            "new dir/untracked file.txt",
            "r2.txt",
            "staged.sql",
            "unstaged.txt"
        ])
    );
    // From a subdirectory the paths are still relative to the repository root.
    assert_eq!(
        changed_files_since(&r.path().join("db"), "main").unwrap(),
        changed
    );
}

#[test]
fn errors_name_the_command_and_carry_stderr() {
    let r = Repo::new();
    r.write("a.txt", "1");
    r.commit("base");
    let e = merge_base(r.path(), "no-such-branch").unwrap_err();
    // The ref is resolved (and refused) before `merge-base` sees it.
    assert_eq!(
        e.command(),
        "git rev-parse --verify --quiet --end-of-options no-such-branch^{commit}"
    );
    match &e {
        GitError::Failed { stderr, code, .. } => {
            assert!(stderr.contains("no-such-branch does not name a commit"));
            assert!(code.is_some());
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e
        .to_string()
        .starts_with("`git rev-parse --verify --quiet --end-of-options no-such-branch^{commit}` failed with exit code"));
    // A ref spelled like an option is a ref that does not resolve, never an option.
    let e = merge_base(r.path(), "--octopus").unwrap_err();
    assert!(
        e.to_string().contains("--octopus does not name a commit"),
        "{e}"
    );

    let e = changed_files_since(r.path(), "no-such-branch").unwrap_err();
    assert!(e.command().contains("rev-parse --verify"));

    let e = scan_ref(r.path(), "no-such-ref", &[], &[Target::table("users")]).unwrap_err();
    assert!(
        e.to_string().contains("no-such-ref does not name a commit"),
        "{e}"
    );

    let not_repo = tempfile::tempdir().unwrap();
    // An unrelated directory (tempdirs are not inside a repository here).
    if let Err(e) = repo_root(not_repo.path()) {
        assert!(e.command().contains("rev-parse"));
        assert!(e.to_string().contains("not a git repository"), "{e}");
    }
    let e = repo_root(Path::new("/nonexistent/canary-lint")).unwrap_err();
    assert!(matches!(
        e,
        GitError::Failed { .. } | GitError::Spawn { .. }
    ));
}

/// Copies a directory tree (regular files only).
fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn scan_ref_equals_scan_dir_on_the_fixture_tree() {
    let r = Repo::new();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/stable/tree"),
        r.path(),
    );
    r.commit("fixture");
    let targets = vec![
        Target::table("users"),
        Target::column("users", "email"),
        Target::column("users", "name"),
        Target::column("users", "email_address"),
        Target::table("orders"),
    ];
    let skip = paths(&["db/migrations"]);
    let from_dir = scan_dir(r.path(), &skip, &targets);
    let from_ref = scan_ref(r.path(), "HEAD", &skip, &targets).unwrap();
    assert_eq!(from_ref, from_dir);
    assert_eq!(
        (
            from_ref.files_scanned,
            from_ref.files_skipped,
            from_ref.hits.len()
        ),
        (8, 2, 22)
    );
}

#[test]
fn scan_ref_reads_the_commit_not_the_work_tree() {
    let r = Repo::new();
    let t = vec![Target::table("users"), Target::column("users", "email")];
    r.write(
        "src/Repo.java",
        "class Repo {\n  String q = \"SELECT email FROM users\";\n}\n",
    );
    r.write("db/migrations/1.sql", "CREATE TABLE users (email text);");
    r.write(".hidden/q.sql", "SELECT email FROM users;");
    r.write("logo.png", b"\x89PNG\0 FROM users");
    r.write("data.idx", b"\0\0 FROM users");
    r.write("big.sql", vec![b'x'; 2 * 1024 * 1024 + 1]);
    r.commit("stable");
    r.git(&["tag", "v1"]);
    r.write("src/Repo.java", "class Repo {}\n");
    r.commit("canary: no more users");
    r.write("src/New.java", "String q = \"SELECT email FROM users\";");

    let stable = scan_ref(r.path(), "v1", &paths(&["db/migrations"]), &t).unwrap();
    let found: Vec<_> = stable
        .hits
        .iter()
        .map(|h| (h.target, h.file.as_str(), h.line, h.column, h.context))
        .collect();
    assert_eq!(
        found,
        vec![
            (0, "src/Repo.java", 2, 33, Strength::SqlContext),
            (1, "src/Repo.java", 2, 22, Strength::SameStatement)
        ]
    );
    // Repo.java scanned; logo.png (extension), data.idx (NUL) and big.sql (size) skipped.
    assert_eq!((stable.files_scanned, stable.files_skipped), (1, 3));

    let head = scan_ref(r.path(), "HEAD", &paths(&["db/migrations"]), &t).unwrap();
    assert!(head.hits.is_empty());
    // Without the skip the migration counts; an absolute skip path works too.
    let all = scan_ref(r.path(), "v1", &[], &t).unwrap();
    assert!(all.hits.iter().any(|h| h.file == "db/migrations/1.sql"));
    let abs = scan_ref(r.path(), "v1", &[r.path().join("db/migrations")], &t).unwrap();
    assert_eq!(abs, stable);
    // From a subdirectory: paths stay relative to the repository root.
    assert_eq!(
        scan_ref(&r.path().join("src"), "v1", &paths(&["db/migrations"]), &t).unwrap(),
        stable
    );
}

#[test]
fn scan_ref_with_many_files_uses_several_readers_and_agrees_with_scan_dir() {
    let r = Repo::new();
    let referencing = generate_tree(r.path(), 600, 7).unwrap();
    r.commit("generated");
    let targets = bench_targets();
    let from_dir = scan_dir(r.path(), &[], &targets);
    let from_ref = scan_ref(r.path(), "HEAD", &[], &targets).unwrap();
    assert_eq!(from_ref, from_dir);
    assert_eq!(from_dir.files_scanned, 600);
    // Every file generated to reference users/audit_log has a hit for them, and no other.
    let files: std::collections::BTreeSet<&str> = from_dir
        .hits
        .iter()
        .filter(|h| h.target < 4)
        .map(|h| h.file.as_str())
        .collect();
    assert_eq!(files.len(), referencing);
    assert!(referencing > 0);
}
