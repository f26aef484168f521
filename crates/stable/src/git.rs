//! Git helpers: the merge-base and changed files for `--base REF`, and scanning stable's tree
//! at a commit for `--stable-ref REF` without checking it out.
//!
//! Everything shells out to the `git` binary found on `PATH` (`std::process::Command`), with
//! `GIT_TERMINAL_PROMPT=0` and no network access. Every error names the git command that
//! failed and carries its standard error.

use crate::search::{
    has_binary_extension, scan_content, FileOutcome, Matcher, ScanResult, Target, MAX_FILE_SIZE,
};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A git command that could not run or failed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `git` could not be started (not installed, bad directory).
    #[error("could not run `{command}`: {source}")]
    Spawn { command: String, source: io::Error },
    /// `git` ran and exited unsuccessfully.
    #[error("`{command}` failed with {}{}", exit_text(.code), stderr_text(.stderr))]
    Failed {
        command: String,
        code: Option<i32>,
        stderr: String,
    },
    /// `git` succeeded but its output was not what was expected.
    #[error("unexpected output from `{command}`: {message}")]
    Output { command: String, message: String },
}

fn exit_text(code: &Option<i32>) -> String {
    code.map_or_else(|| "a signal".to_string(), |c| format!("exit code {c}"))
}

fn stderr_text(stderr: &str) -> String {
    let stderr = stderr.trim();
    if stderr.is_empty() {
        String::new()
    } else {
        format!(": {stderr}")
    }
}

impl GitError {
    /// The command line that failed, e.g. `git merge-base HEAD origin/main`.
    pub fn command(&self) -> &str {
        match self {
            GitError::Spawn { command, .. }
            | GitError::Failed { command, .. }
            | GitError::Output { command, .. } => command,
        }
    }
}

/// What went wrong reading `git cat-file --batch` output.
#[derive(Debug, thiserror::Error)]
enum BatchError {
    #[error("output ended before object {0}")]
    EndedBefore(String),
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("bad object header {0:?}")]
    BadHeader(String),
    #[error("reading object {id}: {source}")]
    Reading { id: String, source: io::Error },
    #[error("output ended inside object {0}")]
    EndedInside(String),
}

fn command_line(args: &[&str]) -> String {
    let mut s = String::from("git");
    for a in args {
        s.push(' ');
        s.push_str(a);
    }
    s
}

fn git(repo: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(repo)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    c
}

