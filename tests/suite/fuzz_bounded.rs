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
    inputs.extend(seeds(
        &root().join("tests/fixtures/invalid/runbooks"),
        "yaml",
    ));
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
    inputs.extend(seeds(
        &root().join("tests/fixtures/invalid/runbooks"),
        "rhai",
    ));
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
