//! The simulator's side of Heroku's rendezvous protocol for attached one-off dynos: a TLS server on
//! 127.0.0.1 that takes a session's secret line, greets with `rendezvous`, then plays a small
//! shell over the raw stream and ends with the exit-status marker the client appended.

use std::net::SocketAddr;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;

use super::world::Attachments;
use super::world::{Commands, canned};

/// How long the greeting travels alone before the command's output follows it.
const GREETING_PAUSE: std::time::Duration = std::time::Duration::from_millis(100);

/// The marker the client appends (`; echo "\u{FFFF} heroku-command-exit-status: $?"`).
pub const EXIT_MARKER: &str = "\u{FFFF} heroku-command-exit-status:";

/// Starts the TLS listener on 127.0.0.1 with a fresh self-signed certificate; its sessions.
pub async fn start(declared: Commands) -> std::io::Result<Attachments> {
    let generated =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .map_err(std::io::Error::other)?;
    let certificate = generated.cert.der().to_vec();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(generated.signing_key.serialize_der()));
    crate::heroku::install_crypto_provider();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(certificate.clone())], key)
        .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let pem = generated.cert.pem();
    let attachments = Attachments::new(listener.local_addr()?, (certificate, pem), declared);
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let sessions = attachments.clone();
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            let (acceptor, sessions) = (acceptor.clone(), sessions.clone());
            tokio::spawn(async move {
                if let Ok(stream) = acceptor.accept(connection).await {
                    let _ = serve(stream, &sessions).await;
                }
            });
        }
    });
    Ok(attachments)
}

/// The length of a session's secret (a UUID's hex digits).
const SECRET_LENGTH: usize = 32;

/// The session's secret: up to a line end (the Heroku CLI sends one), or its whole length (heroku3
/// sends none, then waits for the greeting); a line end that follows at once is taken with it.
async fn read_secret<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<String> {
    let mut secret = Vec::new();
    while secret.len() < SECRET_LENGTH {
        match reader.read_u8().await? {
            b'\n' => break,
            b'\r' => {}
            byte => secret.push(byte),
        }
    }
    if secret.len() == SECRET_LENGTH {
        let waiting =
            tokio::time::timeout(std::time::Duration::from_millis(100), reader.fill_buf());
        if let Ok(Ok(buffered)) = waiting.await {
            let line_end = buffered.iter().take_while(|byte| matches!(byte, b'\r' | b'\n')).count();
            reader.consume(line_end);
        }
    }
    Ok(String::from_utf8_lossy(&secret).trim().to_string())
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    sessions: &Attachments,
) -> std::io::Result<()> {
    let (reader, mut writer) = tokio::io::split(stream);
    let mut reader = BufReader::new(reader);
    let secret = read_secret(&mut reader).await?;
    let command = sessions.take(&secret);
    let Some(command) = command else {
        writer.write_all(b"no such session\r\n").await?;
        return writer.shutdown().await;
    };
    writer.write_all(b"rendezvous\r\n").await?;
    writer.flush().await?;
    // The Heroku CLI drops the whole first chunk it reads: the greeting must arrive alone.
    crate::clock::sleep_serving(GREETING_PAUSE).await;
    let user_command = command.split("; echo").next().unwrap_or(&command).trim().to_string();
    let status = match user_command.as_str() {
        "bash" => shell(&mut reader, &mut writer, "~ $ ", &sessions.declared).await?,
        "python manage.py shell" => {
            shell(&mut reader, &mut writer, ">>> ", &sessions.declared).await?
        }
        other => {
            let (lines, status) = canned(other, &sessions.declared);
            for line in lines {
                writer.write_all(format!("{line}\r\n").as_bytes()).await?;
            }
            status
        }
    };
    // The marker travels as a chunk of its own, ending in `\n`, as the Heroku CLI expects.
    writer.flush().await?;
    writer.write_all(format!("{EXIT_MARKER} {status}\n").as_bytes()).await?;
    writer.flush().await?;
    writer.shutdown().await
}

/// A line-at-a-time shell: echoes what is typed (the client's terminal is raw), answers each line.
async fn shell<R, W>(
    reader: &mut BufReader<R>,
    writer: &mut W,
    prompt: &str,
    declared: &Commands,
) -> std::io::Result<i32>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    writer.write_all(prompt.as_bytes()).await?;
    writer.flush().await?;
    let mut typed = Vec::new();
    loop {
        let mut byte = [0u8; 1];
        if tokio::io::AsyncReadExt::read(reader, &mut byte).await? == 0 {
            return Ok(0);
        }
        match byte[0] {
            b'\r' | b'\n' => {
                writer.write_all(b"\r\n").await?;
                let line = String::from_utf8_lossy(&typed).trim().to_string();
                typed.clear();
                if let Some(status) = exit_status(&line) {
                    return Ok(status);
                }
                let (output, _) =
                    if prompt == ">>> " { python(&line) } else { canned(&line, declared) };
                for text in output {
                    writer.write_all(format!("{text}\r\n").as_bytes()).await?;
                }
                writer.write_all(prompt.as_bytes()).await?;
            }
            0x7f | 0x08 => {
                if typed.pop().is_some() {
                    writer.write_all(b"\x08 \x08").await?;
                }
            }
            0x04 => return Ok(0),
            other => {
                typed.push(other);
                writer.write_all(&[other]).await?;
            }
        }
        writer.flush().await?;
    }
}

/// `exit`, `exit 3`, `exit()`: the status to end with.
fn exit_status(line: &str) -> Option<i32> {
    match line {
        "exit" | "exit()" | "quit()" => Some(0),
        _ => line.strip_prefix("exit ").and_then(|code| code.trim().parse().ok()),
    }
}

fn python(line: &str) -> (Vec<String>, i32) {
    match line.strip_prefix("print(").and_then(|rest| rest.strip_suffix(')')) {
        Some(argument) => (vec![argument.trim_matches(|c| c == '"' || c == '\'').to_string()], 0),
        None if line.is_empty() => (Vec::new(), 0),
        None => (vec![format!("NameError: name '{line}' is not defined")], 1),
    }
}
