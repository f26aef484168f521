//! Liquibase changelogs.
//!
//! - Formatted SQL (`--liquibase formatted sql`): each `--changeset author:id`
//!   line starts a changeset; `--rollback` lines are comments, never forward SQL.
//! - XML, YAML and JSON changelogs: the change types that matter for stable are
//!   turned into SQL written at the byte offset of their change element in a
//!   text of the same length as the changelog (everything else blanked, line
//!   breaks kept). The SQL rules and the schema model then read them as any
//!   other migration, and every finding points at the line and column of the
//!   change element. `<sql>` / `sql:` bodies keep their own positions.
//! - Order: the master changelog's `include` / `includeAll`, depth first, as
//!   Liquibase runs them; a `sqlFile` change's file right after its changelog.

use super::{DiscoverError, Entry, Layout, MigrationFile, Version};
use crate::Dialect;
use canary_lint_core::{LineIndex, Position, Span};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const EXTS: &[&str] = &["xml", "yaml", "yml", "json", "sql"];

/// Nesting read in a changelog (a change is about six levels down).
const MAX_DEPTH: usize = 64;

fn ext(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether a file is a formatted SQL changelog (its first line says so).
fn is_formatted_sql(path: &Path) -> bool {
    read_head(path).is_some_and(|h| formatted_header(&h))
}

fn formatted_header(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let Some(rest) = t.strip_prefix("--") else {
        return false;
    };
    rest.trim_start()
        .to_ascii_lowercase()
        .starts_with("liquibase formatted sql")
}

/// A regular file (not a FIFO, a device or a link to one), which can be read
/// without blocking.
pub(super) fn regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

fn read_head(path: &Path) -> Option<String> {
    use std::io::Read;
    let (mut f, _) = canary_lint_core::read::open_regular(path).ok()?;
    let mut buf = vec![0u8; 512];
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Whether a structured file is a changelog (`databaseChangeLog` near its top).
fn is_structured_changelog(path: &Path) -> bool {
    matches!(ext(path).as_str(), "xml" | "yaml" | "yml" | "json")
        && read_head(path).is_some_and(|h| h.contains("databaseChangeLog"))
}

/// Whether a file named on the command line is a Liquibase changelog in XML,
/// YAML or JSON (a migration, not a config file).
pub fn is_changelog_file(path: &Path) -> bool {
    is_structured_changelog(path)
}

fn is_changelog(path: &Path) -> bool {
    is_structured_changelog(path) || (ext(path) == "sql" && is_formatted_sql(path))
}

/// Whether a folder listing is a Liquibase changelog folder.
pub(super) fn is_liquibase_dir(entries: &[Entry]) -> bool {
    let (mut sql_checked, mut structured_checked) = (0, 0);
    for (name, path, is_dir) in entries {
        if *is_dir {
            continue;
        }
        let e = ext(path);
        if !EXTS.contains(&e.as_str()) {
            continue;
        }
        if e == "sql" {
            if sql_checked < 8 {
                sql_checked += 1;
                if is_formatted_sql(path) {
                    return true;
                }
            }
            continue;
        }
        // Any name (`master.xml`, `db.changelog-master.yaml`): the root
        // element says; a few files per folder are enough to tell.
        let _ = name;
        if structured_checked < 16 {
            structured_checked += 1;
            if is_structured_changelog(path) {
                return true;
            }
        }
    }
    false
}

/// A master changelog in `dir`: a changelog whose name says `master`, or
/// Spring Boot's default `db.changelog-master.yaml`.
fn masters(entries: &[Entry]) -> Vec<PathBuf> {
    entries
        .iter()
        .filter(|(n, p, d)| !d && n.to_ascii_lowercase().contains("master") && is_changelog(p))
        .map(|(_, p, _)| p.clone())
        .collect()
}

/// Whether `dir` holds an entry whose name says "master" (any case), the first
/// test of [`masters`], read from the names alone.
fn names_a_master(dir: &Path) -> bool {
    let Ok(rd) = std::fs::read_dir(dir) else {
        // Unreadable here: the full listing reports or skips it as before.
        return true;
    };
    rd.flatten().any(|e| {
        e.file_name()
            .as_encoded_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"master"))
    })
}

