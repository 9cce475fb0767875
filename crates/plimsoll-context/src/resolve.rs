//! What each COPY/ADD takes from the build context.
//!
//! BuildKit's semantics (dockerfile2llb `dispatchCopy`, fsutil `copy`):
//! a source is expanded, made relative to the context (`../x` is `x`),
//! and, when a component holds a wildcard, matched with Go's
//! `filepath.Match` below the literal part before it (a matched directory
//! is not searched further); symlinks in a source are followed. A
//! directory copies its contents. `--exclude` patterns (patternmatcher
//! syntax, `**` included) apply to paths relative to each matched source.
//! With `--parents` the source is split at `/./` (no pivot: the context
//! root) and the part after it is an include pattern below the pivot.
//! A wildcard matching nothing copies nothing without an error; with
//! `--parents` every source behaves that way.

use crate::gopath::{contains_wildcards, glob_match};
use crate::ignore_file::{IgnoreFile, MatchInfo};
use crate::walk::{Context, Entry, context_relative};
use plimsoll_diagnostics::Span;
use plimsoll_model::SemanticModel;
use plimsoll_syntax::{Instruction, Keyword};

/// One COPY or ADD that takes from the build context.
#[derive(Debug, Clone)]
pub struct CopyInstruction {
    /// Index into the Dockerfile's instructions.
    pub instruction: usize,
    /// [`Keyword::Copy`] or [`Keyword::Add`].
    pub keyword: Keyword,
    pub parents: bool,
    /// `--exclude` values after variable expansion.
    pub excludes: Vec<String>,
    pub sources: Vec<CopySource>,
}

impl CopyInstruction {
    /// `Copy` or `Add`, as BuildKit's messages name the command.
    pub fn command_name(&self) -> &'static str {
        if self.keyword == Keyword::Add {
            "Add"
        } else {
            "Copy"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceStatus {
    /// Copies something BuildKit sends (possibly an empty directory).
    Found,
    /// What it names exists only among the files the ignore file excludes.
    OnlyIgnored,
    /// Names nothing in the context.
    Missing,
    /// Its value depends on something unknown (an ARG without a default).
    Unresolved,
}

/// One source of a COPY/ADD and what it copies.
#[derive(Debug, Clone)]
pub struct CopySource {
    /// The source as written.
    pub written: String,
    pub span: Span,
    /// After variable expansion; `None` when unresolved.
    pub expanded: Option<String>,
    /// After expansion, relative to the context (`""` is the whole
    /// context); `None` when unresolved.
    pub path: Option<String>,
    /// A wildcard or `--parents` source: matching nothing is not an error.
    pub is_pattern: bool,
    pub status: SourceStatus,
    /// Entries the source names (after wildcards, before directory
    /// contents), sent or not.
    pub roots: Vec<usize>,
    /// Non-directory entries copied (indices into [`Context::entries`]).
    pub files: Vec<usize>,
    /// Their total size.
    pub bytes: u64,
    /// Entries it would copy that the ignore file excludes (files, and
    /// excluded directories whose contents were not walked).
    pub ignored: Vec<usize>,
    /// BuildKit's own CopyIgnoredFile test holds: the ignore file has no
    /// exceptions and matches the source text or one of its parents.
    pub buildkit_ignored: bool,
}

/// Resolve every COPY/ADD without `--from` against the context. URL and
/// git sources and heredocs are left out; an instruction whose
/// `--exclude` cannot be expanded is left out whole.
pub fn resolve_copies(
    model: &SemanticModel<'_>,
    context: &Context,
    ignore: Option<&IgnoreFile>,
) -> Vec<CopyInstruction> {
    let mut out = Vec::new();
    for (i, ins) in model.dockerfile.instructions.iter().enumerate() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            continue;
        }
        if let Some(resolved) = resolve_instruction(model, context, ignore, i, ins) {
            out.push(resolved);
        }
    }
    out
}

fn resolve_instruction(
    model: &SemanticModel<'_>,
    context: &Context,
    ignore: Option<&IgnoreFile>,
    i: usize,
    ins: &Instruction,
) -> Option<CopyInstruction> {
    let (_, sources) = ins.args.split_last()?;
    let parents = ins.flag("parents").is_some_and(|f| {
        f.value
            .as_deref()
            .is_none_or(|v| !v.eq_ignore_ascii_case("false"))
    });
    let mut excludes = Vec::new();
    for f in ins.flags.iter().filter(|f| f.name == "exclude") {
        excludes.push(model.resolve(i, f.value.as_deref()?)?);
    }
    let exclude = (!excludes.is_empty()).then(|| IgnoreFile::from_patterns(&excludes));
    let mut out = CopyInstruction {
        instruction: i,
        keyword: ins.keyword,
        parents,
        excludes,
        sources: Vec::new(),
    };
    for word in sources {
        if !ins.heredocs.is_empty() && word.value.starts_with("<<") {
            continue;
        }
        let value = model.resolve(i, &word.value);
        if value.as_deref().is_some_and(|v| is_remote(v, ins.keyword)) {
            continue;
        }
        let mut source = CopySource {
            written: word.value.clone(),
            span: word.span,
            expanded: value.clone(),
            path: None,
            is_pattern: parents,
            status: SourceStatus::Unresolved,
            roots: Vec::new(),
            files: Vec::new(),
            bytes: 0,
            ignored: Vec::new(),
            buildkit_ignored: false,
        };
        if let Some(value) = value {
            resolve_source(
                context,
                ignore,
                exclude.as_ref(),
                parents,
                &value,
                &mut source,
            );
        }
        out.sources.push(source);
    }
    Some(out)
}

