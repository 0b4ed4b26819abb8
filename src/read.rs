//! The only way skew reads a file: regular files only, bounded in size, confined to the
//! repository when the path came from the repository, decoded once.
//!
//! Owns the three promises of `docs/robustness.md` about reading: nothing but a regular
//! file is opened for reading (a FIFO would block, `/dev/zero` never ends), no read goes
//! past a size limit (checked while reading: `/proc` files claim size 0), and a path the
//! scanned repository names (a `skew.toml` rule path, a symlink in the tree) resolves inside
//! the repository root after every symlink is followed. Decoding is here too: a UTF-8 BOM
//! is dropped, UTF-16 with a BOM is decoded, CR-only line ends become `\n` (same byte
//! length, so offsets stay right), and invalid UTF-8 or NUL bytes are reported at their
//! offset. Must not: parse formats, or build findings (callers decide what a problem is).

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: says what it is ("a named pipe (FIFO)").
    NotRegular(&'static str),
    /// Bigger than the limit (in bytes).
    TooLarge {
        limit: u64,
    },
    /// A symlink whose target does not exist.
    Dangling,
    /// The path resolves outside the repository root.
    Outside,
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {}", human_size(*limit))
            }
            ReadError::Dangling => f.write_str("it is a symlink to nothing"),
            ReadError::Outside => f.write_str("it resolves to a path outside the repository"),
            ReadError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReadError {}

/// Read a regular file of at most `limit` bytes. Anything else is refused before a byte
/// is read: the file type is checked on the open handle, which is opened non-blocking so
/// that a FIFO put there in the meantime cannot hang the open.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound if path.symlink_metadata().is_ok() => ReadError::Dangling,
        _ => ReadError::Io(e),
    })?;
    regular(&meta)?;
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    regular(&meta)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `limit + 1`: one byte more than allowed tells a too-big file (whatever its metadata
    // claims) from one exactly at the limit
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// `path` after following every symlink, if it lies inside `root` (itself canonical).
pub fn confine(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let canonical = path.canonicalize().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound if path.symlink_metadata().is_ok() => ReadError::Dangling,
        _ => ReadError::Io(e),
    })?;
    if canonical.starts_with(root) {
        Ok(canonical)
    } else {
        Err(ReadError::Outside)
    }
}

/// A file's text, decoded; `problem` says why it must not be parsed (the byte offset into
/// `text` and a message). With a problem, `text` is a lossy rendering for display only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub problem: Option<(usize, String)>,
}

/// Decode the bytes of a text file (see the module doc for what is accepted).
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    let decoded = if let Some(unit) = utf16 {
        from_utf16(&bytes[2..], unit)
    } else {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Decoded {
                text,
                problem: None,
            },
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bad = e.as_bytes()[at];
                Decoded {
                    text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    problem: Some((at, format!("invalid UTF-8 (byte 0x{bad:02X})"))),
                }
            }
        }
    };
    if decoded.problem.is_some() {
        return decoded;
    }
    let text = decoded.text;
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        return Decoded {
            text,
            problem: Some((at, "a NUL byte: this is binary data, not text".into())),
        };
    }
    Decoded {
        text: lone_cr_to_lf(text),
        problem: None,
    }
}

/// `1.5 MiB`-style size for messages.
pub fn human_size(bytes: u64) -> String {
    const UNITS: &[(&str, u64)] = &[("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= *size && bytes.is_multiple_of(size / 8) {
            return format!("{} {unit}", fmt_eighths(bytes / (size / 8)));
        }
    }
    format!("{bytes} bytes")
}

fn fmt_eighths(n: u64) -> String {
    if n.is_multiple_of(8) {
        (n / 8).to_string()
    } else {
        format!("{}", n as f64 / 8.0)
    }
}