/// The folder of a master changelog that includes `file`, searched from the
/// file's folder up to three folders above it.
pub(super) fn master_dir_above(file: &Path, parent: &Path) -> Option<PathBuf> {
    if !EXTS.contains(&ext(file).as_str()) {
        return None;
    }
    let target = std::fs::canonicalize(file).ok()?;
    let start = std::fs::canonicalize(parent).ok()?;
    for (i, dir) in start.ancestors().enumerate() {
        if i > 3 {
            break;
        }
        // Only a folder with a file named like a master changelog is listed in
        // full: the staged file's own folder is read again by discovery, and
        // listing a thousand migrations twice was a tenth of a pre-commit run.
        if !names_a_master(dir) {
            continue;
        }
        let Ok(entries) = super::read_dir(dir) else {
            continue;
        };
        if masters(&entries).is_empty() {
            continue;
        }
        if let Ok((files, _)) = discover(dir, &entries) {
            if files
                .iter()
                .any(|f| std::fs::canonicalize(&f.path).ok().as_ref() == Some(&target))
            {
                // The same folder as the caller named it, when it is the parent.
                if i == 0 {
                    return Some(parent.to_path_buf());
                }
                let mut up = parent.to_path_buf();
                for _ in 0..i {
                    up = lexical_parent(&up);
                }
                return Some(up);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// The folder above `p` as the user would write it: `a/b` for `a/b/c`, `.`
/// for `c`, `../..` for `..`.
fn lexical_parent(p: &Path) -> PathBuf {
    match (p.file_name(), p.parent()) {
        (Some(_), Some(up)) if up.as_os_str().is_empty() => PathBuf::from("."),
        (Some(_), Some(up)) => up.to_path_buf(),
        _ => p.join(".."),
    }
}

/// The changelogs of a folder in the order Liquibase runs them.
pub(super) fn discover(
    dir: &Path,
    entries: &[Entry],
) -> Result<(Vec<MigrationFile>, Vec<String>), DiscoverError> {
    let mut roots = masters(entries);
    if roots.is_empty() {
        roots = entries
            .iter()
            .filter(|(_, p, d)| !d && is_changelog(p))
            .map(|(_, p, _)| p.clone())
            .collect();
    }
    let mut walk = Walk::default();
    for r in &roots {
        walk.visit(r, 0);
    }
    let files = walk
        .order
        .into_iter()
        .enumerate()
        .map(|(i, path)| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            MigrationFile {
                version: Version::numeric(vec![i as u128], &name),
                layout: Layout::Liquibase,
                description: name,
                path,
            }
        })
        .collect();
    let _ = dir;
    Ok((files, walk.notes))
}

#[derive(Default)]
struct Walk {
    order: Vec<PathBuf>,
    seen: BTreeSet<PathBuf>,
    notes: Vec<String>,
}

impl Walk {
    fn visit(&mut self, path: &Path, depth: usize) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if depth > 32 || !self.seen.insert(key) {
            return;
        }
        self.order.push(path.to_path_buf());
        let Ok(text) =
            canary_lint_core::read::read_text_capped(path, canary_lint_core::read::MAX_SQL_BYTES)
        else {
            // Read errors are reported when the file is checked.
            return;
        };
        let base = path.parent().unwrap_or(Path::new("."));
        for inc in includes(path, &text) {
            match inc {
                Include::File { file, relative } => match resolve(base, &file, relative) {
                    Some(p) => self.visit(&p, depth + 1),
                    None => self.notes.push(format!(
                        "{}: included changelog `{file}` not found: not checked",
                        show(path)
                    )),
                },
                Include::All { dir, relative } => match resolve(base, &dir, relative) {
                    Some(d) if d.is_dir() => {
                        for f in all_files(&d) {
                            self.visit(&f, depth + 1);
                        }
                    }
                    _ => self.notes.push(format!(
                        "{}: includeAll folder `{dir}` not found: not checked",
                        show(path)
                    )),
                },
                Include::SqlFile { file, relative } => match resolve(base, &file, relative) {
                    Some(p) => {
                        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                        if self.seen.insert(key) {
                            self.order.push(p);
                        }
                    }
                    None => self.notes.push(format!(
                        "{}: sqlFile `{file}` not found: not checked",
                        show(path)
                    )),
                },
            }
        }
    }
}

fn show(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Every changelog file below `dir`, in path order (as `includeAll` does).
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = super::read_dir(&d) else {
            continue;
        };
        for (_, p, is_dir) in entries {
            if is_dir {
                stack.push(p);
            } else if EXTS.contains(&ext(&p).as_str()) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A path of an include: next to the changelog when `relative`, else on the
/// classpath, which is guessed as the changelog's folder or a folder above it.
fn resolve(base: &Path, name: &str, relative: bool) -> Option<PathBuf> {
    let name = name
        .trim()
        .trim_start_matches("classpath:")
        .trim_start_matches("classpath*:");
    let name = name.trim_start_matches('/');
    if relative {
        let p = base.join(name);
        return p.exists().then_some(p);
    }
    let mut dir = base.to_path_buf();
    for _ in 0..6 {
        let p = dir.join(name);
        if p.exists() {
            return Some(p);
        }
        if dir.join(".git").exists() {
            break;
        }
        // The folder above, as the user would read it (relative stays relative).
        let abs = std::fs::canonicalize(&dir).ok()?;
        abs.parent()?;
        dir = lexical_parent(&dir);
    }
    None
}

enum Include {
    File { file: String, relative: bool },
    All { dir: String, relative: bool },
    SqlFile { file: String, relative: bool },
}

fn truthy(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

fn includes(path: &Path, text: &str) -> Vec<Include> {
    let tree = match ext(path).as_str() {
        "xml" => xml_tree(text).ok(),
        "yaml" | "yml" | "json" => yaml_tree(text).ok(),
        _ => None,
    };
    let Some(root) = tree else {
        return Vec::new();
    };
    let mut out = Vec::new();
    fn walk(e: &Elem, out: &mut Vec<Include>) {
        let rel = truthy(e.attr("relativeToChangelogFile"));
        match e.name.as_str() {
            "include" => {
                if let Some(f) = e.attr("file") {
                    out.push(Include::File {
                        file: f.to_string(),
                        relative: rel,
                    });
                }
            }
            "includeAll" => {
                if let Some(d) = e.attr("path") {
                    out.push(Include::All {
                        dir: d.to_string(),
                        relative: rel,
                    });
                }
            }
            "sqlFile" => {
                if let Some(f) = e.attr("path") {
                    out.push(Include::SqlFile {
                        file: f.to_string(),
                        relative: rel,
                    });
                }
            }
            "rollback" | "preConditions" => {}
            _ => e.children.iter().for_each(|c| walk(c, out)),
        }
    }
    walk(&root, &mut out);
    out
}

/// An element of a changelog, XML or YAML/JSON alike.
#[derive(Debug, Clone, Default)]
struct Elem {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Elem>,
    /// Where the element starts (its tag or key) and ends.
    span: Span,
    /// Body text (XML text content, YAML `sql:` value) with where it is.
    text: Option<Text>,
}

#[derive(Debug, Clone)]
struct Text {
    /// The raw bytes of the body in the file.
    raw: Span,
    /// How to write it: as the raw bytes (after blanking markup), or a value.
    value: Option<String>,
}

impl Elem {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a changelog could not be read, and where.
#[derive(Debug, Clone)]
pub struct ChangelogError {
    pub offset: usize,
    pub message: String,
}

fn xml_tree(text: &str) -> Result<Elem, ChangelogError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let p = e.pos();
        let index = LineIndex::new(text);
        ChangelogError {
            offset: index.offset(
                text,
                Position {
                    line: p.row,
                    column: p.col,
                },
            ),
            message: format!("invalid XML changelog: {e}"),
        }
    })?;
    fn conv(n: roxmltree::Node<'_, '_>, depth: usize) -> Elem {
        let r = n.range();
        let mut e = Elem {
            name: n.tag_name().name().to_string(),
            attrs: n
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            span: Span::new(r.start, r.end),
            ..Default::default()
        };
        let mut text_nodes = false;
        for c in n.children() {
            // Changes sit a few levels down; deeper nesting is not a changelog's.
            if c.is_element() && depth < MAX_DEPTH {
                e.children.push(conv(c, depth + 1));
            } else if c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()) {
                text_nodes = true;
            }
        }
        if text_nodes {
            e.text = Some(Text {
                raw: Span::new(r.start, r.end),
                value: None,
            });
        }
        e
    }
    Ok(conv(doc.root_element(), 0))
}

/// A YAML (or JSON) node with byte spans.
#[derive(Debug, Clone)]
enum ChangelogNode {
    Scalar {
        value: String,
        style: saphyr_parser::ScalarStyle,
        span: Span,
    },
    Map(Vec<(ChangelogNode, ChangelogNode)>, Span),
    Seq(Vec<ChangelogNode>, Span),
}

impl ChangelogNode {
    fn span(&self) -> Span {
        match self {
            ChangelogNode::Scalar { span, .. }
            | ChangelogNode::Map(_, span)
            | ChangelogNode::Seq(_, span) => *span,
        }
    }
}

fn yaml_nodes(text: &str) -> Result<Option<ChangelogNode>, ChangelogError> {
    use saphyr_parser::{Event, Parser};
    let index = LineIndex::new(text);
    let off = |m: &saphyr_parser::Marker| {
        index.offset(
            text,
            Position {
                line: m.line().max(1) as u32,
                column: m.col() as u32 + 1,
            },
        )
    };
    enum Frame {
        Map(
            Vec<(ChangelogNode, ChangelogNode)>,
            Option<ChangelogNode>,
            usize,
        ),
        Seq(Vec<ChangelogNode>, usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<ChangelogNode> = None;
    fn push(stack: &mut [Frame], root: &mut Option<ChangelogNode>, node: ChangelogNode) {
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    *root = Some(node);
                }
            }
            Some(Frame::Seq(items, _)) => items.push(node),
            Some(Frame::Map(items, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => items.push((k, node)),
            },
        }
    }
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| ChangelogError {
            offset: off(e.marker()),
            message: format!("invalid YAML changelog: {}", e.info()),
        })?;
        let start = off(&span.start);
        let end = off(&span.end).max(start);
        match event {
            Event::Scalar(v, style, _, _) => push(
                &mut stack,
                &mut root,
                ChangelogNode::Scalar {
                    value: v.into_owned(),
                    style,
                    span: Span::new(start, end),
                },
            ),
            Event::MappingStart(..) | Event::SequenceStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(ChangelogError {
                    offset: start,
                    message: format!("YAML changelog nested deeper than {MAX_DEPTH} levels"),
                })
            }
            Event::MappingStart(..) => stack.push(Frame::Map(Vec::new(), None, start)),
            Event::SequenceStart(..) => stack.push(Frame::Seq(Vec::new(), start)),
            Event::MappingEnd | Event::SequenceEnd => {
                let node = match stack.pop() {
                    Some(Frame::Map(items, _, s)) => ChangelogNode::Map(items, Span::new(s, end)),
                    Some(Frame::Seq(items, s)) => ChangelogNode::Seq(items, Span::new(s, end)),
                    None => {
                        return Err(ChangelogError {
                            offset: start,
                            message: "invalid YAML changelog: unbalanced collection".into(),
                        })
                    }
                };
                push(&mut stack, &mut root, node);
            }
            // Aliases are not followed: changelogs do not use them for changes.
            _ => {}
        }
    }
    Ok(root)
}

