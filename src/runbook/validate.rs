//! Checks a whole runbook before anything runs: every mistake found here costs nothing to fix.

use std::collections::HashSet;
use std::sync::Arc;

use rhai::{Engine, Scope};

use super::diagnostic::Diagnostic;
use super::environments::Environments;
use super::model::{Action, Argument, ArgumentValue, Body, Param, ParamKind, Runbook, Step};
use super::rhai_check;
use super::source::{Located, SourceFile, Span};
use super::step_places::StepPlaces;
use super::template::Template;
use crate::ops::{self, Operation};
use crate::script::CheckedModules;

/// The name each `for_each` item has inside its step.
pub const FOR_EACH_ITEM: &str = "item";

/// Every problem in `runbook`; empty when it may run. The modules it imports, as checked, go
/// into `modules`.
pub fn validate(
    runbook: &Runbook,
    environments: &Environments,
    engine: &Engine,
    modules: &mut CheckedModules,
) -> Vec<Diagnostic> {
    let source = &runbook.source;
    let mut problems = Vec::new();
    check_environments(runbook, environments, &mut problems);
    for param in &runbook.params {
        check_param(source, param, &mut problems);
    }
    match &runbook.body {
        Body::Steps(steps) => {
            let places = StepPlaces::of(runbook, steps);
            let mut checker = StepChecker::new(runbook, engine, &places, modules, false);
            for step in steps {
                checker.check(step, &mut problems);
            }
            let mut finally_checker = StepChecker::new(runbook, engine, &places, modules, true);
            for step in &runbook.finally {
                finally_checker.check(step, &mut problems);
            }
        }
        Body::Script(ast) => {
            rhai_check::check_imports(source, ast, engine, modules, &mut problems);
            rhai_check::check_calls(source, ast, &runbook.params, &mut problems);
            super::rhai_functions::check_functions(source, ast, engine, &mut problems);
        }
    }
    problems
}

fn check_environments(
    runbook: &Runbook,
    environments: &Environments,
    problems: &mut Vec<Diagnostic>,
) {
    for environment in &runbook.environments {
        if environments.get(&environment.value).is_none() {
            let known = environments.names().join(", ");
            problems.push(
                Diagnostic::new(
                    &runbook.source,
                    environment.span,
                    format!("unknown environment `{}`", environment.value),
                )
                .label("not in environments.yaml")
                .hint(if known.is_empty() {
                    "declare it in runbooks/environments.yaml".to_string()
                } else {
                    format!("environments.yaml declares: {known}")
                }),
            );
        }
    }
}

fn check_param(source: &Arc<SourceFile>, param: &Param, problems: &mut Vec<Diagnostic>) {
    let name = &param.name;
    if name.value == super::model::REHEARSAL {
        problems.push(
            Diagnostic::new(source, name.span, "`rehearsal` is a name every runbook has")
                .label("taken")
                .hint("it is true when the run rehearses on the simulator (`--sim`); call the param something else"),
        );
    }
    if !is_identifier(&name.value) {
        problems.push(
            Diagnostic::new(
                source,
                name.span,
                format!("`{}` is not a valid param name", name.value),
            )
            .label("letters, digits and `_`, not starting with a digit")
            .hint("rename it, for example `process_type`"),
        );
    }
    if !param.choices.is_empty() && !matches!(param.kind, ParamKind::String | ParamKind::List) {
        problems.push(
            Diagnostic::new(
                source,
                name.span,
                format!("`{}` is {} and cannot have a set of allowed values", name.value, param.kind.name()),
            )
            .label("this param")
            .hint("allowed values (`enum:`, or `in a|b` in a Rhai header) are for string and list params"),
        );
    }
    if let Some(default) = &param.default
        && let Err(expected) = param_value_matches(param, default)
    {
        problems.push(
            Diagnostic::new(
                source,
                name.span,
                format!("the default of `{}` {expected}", name.value),
            )
            .label("this param")
            .hint(format!("give a default of type {}", param.kind.name())),
        );
    }
}

