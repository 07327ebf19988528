//! Entry points for the fuzz targets (`fuzz/`) and the bounded fuzz test: each takes arbitrary
//! bytes through a loader, validation, lints and diagnostic rendering, or through the client's
//! reading of what a server sends (an API answer, a log stream), where a panic is a bug.

use std::sync::{Arc, OnceLock};

use rhai::Engine;

use crate::ops::{explain_code, log_fields, parse_log_line};
use crate::output::render_diagnostic;
use crate::runbook::{Diagnostic, Environments, SourceFile, lint, load_rhai, load_yaml, validate};

const ENVIRONMENTS: &str =
    "staging: { app: fuzz-staging }\nproduction: { app: fuzz-production, protected: true }\n";

/// A YAML runbook: loaded, validated, linted, and every diagnostic rendered.
pub fn yaml_runbook(bytes: &[u8]) {
    let source = source("fuzz.yaml", bytes);
    let loaded = load_yaml("fuzz", &source);
    check(loaded);
}

/// A Rhai runbook: header read, code compiled, validated, linted, diagnostics rendered.
pub fn rhai_runbook(bytes: &[u8]) {
    let source = source("fuzz.rhai", bytes);
    let loaded = load_rhai("fuzz", &source, engine());
    check(loaded);
}

/// An `environments.yaml`.
pub fn environments(bytes: &[u8]) {
    if let Err(problems) = Environments::parse(&source("environments.yaml", bytes)) {
        render(&problems);
    }
}

/// One line of a Heroku log stream, parsed and its error code explained.
pub fn log_line(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some(line) = parse_log_line(&text) {
        let fields = log_fields(&line.message);
        if let Some(code) = fields.get("code") {
            let _ = explain_code(code);
        }
    }
}

/// An API answer as a hostile server could send it: the first two bytes are the status, then
/// header lines (`name: value`, any bytes) up to an empty line, then the body (at most what the
/// client reads). Interpreted as the client does: decoded, or a typed error; never a panic.
pub fn api_answer(bytes: &[u8]) {
    let status = match bytes {
        [high, low, ..] => u16::from_be_bytes([*high, *low]) % 1000,
        _ => 200,
    };
    let rest = bytes.get(2..).unwrap_or_default();
    let (head, body) = split_head(rest);
    let mut headers = reqwest::header::HeaderMap::new();
    for line in head.split(|byte| *byte == b'\n') {
        let Some(colon) = line.iter().position(|byte| *byte == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if let (Ok(name), Ok(value)) = (
            reqwest::header::HeaderName::from_bytes(name),
            reqwest::header::HeaderValue::from_bytes(value),
        ) {
            headers.append(name, value);
        }
    }
    let body = &body[..body.len().min(crate::heroku::MAX_BODY)];
    let _ = crate::heroku::interpret_answer(status, &headers, body);
    if let Some(delay) = crate::heroku::retry_after(&headers) {
        assert!(delay <= std::time::Duration::from_secs(20), "{delay:?}");
    }
}

/// A log stream as a hostile server could send it, in chunks the first byte sizes: every line
/// is handed on, none longer than the cut, and each is parsed as a log line.
pub fn log_stream(bytes: &[u8]) {
    let size = usize::from(bytes.first().copied().unwrap_or(1)).max(1);
    let mut buffer = crate::lines::LineBuffer::default();
    let mut check = |line: std::borrow::Cow<'_, str>| {
        assert!(line.len() <= crate::lines::MAX_LINE + 64, "a line of {} bytes", line.len());
        log_line(line.as_bytes());
        true
    };
    for chunk in bytes.get(1..).unwrap_or_default().chunks(size) {
        buffer.push(chunk, &mut check);
    }
    buffer.finish(&mut check);
}

/// The head of a hostile answer (up to its first empty line) and the rest.
fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.windows(2).position(|pair| pair == b"\n\n") {
        Some(end) => (&bytes[..end], &bytes[end + 2..]),
        None => (bytes, &[]),
    }
}

fn source(name: &str, bytes: &[u8]) -> Arc<SourceFile> {
    Arc::new(SourceFile { path: name.into(), text: String::from_utf8_lossy(bytes).into_owned() })
}

/// Built once per process, as `Library` does: building an engine costs more than a check.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(crate::script::for_validation)
}

fn known_environments() -> &'static Environments {
    static ENVIRONMENTS_PARSED: OnceLock<Environments> = OnceLock::new();
    ENVIRONMENTS_PARSED.get_or_init(|| {
        Environments::parse(&source("environments.yaml", ENVIRONMENTS.as_bytes()))
            .expect("the fuzzing environments are valid")
    })
}

fn check(loaded: Result<crate::runbook::Runbook, Vec<Diagnostic>>) {
    match loaded {
        Ok(runbook) => {
            let mut modules = crate::script::CheckedModules::default();
            render(&validate(&runbook, known_environments(), engine(), &mut modules));
            render(&lint(&runbook, known_environments()));
        }
        Err(problems) => render(&problems),
    }
}

fn render(problems: &[Diagnostic]) {
    for problem in problems {
        let _ = problem.location();
        let _ = render_diagnostic(problem, false);
    }
}
