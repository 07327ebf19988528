//! Reads and validates the test files of `runbooks/tests/`: every name they use (runbook,
//! environment, scenario, params, steps) is checked before any test runs, with its location
//! and the name that was probably meant.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::case::{After, Expectations, TestCase, World, Write};
use super::spec::{ExpectSpec, TestFileSpec, TestSpec};
use crate::runbook::{
    Body, Diagnostic, Library, Runbook, SourceFile, parse_yaml_document, read_source, suggestion,
    yaml_span,
};
use crate::sim::Scenario;

/// The states Heroku gives a dyno.
const DYNO_STATES: &[&str] =
    &["up", "starting", "crashed", "idle", "down", "restarting", "complete"];

/// Where the tests live, inside the runbooks folder.
pub const TESTS_FOLDER: &str = "tests";

/// The test files of the library, sorted by name.
pub fn test_files(library: &Library) -> Vec<PathBuf> {
    let folder = library.directory.join(TESTS_FOLDER);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|extension| extension.to_str()),
                Some("yaml" | "yml")
            )
        })
        .collect();
    files.sort();
    files
}

/// The tests of one file, or everything wrong with it.
pub fn load(library: &Library, path: &Path) -> Result<Vec<TestCase>, Vec<Diagnostic>> {
    let source = read_source(path)?;
    let spec: TestFileSpec = parse_yaml_document(&source)?;
    let file = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let reader = Reader { library, source: &source, file };
    let mut problems = Vec::new();
    if spec.tests.is_empty() {
        problems.push(
            Diagnostic::new(&source, yaml_span(&source, &spec.runbook), "no tests in the file")
                .label("`tests:` is empty")
                .hint("add a test under `tests:`; docs/runbook-format.md shows one"),
        );
    }
    let default = Default { runbook: &spec.runbook, environment: spec.environment.as_ref() };
    let cases: Vec<TestCase> = spec
        .tests
        .into_iter()
        .filter_map(|test| reader.case(&default, test, &mut problems))
        .collect();
    if problems.is_empty() { Ok(cases) } else { Err(problems) }
}

struct Reader<'a> {
    library: &'a Library,
    source: &'a Arc<SourceFile>,
    file: String,
}

/// The file's runbook and environment, which a test may override.
struct Default<'a> {
    runbook: &'a Spanned<String>,
    environment: Option<&'a Spanned<String>>,
}

/// A runbook a test runs, resolved.
struct Chosen {
    runbook: Runbook,
    environment: Option<String>,
    app: Option<String>,
}

impl Reader<'_> {
    fn problem<T>(&self, at: &Spanned<T>, message: String, hint: String) -> Diagnostic {
        Diagnostic::new(self.source, yaml_span(self.source, at), message).label("here").hint(hint)
    }

    fn case(
        &self,
        default: &Default<'_>,
        test: Spanned<TestSpec>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<TestCase> {
        let test = test.value;
        let runbook = test.runbook.as_ref().unwrap_or(default.runbook);
        let environment = test.environment.as_ref().or(default.environment);
        let chosen =
            self.choose(runbook, environment).map_err(|problem| problems.push(problem)).ok()?;
        let before = problems.len();
        let world = self.world(&test, problems);
        let params = self.params(&test, &chosen.runbook, problems);
        let boot = test.boot.as_ref().and_then(|boot| {
            crate::duration::parse_wait(&boot.value)
                .map_err(|error| {
                    problems.push(self.problem(
                        boot,
                        format!("`boot: {}` {error}", boot.value),
                        "a duration such as `20s` or `2m`".into(),
                    ))
                })
                .ok()
        });
        let expect = self.expectations(test.expect, &chosen, problems);
        if problems.len() > before {
            return None;
        }
        let secrets = secret_values(&chosen.runbook, &params);
        Some(TestCase {
            file: self.file.clone(),
            name: test.name.value,
            runbook_file: chosen.runbook.name.clone(),
            runbook: runbook.value.clone(),
            environment: chosen.environment,
            world,
            params,
            secrets,
            answers: test.answers.into_iter().map(|answer| answer.value).collect(),
            boot,
            dry_run: test.dry_run,
            no_rollback: test.no_rollback,
            expect,
        })
    }

    fn choose(
        &self,
        runbook: &Spanned<String>,
        environment: Option<&Spanned<String>>,
    ) -> Result<Chosen, Diagnostic> {
        let resolved = self
            .library
            .resolve(&runbook.value, environment.map(|name| name.value.as_str()))
            .map_err(|error| {
                let failure = crate::runbook::LibraryError::to_string(&error);
                let names: Vec<&str> =
                    self.library.files.iter().map(|file| file.name.as_str()).collect();
                self.problem(
                    runbook,
                    failure,
                    suggestion(
                        &runbook.value,
                        &names,
                        "`runbook list` shows the runbooks and environments",
                    ),
                )
            })?;
        let loaded = self.library.load(&resolved.file).map_err(|_| {
            self.problem(
                runbook,
                format!("the runbook `{}` is invalid", resolved.file.name),
                format!("`runbook check {}` says what is wrong", resolved.file.name),
            )
        })?;
        Ok(Chosen {
            runbook: loaded,
            environment: environment.map(|name| name.value.clone()),
            app: resolved.environment.as_ref().map(|environment| environment.app.to_string()),
        })
    }
}