fn yaml_tree(text: &str) -> Result<Elem, ChangelogError> {
    let root = yaml_nodes(text)?;
    let mut top = Elem {
        name: "databaseChangeLog".into(),
        span: Span::new(0, text.len()),
        ..Default::default()
    };
    if let Some(ChangelogNode::Map(items, _)) = &root {
        for (k, v) in items {
            if matches!(k, ChangelogNode::Scalar { value, .. } if value == "databaseChangeLog") {
                for item in seq(v) {
                    top.children.extend(elems_of(item, text));
                }
            }
        }
    }
    Ok(top)
}

fn seq(n: &ChangelogNode) -> &[ChangelogNode] {
    match n {
        ChangelogNode::Seq(items, _) => items,
        _ => &[],
    }
}

/// `- name: {..}` items: each key of the map is an element.
fn elems_of(item: &ChangelogNode, text: &str) -> Vec<Elem> {
    let ChangelogNode::Map(items, _) = item else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|(k, v)| match k {
            ChangelogNode::Scalar { value, span, .. } => Some(elem(value, *span, v, text)),
            _ => None,
        })
        .collect()
}

fn elem(name: &str, key: Span, v: &ChangelogNode, text: &str) -> Elem {
    let mut e = Elem {
        name: name.to_string(),
        span: Span::new(key.start, v.span().end.max(key.end)),
        ..Default::default()
    };
    match v {
        ChangelogNode::Map(items, _) => {
            for (k, val) in items {
                let ChangelogNode::Scalar {
                    value: kname,
                    span: kspan,
                    ..
                } = k
                else {
                    continue;
                };
                match val {
                    ChangelogNode::Scalar { value, style, span } => {
                        if kname == "sql" && name == "sql" {
                            e.text = Some(scalar_text(value, *style, *span, text));
                        }
                        e.attrs.push((kname.clone(), value.clone()));
                    }
                    // `columns:` lists belong to the change itself; other lists
                    // (`changes:`, `rollback:`) keep their name as a wrapper.
                    ChangelogNode::Seq(list, lspan) if kname == "columns" => {
                        let _ = lspan;
                        for it in list {
                            e.children.extend(elems_of(it, text));
                        }
                    }
                    ChangelogNode::Seq(list, lspan) => {
                        let mut w = Elem {
                            name: kname.clone(),
                            span: Span::new(kspan.start, lspan.end.max(kspan.end)),
                            ..Default::default()
                        };
                        for it in list {
                            w.children.extend(elems_of(it, text));
                        }
                        e.children.push(w);
                    }
                    ChangelogNode::Map(..) => e.children.push(elem(kname, *kspan, val, text)),
                }
            }
        }
        ChangelogNode::Scalar { value, style, span } if name == "sql" => {
            e.text = Some(scalar_text(value, *style, *span, text));
        }
        _ => {}
    }
    e
}

