//! The bad-input corpus (`tests/fixtures/invalid/`): every broken runbook and environments file is
//! refused with exit 2 and a message that says where and what, never a panic, and nothing reaches
//! the server. `expected.txt` lists each file, the `line:column` its first error points at, and
//! the message.

use std::path::{Path, PathBuf};

use crate::harness::{Outcome, Test};

const VALID: &str = "description: Fine.\nenvironments: [staging]\nsteps:\n  - do: heroku.dynos\n    with: { app: \"${app}\" }\n";

struct Expected {
    fixture: String,
    location: String,
    message: String,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

fn expectations() -> Vec<Expected> {
    let manifest = std::fs::read_to_string(corpus().join("expected.txt")).unwrap();
    manifest
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.splitn(3, " | ").collect();
            assert_eq!(fields.len(), 3, "a manifest line is `file | line:col | message`: {line}");
            Expected {
                fixture: fields[0].to_string(),
                location: fields[1].to_string(),
                message: fields[2].to_string(),
            }
        })
        .collect()
}

/// A test whose runbooks folder holds the fixture, and the runbook name to check or run, and the
/// file name the errors point at.
fn folder_for(fixture: &str) -> (Test, String, String) {
    let bytes = std::fs::read(corpus().join(fixture)).unwrap();
    let file_name = Path::new(fixture).file_name().unwrap().to_str().unwrap().to_string();
    if fixture.starts_with("environments/") {
        let test = Test::new().file_bytes("environments.yaml", &bytes).file("fine.yaml", VALID);
        (test, "fine".to_string(), "environments.yaml".to_string())
    } else {
        let test = Test::new().file_bytes(&file_name, &bytes);
        let name = Path::new(&file_name).file_stem().unwrap().to_str().unwrap().to_string();
        (test, name, file_name)
    }
}

fn assert_refused(output: &Outcome, what: &str, file_name: &str, expected: &Expected) {
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{what} of {}:\n{stderr}", expected.fixture);
    assert!(!stderr.contains("panicked"), "{what} of {} panicked:\n{stderr}", expected.fixture);
    let location = format!("{file_name}:{}]", expected.location);
    assert!(
        stderr.contains(&location),
        "{what} of {}: `{location}` in:\n{stderr}",
        expected.fixture
    );
    assert!(
        stderr.contains(&expected.message),
        "{what} of {}: `{}` in:\n{stderr}",
        expected.fixture,
        expected.message
    );
    assert!(stderr.contains("help:"), "{what} of {}: a hint in:\n{stderr}", expected.fixture);
}

#[test]
fn the_corpus_is_large_and_every_file_is_listed() {
    let expected = expectations();
    assert!(expected.len() >= 40, "{} fixtures", expected.len());
    for folder in ["runbooks", "environments"] {
        for entry in std::fs::read_dir(corpus().join(folder)).unwrap() {
            let listed = format!("{folder}/{}", entry.unwrap().file_name().to_str().unwrap());
            assert!(
                expected.iter().any(|expected| expected.fixture == listed),
                "{listed} is not in expected.txt"
            );
        }
    }
}

#[test]
fn every_broken_file_is_refused_where_it_is_broken_and_nothing_is_sent() {
    // One simulator for every fixture: nothing may reach it, from any of them.
    let server = Test::new().sim(&[]);
    for expected in expectations() {
        let (test, name, file_name) = folder_for(&expected.fixture);
        let checked = test.run(&["check", &name]);
        assert_refused(&checked, "check", &file_name, &expected);
        let test = test.shared_sim(&server);
        let run = test.run(&["run", &format!("{name}-staging"), "--yes"]);
        assert_refused(&run, "run", &file_name, &expected);
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn a_huge_file_is_refused_before_it_is_parsed() {
    let huge = format!(
        "description: Huge.\nenvironments: [staging]\n# {}\nsteps: []\n",
        "x".repeat(2 * 1024 * 1024)
    );
    let test = Test::new()
        .file("huge.yaml", &huge)
        .file("huge-script.rhai", &format!("//! Huge.\n// {}\n", "y".repeat(2 * 1024 * 1024)));
    for (name, file_name) in [("huge", "huge.yaml"), ("huge-script", "huge-script.rhai")] {
        let output = test.run(&["check", name]);
        let expected = Expected {
            fixture: file_name.to_string(),
            location: "1:1".to_string(),
            message: "runbook files are limited to 1048576 bytes".to_string(),
        };
        assert_refused(&output, "check", file_name, &expected);
    }
}
