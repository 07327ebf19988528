//! Rhai `import` for runbooks: only modules whose real path (symlinks followed) is inside the
//! runbooks folder, and exactly the text that was checked is the one compiled.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};

/// The modules validation read and checked, by the path runbooks import them with
/// (`lib/helpers`). A run imports from here only: what runs is exactly what was checked, whatever
/// happens to the files afterwards.
#[derive(Debug, Default)]
pub struct CheckedModules {
    modules: HashMap<String, CheckedModule>,
}

/// One checked module: its real path and the text that was checked.
#[derive(Debug)]
struct CheckedModule {
    file: PathBuf,
    text: String,
}

impl CheckedModules {
    /// Keeps `text`, read from `file`, as the module `path`.
    pub fn insert(&mut self, path: &str, file: &Path, text: &str) {
        self.modules.insert(
            path.to_string(),
            CheckedModule { file: file.to_path_buf(), text: text.to_string() },
        );
    }

    pub fn contains(&self, path: &str) -> bool {
        self.modules.contains_key(path)
    }

    /// How many modules were checked.
    pub fn count(&self) -> usize {
        self.modules.len()
    }
}

/// Resolves `import "lib/helpers" as helpers;` to the checked text of `lib/helpers`, never to a
/// file read at run time.
pub struct CheckedModulesResolver {
    modules: Arc<CheckedModules>,
}

impl CheckedModulesResolver {
    pub fn new(modules: Arc<CheckedModules>) -> Self {
        Self { modules }
    }
}

/// Whether `path` is a module path as runbooks write them: `lib/helpers`, words of letters,
/// digits, `_` and `-` between slashes (no `..`, no `.`, no absolute path, no extension).
pub fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
        })
}

/// Why an import is refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    #[error("`{0}` is outside the runbooks folder (imports come only from inside it)")]
    Outside(String),
    #[error("no module `{path}`: `{}` does not exist", file.display())]
    Missing { path: String, file: PathBuf },
    #[error("cannot read the runbooks folder: {0}")]
    Unreadable(std::io::Error),
    #[error("`{path}` leads outside the runbooks folder (to `{}`)", real.display())]
    LeadsOutside { path: String, real: PathBuf },
}

/// The file an import names, once its real path is known to be inside `root`.
pub fn module_file(root: &Path, path: &str) -> Result<PathBuf, ImportRefused> {
    if !stays_inside(path) {
        return Err(ImportRefused::Outside(path.to_string()));
    }
    let file = root.join(format!("{path}.rhai"));
    let Ok(real) = file.canonicalize() else {
        return Err(ImportRefused::Missing { path: path.to_string(), file });
    };
    let real_root = root.canonicalize().map_err(ImportRefused::Unreadable)?;
    if !real.starts_with(&real_root) || !real.is_file() {
        return Err(ImportRefused::LeadsOutside { path: path.to_string(), real });
    }
    Ok(real)
}

impl ModuleResolver for CheckedModulesResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        position: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let _ = source;
        // Not `ErrorModuleNotFound`: Rhai would replace the reason with the bare path.
        let refuse = |reason: String| {
            EvalAltResult::ErrorInModule(
                path.to_string(),
                EvalAltResult::ErrorRuntime(reason.into(), position).into(),
                position,
            )
        };
        let Some(module) = self.modules.modules.get(path) else {
            return Err(refuse(format!(
                "`{path}` was not checked before the run: a runbook imports only the modules validation read (plain string paths inside the runbooks folder)"
            ))
            .into());
        };
        let mut ast = engine.compile(&module.text).map_err(|error| {
            EvalAltResult::ErrorInModule(path.to_string(), error.into(), position)
        })?;
        ast.set_source(module.file.display().to_string());
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(|error| EvalAltResult::ErrorInModule(path.to_string(), error, position))?;
        Ok(module.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_paths_without_parent_steps_stay_inside() {
        assert!(stays_inside("lib/helpers"));
        assert!(stays_inside("helpers"));
        assert!(!stays_inside("../secrets"));
        assert!(!stays_inside("lib/../../etc/passwd"));
        assert!(!stays_inside("/etc/passwd"));
        assert!(!stays_inside("./helpers"));
        assert!(!stays_inside("evil.x"));
        assert!(!stays_inside("lib//x"));
    }

    #[test]
    fn a_run_imports_only_the_checked_text() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("inside.rhai");
        std::fs::write(&file, "fn y() { 666 }").unwrap();
        let mut checked = CheckedModules::default();
        checked.insert("inside", &file, "fn y() { 2 }");
        let mut engine = Engine::new();
        engine.set_module_resolver(CheckedModulesResolver::new(Arc::new(checked)));
        let ran = engine.eval::<i64>("import \"inside\" as inside; inside::y()");
        assert_eq!(ran.unwrap(), 2, "the checked text, not the file as it is now");
        for unchecked in ["../x", "/etc/passwd", "evil", "inside.rhai"] {
            let refused =
                engine.run(&format!("import \"{unchecked}\" as x;")).unwrap_err().to_string();
            assert!(refused.contains("was not checked"), "{unchecked}: {refused}");
        }
    }

    #[test]
    fn a_symlink_out_of_the_folder_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.rhai"), "fn x() { 1 }").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.rhai"),
            root.path().join("lib.rhai"),
        )
        .unwrap();
        std::fs::write(root.path().join("inside.rhai"), "fn y() { 2 }").unwrap();
        let refused = module_file(root.path(), "lib").unwrap_err();
        assert!(matches!(refused, ImportRefused::LeadsOutside { .. }), "{refused}");
        assert!(module_file(root.path(), "inside").is_ok());
    }
}