fn scalar_text(value: &str, style: saphyr_parser::ScalarStyle, span: Span, text: &str) -> Text {
    use saphyr_parser::ScalarStyle;
    let raw = &text[span.start..span.end.min(text.len())];
    let verbatim = match style {
        // Block scalars and plain scalars read as SQL the same as their raw
        // bytes (indentation and folded line breaks are whitespace to SQL).
        ScalarStyle::Literal | ScalarStyle::Folded | ScalarStyle::Plain => true,
        _ => raw.len() >= 2 && &raw[1..raw.len() - 1] == value,
    };
    Text {
        raw: span,
        value: (!verbatim).then(|| value.to_string()),
    }
}

/// The forward ranges of a formatted SQL changelog: the text of each changeset
/// (from the line after `--changeset` to the next one); `--rollback` lines are
/// comments and never forward SQL. A file without changesets is read whole.
pub(super) fn forward_ranges(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    let mut seen = false;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        if changeset_line(line).is_some() && line.trim_start().starts_with("--") {
            seen = true;
            if let Some(s) = start.take() {
                out.push(Span::new(s, offset));
            }
            start = Some(end);
        }
        offset = end;
    }
    if !seen {
        return vec![Span::new(0, text.len())];
    }
    if let Some(s) = start {
        out.push(Span::new(s, text.len()));
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The changesets of a changelog (`path` for its format, `text` as written):
/// where each starts (the `--changeset` line, the `changeSet` element) and its
/// identity `author:id`, in file order. Empty for a text that is not a
/// changelog or does not parse.
pub(crate) fn changeset_ids(path: &str, text: &str) -> Vec<(usize, String)> {
    let tree = match ext(Path::new(path)).as_str() {
        "xml" => xml_tree(text),
        "yaml" | "yml" | "json" => yaml_tree(text),
        _ => return formatted_ids(text),
    };
    let Ok(root) = tree else {
        return Vec::new();
    };
    root.children
        .iter()
        .filter(|c| c.name == "changeSet")
        .map(|c| {
            let id = c.attr("id").unwrap_or_default();
            let author = c.attr("author").unwrap_or_default();
            (c.span.start, format!("{author}:{id}"))
        })
        .collect()
}

/// `--changeset author:id attributes` lines of a formatted SQL changelog (an
/// author in double quotes may hold spaces).
fn formatted_ids(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("--") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(head) = rest.get(..9) else { continue };
        if !head.eq_ignore_ascii_case("changeset") {
            continue;
        }
        let rest = rest[9..].trim();
        let ident = match rest.strip_prefix('"') {
            Some(q) => match q.split_once('"') {
                Some((author, tail)) => {
                    let id = tail.split_whitespace().next().unwrap_or_default();
                    format!("{author}{id}")
                }
                None => q.to_string(),
            },
            None => rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        out.push((start, ident));
    }
    out
}

/// Marks written at a changeset's start in the SQL made from a structured
/// changelog.
const MARK_TX: &str = "/*changeset*/";
const MARK_NO_TX: &str = "/*changeset:notx*/";

/// `Some(in transaction)` when `line` starts a changeset.
pub(crate) fn changeset_line(line: &str) -> Option<bool> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("--") {
        let rest = rest.trim_start();
        if !rest.to_ascii_lowercase().starts_with("changeset") {
            return None;
        }
        let lower = rest.to_ascii_lowercase().replace(' ', "");
        return Some(!lower.contains("runintransaction:false"));
    }
    if line.contains(MARK_NO_TX) {
        return Some(false);
    }
    line.contains(MARK_TX).then_some(true)
}

