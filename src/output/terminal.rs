//! Handing the terminal to an attached dyno: raw mode while it lasts (restored however it ends),
//! keys to the dyno, its output to the screen, the exit-status marker taken out.

use rustix::termios::{self, OptionalActions, Termios};
use std::io::IsTerminal;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Connects this process's terminal to `stream` until the dyno ends; its exit status, if it said.
/// The terminal's size, rows then columns (as `console` gives them).
/// Whether standard error is a terminal (a person may be reading, and answering).
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// The crash report, written straight to standard error: the Printer may be what broke.
pub fn write_crash_report(lines: &[String]) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    for line in lines {
        let _ = writeln!(stderr, "{}", crate::visible::for_terminal(line));
    }
}

pub fn size() -> (u16, u16) {
    console::Term::stdout().size()
}

/// The width of standard output when it is a terminal.
pub fn stdout_width() -> Option<usize> {
    let terminal = console::Term::stdout();
    terminal.is_term().then(|| terminal.size().1 as usize).filter(|columns| *columns > 0)
}

pub async fn attach<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(
    stream: S,
    marker: &str,
) -> std::io::Result<Option<i32>> {
    // Keys typed before the dyno was there (an Enter after a `y`) are not the dyno's to read.
    super::prompt::discard_typed_ahead();
    let _raw = RawMode::enter();
    let (mut from_dyno, mut to_dyno) = tokio::io::split(stream);
    let (sender, mut keys_typed) = tokio::sync::mpsc::channel::<Vec<u8>>(64);
    std::thread::spawn(move || read_keys(&sender));
    let keys = tokio::spawn(async move {
        while let Some(typed) = keys_typed.recv().await {
            if to_dyno.write_all(&typed).await.is_err() || to_dyno.flush().await.is_err() {
                break;
            }
        }
        let _ = to_dyno.shutdown().await;
    });
    let status = show_output(&mut from_dyno, marker).await;
    keys.abort();
    status
}

/// Reads standard input on a thread of its own: a blocking read that must not keep the runtime
/// from shutting down when the session ends (tokio's own stdin would).
fn read_keys(sender: &tokio::sync::mpsc::Sender<Vec<u8>>) {
    let mut stdin = std::io::stdin();
    let mut buffer = [0u8; 1024];
    while let Ok(read) = std::io::Read::read(&mut stdin, &mut buffer) {
        if read == 0 || sender.blocking_send(buffer[..read].to_vec()).is_err() {
            break;
        }
    }
}

/// Copies the dyno's output to standard output until the marker line, which gives the status.
async fn show_output<R: AsyncRead + Unpin>(
    from_dyno: &mut R,
    marker: &str,
) -> std::io::Result<Option<i32>> {
    let marker = marker.as_bytes();
    let mut pending: Vec<u8> = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = from_dyno.read(&mut buffer).await?;
        if read == 0 {
            show(&pending)?;
            return Ok(None);
        }
        pending.extend_from_slice(&buffer[..read]);
        if let Some(at) = pending.windows(marker.len()).position(|window| window == marker) {
            show(&pending[..at])?;
            let rest = String::from_utf8_lossy(&pending[at + marker.len()..]).to_string();
            let status = rest.split_whitespace().next().and_then(|code| code.parse().ok());
            return Ok(status);
        }
        let safe = pending.len() - partial_marker(&pending, marker);
        show(&pending[..safe])?;
        pending.drain(..safe);
    }
}

/// How many bytes at the end of `bytes` could be the start of `marker`, to hold back until the
/// next read tells; usually none, so that a prompt shows at once.
fn partial_marker(bytes: &[u8], marker: &[u8]) -> usize {
    (1..marker.len().min(bytes.len() + 1))
        .rev()
        .find(|length| bytes.ends_with(&marker[..*length]))
        .unwrap_or(0)
}

/// Writes to the screen at once (standard output is line-buffered; a prompt has no newline).
fn show(bytes: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    std::io::Write::write_all(&mut stdout, bytes)?;
    std::io::Write::flush(&mut stdout)
}

/// The terminal in raw mode (keys go to the dyno as typed) until dropped.
struct RawMode {
    saved: Option<Termios>,
}

impl RawMode {
    fn enter() -> Self {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return Self { saved: None };
        }
        let Ok(original) = termios::tcgetattr(&stdin) else {
            return Self { saved: None };
        };
        let mut raw = original.clone();
        raw.make_raw();
        let _ = termios::tcsetattr(&stdin, OptionalActions::Now, &raw);
        Self { saved: Some(original) }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(original) = &self.saved {
            let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Now, original);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::partial_marker;

    #[test]
    fn only_a_possible_start_of_the_marker_is_held_back() {
        let marker = "\u{FFFF} exit:".as_bytes();
        assert_eq!(partial_marker(b"~ $ ", marker), 0);
        assert_eq!(partial_marker("done\n\u{FFFF}".as_bytes(), marker), 3);
        assert_eq!(partial_marker("done\n\u{FFFF} ex".as_bytes(), marker), 6);
    }
}
