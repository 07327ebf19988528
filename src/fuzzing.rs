//! Entry points for the fuzz targets (`fuzz/`) and the bounded fuzz test: each takes arbitrary
//! bytes through a loader, validation, lints and diagnostic rendering, where a panic is a bug.

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

fn source(name: &str, bytes: &[u8]) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: name.into(),
        text: String::from_utf8_lossy(bytes).into_owned(),
    })
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
            render(&validate(
                &runbook,
                known_environments(),
                engine(),
                &mut modules,
            ));
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