/// The SQL of a structured changelog (`xml`, `yaml`, `yml`, `json` by the
/// path's extension), as a text of the same length with the same line breaks;
/// `None` for any other file.
pub fn to_sql(path: &str, text: &str, dialect: Dialect) -> Option<Result<String, ChangelogError>> {
    let tree = match ext(Path::new(path)).as_str() {
        "xml" => xml_tree(text),
        "yaml" | "yml" | "json" => yaml_tree(text),
        _ => return None,
    };
    Some(tree.map(|root| {
        let mut w = Shadow::new(text);
        let mut items = Vec::new();
        collect(&root, &mut items);
        for (i, item) in items.iter().enumerate() {
            let limit = items.get(i + 1).map_or(text.len(), |n| n.start());
            w.write(item, limit, dialect);
        }
        w.finish()
    }))
}

/// What is written for a changelog, in file order.
enum Item<'e> {
    ChangeSet(&'e Elem),
    Change(&'e Elem),
}

impl Item<'_> {
    fn start(&self) -> usize {
        match self {
            Item::ChangeSet(e) | Item::Change(e) => e.span.start,
        }
    }
}

fn collect<'e>(e: &'e Elem, out: &mut Vec<Item<'e>>) {
    for c in &e.children {
        match c.name.as_str() {
            "changeSet" => {
                out.push(Item::ChangeSet(c));
                for ch in &c.children {
                    match ch.name.as_str() {
                        "rollback" | "preConditions" | "comment" | "validCheckSum" => {}
                        "changes" => ch.children.iter().for_each(|x| out.push(Item::Change(x))),
                        _ => out.push(Item::Change(ch)),
                    }
                }
            }
            "include" | "includeAll" | "property" | "preConditions" => {}
            _ => {}
        }
    }
}

/// The same-length SQL text being written.
struct Shadow<'t> {
    text: &'t str,
    buf: Vec<u8>,
}

impl<'t> Shadow<'t> {
    fn new(text: &'t str) -> Self {
        Shadow {
            text,
            buf: text
                .bytes()
                .map(|b| if b == b'\n' { b'\n' } else { b' ' })
                .collect(),
        }
    }

    fn finish(self) -> String {
        String::from_utf8(self.buf).unwrap_or_default()
    }

    /// Writes `toks` from `at`, one space apart, never across a line break of
    /// the original and never past `limit`. Returns the end, or `None` when
    /// they do not fit (then only what fits is written).
    fn tokens(&mut self, at: usize, limit: usize, toks: &[String]) -> Option<usize> {
        let mut c = at;
        for (i, t) in toks.iter().enumerate() {
            let t = t.replace(['\n', '\r'], " ");
            if i > 0 {
                c += 1;
            }
            loop {
                let end = c + t.len();
                if end > limit {
                    return None;
                }
                match self.buf[c..end].iter().rposition(|b| *b == b'\n') {
                    Some(nl) => c += nl + 1,
                    None => break,
                }
            }
            self.buf[c..c + t.len()].copy_from_slice(t.as_bytes());
            c += t.len();
        }
        Some(c)
    }

