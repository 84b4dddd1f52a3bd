//! The crate's floors (docs/architecture.md): every module of src/ sits on a declared floor, no
//! import goes up a floor, and no modules import each other in a circle.
//!
//! The imports are read from the source with `syn`: `use` items, paths in code and types
//! (`crate::dates::dmy(d)`), and `crate::…` paths inside macros (`format!`, `macro_rules!`
//! bodies). A path is resolved to the longest module (file) it names; `super::`/`self::` are
//! taken relative to the module (inline `mod tests` included) they are written in, and
//! `kehoach::` in main.rs is the library's root. A directory's `mod.rs` and its own files (and a
//! file and the files of its directory, as report/context.rs and report/context/) are one unit:
//! the parent declares, re-exports and assembles its files, the files use the parent's shared
//! model; imports between a module and its own ancestors are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// The floors, top to bottom. A module may import modules on its own floor or below, never
/// above. `name::*` stands for the modules under `name` not named anywhere else.
const FLOORS: &[&[&str]] = &[
    // The binary: parse, run, print the error.
    &["main"],
    // The commands: the only code that prints and reads the clock.
    &["cmd", "cmd::*"],
    // The command line definition and its Vietnamese face.
    &["cli", "cli::vi"],
    // The consolidation of many communes' report contexts.
    &["rollup", "rollup::*"],
    // Reports: JSON printing, templates, template data, the context and its steps, charts.
    &["report::json"],
    &["report::templates"],
    &["report::render", "report::xlsx"],
    &["report", "report::context", "report::context::*"],
    &[
        "report::charts",
        "report::docx",
        "report::stats",
        "report::*",
    ],
    // The folder's history (git): provenance, the audit of committed rows, who added a row.
    &["history", "history::*"],
    // A plan folder loaded whole.
    &["folder"],
    // What is due, then the work findings.
    &["deadlines"],
    &["check"],
    // Rows from options and from other people's files, tables for other tools, the procedure
    // catalogue's lookup, loose names and dossier codes at the counter.
    &[
        "entry",
        "import",
        "import::*",
        "export",
        "export::*",
        "catalogue",
        "output",
        "lookup",
    ],
    // The records: reading (scanner, dossier ids and facts), appending, the model.
    &["records::read", "records::*"],
    &["records::dossier"],
    &[
        "records",
        "records::append",
        "records::journal",
        "records::control",
        "records::ids",
        "records::intern",
        "records::scan",
    ],
    // The plan.
    &["plan"],
    // Findings, their wording, periods and working days.
    &["findings"],
    &[
        "messages",
        "messages::safety",
        "messages::history",
        "messages::*",
    ],
    &["period", "calendar", "relative"],
    // Leaves: finding codes, record cell codes, schemes of periods, the user's language,
    // iCalendar text, workbooks, threads, what is asked of the OS (huge pages, a thread's
    // priority), kinds of files, files hashed a piece at a time.
    &[
        "code",
        "records::codes",
        "scheme",
        "lang",
        "ics",
        "spreadsheet",
        "par",
        "os",
        "files",
        "pieces",
    ],
    // Vietnamese dates and text.
    &["dates", "text", "controls"],
];

/// The module path of a file under src/: `records/read.rs` → `records::read`, `lib.rs` → ``.
fn module_of(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) && !(parts.len() == 1 && parts[0] == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The paths a `use` item names, whole (`use a::{b, c::d as e, f::*}`: `a::b`, `a::c::d`,
/// `a::f`; `self` names its parent).
fn use_paths(prefix: &mut Vec<String>, tree: &syn::UseTree, out: &mut Vec<Vec<String>>) {
    let whole = |prefix: &Vec<String>, last: Option<&syn::Ident>| {
        let mut path = prefix.clone();
        path.extend(last.filter(|i| *i != "self").map(ToString::to_string));
        path
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(prefix, &p.tree, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push(whole(prefix, Some(&n.ident))),
        syn::UseTree::Rename(r) => out.push(whole(prefix, Some(&r.ident))),
        syn::UseTree::Glob(_) => out.push(whole(prefix, None)),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(prefix, tree, out);
            }
        }
    }
}

/// Every path one file names, made absolute (`["records", "read", "load"]`).
struct Paths<'a> {
    /// The module the code being visited is in: the file's module, then any inline `mod`.
    here: Vec<String>,
    modules: &'a BTreeSet<String>,
    found: BTreeSet<Vec<String>>,
}

