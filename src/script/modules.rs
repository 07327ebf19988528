//! Rhai `import` for runbooks: only modules whose real path (symlinks followed) is inside the
//! runbooks folder, and exactly the file that was checked is the one compiled.

use std::path::{Path, PathBuf};

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};

/// Resolves `import "lib/helpers" as helpers;` to `RUNBOOKS/lib/helpers.rhai`.
pub struct RunbooksFolderResolver {
    root: PathBuf,
}

impl RunbooksFolderResolver {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
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

/// The file an import names, once its real path is known to be inside `root`.
pub fn module_file(root: &Path, path: &str) -> Result<PathBuf, String> {
    if !stays_inside(path) {
        return Err(format!(
            "`{path}` is outside the runbooks folder (imports come only from inside it)"
        ));
    }
    let file = root.join(format!("{path}.rhai"));
    let real = file
        .canonicalize()
        .map_err(|_| format!("no module `{path}`: `{}` does not exist", file.display()))?;
    let real_root = root
        .canonicalize()
        .map_err(|error| format!("cannot read the runbooks folder: {error}"))?;
    if !real.starts_with(&real_root) || !real.is_file() {
        return Err(format!(
            "`{path}` leads outside the runbooks folder (to `{}`)",
            real.display()
        ));
    }
    Ok(real)
}

impl ModuleResolver for RunbooksFolderResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        position: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let _ = source;
        // Not `ErrorModuleNotFound`: Rhai would replace the reason with the bare path.
        let file = module_file(&self.root, path).map_err(|reason| {
            EvalAltResult::ErrorInModule(
                path.to_string(),
                EvalAltResult::ErrorRuntime(reason.into(), position).into(),
                position,
            )
        })?;
        let mut ast = engine
            .compile_file(file.clone())
            .map_err(|error| EvalAltResult::ErrorInModule(path.to_string(), error, position))?;
        ast.set_source(file.display().to_string());
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
    fn the_runtime_resolver_refuses_what_validation_would() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("inside.rhai"), "fn y() { 2 }").unwrap();
        let mut engine = Engine::new();
        engine.set_module_resolver(RunbooksFolderResolver::new(root.path()));
        let ran = engine.eval::<i64>("import \"inside\" as inside; inside::y()");
        assert_eq!(ran.unwrap(), 2);
        for outside in ["../x", "/etc/passwd", "evil.x", "inside.rhai"] {
            let refused = engine
                .run(&format!("import \"{outside}\" as x;"))
                .unwrap_err()
                .to_string();
            assert!(
                refused.contains("outside") || refused.contains("not found"),
                "{outside}: {refused}"
            );
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
        assert!(refused.contains("leads outside"), "{refused}");
        assert!(module_file(root.path(), "inside").is_ok());
    }
}