/// Runs `git -C repo ARGS` and returns its standard output.
fn run(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let command = command_line(args);
    let out = git(repo)
        .args(args)
        .output()
        .map_err(|source| GitError::Spawn {
            command: command.clone(),
            source,
        })?;
    if !out.status.success() {
        return Err(GitError::Failed {
            command,
            code: out.status.code(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(out.stdout)
}

fn run_line(repo: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = run(repo, args)?;
    let line = String::from_utf8_lossy(&out)
        .trim_end_matches(['\n', '\r'])
        .to_string();
    if line.is_empty() {
        return Err(GitError::Output {
            command: command_line(args),
            message: "no output".into(),
        });
    }
    Ok(line)
}

/// Paths from `-z` output (NUL-terminated).
fn nul_paths(out: &[u8]) -> Vec<PathBuf> {
    out.split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(path_from_bytes)
        .collect()
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// The top-level directory of the work tree containing `path`.
pub fn repo_root(path: &Path) -> Result<PathBuf, GitError> {
    run_line(path, &["rev-parse", "--show-toplevel"]).map(PathBuf::from)
}

/// The full commit id `git_ref` names, resolved with `rev-parse --verify` after
/// `--end-of-options`, so a ref spelled like an option (`--octopus`) is an error, never
/// an option.
pub fn resolve_commit(repo: &Path, git_ref: &str) -> Result<String, GitError> {
    let commit = format!("{git_ref}^{{commit}}");
    run_line(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ],
    )
    .map_err(|e| match e {
        GitError::Failed {
            command,
            code,
            stderr,
        } if stderr.trim().is_empty() => GitError::Failed {
            command,
            code,
            stderr: format!("{git_ref} does not name a commit"),
        },
        e => e,
    })
}

/// The full commit id of the merge-base of `HEAD` and `base_ref` (resolved first with
/// [`resolve_commit`]).
pub fn merge_base(repo: &Path, base_ref: &str) -> Result<String, GitError> {
    let base = resolve_commit(repo, base_ref)?;
    run_line(repo, &["merge-base", "HEAD", &base])
}

/// The files added or modified since the merge-base of `HEAD` and `base_ref`, as the work tree
/// has them now: committed, staged and unstaged changes compared with the merge-base
/// (`git diff --no-renames --diff-filter=d MERGE_BASE`; a renamed file counts as added), plus
/// untracked files that are not ignored (`git ls-files --others --exclude-standard`). Deleted
/// files are left out, and so is anything no longer present in the work tree.
///
/// Paths are relative to the repository root ([`repo_root`]), sorted, without duplicates.
pub fn changed_files_since(repo: &Path, base_ref: &str) -> Result<Vec<PathBuf>, GitError> {
    let root = repo_root(repo)?;
    let base = merge_base(&root, base_ref)?;
    let diff = run(
        &root,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=d",
            &base,
            "--",
        ],
    )?;
    let untracked = run(
        &root,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--full-name",
        ],
    )?;
    let mut files: Vec<PathBuf> = nul_paths(&diff)
        .into_iter()
        .chain(nul_paths(&untracked))
        .collect();
    files.retain(|p| root.join(p).symlink_metadata().is_ok());
    files.sort();
    files.dedup();
    Ok(files)
}

/// One blob listed by `git ls-tree -r`.
struct Blob {
    id: String,
    path: String,
}

/// Scans the tree of `git_ref` (a commit, branch, tag) without checking it out: lists it with
/// `git ls-tree -r -z --full-tree` and reads the blobs through `git cat-file --batch` (one
/// process per core, up to 4, each reading its share of the blobs). Matching is the same as
/// [`crate::scan_dir`]. Paths in hits are relative to the repository root. Not read at all:
/// paths under `skip` (relative to the repository root, or absolute inside it), hidden paths
/// (a component starting with `.`, as the directory walk does), symbolic links and
/// submodules. Read and counted as skipped: over [`MAX_FILE_SIZE`], binary extension or
/// content. `.gitignore` does not apply: what is committed is stable's code.
pub fn scan_ref(
    repo: &Path,
    git_ref: &str,
    skip: &[PathBuf],
    targets: &[Target],
) -> Result<ScanResult, GitError> {
    let root = repo_root(repo)?;
    let commit = resolve_commit(&root, git_ref)?;
    let matcher = Matcher::new(targets);
    let listing = run(&root, &["ls-tree", "-r", "-z", "--full-tree", &commit])?;
    let skip: Vec<String> = skip.iter().filter_map(|s| skip_prefix(&root, s)).collect();

    let mut result = ScanResult::default();
    let mut blobs = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let Some(blob) = parse_ls_tree(entry) else {
            continue;
        };
        let hidden = blob.path.split('/').any(|c| c.starts_with('.'));
        let skipped_dir = skip
            .iter()
            .any(|s| s.is_empty() || blob.path == *s || blob.path.starts_with(&format!("{s}/")));
        if hidden || skipped_dir {
            continue;
        }
        if has_binary_extension(&blob.path) {
            result.files_skipped += 1;
            continue;
        }
        blobs.push(blob);
    }
    if blobs.is_empty() {
        return Ok(result);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = cores.clamp(1, 4).min(blobs.len().div_ceil(256));
    let chunk = blobs.len().div_ceil(parts);
    let outcomes: Vec<Result<ScanResult, GitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = blobs
            .chunks(chunk)
            .map(|part| scope.spawn(|| cat_file_scan(&root, part, &matcher)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(GitError::Output {
                        command: "git cat-file --batch".into(),
                        message: "reader thread panicked".into(),
                    })
                })
            })
            .collect()
    });
    for outcome in outcomes {
        let part = outcome?;
        result.files_scanned += part.files_scanned;
        result.files_skipped += part.files_skipped;
        result.hits.extend(part.hits);
        result.unread.extend(part.unread);
    }
    result.unread.sort();
    Ok(result.finish())
}

