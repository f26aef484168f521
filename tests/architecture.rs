//! The shape of the code, checked over the sources (docs/architecture.md):
//! no import cycle between the modules of a crate, and no type or module name
//! used by two crates.
//!
//! Each source file is read as Rust tokens (proc-macro2, so comments and string
//! literals never count); every path that starts with `crate::`, `super::` or
//! `self::` (in `use` items, expressions, types and macro arguments alike) is an
//! edge from the module it stands in to the module it names. Names re-exported
//! by a parent (`pub use child::Name`) count as the child's. Edges between a
//! module and its own ancestors are how a tree of modules is built and are not
//! cycles; every other edge is lifted to the two sibling modules it connects
//! (`sql::rules::drop_column -> sql::engine` is `rules -> engine`), and the
//! siblings of each parent must form a graph without cycles.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A module path inside one crate (`["rules", "drop_column"]`; empty = crate root).
type ModPath = Vec<String>;

#[derive(Debug)]
struct Krate {
    name: String,
    /// Every module of the crate (file modules and inline ones).
    modules: BTreeSet<ModPath>,
    /// `(parent, name) -> child module` for `pub use child::name` re-exports.
    reexports: BTreeMap<(ModPath, String), ModPath>,
    /// Raw paths: (module it stands in, absolute path segments).
    paths: Vec<(ModPath, Vec<String>)>,
    /// `pub struct|enum|type|trait` names with where they are declared.
    types: Vec<(String, String)>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The crates of the workspace: name, source root, root file.
fn crates() -> Vec<(String, PathBuf, PathBuf)> {
    let mut out = vec![(
        "cli".to_string(),
        root().join("crates/cli"),
        root().join("crates/cli/main.rs"),
    )];
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("crates"))
        .expect("crates/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.join("src/lib.rs").is_file())
        .collect();
    dirs.sort();
    for d in dirs {
        let name = d.file_name().expect("name").to_string_lossy().into_owned();
        out.push((name, d.join("src"), d.join("src/lib.rs")));
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module a file is, from its path under the crate's source root.
fn module_of(src: &Path, file: &Path, root_file: &Path) -> ModPath {
    if file == root_file {
        return Vec::new();
    }
    let rel = file.strip_prefix(src).expect("file under its crate");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

fn ident(t: &TokenTree) -> Option<String> {
    match t {
        TokenTree::Ident(i) => Some(i.to_string()),
        _ => None,
    }
}

fn is_colon2(tokens: &[TokenTree], i: usize) -> bool {
    matches!((tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// Reads a path (or use tree) starting at `tokens[i]`, a segment; pushes every
/// full path into `out`; returns the index after it.
fn read_tree(
    tokens: &[TokenTree],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    loop {
        match tokens.get(i) {
            Some(TokenTree::Ident(id)) => {
                path.push(id.to_string());
                i += 1;
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let mut j = 0;
                while j < inner.len() {
                    if ident(&inner[j]).is_some() || matches!(&inner[j], TokenTree::Group(_)) {
                        j = read_tree(&inner, j, path.clone(), out);
                    }
                    // Skip `as alias`, `*` and up to the next comma.
                    while j < inner.len()
                        && !matches!(&inner[j], TokenTree::Punct(p) if p.as_char() == ',')
                    {
                        j += 1;
                    }
                    j += 1;
                }
                return i + 1;
            }
            _ => break,
        }
        if is_colon2(tokens, i) {
            i += 2;
        } else {
            break;
        }
    }
    out.push(path);
    i
}

/// Walks a token stream of module `module`, recording paths, inline modules and
/// public type names.
fn walk(
    stream: TokenStream,
    module: &ModPath,
    file: &str,
    k: &mut Krate,
    public_uses: &mut Vec<(ModPath, Vec<String>)>,
) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        let word = ident(&tokens[i]);
        // A path segment right after `::` is not the start of a path.
        let after_colons = i >= 2 && is_colon2(&tokens, i - 2);
        match word.as_deref() {
            Some("mod") => {
                if let (Some(name), Some(TokenTree::Group(g))) =
                    (tokens.get(i + 1).and_then(ident), tokens.get(i + 2))
                {
                    // Unit tests are not part of the module graph.
                    if name == "tests" || name.ends_with("_tests") {
                        i += 3;
                        continue;
                    }
                    let mut child = module.clone();
                    child.push(name);
                    k.modules.insert(child.clone());
                    walk(g.stream(), &child, file, k, public_uses);
                    i += 3;
                    continue;
                }
                if let Some(name) = tokens.get(i + 1).and_then(ident) {
                    let mut child = module.clone();
                    child.push(name);
                    k.modules.insert(child);
                }
            }
            // Every named type, whatever its visibility: two crates' `Loaded`
            // confuse a reader as much as two public ones.
            Some("struct" | "enum" | "type" | "trait" | "union") if !after_colons => {
                if let Some(name) = tokens.get(i + 1).and_then(ident) {
                    k.types.push((name, file.to_string()));
                }
            }
            Some("use") if i >= 1 && ident(&tokens[i - 1]).as_deref() == Some("pub") => {
                // `pub use child::Name;` in this module: a re-export.
                let mut found = Vec::new();
                read_tree(&tokens, i + 1, Vec::new(), &mut found);
                for p in found {
                    public_uses.push((module.clone(), p));
                }
            }
            Some("crate" | "super" | "self") if !after_colons && is_colon2(&tokens, i + 1) => {
                let mut found = Vec::new();
                let next = read_tree(&tokens, i, Vec::new(), &mut found);
                for p in found {
                    if let Some(abs) = absolute(module, &p) {
                        k.paths.push((module.clone(), abs));
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        if let TokenTree::Group(g) = &tokens[i] {
            walk(g.stream(), module, file, k, public_uses);
        }
        i += 1;
    }
}

/// A `crate::`/`super::`/`self::` path made absolute from `module`.
fn absolute(module: &ModPath, path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String>;
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            base = Vec::new();
            rest = &path[1..];
        }
        Some("self") => {
            base = module.clone();
            rest = &path[1..];
        }
        Some("super") => {
            base = module.clone();
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

fn load(name: &str, src: &Path, root_file: &Path) -> Krate {
    let mut files = Vec::new();
    if name == "cli" {
        for e in std::fs::read_dir(src).expect("crates/cli") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        rust_files(src, &mut files);
    }
    let mut k = Krate {
        name: name.to_string(),
        modules: BTreeSet::new(),
        reexports: BTreeMap::new(),
        paths: Vec::new(),
        types: Vec::new(),
    };
    k.modules.insert(Vec::new());
    let mut public_uses = Vec::new();
    for f in &files {
        let module = module_of(src, f, root_file);
        k.modules.insert(module.clone());
        let text = std::fs::read_to_string(f).expect("source is UTF-8");
        let stream = TokenStream::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not tokenize: {e:?}", f.display()));
        let shown = f.strip_prefix(root()).unwrap_or(f).display().to_string();
        walk(stream, &module, &shown, &mut k, &mut public_uses);
    }
    // `pub use child::Name` (relative to the module, or `self::child::Name`).
    for (module, p) in public_uses {
        let abs = match p.first().map(String::as_str) {
            Some("crate" | "self" | "super") => absolute(&module, &p),
            _ => {
                let mut a = module.clone();
                a.extend(p.iter().cloned());
                Some(a)
            }
        };
        let Some(abs) = abs else { continue };
        let target = resolve_module(&k, &abs);
        if let (Some(last), true) = (abs.last(), target.len() > module.len()) {
            k.reexports.insert((module, last.clone()), target);
        }
    }
    k
}

/// The module a path names: its longest prefix that is a module, following one
/// re-export from there.
fn resolve_module(k: &Krate, path: &[String]) -> ModPath {
    let mut m: ModPath = Vec::new();
    for seg in path {
        let mut next = m.clone();
        next.push(seg.clone());
        if k.modules.contains(&next) {
            m = next;
        } else if let Some(t) = k.reexports.get(&(m.clone(), seg.clone())) {
            return t.clone();
        } else {
            break;
        }
    }
    m
}

/// Sibling edges: `parent -> (from child -> to child)`.
fn sibling_edges(k: &Krate) -> BTreeMap<ModPath, BTreeSet<(String, String)>> {
    let mut out: BTreeMap<ModPath, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, path) in &k.paths {
        let to = resolve_module(k, path);
        let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        if common == from.len() || common == to.len() {
            continue; // one is the other's ancestor (or the same module)
        }
        out.entry(from[..common].to_vec())
            .or_default()
            .insert((from[common].clone(), to[common].clone()));
    }
    out
}

/// The groups of nodes that reach each other (strongly connected components of
/// more than one node): every module in a group imports itself through the others.
fn cycles(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&str> = edges
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(n) = stack.pop() {
            for (a, b) in edges {
                if *a == n && seen.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut done = BTreeSet::new();
    for n in &nodes {
        if done.contains(*n) || !reaches[n].contains(*n) {
            continue;
        }
        let group: Vec<String> = nodes
            .iter()
            .filter(|m| reaches[n].contains(**m) && reaches[**m].contains(*n))
            .map(|m| m.to_string())
            .collect();
        done.extend(group.iter().cloned());
        out.push(group);
    }
    out
}

fn all() -> Vec<Krate> {
    crates()
        .iter()
        .map(|(n, src, rootf)| load(n, src, rootf))
        .collect()
}

fn show(k: &Krate, parent: &ModPath) -> String {
    let mut s = k.name.clone();
    for p in parent {
        s.push_str("::");
        s.push_str(p);
    }
    s
}

/// Every import cycle: `crate::parent: a -> b, b -> a` for each group of sibling
/// modules that import each other.
fn import_cycles(krates: &[Krate]) -> Vec<String> {
    let mut found = Vec::new();
    for k in krates {
        for (parent, edges) in sibling_edges(k) {
            for group in cycles(&edges) {
                let within: Vec<String> = edges
                    .iter()
                    .filter(|(a, b)| group.contains(a) && group.contains(b))
                    .map(|(a, b)| format!("{a} -> {b}"))
                    .collect();
                found.push(format!("{}: {}", show(k, &parent), within.join(", ")));
            }
        }
    }
    found
}

#[test]
fn no_module_imports_itself_through_another() {
    let krates = all();
    // The check reads real edges (a reader that found none would pass anything).
    let edge_count: usize = krates
        .iter()
        .flat_map(|k| sibling_edges(k).into_values())
        .map(|e| e.len())
        .sum();
    assert!(edge_count > 50, "only {edge_count} module edges found");
    let found = import_cycles(&krates);
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        cycles(&edges),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
    let k = load(
        "cli",
        &root().join("crates/cli"),
        &root().join("crates/cli/main.rs"),
    );
    let edges = sibling_edges(&k);
    // init.rs has `use crate::settings::FILE_NAME`.
    assert!(edges[&Vec::new()].contains(&("init".to_string(), "settings".to_string())));
    // End to end over paths: `a::x` uses `b`, `b` uses `a::y`: a cycle between
    // `a` and `b`; `a` and its child `a::x` using each other is not one.
    let m = |p: &str| -> ModPath { p.split("::").map(str::to_string).collect() };
    let k = Krate {
        name: "k".to_string(),
        modules: [Vec::new(), m("a"), m("a::x"), m("a::y"), m("b")]
            .into_iter()
            .collect(),
        reexports: BTreeMap::new(),
        paths: vec![
            (m("a::x"), m("b::f")),
            (m("b"), m("a::y::g")),
            (m("a"), m("a::x::h")),
            (m("a::x"), m("a::i")),
        ],
        types: Vec::new(),
    };
    assert_eq!(import_cycles(&[k]), vec!["k: a -> b, b -> a".to_string()]);
}

/// Prints the module graph of every crate (`cargo test --test architecture -- --nocapture module_graph`).
#[test]
fn module_graph() {
    for k in all() {
        for (parent, edges) in sibling_edges(&k) {
            let list: Vec<String> = edges.iter().map(|(a, b)| format!("{a} -> {b}")).collect();
            println!("{}: {}", show(&k, &parent), list.join(", "));
        }
    }
}

/// Every type or module name used by more than one crate, with where each is
/// declared. Module names every crate may have (`tests`) do not count.
fn shared_names(krates: &[Krate]) -> Vec<String> {
    let common = ["tests"];
    let mut by_name: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut where_: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in krates {
        for m in &k.modules {
            if let Some(last) = m.last().filter(|l| !common.contains(&l.as_str())) {
                by_name
                    .entry(format!("module {last}"))
                    .or_default()
                    .insert(k.name.clone());
                where_
                    .entry(format!("module {last}"))
                    .or_default()
                    .push(format!("{}::{}", k.name, m.join("::")));
            }
        }
        for (t, file) in &k.types {
            by_name
                .entry(format!("type {t}"))
                .or_default()
                .insert(k.name.clone());
            where_
                .entry(format!("type {t}"))
                .or_default()
                .push(file.clone());
        }
    }
    by_name
        .iter()
        .filter(|(_, crates)| crates.len() > 1)
        .map(|(n, _)| format!("{n}: {}", where_[n].join(", ")))
        .collect()
}

#[test]
fn no_type_or_module_name_is_used_by_two_crates() {
    let krates = all();
    // The check reads real names (a reader that found none would pass anything).
    let names: BTreeSet<String> = krates
        .iter()
        .flat_map(|k| {
            k.types.iter().map(|(t, _)| format!("type {t}")).chain(
                k.modules
                    .iter()
                    .filter_map(|m| m.last().map(|l| format!("module {l}"))),
            )
        })
        .collect();
    assert!(names.len() > 100, "only {} names read", names.len());
    let dups = shared_names(&krates);
    assert!(
        dups.is_empty(),
        "names in more than one crate:\n{}",
        dups.join("\n")
    );
}

#[test]
fn the_name_check_sees_a_shared_name() {
    let krate = |name: &str, module: &str, ty: &str| Krate {
        name: name.to_string(),
        modules: [
            Vec::new(),
            vec![module.to_string()],
            vec!["tests".to_string()],
        ]
        .into_iter()
        .collect(),
        reexports: BTreeMap::new(),
        paths: Vec::new(),
        types: vec![(ty.to_string(), format!("{name}/src/lib.rs"))],
    };
    let found = shared_names(&[krate("a", "model", "Node"), krate("b", "model", "Other")]);
    assert_eq!(
        found,
        vec!["module model: a::model, b::model".to_string()],
        "`tests` is common, `Node` is in one crate only"
    );
    let found = shared_names(&[krate("a", "x", "Node"), krate("b", "y", "Node")]);
    assert_eq!(
        found,
        vec!["type Node: a/src/lib.rs, b/src/lib.rs".to_string()]
    );
}

/// Files and counts of the `unsafe` keyword (read as a token: comments and strings
/// do not count) and of `allow(unsafe_code)` in every Rust file of the repository.
fn unsafe_uses() -> BTreeMap<String, usize> {
    let mut files = Vec::new();
    for dir in ["crates", "tests", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    fn count(stream: TokenStream, n: &mut usize) {
        for t in stream {
            match &t {
                TokenTree::Ident(i) if i == "unsafe" || i == "unsafe_code" => *n += 1,
                TokenTree::Group(g) => count(g.stream(), n),
                _ => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable source");
        let stream = TokenStream::from_str(&text).expect("source that lexes");
        let mut n = 0;
        count(stream, &mut n);
        if n > 0 {
            let rel = f.strip_prefix(root()).expect("under the root");
            out.insert(rel.to_string_lossy().replace('\\', "/"), n);
        }
    }
    out
}

/// The workspace denies `unsafe_code`; the one place allowed to use it is the
/// binary's call that sets the allocator's purge delay (`allow(unsafe_code)` and
/// one `unsafe` block, in `crates/cli/main.rs`).
#[test]
fn the_only_unsafe_is_the_allocator_option() {
    let uses = unsafe_uses();
    let expected: BTreeMap<String, usize> = [("crates/cli/main.rs".to_string(), 2)].into();
    assert_eq!(
        uses, expected,
        "`unsafe` outside the allocator option of crates/cli/main.rs"
    );
}