fn regular(meta: &Metadata) -> Result<(), ReadError> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    Err(ReadError::NotRegular(kind_of(&t)))
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// `O_NONBLOCK`, whose value differs between kernels: known for these, else the file is
/// opened normally (the type check before the open still refuses a FIFO).
#[cfg(any(target_os = "linux", target_os = "android"))]
const O_NONBLOCK: Option<i32> = Some(0o4000);
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
const O_NONBLOCK: Option<i32> = Some(0x0004);
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
)))]
#[cfg_attr(not(unix), allow(dead_code))]
const O_NONBLOCK: Option<i32> = None;

/// Non-blocking only matters for the open itself (a FIFO without a writer); reads of a
/// regular file never block on it.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if let Some(flag) = O_NONBLOCK {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(flag);
    }
    options.open(path)
}

fn from_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Decoded {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut problem = None;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                problem.get_or_insert((
                    text.len(),
                    format!(
                        "invalid UTF-16 (unpaired surrogate 0x{:04X})",
                        e.unpaired_surrogate()
                    ),
                ));
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if !bytes.len().is_multiple_of(2) && problem.is_none() {
        problem = Some((text.len(), "invalid UTF-16 (odd number of bytes)".into()));
    }
    Decoded { text, problem }
}

/// Classic Mac line ends: a `\r` not followed by `\n` becomes `\n`. Both are one byte, so
/// every offset and every other character stay where they were.
fn lone_cr_to_lf(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // only one ASCII byte was swapped for another: still valid UTF-8
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> String {
        let d = decode(bytes.to_vec());
        assert_eq!(d.problem, None);
        d.text
    }

    #[test]
    fn a_utf8_bom_is_dropped() {
        assert_eq!(ok(b"\xEF\xBB\xBF{\"a\": 1}"), "{\"a\": 1}");
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("mysql==8\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(ok(&le), "mysql==8\n");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("é\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(ok(&be), "é\n");
        let odd = decode(vec![0xFF, 0xFE, b'a', 0, b'b']);
        assert_eq!(odd.text, "a");
        assert!(odd.problem.unwrap().1.contains("odd number"));
    }

    #[test]
    fn a_bad_byte_is_reported_at_its_offset() {
        let d = decode(b"ab\ncd\xFFe".to_vec());
        assert_eq!(d.problem, Some((5, "invalid UTF-8 (byte 0xFF)".into())));
        assert_eq!(d.text, "ab\ncd\u{FFFD}e");
    }

    #[test]
    fn nul_bytes_are_not_text() {
        let d = decode(b"name\0x".to_vec());
        assert_eq!(d.problem.unwrap().0, 4);
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(ok(b"a\rb\r\nc\r"), "a\nb\r\nc\n");
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_never_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_regular(&fifo, 10),
                Err(ReadError::NotRegular("a named pipe (FIFO)"))
            ));
        }
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular(_))
        ));
        assert!(matches!(
            read_regular(dir.path(), 10),
            Err(ReadError::NotRegular("a folder"))
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, [b'x'; 11]).unwrap();
        assert!(matches!(
            read_regular(&big, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_regular(&big, 11).unwrap().len(), 11);
        // /proc files claim size 0: the limit holds while reading
        if Path::new("/proc/self/environ").exists() {
            assert!(matches!(
                read_regular(Path::new("/proc/self/cmdline"), 1),
                Err(ReadError::TooLarge { .. })
            ));
        }
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
        assert!(matches!(
            read_regular(&dangling, 10),
            Err(ReadError::Dangling)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn confinement_follows_symlinks() {
        let outside = tempfile::tempdir().unwrap();
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path().canonicalize().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        std::fs::write(root.join("in.toml"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("out.toml")).unwrap();
        assert!(confine(&root, &root.join("in.toml")).is_ok());
        assert!(matches!(
            confine(&root, &root.join("out.toml")),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            confine(&root, &root.join("../../etc/passwd")),
            Err(ReadError::Outside) | Err(ReadError::Io(_))
        ));
    }
}