impl Paths<'_> {
    /// Makes a path absolute, or `None` for a path into another crate or a local name.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let mut base = match first.as_str() {
            "crate" | "kehoach" => Vec::new(),
            "self" => self.here.clone(),
            "super" => {
                let mut base = self.here.clone();
                base.pop();
                base
            }
            _ => {
                // A relative path from a module to a module declared in it (`read::load`); a
                // path of one name is a local name, never a module.
                if rest.is_empty() {
                    return None;
                }
                let mut child = self.here.clone();
                child.push(first.clone());
                if !self.modules.contains(&child.join("::")) {
                    return None;
                }
                child.extend(rest.iter().cloned());
                return Some(child);
            }
        };
        let mut rest = rest;
        while let Some((s, tail)) = rest.split_first() {
            if s != "super" {
                break;
            }
            base.pop();
            rest = tail;
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn add(&mut self, segments: &[String]) {
        if let Some(path) = self.absolute(segments) {
            self.found.insert(path);
        }
    }

    /// `crate::a::b` (and `super::`, `self::`) sequences in a macro's tokens.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            if let TokenTree::Group(g) = &trees[i] {
                self.tokens(g.stream());
            }
            let starts = matches!(&trees[i], TokenTree::Ident(id)
                if id == "crate" || id == "super" || id == "self" || id == "kehoach");
            if starts {
                let mut path = vec![trees[i].to_string()];
                let mut j = i + 1;
                loop {
                    let colons = matches!((&trees.get(j), &trees.get(j + 1)),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                            if a.as_char() == ':' && b.as_char() == ':');
                    match (colons, trees.get(j + 2)) {
                        (true, Some(TokenTree::Ident(id))) => {
                            path.push(id.to_string());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                if path.len() > 1 {
                    self.add(&path);
                }
                i = j;
            } else {
                i += 1;
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if m.content.is_some() {
            self.here.push(m.ident.to_string());
            syn::visit::visit_item_mod(self, m);
            self.here.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&mut Vec::new(), &u.tree, &mut paths);
        for path in paths {
            self.add(&path);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segments);
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }
}

/// The modules of src/ and, for each, the modules it imports (ancestors left out); read once
/// for all the tests here (parsing every file takes a while in a debug build).
fn imports() -> &'static BTreeMap<String, BTreeSet<String>> {
    static GRAPH: std::sync::OnceLock<BTreeMap<String, BTreeSet<String>>> =
        std::sync::OnceLock::new();
    GRAPH.get_or_init(read_imports)
}

fn read_imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f.strip_prefix(&src).expect("under src")))
        .collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(file.strip_prefix(&src).expect("under src"));
        let text = std::fs::read_to_string(file).expect("reading a source file");
        let ast = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        let here: Vec<String> = if module.is_empty() || module == "main" {
            Vec::new()
        } else {
            module.split("::").map(str::to_string).collect()
        };
        let mut paths = Paths {
            here,
            modules: &modules,
            found: BTreeSet::new(),
        };
        paths.visit_file(&ast);
        let mut targets = BTreeSet::new();
        for path in paths.found {
            // The longest module the path names.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|m| modules.contains(m) || m.is_empty())
                .unwrap_or_default();
            let related = |a: &str, b: &str| {
                a.is_empty() || b.is_empty() || a == b || b.starts_with(&format!("{a}::"))
            };
            if !related(&module, &target) && !related(&target, &module) {
                targets.insert(target);
            }
        }
        graph.insert(module, targets);
    }
    graph
}

/// The floor of a module: 0 at the top.
fn floor_of(module: &str) -> Option<usize> {
    let exact = FLOORS.iter().position(|f| f.contains(&module));
    exact.or_else(|| {
        // The nearest `prefix::*` above the module.
        let mut best: Option<(usize, usize)> = None;
        for (i, floor) in FLOORS.iter().enumerate() {
            for pattern in floor.iter() {
                if let Some(prefix) = pattern.strip_suffix("::*")
                    && module.starts_with(&format!("{prefix}::"))
                    && best.is_none_or(|(len, _)| prefix.len() > len)
                {
                    best = Some((prefix.len(), i));
                }
            }
        }
        best.map(|(_, i)| i)
    })
}

/// The import circles of a graph: for each strongly connected component with more than one
/// module, one circle through it and all its modules.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<(Vec<String>, BTreeSet<String>)> {
    // Which modules reach which (a few dozen modules: a plain transitive closure).
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) || !reaches[m].contains(m) {
            continue;
        }
        let component: BTreeSet<String> = reaches[m]
            .iter()
            .filter(|o| reaches.get(o).is_some_and(|r| r.contains(m)))
            .cloned()
            .collect();
        done.extend(component.iter().cloned());
        // One circle: from m, step to a module of the component until m comes back.
        let mut circle = vec![m.clone()];
        let mut at = m.clone();
        loop {
            let next = graph[&at]
                .iter()
                .find(|n| *n == m || (component.contains(*n) && !circle.contains(n)))
                .or_else(|| graph[&at].iter().find(|n| component.contains(*n)))
                .expect("a module of a circle imports another of it")
                .clone();
            circle.push(next.clone());
            if next == *m || circle.len() > component.len() + 1 {
                break;
            }
            at = next;
        }
        out.push((circle, component));
    }
    out
}