/// How a value does not fit its param: said after the param's name (`param `x` must be int, not
/// a string`).
#[derive(Debug, thiserror::Error)]
pub enum ParamMismatch {
    #[error("must be {expected}, not {given}")]
    WrongType { expected: &'static str, given: String },
    #[error("must be one of {choices} (`{outside}` is not)")]
    NotAChoice { choices: String, outside: String },
}

/// Whether a value fits a param's type and choices.
pub fn param_value_matches(param: &Param, value: &serde_json::Value) -> Result<(), ParamMismatch> {
    use serde_json::Value;
    let fits = match (param.kind, value) {
        (ParamKind::String, Value::String(_)) | (ParamKind::Bool, Value::Bool(_)) => true,
        (ParamKind::Int, Value::Number(number)) => number.is_i64(),
        (ParamKind::Duration, Value::String(text)) => {
            text.trim() == ops::FOREVER || crate::duration::parse_wait(text).is_ok()
        }
        (ParamKind::List, Value::Array(items)) => items.iter().all(Value::is_string),
        _ => false,
    };
    if !fits {
        return Err(ParamMismatch::WrongType {
            expected: param.kind.name(),
            given: ops::describe(value),
        });
    }
    let chosen: Vec<&str> = match value {
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let outside = chosen.iter().find(|item| {
        !param.choices.is_empty() && !param.choices.iter().any(|choice| choice == *item)
    });
    match outside {
        Some(outside) => Err(ParamMismatch::NotAChoice {
            choices: param.choices.join(", "),
            outside: (*outside).to_string(),
        }),
        None => Ok(()),
    }
}

pub fn is_identifier(name: &str) -> bool {
    let mut characters = name.chars();
    characters.next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && characters.all(|character| character.is_ascii_alphanumeric() || character == '_')
}

/// Walks YAML steps in order, knowing which names each step may refer to.
struct StepChecker<'a> {
    source: &'a Arc<SourceFile>,
    params: &'a [Param],
    engine: &'a Engine,
    scope: Scope<'static>,
    step_ids: HashSet<String>,
    places: &'a StepPlaces,
    modules: &'a mut CheckedModules,
    in_finally: bool,
    /// The ids of the steps whose `on_failure:` steps are being checked, innermost last.
    recovering: Vec<String>,
}

impl<'a> StepChecker<'a> {
    fn new(
        runbook: &'a Runbook,
        engine: &'a Engine,
        places: &'a StepPlaces,
        modules: &'a mut CheckedModules,
        in_finally: bool,
    ) -> Self {
        let mut scope = Scope::new();
        if !runbook.environments.is_empty() {
            scope.push_dynamic("app", rhai::Dynamic::UNIT);
            scope.push_dynamic("env", rhai::Dynamic::UNIT);
        }
        scope.push_dynamic(super::model::REHEARSAL, rhai::Dynamic::UNIT);
        for param in &runbook.params {
            scope.push_dynamic(param.name.value.clone(), rhai::Dynamic::UNIT);
        }
        Self {
            source: &runbook.source,
            params: &runbook.params,
            engine,
            scope,
            step_ids: HashSet::new(),
            places,
            modules,
            in_finally,
            recovering: Vec::new(),
        }
    }

    fn check(&mut self, step: &Step, problems: &mut Vec<Diagnostic>) {
        if let Some(when) = &step.when {
            self.check_expression(when, problems);
        }
        if let Some(confirm) = &step.confirm {
            self.check_template(confirm, problems);
        }
        if !step.control.on_failure.is_empty() {
            let before = self.scope.len();
            if let Some(id) = &step.id {
                self.recovering.push(id.value.clone());
            }
            for recovery in &step.control.on_failure {
                self.check(recovery, problems);
            }
            if step.id.is_some() {
                self.recovering.pop();
            }
            self.scope.rewind(before);
        }
        let before = self.scope.len();
        if let Some(for_each) = &step.control.for_each {
            if let ArgumentValue::Template(items) = &for_each.items {
                self.check_template(items, problems);
            }
            self.scope.push_dynamic(FOR_EACH_ITEM, rhai::Dynamic::UNIT);
        }
        match &step.action {
            Action::Operation { operation, arguments, .. } => {
                self.check_operation(operation, arguments, problems);
            }
            Action::Script(script) => self.check_script(script, problems),
            Action::Shell { command, dry_run } => {
                self.check_template(command, problems);
                if let Some(form) = dry_run {
                    self.check_template(form, problems);
                }
            }
            Action::Run { arguments, .. } => {
                for argument in arguments {
                    for template in argument.value.templates() {
                        self.check_template(template, problems);
                    }
                }
            }
        }
        self.scope.rewind(before);
        if let Some(id) = &step.id {
            self.declare(id, problems);
        }
    }