fn is_remote(src: &str, keyword: Keyword) -> bool {
    src.contains("://")
        || (keyword == Keyword::Add && (src.starts_with("git@") || src.starts_with("github.com/")))
}

fn resolve_source(
    context: &Context,
    ignore: Option<&IgnoreFile>,
    exclude: Option<&IgnoreFile>,
    parents: bool,
    value: &str,
    source: &mut CopySource,
) {
    source.buildkit_ignored =
        ignore.is_some_and(|ig| !ig.has_exceptions() && ig.matches_or_parent_matches(value));
    let (root_src, include) = if parents {
        match value.split_once("/./") {
            Some((pivot, pattern)) => (pivot, Some(context_relative(pattern))),
            None => ("/", Some(context_relative(value))),
        }
    } else {
        (value, None)
    };
    let rel = context_relative(root_src);
    source.is_pattern |= rel.split('/').any(contains_wildcards);
    source.path = Some(match &include {
        Some(p) if rel.is_empty() => p.clone(),
        Some(p) => format!("{rel}/{p}"),
        None => rel.clone(),
    });
    let include = include
        .filter(|p| !p.is_empty())
        .map(|p| IgnoreFile::from_patterns(&[p]));

    let mut roots = Vec::new();
    let mut ignored = Vec::new();
    match_roots(context, &rel, &mut roots, &mut ignored);
    // `.`, or a symlink that leads back to the context (`loop -> .`).
    let to_root = rel.is_empty()
        || (!rel.split('/').any(contains_wildcards)
            && context.resolve_symlinks(&rel).is_some_and(|r| r.is_empty()));

    let entries = context.entries();
    // With `--parents`, what counts is what the include pattern picks.
    let mut included_sent = false;
    for &r in &roots {
        let root = &entries[r];
        if !root.sent {
            ignored.push(r);
        }
        if !root.is_dir() {
            if root.sent {
                source.files.push(r);
                source.bytes += root.size;
            }
            continue;
        }
        included_sent |= collect_below(context, r, include.as_ref(), exclude, source, &mut ignored);
    }
    // A source that resolves to the context root names the whole context.
    if to_root && roots.is_empty() {
        included_sent |=
            collect_whole_context(context, include.as_ref(), exclude, source, &mut ignored);
    }
    ignored.sort_unstable();
    ignored.dedup();
    let named_sent = if include.is_some() {
        included_sent
    } else {
        roots.iter().any(|&r| entries[r].sent) || to_root
    };
    source.status = if !source.files.is_empty() || (named_sent && ignored.is_empty()) {
        SourceStatus::Found
    } else if !ignored.is_empty() || source.buildkit_ignored {
        SourceStatus::OnlyIgnored
    } else {
        SourceStatus::Missing
    };
    source.roots = roots;
    source.ignored = ignored;
}