#[test]
fn no_module_imports_in_a_circle() {
    let found = circles(imports());
    assert!(
        found.is_empty(),
        "import circles:\n{}",
        found
            .iter()
            .map(|(circle, modules)| format!(
                "{} (the circle's modules: {})",
                circle.join(" → "),
                modules.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The problems of a graph against the floors.
fn upward_imports(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (module, targets) in graph {
        if module.is_empty() {
            continue;
        }
        let Some(from) = floor_of(module) else {
            problems.push(format!(
                "{module} is on no floor: give it one in FLOORS (tests/cli/architecture.rs) and docs/architecture.md"
            ));
            continue;
        };
        for target in targets {
            match floor_of(target) {
                Some(to) if to < from => problems.push(format!(
                    "{module} (floor {from}) imports {target} (floor {to}), a floor above it"
                )),
                _ => {}
            }
        }
    }
    problems
}

#[test]
fn every_import_goes_down_the_floors() {
    let problems = upward_imports(imports());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_finds_circles_and_upward_imports() {
    // The checks themselves, on a made-up graph: a → b → c → a is a circle; c imports a, which
    // is above it.
    let edges = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")];
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in edges {
        graph.entry(from.into()).or_default().insert(to.into());
        graph.entry(to.into()).or_default();
    }
    let found = circles(&graph);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, ["a", "b", "c", "a"]);
    assert_eq!(
        found[0].1,
        BTreeSet::from(["a".into(), "b".into(), "c".into()])
    );
    // An import from a leaf up to the plan, or from the plan up to a command, is refused.
    let mut up = BTreeMap::new();
    up.insert("text".to_string(), BTreeSet::from(["plan".to_string()]));
    up.insert(
        "plan".to_string(),
        BTreeSet::from(["cmd::report".to_string()]),
    );
    assert_eq!(upward_imports(&up).len(), 2, "{:?}", upward_imports(&up));
    // Our own graph has the modules the floors name, and real imports between them.
    let ours = imports();
    assert!(ours["report::render"].contains("report::context"));
    assert!(ours["plan"].contains("findings"));
    assert!(ours["messages"].contains("period"));
    assert!(ours["main"].contains("cli"), "{:?}", ours["main"]);
    assert_eq!(floor_of("main"), Some(0));
    assert!(floor_of("text") > floor_of("plan"));
    assert_eq!(
        floor_of("records::kind::activity"),
        floor_of("records::read")
    );
    assert_eq!(floor_of("records::codes"), floor_of("scheme"));
}

#[test]
fn the_floors_name_only_modules_that_exist() {
    let graph = imports();
    for floor in FLOORS {
        for pattern in floor.iter() {
            let exists = match pattern.strip_suffix("::*") {
                Some(prefix) => graph.contains_key(prefix),
                None => graph.contains_key(*pattern),
            };
            assert!(exists, "FLOORS names {pattern}, which is no module of src/");
        }
    }
}

/// `std::thread`'s ways to start a thread; only `par` calls them (docs/architecture.md).
const THREAD_STARTS: &[&str] = &["spawn", "scope", "Builder"];

/// Where code names a way to start a thread, tests left out (a test may stand in for a second
/// process with a thread of its own).
#[derive(Default)]
struct ThreadStarts {
    found: Vec<String>,
}

impl ThreadStarts {
    fn is_test(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            a.path().is_ident("test")
                || (a.path().is_ident("cfg")
                    && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"))
        })
    }

    fn check(&mut self, names: Vec<String>) {
        if names
            .windows(2)
            .any(|w| w[0] == "thread" && THREAD_STARTS.contains(&w[1].as_str()))
        {
            self.found.push(names.join("::"));
        }
    }

    fn of(text: &str) -> Vec<String> {
        let ast = syn::parse_file(text).expect("a source file parses");
        let mut starts = ThreadStarts::default();
        starts.visit_file(&ast);
        starts.found
    }
}

impl<'ast> Visit<'ast> for ThreadStarts {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !ThreadStarts::is_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !ThreadStarts::is_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&mut Vec::new(), &u.tree, &mut paths);
        for path in paths {
            self.check(path);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        self.check(p.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, p);
    }
}

#[test]
fn only_os_has_unsafe_code() {
    // The crate denies `unsafe_code`; the one module allowed it is src/os.rs (`madvise`,
    // `setpriority`, a prefetch and the SHA instructions, and `mincore` in its tests).
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let allowed: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .expect("reading a source file")
                .contains("allow(unsafe_code)")
        })
        .map(|f| module_of(f.strip_prefix(&src).expect("under src")))
        .collect();
    assert_eq!(allowed, ["os"]);
}

#[test]
fn only_par_starts_threads() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        if module_of(rel) == "par" {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("reading a source file");
        for start in ThreadStarts::of(&text) {
            found.push(format!("{}: {start}", rel.display()));
        }
    }
    assert!(found.is_empty(), "threads started outside par: {found:#?}");
    // The check sees a thread started through a `use`, or by its whole path, and passes over
    // the tests'.
    assert_eq!(
        ThreadStarts::of(
            "use std::thread::{self, spawn};\n\
             fn a() { std::thread::scope(|s| {}); thread::Builder::new(); }\n\
             #[cfg(test)] mod tests { fn b() { std::thread::spawn(|| ()); } }\n\
             #[test] fn c() { std::thread::spawn(|| ()); }"
        ),
        [
            "std::thread::spawn",
            "std::thread::scope",
            "thread::Builder::new"
        ]
    );
}