impl Reader<'_> {
    fn world(&self, test: &TestSpec, problems: &mut Vec<Diagnostic>) -> World {
        if let (Some(scenario), Some(_)) = (&test.scenario, &test.world) {
            problems.push(self.problem(
                scenario,
                "a test starts from `scenario:` or from `world:`, not both".into(),
                "put the changes in a scenario file, or write the whole world inline".into(),
            ));
        }
        if let Some(scenario) = &test.scenario {
            let folder = self.library.directory.join(crate::sim::SCENARIOS_FOLDER);
            if let Err(error) = Scenario::load(&scenario.value, &folder) {
                problems.push(self.problem(
                    scenario,
                    error.to_string(),
                    format!("the scenarios are the files of {}", folder.display()),
                ));
            }
            return World::Scenario(scenario.value.clone());
        }
        let Some(world) = &test.world else {
            return World::Default;
        };
        let text = world.value.to_string();
        if let Err(message) = Scenario::parse(&text) {
            problems.push(self.problem(
                world,
                format!("`world:` {message}"),
                "`world:` takes what a scenario file does: dynos, slow, bad_release, boot_crashes, faults, commands, apps".into(),
            ));
        }
        World::Inline(text)
    }
}

impl Reader<'_> {
    /// `-p NAME=VALUE` for each param, every name one the runbook declares.
    fn params(
        &self,
        test: &TestSpec,
        runbook: &Runbook,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<(String, String)> {
        let declared: Vec<&str> =
            runbook.params.iter().map(|param| param.name.value.as_str()).collect();
        let mut params = Vec::new();
        for (name, value) in &test.params {
            if !declared.contains(&name.value.as_str()) {
                problems.push(self.problem(
                    name,
                    format!("`{}` has no param `{}`", runbook.name, name.value),
                    suggestion(
                        &name.value,
                        &declared,
                        &format!("its params: {}", listed(&declared)),
                    ),
                ));
                continue;
            }
            let text = match &value.value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            params.push((name.value.clone(), text));
        }
        params
    }

    fn expectations(
        &self,
        expect: Spanned<ExpectSpec>,
        chosen: &Chosen,
        problems: &mut Vec<Diagnostic>,
    ) -> Expectations {
        self.check_after(&expect, problems);
        let expect = expect.value;
        let app = chosen.app.as_deref();
        let steps = self.steps(&expect, &chosen.runbook, problems);
        let writes = expect.writes.map(|writes| {
            writes.iter().filter_map(|write| self.write(write, app, problems)).collect()
        });
        let not_sent =
            expect.not_sent.iter().filter_map(|write| self.write(write, app, problems)).collect();
        let after = expect.after.map(|after| after.value).map(|after| After {
            app: after.app.or_else(|| app.map(str::to_string)).unwrap_or_default(),
            dynos: match after.dynos {
                None => Vec::new(),
                Some(super::spec::DynosSpec::Every(state)) => vec![(None, state)],
                Some(super::spec::DynosSpec::Each(states)) => {
                    states.into_iter().map(|(dyno, state)| (Some(dyno), state)).collect()
                }
            },
            release: after.release,
            maintenance: after.maintenance,
            formation: after.formation.into_iter().collect(),
        });
        Expectations {
            // A test that says neither how the run ends nor its exit code expects it to succeed:
            // no test passes on a run that could not even start.
            exit: expect.exit.or_else(|| expect.status.is_none().then_some(0)),
            status: expect.status,
            writes,
            writes_in_any_order: expect.writes_in_any_order,
            not_sent,
            next: expect.next,
            output: expect.output,
            not_in_output: expect.not_in_output,
            steps,
            after,
        }
    }

    /// What `after:` and `writes_in_any_order` need to mean something.
    fn check_after(&self, expect: &Spanned<ExpectSpec>, problems: &mut Vec<Diagnostic>) {
        if expect.value.writes_in_any_order && expect.value.writes.is_none() {
            problems.push(
                self.problem(
                    expect,
                    "`writes_in_any_order` without `writes:`".into(),
                    "list the writes under `writes:`; `writes_in_any_order: true` makes them a set"
                        .into(),
                ),
            );
        }
        let Some(after) = &expect.value.after else {
            return;
        };
        let states: Vec<&str> = match &after.value.dynos {
            Some(super::spec::DynosSpec::Every(state)) => vec![state.as_str()],
            Some(super::spec::DynosSpec::Each(states)) => {
                states.values().map(String::as_str).collect()
            }
            None => Vec::new(),
        };
        for state in states.into_iter().filter(|state| !DYNO_STATES.contains(state)) {
            problems.push(self.problem(
                after,
                format!("`{state}` is not a dyno state"),
                suggestion(
                    state,
                    DYNO_STATES,
                    "a dyno is up, starting, crashed, idle, down, restarting or complete",
                ),
            ));
        }
    }

    /// `METHOD PATH`, or `{method, path, body}`; `{app}` is the run's app.
    fn write(
        &self,
        write: &Spanned<serde_json::Value>,
        app: Option<&str>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Write> {
        let parsed = parse_write(&write.value).map(|mut parsed| {
            if let Some(app) = app {
                parsed.path = parsed.path.replace("{app}", app);
            }
            parsed
        });
        if parsed.is_none() {
            problems.push(self.problem(
                write,
                format!("`{}` is not a write", write.value),
                "a write is `METHOD /path` (`DELETE /apps/{app}/dynos`), or `method:`, `path:` and a `body:` it must contain".into(),
            ));
        }
        parsed
    }

    /// Step names (or ids) the runbook has.
    fn steps(
        &self,
        expect: &ExpectSpec,
        runbook: &Runbook,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<(String, super::spec::StepResultSpec)> {
        let known: Vec<String> = steps_of(runbook)
            .into_iter()
            .flat_map(|(name, id)| std::iter::once(name).chain(id))
            .collect();
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        let mut steps = Vec::new();
        for (name, result) in &expect.steps {
            if !known.contains(&name.value) {
                problems.push(self.problem(
                    name,
                    format!("`{}` has no step `{}`", runbook.name, name.value),
                    suggestion(&name.value, &names, &format!("its steps: {}", listed(&names))),
                ));
                continue;
            }
            steps.push((name.value.clone(), *result));
        }
        steps
    }
}

/// Each step of the runbook, its main steps then `finally`: its name, and its id (a script's
/// `step()` calls by name).
pub fn steps_of(runbook: &Runbook) -> Vec<(String, Option<String>)> {
    match &runbook.body {
        Body::Steps(steps) => steps
            .iter()
            .chain(&runbook.finally)
            .map(|step| (step.name.clone(), step.id.as_ref().map(|id| id.value.clone())))
            .collect(),
        Body::Script(ast) => {
            crate::runbook::outline(ast).steps.into_iter().map(|name| (name, None)).collect()
        }
    }
}

fn parse_write(value: &serde_json::Value) -> Option<Write> {
    match value {
        serde_json::Value::String(text) => {
            let (method, path) = text.trim().split_once(' ')?;
            write_of(method, path.trim(), None)
        }
        serde_json::Value::Object(fields) => {
            if fields.keys().any(|key| !matches!(key.as_str(), "method" | "path" | "body")) {
                return None;
            }
            let method = fields.get("method")?.as_str()?;
            let path = fields.get("path")?.as_str()?;
            write_of(method, path, fields.get("body").cloned())
        }
        _ => None,
    }
}

fn write_of(method: &str, path: &str, body: Option<serde_json::Value>) -> Option<Write> {
    let method = method.to_ascii_uppercase();
    let known = matches!(method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE");
    (known && path.starts_with('/')).then(|| Write { method, path: path.to_string(), body })
}

fn secret_values(runbook: &Runbook, params: &[(String, String)]) -> Vec<String> {
    params
        .iter()
        .filter(|(name, _)| {
            runbook.params.iter().any(|param| param.secret && param.name.value == *name)
        })
        .map(|(_, value)| value.clone())
        .filter(|value| !value.is_empty())
        .collect()
}

fn listed(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}