    fn write(&mut self, item: &Item<'_>, limit: usize, dialect: Dialect) {
        match item {
            Item::ChangeSet(cs) => {
                let mark = if cs
                    .attr("runInTransaction")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
                {
                    MARK_NO_TX
                } else {
                    MARK_TX
                };
                let _ = self.tokens(cs.span.start, limit, &[mark.to_string()]);
            }
            Item::Change(e) if e.name == "sql" || e.name == "createProcedure" => {
                self.body(e, limit)
            }
            Item::Change(e) => {
                let stmts = statements(e, dialect);
                if self.compact(e.span, limit, &stmts) {
                    return;
                }
                let mut at = e.span.start;
                for s in stmts {
                    let mut toks = s;
                    toks.push(";".into());
                    match self.tokens(at, limit, &toks) {
                        Some(end) => at = end + 1,
                        None => {
                            // Too long for the room it has: its first word only,
                            // which the parser rejects and reports here.
                            let _ = self.tokens(at, limit, &toks[..1]);
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Writes the statements on one run of text from the element's start, and
    /// the element's line breaks at its end, so that every finding in them is
    /// on the element's first line and the lines after the element keep their
    /// numbers. `false` (nothing written) when they do not fit in the element.
    fn compact(&mut self, span: Span, limit: usize, stmts: &[Vec<String>]) -> bool {
        if stmts.is_empty() {
            return true;
        }
        let end = span.end.min(limit).min(self.buf.len());
        if end <= span.start {
            return false;
        }
        let sql: String = stmts
            .iter()
            .map(|s| format!("{} ;", s.join(" ").replace(['\n', '\r'], " ")))
            .collect::<Vec<_>>()
            .join(" ");
        let breaks = self.buf[span.start..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        if sql.len() + breaks > end - span.start {
            return false;
        }
        for b in &mut self.buf[span.start..end] {
            *b = b' ';
        }
        self.buf[span.start..span.start + sql.len()].copy_from_slice(sql.as_bytes());
        for b in &mut self.buf[end - breaks..end] {
            *b = b'\n';
        }
        true
    }

    /// An `<sql>` / `sql:` body, in place.
    fn body(&mut self, e: &Elem, limit: usize) {
        let Some(t) = &e.text else { return };
        let raw = t.raw;
        match &t.value {
            Some(v) => {
                // A quoted YAML value with escapes: the value, as tokens.
                let toks: Vec<String> = v.split_whitespace().map(str::to_string).collect();
                let end = self.tokens(raw.start, limit, &toks).unwrap_or(raw.end);
                let _ = self.tokens(end + 1, limit, &[";".into()]);
            }
            None => {
                let bytes = &self.text.as_bytes()[raw.start..raw.end];
                let is_xml = bytes.first() == Some(&b'<');
                if is_xml {
                    self.xml_body(raw);
                } else {
                    // YAML block or plain scalar: the bytes as they are, minus a
                    // block indicator (`|`, `>-`) on the first line.
                    let mut i = 0;
                    if matches!(bytes.first(), Some(b'|') | Some(b'>')) {
                        while i < bytes.len() && bytes[i] != b'\n' {
                            i += 1;
                        }
                    }
                    self.buf[raw.start + i..raw.start + bytes.len()].copy_from_slice(&bytes[i..]);
                    self.end_statement(raw.end, limit);
                }
            }
        }
    }

    /// The text inside an XML element: markup blanked, CDATA markers blanked,
    /// entities decoded in place (padded with spaces).
    fn xml_body(&mut self, raw: Span) {
        let b = self.text.as_bytes();
        // Past the start tag (a `>` outside quotes).
        let mut i = raw.start;
        let mut quote = 0u8;
        while i < raw.end {
            let c = b[i];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                break;
            }
            i += 1;
        }
        let inner_start = i + 1;
        let inner_end = self.text[..raw.end]
            .rfind("</")
            .unwrap_or(raw.end)
            .max(inner_start);
        let mut k = inner_start;
        while k < inner_end {
            let rest = &self.text[k..inner_end];
            if let Some(r) = rest.strip_prefix("<![CDATA[") {
                let body_start = k + 9;
                let body_len = r.find("]]>").unwrap_or(r.len());
                self.buf[body_start..body_start + body_len]
                    .copy_from_slice(&b[body_start..body_start + body_len]);
                k = body_start + body_len + 3;
            } else if rest.starts_with("<!--") {
                k += rest.find("-->").map_or(rest.len(), |e| e + 3);
            } else if rest.starts_with('<') {
                k += rest.find('>').map_or(rest.len(), |e| e + 1);
            } else if rest.starts_with('&') {
                let (ch, len) = entity(rest);
                if let Some(ch) = ch {
                    self.buf[k] = ch;
                } else {
                    self.buf[k..k + len].copy_from_slice(&b[k..k + len]);
                }
                k += len;
            } else {
                self.buf[k] = b[k];
                k += 1;
            }
        }
        // The end tag holds the statement's terminator.
        if inner_end < raw.end {
            self.buf[inner_end] = b';';
        }
    }

    /// A `;` after a body, at the first blank byte at or after `at`.
    fn end_statement(&mut self, at: usize, limit: usize) {
        let mut k = at;
        while k < limit && k < self.buf.len() {
            if self.buf[k] == b' ' {
                self.buf[k] = b';';
                return;
            }
            k += 1;
        }
    }
}

/// The byte an XML entity stands for, and the entity's length.
fn entity(s: &str) -> (Option<u8>, usize) {
    for (e, c) in [
        ("&lt;", b'<'),
        ("&gt;", b'>'),
        ("&amp;", b'&'),
        ("&quot;", b'"'),
        ("&apos;", b'\''),
    ] {
        if s.starts_with(e) {
            return (Some(c), e.len());
        }
    }
    (None, 1)
}

fn ident(name: &str, dialect: Dialect) -> String {
    let plain = !name.is_empty()
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if plain {
        return name.to_string();
    }
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

fn table(e: &Elem, key: &str, dialect: Dialect) -> Option<String> {
    let t = e.attr(key)?;
    Some(
        match e
            .attr("schemaName")
            .or_else(|| e.attr("baseTableSchemaName"))
        {
            Some(s) if !s.is_empty() && key != "referencedTableName" => {
                format!("{}.{}", ident(s, dialect), ident(t, dialect))
            }
            _ => ident(t, dialect),
        },
    )
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn string_lit(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A column's `DEFAULT` from Liquibase's `defaultValue*` attributes.
fn default_of(c: &Elem) -> Option<String> {
    if let Some(v) = c.attr("defaultValueComputed") {
        return Some(v.to_string());
    }
    if let Some(v) = c.attr("defaultValueNumeric") {
        return Some(v.to_string());
    }
    if let Some(v) = c.attr("defaultValueBoolean") {
        return Some(v.to_ascii_uppercase());
    }
    if let Some(v) = c.attr("defaultValueDate") {
        return Some(string_lit(v));
    }
    c.attr("defaultValue").map(string_lit)
}

fn not_null(c: &Elem) -> bool {
    let cons = c.children.iter().find(|x| x.name == "constraints");
    cons.is_some_and(|k| {
        k.attr("nullable")
            .is_some_and(|v| v.eq_ignore_ascii_case("false"))
            || truthy(k.attr("primaryKey"))
    })
}

/// `name type [DEFAULT x] [NOT NULL]` of a `<column>`.
fn column_def(c: &Elem, dialect: Dialect) -> Option<Vec<String>> {
    let mut t = vec![ident(c.attr("name")?, dialect)];
    t.extend(words(c.attr("type").unwrap_or("text")));
    if let Some(d) = default_of(c) {
        t.push("DEFAULT".into());
        t.push(d);
    }
    if not_null(c) {
        t.extend(["NOT".into(), "NULL".into()]);
    }
    let cons = c.children.iter().find(|x| x.name == "constraints");
    if cons.is_some_and(|k| truthy(k.attr("primaryKey"))) {
        t.extend(["PRIMARY".into(), "KEY".into()]);
    } else if cons.is_some_and(|k| truthy(k.attr("unique"))) {
        t.push("UNIQUE".into());
    }
    Some(t)
}

fn columns(e: &Elem) -> impl Iterator<Item = &Elem> {
    e.children.iter().filter(|c| c.name == "column")
}

fn list(cols: &str, dialect: Dialect) -> String {
    let v: Vec<String> = cols.split(',').map(|c| ident(c.trim(), dialect)).collect();
    format!("({})", v.join(","))
}

fn s(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The SQL statements (as tokens) a change element stands for.
fn statements(e: &Elem, d: Dialect) -> Vec<Vec<String>> {
    let mysql = d == Dialect::Mysql;
    let tbl = || table(e, "tableName", d);
    let col = |k: &str| e.attr(k).map(|c| ident(c, d));
    let mut out: Vec<Vec<String>> = Vec::new();
    let alter = |t: &str| s(&["ALTER", "TABLE", t]);
    match e.name.as_str() {
        "renameColumn" => {
            if let (Some(t), Some(a), Some(b)) = (tbl(), col("oldColumnName"), col("newColumnName"))
            {
                let mut v = alter(&t);
                v.extend(s(&["RENAME", "COLUMN", &a, "TO", &b]));
                out.push(v);
            }
        }
        "dropColumn" => {
            if let Some(t) = tbl() {
                let mut names: Vec<String> = col("columnName").into_iter().collect();
                names.extend(
                    columns(e)
                        .filter_map(|c| c.attr("name"))
                        .map(|n| ident(n, d)),
                );
                for c in names {
                    let mut v = alter(&t);
                    v.extend(s(&["DROP", "COLUMN", &c]));
                    out.push(v);
                }
            }
        }
        "dropTable" => {
            if let Some(t) = tbl() {
                out.push(s(&["DROP", "TABLE", &t]));
            }
        }
        "dropView" => {
            if let Some(v) = table(e, "viewName", d) {
                out.push(s(&["DROP", "VIEW", &v]));
            }
        }
        "renameTable" => {
            if let (Some(a), Some(b)) = (table(e, "oldTableName", d), col("newTableName")) {
                let mut v = alter(&a);
                v.extend(s(&["RENAME", "TO", &b]));
                out.push(v);
            }
        }
        "modifyDataType" => {
            if let (Some(t), Some(c), Some(ty)) = (tbl(), col("columnName"), e.attr("newDataType"))
            {
                let mut v = alter(&t);
                if mysql {
                    v.extend(s(&["MODIFY", &c]));
                } else {
                    v.extend(s(&["ALTER", "COLUMN", &c, "TYPE"]));
                }
                v.extend(words(ty));
                out.push(v);
            }
        }
        "addNotNullConstraint" | "dropNotNullConstraint" => {
            let add = e.name == "addNotNullConstraint";
            if let (Some(t), Some(c)) = (tbl(), col("columnName")) {
                let mut v = alter(&t);
                match (mysql, e.attr("columnDataType")) {
                    (true, Some(ty)) => {
                        v.extend(s(&["MODIFY", &c]));
                        v.extend(words(ty));
                        if add {
                            v.extend(s(&["NOT", "NULL"]));
                        } else {
                            v.push("NULL".into());
                        }
                    }
                    _ => {
                        v.extend(s(&["ALTER", "COLUMN", &c]));
                        v.extend(s(if add {
                            &["SET", "NOT", "NULL"]
                        } else {
                            &["DROP", "NOT", "NULL"]
                        }));
                    }
                }
                out.push(v);
            }
        }
        "addColumn" => {
            if let Some(t) = tbl() {
                for c in columns(e) {
                    if let Some(def) = column_def(c, d) {
                        let mut v = alter(&t);
                        v.extend(s(&["ADD", "COLUMN"]));
                        v.extend(def);
                        out.push(v);
                    }
                }
            }
        }
        "dropDefaultValue" => {
            if let (Some(t), Some(c)) = (tbl(), col("columnName")) {
                let mut v = alter(&t);
                v.extend(s(&["ALTER", "COLUMN", &c, "DROP", "DEFAULT"]));
                out.push(v);
            }
        }
        "addDefaultValue" => {
            if let (Some(t), Some(c), Some(dv)) = (tbl(), col("columnName"), default_of(e)) {
                let mut v = alter(&t);
                v.extend(s(&["ALTER", "COLUMN", &c, "SET", "DEFAULT"]));
                v.push(dv);
                out.push(v);
            }
        }
        "createIndex" => {
            if let Some(t) = tbl() {
                let cols: Vec<String> = columns(e)
                    .filter_map(|c| c.attr("name"))
                    .map(|n| ident(n, d))
                    .collect();
                let mut v = vec!["CREATE".to_string()];
                if truthy(e.attr("unique")) {
                    v.push("UNIQUE".into());
                }
                v.push("INDEX".into());
                if let Some(i) = col("indexName") {
                    v.push(i);
                }
                v.extend(s(&["ON", &t, &format!("({})", cols.join(","))]));
                out.push(v);
            }
        }
        "dropIndex" => {
            if let Some(i) = col("indexName") {
                let mut v = s(&["DROP", "INDEX", &i]);
                if mysql {
                    if let Some(t) = tbl() {
                        v.extend(s(&["ON", &t]));
                    }
                }
                out.push(v);
            }
        }
        "addUniqueConstraint" => {
            if let (Some(t), Some(cols)) = (tbl(), e.attr("columnNames")) {
                let mut v = alter(&t);
                v.push("ADD".into());
                if let Some(n) = col("constraintName") {
                    v.extend(s(&["CONSTRAINT", &n]));
                }
                v.extend(s(&["UNIQUE", &list(cols, d)]));
                out.push(v);
            }
        }
        "addForeignKeyConstraint" => {
            if let (Some(t), Some(bc), Some(rt), Some(rc)) = (
                table(e, "baseTableName", d),
                e.attr("baseColumnNames"),
                table(e, "referencedTableName", d),
                e.attr("referencedColumnNames"),
            ) {
                let mut v = alter(&t);
                v.push("ADD".into());
                if let Some(n) = col("constraintName") {
                    v.extend(s(&["CONSTRAINT", &n]));
                }
                v.extend(s(&[
                    "FOREIGN",
                    "KEY",
                    &list(bc, d),
                    "REFERENCES",
                    &rt,
                    &list(rc, d),
                ]));
                out.push(v);
            }
        }
        "createTable" => {
            if let Some(t) = tbl() {
                let defs: Vec<Vec<String>> = columns(e).filter_map(|c| column_def(c, d)).collect();
                if !defs.is_empty() {
                    let mut v = s(&["CREATE", "TABLE", &t, "("]);
                    let n = defs.len();
                    for (i, def) in defs.into_iter().enumerate() {
                        v.extend(def);
                        if i + 1 < n {
                            v.push(",".into());
                        }
                    }
                    v.push(")".into());
                    out.push(v);
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sql(path: &str, text: &str) -> String {
        to_sql(path, text, Dialect::Postgres).unwrap().unwrap()
    }

    #[test]
    fn xml_changes_are_written_at_their_element() {
        let t = "<databaseChangeLog>\n  <changeSet id=\"1\" author=\"a\">\n    <renameColumn tableName=\"users\" oldColumnName=\"name\" newColumnName=\"full_name\"/>\n  </changeSet>\n</databaseChangeLog>\n";
        let s = sql("c.xml", t);
        assert_eq!(s.len(), t.len());
        let at = t.find("<renameColumn").unwrap();
        assert!(
            s[at..].starts_with("ALTER TABLE users RENAME COLUMN name TO full_name ;"),
            "{s}"
        );
        assert_eq!(s.matches('\n').count(), t.matches('\n').count());
    }

    #[test]
    fn yaml_and_sql_bodies() {
        let t = "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      runInTransaction: false\n      changes:\n        - dropColumn:\n            tableName: users\n            columnName: legacy\n        - sql:\n            sql: CREATE INDEX CONCURRENTLY i ON users (email)\n";
        let s = sql("c.yaml", t);
        assert_eq!(s.len(), t.len());
        assert!(s.contains("/*changeset:notx*/"));
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("ALTER TABLE users DROP COLUMN legacy ;"),
            "{s}"
        );
        let at = t.find("CREATE INDEX").unwrap();
        assert!(
            s[at..].starts_with("CREATE INDEX CONCURRENTLY i ON users (email)"),
            "{s}"
        );
        // The statement starts where its change element does.
        let drop = t.find("dropColumn").unwrap();
        assert!(s[drop..].starts_with("ALTER"), "{s}");
    }

    #[test]
    fn xml_sql_body_entities_and_cdata() {
        let t = "<databaseChangeLog><changeSet id=\"1\" author=\"a\"><sql>UPDATE t SET a = 1 WHERE b &lt; 2</sql><sql><![CDATA[DELETE FROM t WHERE a < 1]]></sql></changeSet></databaseChangeLog>";
        let s = sql("c.xml", t);
        assert!(s.contains("UPDATE t SET a = 1 WHERE b <    2;"), "{s}");
        assert!(s.contains("DELETE FROM t WHERE a < 1"), "{s}");
    }

    #[test]
    fn formatted_sql_ranges_skip_changeset_lines() {
        let t = "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (a int)\n--rollback DROP TABLE t;\n--changeset a:2\nALTER TABLE t DROP COLUMN a;\n";
        let r = forward_ranges(t);
        assert_eq!(r.len(), 2);
        assert!(t[r[0].start..r[0].end].starts_with("CREATE TABLE"));
        assert!(t[r[1].start..r[1].end].starts_with("ALTER TABLE"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let t = format!(
            "databaseChangeLog: {}{}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let e = to_sql("c.yaml", &t, Dialect::Postgres)
            .unwrap()
            .unwrap_err();
        assert!(
            e.message.contains("nested deeper") || e.message.contains("recursion limit"),
            "{}",
            e.message
        );
        let x = format!(
            "<databaseChangeLog>{}{}</databaseChangeLog>",
            "<a>".repeat(200),
            "</a>".repeat(200)
        );
        assert!(to_sql("c.xml", &x, Dialect::Postgres).unwrap().is_ok());
    }

    #[test]
    fn bad_xml_names_the_place() {
        let t = "<databaseChangeLog>\n<changeSet>\n</databaseChangeLog>";
        let e = to_sql("c.xml", t, Dialect::Postgres).unwrap().unwrap_err();
        assert!(e.message.contains("invalid XML"), "{}", e.message);
    }
}
