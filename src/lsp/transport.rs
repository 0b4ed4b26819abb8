//! The stdio transport of `skew lsp`: lsp-server's framing with bounds in front of it.
//!
//! lsp-server's own reader trusts `Content-Length`: `18446744073709551615` panicked and
//! `3000000000` allocated 3 GB before a byte of body arrived. Here each frame's headers are
//! read line by line, each line bounded ([`MAX_LSP_HEADER_LINE`]), the length is refused
//! above [`MAX_LSP_MESSAGE`], and the body is read as it arrives; only then is the frame
//! handed to lsp-server's parser. Must not: interpret messages.

use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

use lsp_server::{Connection, Message};

use crate::limits::{MAX_LSP_HEADER_LINE, MAX_LSP_MESSAGE};

/// The server's end of a connection over stdin/stdout, and the threads that move the
/// bytes.
pub fn stdio() -> (Connection, Threads) {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let reader = thread::Builder::new()
        .name("skew-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut stdin = stdin.lock();
            while let Some(msg) = read_frame(&mut stdin)? {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if sender.send(msg).is_err() || exit {
                    break;
                }
            }
            Ok(())
        })
        .expect("spawn the LSP reader");
    let writer = thread::Builder::new()
        .name("skew-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut stdout = stdout.lock();
            for msg in receiver {
                msg.write(&mut stdout)?;
            }
            stdout.flush()
        })
        .expect("spawn the LSP writer");
    (server, Threads { reader, writer })
}

pub struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Wait for the writer (it ends when the server's end is dropped) and, if it has
    /// ended, the reader: its error (a refused frame) explains why the session ended. A
    /// reader still blocked on stdin is left behind: the process is about to exit.
    pub fn join(self) -> io::Result<()> {
        let joined = |h: JoinHandle<io::Result<()>>| {
            h.join()
                .unwrap_or_else(|_| Err(io::Error::other("LSP transport thread panicked")))
        };
        let read = if self.reader.is_finished() {
            joined(self.reader)
        } else {
            Ok(())
        };
        let written = joined(self.writer);
        read.and(written)
    }
}

/// One message, or `None` at the end of input. Refuses malformed or oversized frames
/// with `InvalidData` before allocating for them.
pub fn read_frame(inp: &mut impl BufRead) -> io::Result<Option<Message>> {
    let invalid = |m: String| io::Error::new(io::ErrorKind::InvalidData, m);
    let mut size = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = inp
            .by_ref()
            .take(MAX_LSP_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 && first {
            return Ok(None);
        }
        first = false;
        if line.len() > MAX_LSP_HEADER_LINE {
            return Err(invalid(format!(
                "LSP header line longer than {MAX_LSP_HEADER_LINE} bytes"
            )));
        }
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(invalid(format!(
                "malformed LSP header: {:?}",
                String::from_utf8_lossy(&line)
            )));
        };
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(line);
        let Some((name, value)) = line.split_once(':') else {
            return Err(invalid(format!("malformed LSP header: {line:?}")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            let n: u128 = value
                .parse()
                .map_err(|_| invalid(format!("LSP Content-Length `{value}` is not a number")))?;
            if n > MAX_LSP_MESSAGE as u128 {
                return Err(invalid(format!(
                    "LSP Content-Length {n} is over the limit of {MAX_LSP_MESSAGE} bytes"
                )));
            }
            size = Some(n as usize);
        }
    }
    let size = size.ok_or_else(|| invalid("LSP message without Content-Length".into()))?;
    let mut frame = format!("Content-Length: {size}\r\n\r\n").into_bytes();
    let head = frame.len();
    // grows as bytes arrive: a length promised but never sent costs nothing
    inp.take(size as u64).read_to_end(&mut frame)?;
    if frame.len() - head < size {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "LSP message shorter than its Content-Length",
        ));
    }
    Message::read(&mut io::Cursor::new(frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> io::Result<Option<Message>> {
        read_frame(&mut io::Cursor::new(bytes.to_vec()))
    }

    #[test]
    fn a_well_formed_frame_is_read() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let msg = read(frame.as_bytes()).unwrap().unwrap();
        assert!(matches!(msg, Message::Notification(n) if n.method == "exit"));
        assert!(read(b"").unwrap().is_none());
    }

    #[test]
    fn unreasonable_lengths_are_refused_before_allocating() {
        for len in [
            "18446744073709551615",
            "3000000000",
            "99999999999999999999999",
        ] {
            let e = read(format!("Content-Length: {len}\r\n\r\n").as_bytes()).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidData);
            assert!(e.to_string().contains("over the limit"), "{e}");
        }
        let e = read(b"Content-Length: -1\r\n\r\n").unwrap_err();
        assert!(e.to_string().contains("not a number"), "{e}");
        let long = format!("X-Pad: {}\r\n", "a".repeat(MAX_LSP_HEADER_LINE));
        let e = read(long.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("header line longer"), "{e}");
        let e = read(b"Content-Length: 10\r\n\r\n{}").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }
}
