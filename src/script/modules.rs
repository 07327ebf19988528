//! Rhai `import` for runbooks: only modules whose real path (symlinks followed) is inside the
//! runbooks folder.

use std::path::{Component, Path, PathBuf};

use rhai::module_resolvers::FileModuleResolver;
use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Shared};

/// Resolves `import "lib/helpers" as helpers;` to `RUNBOOKS/lib/helpers.rhai`.
pub struct RunbooksFolderResolver {
    root: PathBuf,
    files: FileModuleResolver,
}

impl RunbooksFolderResolver {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            files: FileModuleResolver::new_with_path(PathBuf::from(root)),
        }
    }
}

/// Whether `path` is written to stay inside the folder: relative, and without `..`.
pub fn stays_inside(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty()
        && path
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
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
        if let Err(reason) = module_file(&self.root, path) {
            return Err(EvalAltResult::ErrorModuleNotFound(reason, position).into());
        }
        self.files.resolve(engine, source, path, position)
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
