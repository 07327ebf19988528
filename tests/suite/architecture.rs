//! The house's rules, checked on the source itself (docs/architecture.md, "Dependency rules"):
//! a layer imports only the layers below it, no circle between folders and at most one inside a
//! folder, no function over 60 lines but the route table, modules private behind facades, and at
//! most three test binaries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The layers, lowest first: a module may import its own folder and the folders of lower layers.
/// A new top-level module must be placed here, which is the point: where it sits is a decision.
const LAYERS: &[&[&str]] = &[
    &["exit", "clock", "duration", "identifiers", "lines", "people_time", "visible"],
    &["interrupt", "script", "local", "redact"],
    &["heroku"],
    &["effects"],
    &["ops"],
    &["runbook"],
    &["journal"],
    &["output"],
    &["team"],
    &["notify", "incident"],
    &["crash"],
    &["exec", "docs", "authoring", "sim"],
    &["testing"],
    &["cli"],
    &["settings"],
    &["commands"],
    &["fuzzing"],
];

/// The one function allowed over the limit: a table, read top to bottom.
const LONG_ALLOWED: &[&str] = &["sim::api::router"];
const MAX_FUNCTION_LINES: usize = 60;
const MAX_PUBLIC_MODULES: usize = 30;
const LIBRARY_SURFACE: &[&str] = &["cli", "commands", "crash", "fuzzing"];