    fn declare(&mut self, id: &Located<String>, problems: &mut Vec<Diagnostic>) {
        if !is_identifier(&id.value) {
            problems.push(
                Diagnostic::new(
                    self.source,
                    id.span,
                    format!("`{}` is not a valid step id", id.value),
                )
                .label("letters, digits and `_`, not starting with a digit")
                .hint("ids are used as names in `${...}`, for example `${before.len()}`"),
            );
        } else if !self.step_ids.insert(id.value.clone()) {
            problems.push(
                Diagnostic::new(self.source, id.span, format!("duplicate step id `{}`", id.value))
                    .label("already used by an earlier step")
                    .hint("give each step a different id"),
            );
        } else if self.scope.contains(&id.value) {
            problems.push(
                Diagnostic::new(
                    self.source,
                    id.span,
                    format!("step id `{}` hides a param or `app`/`env`", id.value),
                )
                .label("name already taken")
                .hint("choose another id"),
            );
        } else {
            self.scope.push_dynamic(id.value.clone(), rhai::Dynamic::UNIT);
        }
    }

    fn check_operation(
        &self,
        operation: &Located<String>,
        arguments: &[Argument],
        problems: &mut Vec<Diagnostic>,
    ) {
        let Some(spec) = ops::find(&operation.value).filter(|spec| spec.name == operation.value)
        else {
            let hint = match ops::closest(&operation.value) {
                Some(name) => {
                    format!("did you mean `{name}`? `runbook functions` lists every operation")
                }
                None => "`runbook functions` lists every operation".to_string(),
            };
            problems.push(
                Diagnostic::new(
                    self.source,
                    operation.span,
                    format!("unknown operation `{}`", operation.value),
                )
                .label("not in the catalogue")
                .hint(hint),
            );
            return;
        };
        for argument in arguments {
            self.check_argument(spec, argument, problems);
        }
        for required in spec.arguments.iter().filter(|argument| argument.required) {
            if !arguments.iter().any(|argument| argument.name.value == required.name) {
                problems.push(
                    Diagnostic::new(
                        self.source,
                        operation.span,
                        format!("`{}` needs the argument `{}`", spec.name, required.name),
                    )
                    .label("missing argument")
                    .hint(format!("add `with: {{ {}: ... }}` ({})", required.name, required.doc)),
                );
            }
        }
    }

    fn check_argument(
        &self,
        spec: &Operation,
        argument: &Argument,
        problems: &mut Vec<Diagnostic>,
    ) {
        let Some(declared) = spec.argument(&argument.name.value) else {
            problems.push(self.unknown_argument(spec, argument));
            return;
        };
        match &argument.value {
            ArgumentValue::Template(template) => {
                self.check_template(template, problems);
                if let Some(problem) = self.param_type_problem(argument, declared, template) {
                    problems.push(problem);
                }
            }
            ArgumentValue::Mapping(entries) => {
                if declared.kind != crate::ops::ArgumentType::Map {
                    let found = format!("expected a {}, found a mapping", declared.kind.name());
                    problems.push(self.wrong_type(argument, declared, &found));
                }
                for (_, value) in entries {
                    for template in value.templates() {
                        self.check_template(template, problems);
                    }
                }
            }
            ArgumentValue::Literal(value) => {
                if let Err(expected) = declared.kind.check(value) {
                    problems.push(self.wrong_type(argument, declared, &expected.to_string()));
                }
            }
        }
    }