/// The entries a (context-relative) source names, following BuildKit's
/// wildcard resolution; excluded directories that were not walked and that
/// the source reaches into go to `ignored`.
fn match_roots(context: &Context, rel: &str, roots: &mut Vec<usize>, ignored: &mut Vec<usize>) {
    if rel.is_empty() {
        return;
    }
    let components: Vec<&str> = rel.split('/').collect();
    let Some(wild) = components.iter().position(|c| contains_wildcards(c)) else {
        let Some(resolved) = context.resolve_symlinks(rel) else {
            return;
        };
        if resolved.is_empty() {
            return;
        }
        match context.find(&resolved) {
            Some(i) => roots.push(i),
            None => {
                if let Some(p) = context.pruned_ancestor(&resolved) {
                    ignored.extend(context.find(&p.path));
                }
            }
        }
        return;
    };
    let base = components[..wild].join("/");
    let Some(base) = context.resolve_symlinks(&base) else {
        return;
    };
    if !base.is_empty() {
        match context.entry(&base) {
            Some(e) if e.pruned => {
                ignored.extend(context.find(&base));
                return;
            }
            Some(e) if e.is_dir() => {}
            _ => {
                if let Some(p) = context.pruned_ancestor(&base) {
                    ignored.extend(context.find(&p.path));
                }
                return;
            }
        }
    }
    let pattern_parts = &components[wild..];
    let pattern = pattern_parts.join("/");
    let range = context.subtree_range(&base);
    let entries = context.entries();
    let skip = if base.is_empty() { 0 } else { base.len() + 1 };
    let n = pattern_parts.len();
    let mut i = range.start;
    while i < range.end {
        let e = &entries[i];
        let below = &e.path[skip..];
        let depth = below.split('/').count();
        let end_of_subtree = |i: usize| context.subtree_range(&e.path).end.max(i + 1);
        if depth == n && glob_match(&pattern, below) == Ok(true) {
            roots.push(i);
            i = if e.is_dir() { end_of_subtree(i) } else { i + 1 };
            continue;
        }
        if e.is_dir() {
            // Only a directory matching the pattern's first components
            // can hold a match.
            let on_the_way =
                depth < n && glob_match(&pattern_parts[..depth].join("/"), below) == Ok(true);
            if e.pruned && on_the_way {
                ignored.push(i);
            }
            if !on_the_way {
                i = end_of_subtree(i);
                continue;
            }
        }
        i += 1;
    }
}

/// Files copied from below directory root `r`; whether the include
/// pattern picked anything that is sent.
fn collect_below(
    context: &Context,
    r: usize,
    include: Option<&IgnoreFile>,
    exclude: Option<&IgnoreFile>,
    source: &mut CopySource,
    ignored: &mut Vec<usize>,
) -> bool {
    let root = &context.entries()[r];
    let range = context.subtree_range(&root.path);
    collect_range(
        context,
        range,
        root.path.len() + 1,
        include,
        exclude,
        source,
        ignored,
    )
}

fn collect_whole_context(
    context: &Context,
    include: Option<&IgnoreFile>,
    exclude: Option<&IgnoreFile>,
    source: &mut CopySource,
    ignored: &mut Vec<usize>,
) -> bool {
    let range = context.subtree_range("");
    collect_range(context, range, 0, include, exclude, source, ignored)
}

fn collect_range(
    context: &Context,
    range: std::ops::Range<usize>,
    skip: usize,
    include: Option<&IgnoreFile>,
    exclude: Option<&IgnoreFile>,
    source: &mut CopySource,
    ignored: &mut Vec<usize>,
) -> bool {
    let entries = context.entries();
    let mut any_sent = false;
    let mut includes = include.map(TreeMatcher::new);
    let mut excludes = exclude.map(TreeMatcher::new);
    for i in range {
        let e = &entries[i];
        let rel = &e.path[skip..];
        let included = includes.as_mut().is_none_or(|m| m.check(rel, e.is_dir()));
        let excluded = excludes.as_mut().is_some_and(|m| m.check(rel, e.is_dir()));
        if excluded {
            continue;
        }
        if e.pruned {
            let reaches = included
                || include.is_some_and(|inc| {
                    inc.patterns().iter().any(|p| {
                        p.pattern.contains("**") || p.pattern.starts_with(&format!("{rel}/"))
                    })
                });
            if reaches {
                ignored.push(i);
            }
            continue;
        }
        if !included {
            continue;
        }
        any_sent |= e.sent;
        if e.is_dir() {
            continue;
        }
        if e.sent {
            source.files.push(i);
            source.bytes += e.size;
        } else {
            ignored.push(i);
        }
    }
    any_sent
}

/// Matches the entries of a subtree in order, handing each directory's
/// results to its children as BuildKit's copy does.
struct TreeMatcher<'a> {
    ignore: &'a IgnoreFile,
    stack: Vec<(String, MatchInfo)>,
}

impl<'a> TreeMatcher<'a> {
    fn new(ignore: &'a IgnoreFile) -> Self {
        TreeMatcher {
            ignore,
            stack: Vec::new(),
        }
    }

    fn check(&mut self, rel: &str, is_dir: bool) -> bool {
        while let Some((dir, _)) = self.stack.last() {
            if rel.len() > dir.len()
                && rel.starts_with(dir.as_str())
                && rel.as_bytes()[dir.len()] == b'/'
            {
                break;
            }
            self.stack.pop();
        }
        let parent = self.stack.last().map(|(_, info)| info);
        if is_dir {
            let (m, info) = self.ignore.match_path(rel, parent);
            self.stack.push((rel.to_string(), info));
            m
        } else {
            self.ignore.match_leaf(rel, parent)
        }
    }
}

/// The entries a source copies, for callers that want them as entries.
pub fn copied_entries<'c>(
    context: &'c Context,
    source: &CopySource,
) -> impl Iterator<Item = &'c Entry> {
    source.files.iter().map(move |&i| &context.entries()[i])
}
