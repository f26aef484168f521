//! Reading input files the way a CI gate must when the repository is written by whoever
//! opens the pull request: regular files only, and never more than a cap of bytes.
//!
//! A path may be a symbolic link to `/dev/zero` (endless), a FIFO (blocks for ever), a
//! socket, or a procfs/sysfs file (`/proc/self/environ` reports size 0 and holds the
//! runner's secrets). [`read_capped`] refuses all of them: the path (after following links)
//! must be a regular file outside the kernel's pseudo-filesystems, and the cap counts the
//! bytes actually read, not the size the file reports. Every input path of canary-lint
//! (migrations, settings, rule packs, config files, stable sources) reads through here.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Cap for SQL migrations: large dumps are checked, a runaway file is refused.
pub const MAX_SQL_BYTES: u64 = 256 * 1024 * 1024;
/// Cap for configuration, settings and rule-pack files.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file ({0}); only regular files are read")]
    NotRegular(&'static str),
    #[error("is a kernel pseudo-file; only regular files are read")]
    PseudoFile,
    #[error("larger than the {cap}-byte limit")]
    TooLarge { cap: u64 },
    #[error("line {line}: not valid UTF-8")]
    NotUtf8 { line: usize },
}

impl ReadError {
    /// Whether the file was simply over the cap (stable's search skips those quietly
    /// as generated bundles, but still names them).
    pub fn is_too_large(&self) -> bool {
        matches!(self, ReadError::TooLarge { .. })
    }
}

/// Kernel pseudo-filesystems: their files claim to be regular but are generated on read.
const PSEUDO_ROOTS: &[&str] = &["/proc", "/sys", "/dev"];

fn kind_of(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Whether `path` (links followed) lies in a kernel pseudo-filesystem (`/proc`, `/sys`,
/// `/dev`): a directory there is not a source tree to walk.
pub fn in_pseudo_fs(path: &Path) -> bool {
    let canon: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    PSEUDO_ROOTS.iter().any(|r| canon.starts_with(r))
}

/// Opens `path` for reading after checking it is a regular file. The type is checked
/// before opening (opening a FIFO would block) and again on the open handle.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    if in_pseudo_fs(path) {
        return Err(ReadError::PseudoFile);
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// Reads the whole of `path` into `buf` (cleared first), refusing anything that is not a
/// regular file and stopping with [`ReadError::TooLarge`] once more than `cap` bytes have
/// been read, whatever size the file reports.
pub fn read_capped_into(path: &Path, cap: u64, buf: &mut Vec<u8>) -> Result<(), ReadError> {
    let (file, reported) = open_regular(path)?;
    if reported > cap {
        return Err(ReadError::TooLarge { cap });
    }
    buf.clear();
    // The reported size, when it is one, so a large file is not read into a
    // buffer grown to twice its size.
    buf.reserve(usize::try_from(reported).unwrap_or(0).saturating_add(1));
    let mut limited = file.take(cap.saturating_add(1));
    limited.read_to_end(buf)?;
    if buf.len() as u64 > cap {
        buf.clear();
        return Err(ReadError::TooLarge { cap });
    }
    if reported == 0 && !buf.is_empty() {
        // Size 0 with content: a generated file (procfs-like), not a stored one.
        buf.clear();
        return Err(ReadError::PseudoFile);
    }
    Ok(())
}

/// [`read_capped_into`] into a fresh buffer.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    read_capped_into(path, cap, &mut buf)?;
    Ok(buf)
}

/// The bytes as UTF-8, or the 1-based line of the first invalid byte.
pub fn utf8(bytes: &[u8]) -> Result<&str, ReadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        ReadError::NotUtf8 {
            line: bytes[..at].iter().filter(|b| **b == b'\n').count() + 1,
        }
    })
}

/// A capped, regular-file read of UTF-8 text.
pub fn read_text_capped(path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read_capped(path, cap)?;
    utf8(&bytes)?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8 { line: 1 })
}

/// Source text as the database reads it: a UTF-8 byte-order mark removed (Flyway and
/// the `psql` client skip it; left in, it would turn the first statement into an
/// unparsable one), and a lone carriage return (not followed by a line feed) made a line
/// feed, since it ends a `--` comment for PostgreSQL and SQL Server; left as it is, the
/// statement after it would hide in the comment. The replacement has the same length, so
/// every offset after the mark is kept, and line numbers are the same in every format.
/// Borrowed when there is nothing to change.
pub fn normalize_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let b = text.as_bytes();
    // Most files have no CR or only CRLF: found with memchr's vectorised search
    // (a byte-by-byte test was about 6 instructions a byte on every file read).
    if !memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n')) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    for (i, byte) in out.iter_mut().enumerate() {
        if *byte == b'\r' && b.get(i + 1) != Some(&b'\n') {
            *byte = b'\n';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bom_and_lone_cr() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc"), "a\r\nb\nc");
        assert!(matches!(
            normalize_text("a\r\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn regular_file_reads_and_cap_counts_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sql");
        std::fs::write(&p, "select 1;\n").unwrap();
        assert_eq!(read_text_capped(&p, 100).unwrap(), "select 1;\n");
        assert!(read_capped(&p, 4).unwrap_err().is_too_large());
    }

    #[test]
    fn directories_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_capped(dir.path(), 10),
            Err(ReadError::NotRegular(_))
        ));
        #[cfg(unix)]
        {
            let link = dir.path().join("zero.sql");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            assert!(matches!(
                read_capped(&link, 10),
                Err(ReadError::NotRegular("a character device"))
            ));
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn procfs_is_refused_even_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("env.properties");
        std::os::unix::fs::symlink("/proc/self/environ", &link).unwrap();
        assert!(matches!(
            read_capped(&link, 1 << 20),
            Err(ReadError::PseudoFile)
        ));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        std::fs::write(&p, b"a\nb\n\xff").unwrap();
        assert!(matches!(
            read_text_capped(&p, 100),
            Err(ReadError::NotUtf8 { line: 3 })
        ));
    }
}
