//! Heroku log lines parsed: timestamp, source, dyno, message; router fields; error codes with a
//! sentence on what each means.

use std::collections::BTreeMap;

use serde::Serialize;

/// One line of `heroku logs`: `2026-11-26T10:00:00.123456+00:00 heroku[router]: at=error code=H12 ...`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    pub timestamp: String,
    /// `heroku` or `app`.
    pub source: String,
    /// `router`, `web.1`, `api`...
    pub dyno: String,
    pub message: String,
    /// `at`, `code`, `desc`, `method`, `path`, `status`, `service`... for router lines.
    pub fields: BTreeMap<String, String>,
    /// `H12`, `R14`, `L10`... when the line reports a Heroku error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

pub fn parse(line: &str) -> Option<LogLine> {
    let (timestamp, rest) = line.trim_end().split_once(' ')?;
    let (origin, message) = rest.split_once(": ").unwrap_or((rest, ""));
    let (source, dyno) = origin.strip_suffix(']')?.split_once('[')?;
    let fields = if dyno == "router" { fields(message) } else { BTreeMap::new() };
    let code = fields.get("code").cloned().or_else(|| error_code(message));
    Some(LogLine {
        timestamp: timestamp.to_string(),
        source: source.to_string(),
        dyno: dyno.to_string(),
        message: message.to_string(),
        fields,
        code,
    })
}

/// `key=value` pairs, values possibly in double quotes.
pub fn fields(message: &str) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let mut rest = message.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim();
        let (value, remaining) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((value, remaining)) => (value, remaining),
                None => (quoted, ""),
            },
            None => after.split_once(' ').unwrap_or((after, "")),
        };
        if !key.is_empty() && !key.contains(' ') {
            fields.insert(key.to_string(), value.to_string());
        }
        rest = remaining.trim_start();
    }
    fields
}

/// `Error R14 (Memory quota exceeded)` gives `R14`.
fn error_code(message: &str) -> Option<String> {
    let after = message.split("Error ").nth(1)?;
    let code: String = after.chars().take_while(char::is_ascii_alphanumeric).collect();
    (code.len() == 3 && explain(&code).is_some()).then_some(code)
}

/// One sentence on what a Heroku error code means and where to look.
pub fn explain(code: &str) -> Option<&'static str> {
    Some(match code {
        "H10" => {
            "App crashed: the web dynos crashed or did not boot; look at the app's own lines just before, then restart or roll back."
        }
        "H11" => {
            "Backlog too deep: more requests than the dynos can take; scale web up or find what makes them slow."
        }
        "H12" => {
            "Request timeout: a request took more than 30 seconds; see Scout APM for the slow endpoint, scale or fix it."
        }
        "H13" => {
            "Connection closed without response: the app dropped the socket, often a crash mid-request."
        }
        "H14" => "No web dynos running: scale web to at least 1.",
        "H15" => "Idle connection: the connection was idle for 55 seconds.",
        "H18" => {
            "Server request interrupted: the app closed the socket before the response was sent."
        }
        "H20" => "App boot timeout: a web dyno did not bind to $PORT within 60 seconds.",
        "H27" => "Client request interrupted: the client went away; usually harmless.",
        "H80" => "Maintenance mode: the app is in maintenance mode and shows the maintenance page.",
        "H81" => "Blank app: nothing has been deployed to this app.",
        "H99" => "Platform error: a Heroku-side problem; check the Heroku status page.",
        "R10" => "Boot timeout: a dyno took more than 60 seconds to bind to $PORT.",
        "R12" => "Exit timeout: a dyno did not stop within 30 seconds of SIGTERM.",
        "R13" => "Attach error: a one-off dyno could not attach.",
        "R14" => {
            "Memory quota exceeded: the dyno is swapping; look for a memory leak or use a bigger size."
        }
        "R15" => {
            "Memory quota vastly exceeded: the dyno was killed; find the memory use or scale the size up."
        }
        "R17" => "Checksum error: the slug did not match; deploy again.",
        "L10" => {
            "Drain buffer overflow: a log drain (Papertrail) could not keep up; some lines were dropped."
        }
        "L11" => "Tail buffer overflow: the log tail could not keep up; some lines were dropped.",
        "L12" => "Local buffer overflow: the app logged faster than the router could take.",
        "L13" => "Local delivery error: lines could not be delivered to the log.",
        "L14" => "Certificate validation error on a log drain.",
        "L15" => "Tail buffer temporarily unavailable.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_router_error_line_into_fields_and_code() {
        let line = r#"2026-11-26T10:00:00.123456+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/api/orders?page=2" host=x.herokuapp.com dyno=web.1 connect=0ms service=30000ms status=503 bytes=0"#;
        let parsed = parse(line).unwrap();
        assert_eq!((parsed.source.as_str(), parsed.dyno.as_str()), ("heroku", "router"));
        assert_eq!(parsed.code.as_deref(), Some("H12"));
        assert_eq!(parsed.fields["desc"], "Request timeout");
        assert_eq!(parsed.fields["path"], "/api/orders?page=2");
        assert_eq!(parsed.fields["service"], "30000ms");
        assert_eq!(parsed.fields["status"], "503");
    }

    #[test]
    fn finds_dyno_error_codes_and_app_lines() {
        let memory =
            parse("2026-11-26T10:00:00+00:00 heroku[web.2]: Error R14 (Memory quota exceeded)")
                .unwrap();
        assert_eq!((memory.dyno.as_str(), memory.code.as_deref()), ("web.2", Some("R14")));
        let app = parse("2026-11-26T10:00:00+00:00 app[worker.1]: INFO task done: ok").unwrap();
        assert_eq!(
            (app.source.as_str(), app.message.as_str(), app.code),
            ("app", "INFO task done: ok", None)
        );
        assert!(parse("not a log line").is_none());
    }
}
