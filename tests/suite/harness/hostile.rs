//! A server that plays a part the simulator will not: a redirect, a connection reset mid-answer,
//! a 401 that echoes the token. It answers every request with the reply its script chooses and
//! records what it received.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How the server answers one request.
pub enum Reply {
    /// A status, extra headers and a body.
    Answer(u16, Vec<(String, String)>, String),
    /// The status line and headers, then the connection closes before the body.
    Reset,
    /// Nothing, ever: the connection stays open and silent.
    Hang,
    /// The status line and headers of a chunked answer, then silence: a stream that stalls.
    HeadThenHang(u16),
    /// A chunked answer that never ends: 64 KiB chunks of `byte` until the client hangs up.
    Endless(u16, u8),
    /// A status, then `body` as it is (any bytes), the connection closed at its end.
    Bytes(u16, Vec<u8>),
}

/// One request as received: `METHOD PATH`, and its headers.
#[derive(Debug, Clone)]
pub struct Received {
    pub line: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    /// `http://HOST:PORT` of the server, as the request's `Host` header names it: for answers
    /// that point back at the server (a log session's stream).
    pub fn base_url(&self) -> String {
        let host = self
            .headers
            .iter()
            .find(|(name, _)| name == "host")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        format!("http://{host}")
    }

    /// `METHOD PATH` starts with `prefix`.
    pub fn is(&self, prefix: &str) -> bool {
        self.line.starts_with(prefix)
    }
}

pub struct Hostile {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Hostile {
    /// Serves on 127.0.0.1 until the test ends; `reply` chooses each answer.
    pub fn start(reply: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = Arc::clone(&received);
        let reply = Arc::new(reply);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, reply) = (Arc::clone(&log), Arc::clone(&reply));
                std::thread::spawn(move || serve(stream, &log, &*reply));
            }
        });
        Self { url, received }
    }

    /// The bodies of every request received, parsed as JSON.
    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|request| serde_json::from_str(&request.body).unwrap_or_default())
            .collect()
    }

    /// `METHOD PATH` of every request received.
    pub fn requests(&self) -> Vec<String> {
        self.received.lock().unwrap().iter().map(|request| request.line.clone()).collect()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Received>>, reply: &dyn Fn(&Received) -> Reply) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut first = String::new();
        if reader.read_line(&mut first).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let (name, value) = (name.trim().to_lowercase(), value.trim().to_string());
                if name == "content-length" {
                    length = value.parse().unwrap_or(0);
                }
                headers.push((name, value));
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let parts: Vec<&str> = first.split_whitespace().collect();
        let received = Received {
            line: format!("{} {}", parts[0], parts.get(1).copied().unwrap_or("")),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        log.lock().unwrap().push(received.clone());
        let mut stream = stream.try_clone().unwrap();
        match reply(&received) {
            Reply::Answer(status, extra, body) => {
                let extra: String =
                    extra.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
                    body.len()
                );
            }
            Reply::Hang => {
                std::thread::sleep(std::time::Duration::from_secs(120));
                return;
            }
            Reply::HeadThenHang(status) => {
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                );
                let _ = stream.flush();
                std::thread::sleep(std::time::Duration::from_secs(120));
                return;
            }
            Reply::Endless(status, byte) => {
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                );
                let chunk = vec![byte; 64 * 1024];
                loop {
                    let sent = write!(stream, "{:x}\r\n", chunk.len())
                        .and_then(|()| stream.write_all(&chunk))
                        .and_then(|()| stream.write_all(b"\r\n"));
                    if sent.is_err() {
                        return;
                    }
                }
            }
            Reply::Bytes(status, body) => {
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
            Reply::Reset => {
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"partial\":"
                );
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
    }
}