    /// A whole `${param}` keeps the param's type: one that does not fit the argument is caught
    /// here rather than by a failed run.
    fn param_type_problem(
        &self,
        argument: &Argument,
        declared: &crate::ops::ArgumentSpec,
        template: &Template,
    ) -> Option<Diagnostic> {
        let expression = template.sole_expression()?;
        let param = self.params.iter().find(|param| param.name.value == expression.value.trim())?;
        let wanted = super::param_types::fits(param.kind, declared.kind).err()?;
        let declared_as =
            |kind: &str| format!("the param `{}` as `type: {kind}`", param.name.value);
        let hint = super::param_types::misfit_hint(wanted, declared_as, declared.doc);
        Some(
            Diagnostic::new(
                self.source,
                expression.span,
                format!(
                    "param `{}` is {}, but `{}` takes {}",
                    param.name.value,
                    super::param_types::with_article(param.kind.name()),
                    argument.name.value,
                    super::param_types::with_article(declared.kind.name())
                ),
            )
            .label(format!("{} param", super::param_types::with_article(param.kind.name())))
            .hint(hint),
        )
    }

    fn unknown_argument(&self, spec: &Operation, argument: &Argument) -> Diagnostic {
        let known: Vec<&str> = spec.arguments.iter().map(|argument| argument.name).collect();
        Diagnostic::new(
            self.source,
            argument.name.span,
            format!("`{}` takes no argument `{}`", spec.name, argument.name.value),
        )
        .label("unknown argument")
        .hint(super::suggest::hint(
            &argument.name.value,
            &known,
            &format!("its arguments are: {}", known.join(", ")),
        ))
    }

    fn wrong_type(
        &self,
        argument: &Argument,
        declared: &crate::ops::ArgumentSpec,
        expected: &str,
    ) -> Diagnostic {
        Diagnostic::new(
            self.source,
            argument.span,
            format!("wrong type for `{}`: {expected}", argument.name.value),
        )
        .label(format!("expected a {}", declared.kind.name()))
        .hint(declared.doc)
    }

    fn check_template(&self, template: &Template, problems: &mut Vec<Diagnostic>) {
        for expression in template.expressions() {
            self.check_expression(expression, problems);
        }
    }

    fn check_expression(&self, expression: &Located<String>, problems: &mut Vec<Diagnostic>) {
        match self.engine.compile_expression_with_scope(&self.scope, &expression.value) {
            Err(error) => problems.push(self.rhai_problem(expression.span, &error)),
            Ok(ast) => self.check_functions(expression.span, &ast, problems),
        }
    }

    fn check_script(&mut self, script: &Located<String>, problems: &mut Vec<Diagnostic>) {
        match self.engine.compile_with_scope(&self.scope, &script.value) {
            Err(error) => problems.push(self.rhai_problem(script.span, &error)),
            Ok(ast) => {
                self.check_functions(script.span, &ast, problems);
                rhai_check::check_script_step(
                    self.source,
                    script.span,
                    &ast,
                    self.engine,
                    self.modules,
                    problems,
                );
            }
        }
    }

    /// Every function an expression or a script calls exists.
    fn check_functions(&self, span: Span, ast: &rhai::AST, problems: &mut Vec<Diagnostic>) {
        super::rhai_functions::check_expression_functions(
            self.source,
            span,
            ast,
            self.engine,
            problems,
        );
    }

    fn rhai_problem(&self, span: Span, error: &rhai::ParseError) -> Diagnostic {
        match error.err_type() {
            rhai::ParseErrorType::VariableUndefined(name) => {
                if self.recovering.iter().any(|failed| failed == name) {
                    return Diagnostic::new(
                        self.source,
                        span,
                        format!("`{name}` is the step this one recovers from"),
                    )
                    .label("a step that failed has no result")
                    .hint("read what you need again in this recovery step, or save it in an earlier step with its own `id`");
                }
                if let Some(unavailable) =
                    self.places.explain(name, &self.step_ids, self.in_finally)
                {
                    return Diagnostic::new(self.source, span, unavailable.message)
                        .label(unavailable.label)
                        .hint(unavailable.hint);
                }
                let known: Vec<String> =
                    self.scope.iter_raw().map(|(name, ..)| name.to_string()).collect();
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                let rest = format!(
                    "names in scope here: {} (a step's result is usable after it, by its `id`)",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                );
                Diagnostic::new(self.source, span, format!("unknown name `{name}`"))
                    .label("not defined here")
                    .hint(super::suggest::hint(name, &names, &rest))
            }
            other => Diagnostic::new(self.source, span, format!("invalid expression: {other}"))
                .label("here")
                .hint("`${...}` holds a Rhai expression, for example `${before.len()}`"),
        }
    }
}