#[test]
fn layers_import_only_downwards() {
    let house = House::read();
    let mut wrong = Vec::new();
    for (from, targets) in &house.edges {
        for to in targets {
            let (from_folder, to_folder) = (folder(from), folder(to));
            if from_folder == to_folder || from_folder.is_empty() {
                continue;
            }
            if layer(from_folder) <= layer(to_folder) {
                wrong.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn the_simulator_and_the_loader_know_only_what_they_need() {
    let house = House::read();
    let allowed: &[(&str, &[&str])] = &[
        ("sim", &["heroku", "heroku::types", "clock", "duration", "identifiers"]),
        ("runbook", &["ops", "script", "duration", "identifiers", "visible"]),
    ];
    let mut wrong = Vec::new();
    for (top, may_use) in allowed {
        for (from, targets) in house.edges.iter().filter(|(from, _)| folder(from) == *top) {
            for to in targets.iter().filter(|to| folder(to) != *top) {
                if !may_use.contains(&to.as_str()) {
                    wrong.push(format!("{from} imports {to}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports beyond the rules:\n{}", wrong.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let house = House::read();
    let unplaced: BTreeSet<&str> = house
        .modules
        .keys()
        .map(|module| folder(module))
        .filter(|top| !top.is_empty())
        .filter(|top| LAYERS.iter().all(|layer| !layer.contains(top)))
        .collect();
    assert!(unplaced.is_empty(), "modules without a layer: {unplaced:?}");
}

#[test]
fn no_circle_between_folders_and_at_most_one_inside_each() {
    let house = House::read();
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &house.edges {
        for to in targets {
            if folder(from) != folder(to) && !folder(from).is_empty() {
                folders.entry(folder(from).to_string()).or_default().insert(folder(to).to_string());
            }
        }
    }
    let between = circles(&folders);
    assert!(between.is_empty(), "circles between folders: {between:?}");

    for top in house.modules.keys().map(|module| folder(module)) {
        let inside: BTreeMap<String, BTreeSet<String>> = house
            .edges
            .iter()
            .filter(|(from, _)| folder(from) == top)
            .map(|(from, targets)| {
                let same = targets.iter().filter(|to| folder(to) == top).cloned();
                (from.clone(), same.collect())
            })
            .collect();
        let found = circles(&inside);
        assert!(found.len() <= 1, "more than one circle in {top}: {found:?}");
    }
}

#[test]
fn no_function_is_longer_than_sixty_lines_but_the_route_table() {
    let house = House::read();
    let long: Vec<String> = house
        .functions
        .iter()
        .filter(|function| function.lines > MAX_FUNCTION_LINES)
        .filter(|function| !LONG_ALLOWED.contains(&function.qualified().as_str()))
        .map(|function| format!("{} ({} lines)", function.qualified(), function.lines))
        .collect();
    assert!(long.is_empty(), "functions over {MAX_FUNCTION_LINES} lines:\n{}", long.join("\n"));
}

#[test]
fn modules_are_private_behind_facades() {
    let house = House::read();
    let public: Vec<&String> =
        house.modules.iter().filter(|(_, module)| module.public).map(|(name, _)| name).collect();
    assert!(
        public.len() <= MAX_PUBLIC_MODULES,
        "{} public modules (at most {MAX_PUBLIC_MODULES}): {public:?}",
        public.len()
    );
    let surface: Vec<&str> =
        public.iter().filter(|name| !name.contains("::")).map(|name| name.as_str()).collect();
    assert_eq!(surface, LIBRARY_SURFACE, "the library's public modules");
}

/// Lines of `src/` that hold `needle`, as `file:line`.
fn lines_holding(needle: &str, under: &str) -> Vec<String> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in rust_files(&source.join(under)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains(needle) {
                found.push(format!("{}:{}", file.display(), number + 1));
            }
        }
    }
    found
}

#[test]
fn paths_name_their_module_from_the_crate_not_by_climbing() {
    let climbing = lines_holding("super::super", "");
    assert!(
        climbing.is_empty(),
        "write `crate::...` rather than climb with `super::super`: {climbing:?}"
    );
}

#[test]
fn operations_hand_typed_values_to_each_other_never_any() {
    let boxed = lines_holding("dyn Any", "ops");
    assert!(
        boxed.is_empty(),
        "a prepared write carries a typed payload, never `dyn Any`: {boxed:?}"
    );
    let downcast = lines_holding("downcast", "ops");
    assert!(downcast.is_empty(), "no downcast: {downcast:?}");
}

#[test]
fn no_unsafe_code_and_no_any_anywhere() {
    let unsafe_code: Vec<String> = ["unsafe {", "unsafe fn", "unsafe impl"]
        .iter()
        .flat_map(|needle| lines_holding(needle, ""))
        .collect();
    assert!(
        unsafe_code.is_empty(),
        "no `unsafe` in src/: a maintained crate does it (cap for the counting allocator, rustix for terminals and process groups): {unsafe_code:?}"
    );
    let boxed: Vec<String> = ["dyn Any", "any::Any", "downcast"]
        .iter()
        .flat_map(|needle| lines_holding(needle, ""))
        .collect();
    assert!(boxed.is_empty(), "no `dyn Any`, however spelled, and no downcast: {boxed:?}");
}

#[test]
fn no_error_is_a_bare_string_outside_main() {
    let planted = syn::parse_file(
        "fn planted() -> std::result::Result<(), String> { Ok(()) }\ntype Kept = Result<u8, std::io::Error>;",
    )
    .unwrap();
    assert_eq!(string_errors(&planted), [1], "the rule sees a planted one");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let stringly: Vec<String> = rust_files(&source)
        .into_iter()
        .filter(|path| !path.ends_with("src/main.rs"))
        .flat_map(|path| {
            let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
            string_errors(&file).into_iter().map(move |line| format!("{}:{line}", path.display()))
        })
        .collect();
    assert!(
        stringly.is_empty(),
        "an error says what went wrong as a type (a thiserror enum or struct), not as a `String`: {stringly:?}"
    );
}

/// The lines of `file` where a `Result<_, String>` is written.
fn string_errors(file: &syn::File) -> Vec<usize> {
    struct Finder(Vec<usize>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_path(&mut self, typed: &'ast syn::TypePath) {
            if let Some(last) = typed.path.segments.last()
                && last.ident == "Result"
                && let syn::PathArguments::AngleBracketed(arguments) = &last.arguments
                && let Some(syn::GenericArgument::Type(syn::Type::Path(error))) =
                    arguments.args.get(1)
                && error.path.is_ident("String")
            {
                self.0.push(last.ident.span().start().line);
            }
            syn::visit::visit_type_path(self, typed);
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_file(file);
    finder.0
}

#[test]
fn there_are_at_most_three_test_binaries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let mut binaries = vec!["the library's unit tests".to_string()];
    if !manifest.contains("test = false") {
        binaries.push("the binary's unit tests".into());
    }
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let path = entry.unwrap().path();
        let is_test = (path.is_file() && path.extension().is_some_and(|ext| ext == "rs"))
            || path.join("main.rs").is_file();
        if is_test {
            binaries.push(path.display().to_string());
        }
    }
    binaries.extend(manifest.matches("[[test]]").map(|_| "a [[test]] target".to_string()));
    assert!(binaries.len() <= 3, "test binaries: {binaries:?}");
}

fn folder(module: &str) -> &str {
    module.split("::").next().unwrap_or_default()
}

fn layer(top: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&top))
        .unwrap_or_else(|| panic!("{top} has no layer"))
}

/// The strongly connected parts of more than one node (Tarjan's algorithm).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Search<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, node: &'a str) {
            let number = self.index.len();
            self.index.insert(node, number);
            self.low.insert(node, number);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next.as_str()) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next.as_str()]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next.as_str()) {
                    let low = self.low[node].min(self.index[next.as_str()]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let at = self.stack.iter().rposition(|each| *each == node).unwrap();
                let part: Vec<String> = self.stack.drain(at..).map(str::to_string).collect();
                if part.len() > 1 {
                    self.found.push(part);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !search.index.contains_key(node.as_str()) {
            search.visit(node);
        }
    }
    search.found
}

/// The modules of `src/`, what each imports, and every function's length.
struct House {
    modules: BTreeMap<String, Module>,
    edges: BTreeMap<String, BTreeSet<String>>,
    functions: Vec<Function>,
}

struct Module {
    public: bool,
}

struct Function {
    module: String,
    name: String,
    lines: usize,
}

impl Function {
    fn qualified(&self) -> String {
        format!("{}::{}", self.module, self.name)
    }
}

impl House {
    fn read() -> Self {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let files: Vec<(String, syn::File)> = rust_files(&source)
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).unwrap();
                let parsed = syn::parse_file(&text)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                (module_of(&source, &path), parsed)
            })
            .collect();
        let mut modules: BTreeMap<String, Module> =
            files.iter().map(|(name, _)| (name.clone(), Module { public: false })).collect();
        let mut house =
            House { modules: BTreeMap::new(), edges: BTreeMap::new(), functions: Vec::new() };
        let known: BTreeSet<String> = modules.keys().cloned().collect();
        for (name, file) in &files {
            let mut reader = Reader {
                module: name.clone(),
                known: &known,
                imports: BTreeSet::new(),
                functions: Vec::new(),
                public_children: Vec::new(),
            };
            reader.visit_file(file);
            for child in reader.public_children {
                let child = join(name, &child);
                if let Some(module) = modules.get_mut(&child) {
                    module.public = true;
                }
            }
            house.edges.insert(name.clone(), reader.imports);
            house.functions.extend(reader.functions);
        }
        house.modules = modules;
        house
    }
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() { child.to_string() } else { format!("{parent}::{child}") }
}

fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    found
}

