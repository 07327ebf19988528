//! A short, bounded, deterministic fuzz run on stable Rust: the shipped runbooks, the bad-input
//! corpus and some log lines, mutated a few thousand times, through the same entry points as the
//! `cargo fuzz` targets in `fuzz/`. Any panic fails the test; the seed and input are printed.

use std::path::Path;

use runbook::fuzzing;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Pieces that mean something to YAML, Rhai, templates or log lines.
const TOKENS: &[&[u8]] = &[
    b":",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"${",
    b"}",
    b"\"",
    b"'",
    b"\n",
    b"\n  ",
    b"&a ",
    b"*a",
    b"#",
    b"|\n",
    b"//! ",
    b"param x: int",
    b"environments: staging",
    b"heroku::",
    b"do: heroku.",
    b"when: ",
    b"id: x",
    b"run: ",
    b"sh: ",
    b"for_each: ",
    b"\xff",
    b"\t",
    b"code=H12 ",
    b"=",
    b"heroku[router]: ",
    b"app[web.1]: ",
    b"((((",
    b"))))",
    b"\x1b]0;",
    b"\r",
    b"\n\n",
    b"retry-after: ",
    b"inf",
    b"NaN",
    b"-1e309",
    b"ratelimit-remaining: 18446744073709551616",
    b"next-range: ",
    b"request-id: \xff\xfe",
    b"{\"id\":\"not_found\",\"message\":",
    b"[{\"a\":[[[[[[",
];

fn mutate(random: &mut Random, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=random.below(4) {
        let at = random.below(bytes.len() + 1);
        match random.below(5) {
            0 if !bytes.is_empty() => {
                let index = random.below(bytes.len());
                bytes[index] = random.next() as u8;
            }
            1 => {
                let token = TOKENS[random.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            2 if at < bytes.len() => {
                let end = (at + random.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if at < bytes.len() => {
                let end = (at + random.below(60)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

fn seeds(folder: &Path, extension: &str) -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|found| found == extension))
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    seeds.sort();
    seeds
}

fn run(target: fn(&[u8]), seeds: &[Vec<u8>], iterations: usize, seed: u64) {
    assert!(!seeds.is_empty());
    let mut random = Random(seed);
    for seed_input in seeds {
        target(seed_input);
    }
    for iteration in 0..iterations {
        let input = mutate(&mut random, &seeds[iteration % seeds.len()]);
        let outcome = std::panic::catch_unwind(|| target(&input));
        assert!(
            outcome.is_ok(),
            "iteration {iteration} (seed {seed}) panicked on:\n{}",
            String::from_utf8_lossy(&input)
        );
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_yaml_loader_survives_mutated_runbooks() {
    let mut inputs = seeds(&root().join("runbooks"), "yaml");
    inputs.extend(seeds(&root().join("tests/fixtures/invalid/runbooks"), "yaml"));
    run(fuzzing::yaml_runbook, &inputs, 3000, 0x5EED_0001);
}

#[test]
fn the_environments_loader_survives_mutated_files() {
    let mut inputs = seeds(&root().join("tests/fixtures/invalid/environments"), "yaml");
    inputs.push(std::fs::read(root().join("runbooks/environments.yaml")).unwrap());
    run(fuzzing::environments, &inputs, 2000, 0x5EED_0002);
}

#[test]
fn the_rhai_loader_survives_mutated_scripts() {
    let mut inputs = seeds(&root().join("runbooks"), "rhai");
    inputs.extend(seeds(&root().join("tests/fixtures/invalid/runbooks"), "rhai"));
    run(fuzzing::rhai_runbook, &inputs, 600, 0x5EED_0003);
}

#[test]
fn the_log_line_parser_survives_mutated_lines() {
    let inputs: Vec<Vec<u8>> = [
        "2026-11-26T10:00:00.000000+00:00 heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" host=x.herokuapp.com request_id=r1 fwd=\"203.0.113.7\" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https",
        "2026-11-26T10:00:00.000000+00:00 app[web.2]: INFO handled job 7",
        "2026-11-26T10:00:00+00:00 heroku[web.1]: State changed from up to crashed",
        "2026-11-26T10:00:00+00:00 heroku[web.1]: Error R14 (Memory quota exceeded)",
    ]
    .iter()
    .map(|line| line.as_bytes().to_vec())
    .collect();
    run(fuzzing::log_line, &inputs, 20000, 0x5EED_0004);
}

/// Answers a hostile server could send: statuses, headers (`Retry-After: inf`, huge numbers,
/// bytes that are not text) and bodies; the client's reading of them never panics.
#[test]
fn the_reading_of_api_answers_survives_hostile_servers() {
    let inputs: Vec<Vec<u8>> = [
        (200u16, "request-id: abc\nnext-range: id ..; max=200", "[{\"id\": 1}]"),
        (503, "retry-after: inf", "{\"id\":\"unavailable\",\"message\":\"down\"}"),
        (429, "retry-after: NaN\nratelimit-remaining: -5", "not json"),
        (302, "location: http://elsewhere.example/\x01", ""),
        (206, "next-range: \u{1b}]0;x", "[]"),
        (404, "", "{\"id\":\"not_found\",\"message\":\"\u{202e}gone\"}"),
    ]
    .iter()
    .map(|(status, head, body)| {
        let mut bytes = status.to_be_bytes().to_vec();
        bytes.extend_from_slice(head.as_bytes());
        bytes.extend_from_slice(b"\n\n");
        bytes.extend_from_slice(body.as_bytes());
        bytes
    })
    .collect();
    run(fuzzing::api_answer, &inputs, 20000, 0x5EED_0005);
}

/// Log streams and command output of any bytes, split anywhere: every line is handed on and
/// none is longer than the cut (the entry point asserts it).
#[test]
fn the_reading_of_streams_survives_any_bytes() {
    let mut long = vec![7u8];
    long.extend(std::iter::repeat_n(b'x', 200_000));
    long.extend_from_slice(b"\ncaf\xe9\r\nend");
    let inputs =
        vec![b"\x03line one\nline two\r\n\xff\xfe\n".to_vec(), long, b"\x01\n\n\n".to_vec()];
    run(fuzzing::log_stream, &inputs, 3000, 0x5EED_0006);
}
