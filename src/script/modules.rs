//! Rhai `import` for runbooks: only modules inside the runbooks folder, never a path that leaves it.

use std::path::{Component, Path, PathBuf};

use rhai::module_resolvers::FileModuleResolver;
use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Shared};

/// Resolves `import "lib/helpers" as helpers;` to `RUNBOOKS/lib/helpers.rhai`.
pub struct RunbooksFolderResolver {
    files: FileModuleResolver,
}

impl RunbooksFolderResolver {
    pub fn new(root: &Path) -> Self {
        Self {
            files: FileModuleResolver::new_with_path(PathBuf::from(root)),
        }
    }
}

/// Whether `path` stays inside the folder: relative, and without `..`.
pub fn stays_inside(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty()
        && path
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}

impl ModuleResolver for RunbooksFolderResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        position: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        if !stays_inside(path) {
            return Err(EvalAltResult::ErrorModuleNotFound(
                format!("{path} (imports come only from inside the runbooks folder)"),
                position,
            )
            .into());
        }
        self.files.resolve(engine, source, path, position)
    }
}

#[cfg(test)]
mod tests {
    use super::stays_inside;

    #[test]
    fn only_relative_paths_without_parent_steps_stay_inside() {
        assert!(stays_inside("lib/helpers"));
        assert!(stays_inside("helpers"));
        assert!(!stays_inside("../secrets"));
        assert!(!stays_inside("lib/../../etc/passwd"));
        assert!(!stays_inside("/etc/passwd"));
        assert!(!stays_inside("./helpers"));
    }
}