/// Reads `blobs` through one `git cat-file --batch` and scans them.
fn cat_file_scan(root: &Path, blobs: &[Blob], matcher: &Matcher) -> Result<ScanResult, GitError> {
    let command = "git cat-file --batch".to_string();
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| GitError::Spawn {
            command: command.clone(),
            source,
        })?;
    let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(GitError::Output {
            command,
            message: "no pipes".into(),
        });
    };
    let ids: Vec<String> = blobs.iter().map(|b| b.id.clone()).collect();
    // Written from another thread: cat-file's output pipe would fill up otherwise.
    let writer = std::thread::spawn(move || -> io::Result<()> {
        let mut w = io::BufWriter::new(&mut stdin);
        for id in ids {
            w.write_all(id.as_bytes())?;
            w.write_all(b"\n")?;
        }
        w.flush()
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut result = ScanResult::default();
    let read = read_batch(&mut reader, blobs, matcher, &mut result);
    drop(reader);
    let _ = writer.join();
    let status = child.wait().map_err(|source| GitError::Spawn {
        command: command.clone(),
        source,
    })?;
    let stderr = err_reader.join().unwrap_or_default();
    match read {
        Ok(()) => Ok(result),
        Err(e) if status.success() => Err(GitError::Output {
            command,
            message: e.to_string(),
        }),
        Err(_) => Err(GitError::Failed {
            command,
            code: status.code(),
            stderr,
        }),
    }
}

/// Reads the blobs in order from `cat-file --batch` and scans each.
fn read_batch(
    reader: &mut impl BufRead,
    blobs: &[Blob],
    matcher: &Matcher,
    result: &mut ScanResult,
) -> Result<(), BatchError> {
    for blob in blobs {
        match read_object(reader, &blob.id)? {
            Some(bytes) => result.add(&blob.path, scan_content(matcher, &blob.path, &bytes)),
            None => result.add(
                &blob.path,
                FileOutcome::Unread(
                    format!("missing or larger than the {MAX_FILE_SIZE}-byte limit"),
                    Vec::new(),
                ),
            ),
        }
    }
    Ok(())
}

/// One `<id> <type> <size>\n<content>\n` record; `None` for a missing object or one over
/// [`MAX_FILE_SIZE`] (its content is read and dropped).
fn read_object(reader: &mut impl BufRead, id: &str) -> Result<Option<Vec<u8>>, BatchError> {
    let mut header = String::new();
    if reader.read_line(&mut header)? == 0 {
        return Err(BatchError::EndedBefore(id.to_string()));
    }
    let header = header.trim_end();
    if header.ends_with(" missing") {
        return Ok(None);
    }
    let size: u64 = header
        .rsplit(' ')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| BatchError::BadHeader(header.to_string()))?;
    if size > MAX_FILE_SIZE {
        let dropped = io::copy(&mut reader.take(size + 1), &mut io::sink()).map_err(|source| {
            BatchError::Reading {
                id: id.to_string(),
                source,
            }
        })?;
        if dropped != size + 1 {
            return Err(BatchError::EndedInside(id.to_string()));
        }
        return Ok(None);
    }
    let mut content = vec![0u8; size as usize + 1];
    reader
        .read_exact(&mut content)
        .map_err(|source| BatchError::Reading {
            id: id.to_string(),
            source,
        })?;
    content.pop(); // the newline after each object
    Ok(Some(content))
}

/// Parses `<mode> SP <type> SP <id> TAB <path>`; only regular blobs (no symlinks, submodules).
fn parse_ls_tree(entry: &[u8]) -> Option<Blob> {
    let tab = entry.iter().position(|&b| b == b'\t')?;
    let meta = std::str::from_utf8(&entry[..tab]).ok()?;
    let path = String::from_utf8_lossy(&entry[tab + 1..]).into_owned();
    let mut fields = meta.split_ascii_whitespace();
    let mode = fields.next()?;
    let kind = fields.next()?;
    let id = fields.next()?;
    if kind != "blob" || mode == "120000" {
        return None;
    }
    Some(Blob {
        id: id.to_string(),
        path,
    })
}

/// A skip directory as a `/`-separated prefix relative to the repository root.
fn skip_prefix(root: &Path, skip: &Path) -> Option<String> {
    let rel = if skip.is_absolute() {
        let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let canon = std::fs::canonicalize(skip).unwrap_or_else(|_| skip.to_path_buf());
        canon
            .strip_prefix(&canon_root)
            .ok()
            .or_else(|| skip.strip_prefix(root).ok())?
            .to_path_buf()
    } else {
        skip.to_path_buf()
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}