/// `src/exec/gate.rs` is `exec::gate`, `src/exec/mod.rs` is `exec`, `lib.rs` and `main.rs` the root.
fn module_of(source: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(source).unwrap().with_extension("");
    let mut parts: Vec<String> =
        relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts.join("::")
}

/// Walks one file: the modules it names through `crate::` and `super::`, and its functions.
struct Reader<'a> {
    module: String,
    known: &'a BTreeSet<String>,
    imports: BTreeSet<String>,
    functions: Vec<Function>,
    public_children: Vec<String>,
}

impl Reader<'_> {
    /// The longest known module that `segments` (from this module) names, if any.
    fn resolve(&self, segments: &[String]) -> Option<String> {
        let (mut base, rest): (Vec<String>, &[String]) = match segments.first()?.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "super" | "self" => {
                let mut base: Vec<String> = self.module.split("::").map(String::from).collect();
                base.retain(|part| !part.is_empty());
                let mut rest = segments;
                while let Some(first) = rest.first() {
                    match first.as_str() {
                        "super" => {
                            base.pop();
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                (base, rest)
            }
            _ => return None,
        };
        let start = base.len();
        base.extend(rest.iter().cloned());
        (start..=base.len())
            .rev()
            .map(|end| base[..end].join("::"))
            .find(|candidate| self.known.contains(candidate))
    }

    fn import(&mut self, segments: &[String]) {
        if let Some(target) = self.resolve(segments) {
            let own_child = target.starts_with(&format!("{}::", self.module));
            if target != self.module && !own_child {
                self.imports.insert(target);
            }
        }
    }

    fn function(&mut self, name: &syn::Ident, block: &syn::Block) {
        let start = name.span().start().line;
        let end = block.brace_token.span.close().end().line;
        self.functions.push(Function {
            module: self.module.clone(),
            name: name.to_string(),
            lines: end + 1 - start,
        });
    }
}

fn is_test_only(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute.parse_args::<syn::Ident>().is_ok_and(|word| word == "test")
    })
}

/// Every path a `use` tree names, as segment lists.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_paths(&path.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let mut full = prefix.clone();
            if name.ident != "self" {
                full.push(name.ident.to_string());
            }
            out.push(full);
        }
        syn::UseTree::Rename(rename) => {
            let mut full = prefix.clone();
            full.push(rename.ident.to_string());
            out.push(full);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(group) => {
            for item in &group.items {
                use_paths(item, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if is_test_only(&item.attrs) {
            return;
        }
        if matches!(item.vis, syn::Visibility::Public(_)) && item.content.is_none() {
            self.public_children.push(item.ident.to_string());
        }
        syn::visit::visit_item_mod(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut paths);
        for path in paths {
            self.import(&path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> =
            path.segments.iter().map(|segment| segment.ident.to_string()).collect();
        self.import(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if is_test_only(&item.attrs) {
            return;
        }
        self.function(&item.sig.ident, &item.block);
        syn::visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.function(&item.sig.ident, &item.block);
        syn::visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.function(&item.sig.ident, block);
        }
        syn::visit::visit_trait_item_fn(self, item);
    }
}
