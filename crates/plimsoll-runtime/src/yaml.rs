//! YAML read into a tree where every node keeps where it was written.
//!
//! Why our own small reader on the event stream of `granit-parser` (the
//! parser inside `serde-saphyr`) rather than `serde_saphyr::Spanned<T>`:
//! compose files and manifests have open-ended shapes, so the checks want a
//! dynamic tree, and serde's dynamic path (`deserialize_any`) loses what they
//! need: the scalar as written (`0.50`, `"0"` vs `0`, `${VAR}` in a quoted
//! string), the spans of mapping keys, Compose's `!reset`/`!override` tags,
//! comments (for pragmas), and control over alias expansion. The reader
//! handles anchors and aliases, merge keys (`<<`), multi-document
//! streams, duplicate keys, and limits.
//!
//! Limits, so that no input hangs or exhausts memory:
//! - [`Limits::max_bytes`]: files above 10 MiB are refused;
//! - [`Limits::max_nodes`]: at most 1,000,000 nodes per file, aliases
//!   counted at their expanded size, so a "billion laughs" document fails
//!   after a few anchors instead of expanding;
//! - [`Limits::max_depth`]: nesting deeper than 256 levels (aliases
//!   included) is refused; the parser itself stops at 255 open collections.

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
use plimsoll_diagnostics::Span;
use std::collections::HashMap;
use std::fmt;

/// Which loaded file a node comes from (an index into the caller's list).
pub type FileId = u32;

/// One YAML node with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The node's text in its file: a scalar's token (quotes included), a
    /// collection from its first to its last character.
    pub span: Span,
    pub file: FileId,
    /// A tag other than the core schema's (`!reset`, `!override`), as
    /// written.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null`, or nothing.
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// After YAML escape processing and folding.
    pub text: String,
    pub style: Style,
    /// Where `text` starts in the file when it is written there byte for
    /// byte (no escapes, no folding), so parts of it have exact spans.
    pub exact: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl Node {
    /// A plain node of no file, for values made up by merging.
    pub fn synthetic(value: Value, like: &Node) -> Node {
        Node {
            value,
            span: like.span,
            file: like.file,
            tag: None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The entry of a mapping with this key.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.as_str() == Some(key))
    }

    /// The value of a mapping's key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The value at a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// YAML 1.2 core-schema truth of a scalar (`true`, `True`, `TRUE`, and
    /// their `false` forms); a quoted `"true"` counts too, as Compose and
    /// Kubernetes accept it.
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar()?;
        match s.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    /// The span of bytes `range` of a scalar's text: exact when the
    /// scalar is written byte for byte, else the whole node.
    pub fn sub_span(&self, range: std::ops::Range<usize>) -> Span {
        match self.as_scalar().and_then(|s| s.exact.map(|at| (s, at))) {
            Some((s, at)) if range.end <= s.text.len() && range.start <= range.end => {
                Span::new(at + range.start, at + range.end)
            }
            _ => self.span,
        }
    }

    /// Number of nodes in this subtree.
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Null | Value::Scalar(_) => 0,
            Value::Seq(s) => s.iter().map(Node::count).sum(),
            Value::Map(m) => m.iter().map(|e| e.key.count() + e.value.count()).sum(),
        }
    }

    fn depth(&self) -> usize {
        1 + match &self.value {
            Value::Null | Value::Scalar(_) => 0,
            Value::Seq(s) => s.iter().map(Node::depth).max().unwrap_or(0),
            Value::Map(m) => m
                .iter()
                .map(|e| e.key.depth().max(e.value.depth()))
                .max()
                .unwrap_or(0),
        }
    }
}

/// One document of a YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `None` for an empty document.
    pub root: Option<Node>,
}

/// A `#` comment: its text after `#` and its span (`#` included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// A parsed YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_nodes: usize,
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 10 * 1024 * 1024,
            max_nodes: 1_000_000,
            max_depth: 256,
        }
    }
}

/// Why a YAML text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    #[error("invalid YAML at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
        offset: usize,
    },
    #[error("{size} bytes is more than the {max}-byte limit for YAML files")]
    TooLarge { size: usize, max: usize },
    #[error(
        "aliases at line {line} expand to more than {max} nodes (a YAML bomb?); refusing to expand it"
    )]
    TooManyNodes { line: usize, max: usize },
    #[error("nesting deeper than {max} levels at line {line}")]
    TooDeep { line: usize, max: usize },
    #[error("duplicate key `{key}` at line {line} (first at line {first})")]
    DuplicateKey {
        key: String,
        line: usize,
        first: usize,
    },
}

/// Parse a YAML stream.
pub fn parse(text: &str, file: FileId, limits: Limits) -> Result<Stream, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError::TooLarge {
            size: text.len(),
            max: limits.max_bytes,
        });
    }
    let mut options = granit_parser::Options::default();
    options.set_emit_comments(true);
    // Long runs of comment lines are common at the top of files; the
    // parser buffers them while it decides what follows.
    options.max_buffered_comment_events = usize::MAX;
    let parser = Parser::new_from_str_with_options(text, options);
    Reader {
        text,
        file,
        limits,
        parser,
        anchors: HashMap::new(),
        nodes: 0,
        comments: Vec::new(),
        line_starts: line_starts(text),
    }
    .stream()
}

struct Reader<'t> {
    text: &'t str,
    file: FileId,
    limits: Limits,
    parser: Parser<'t, granit_parser::StrInput<'t>>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    comments: Vec<Comment>,
    line_starts: Vec<usize>,
}

/// A collection being built.
enum Open {
    Seq {
        start: usize,
        flow: bool,
        anchor: usize,
        tag: Option<String>,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        flow: bool,
        anchor: usize,
        tag: Option<String>,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

impl<'t> Reader<'t> {
    fn offset(&self, m: &granit_parser::Marker) -> usize {
        let o = m.byte_offset().unwrap_or_else(|| m.index());
        let mut o = o.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn stream(mut self) -> Result<Stream, YamlError> {
        let mut documents = Vec::new();
        let mut stack: Vec<Open> = Vec::new();
        let mut root: Option<Node> = None;
        while let Some(next) = self.parser.next_event() {
            let (event, span) = next.map_err(|e| {
                let m = e.marker();
                YamlError::Syntax {
                    line: m.line(),
                    column: m.col() + 1,
                    message: e.info(),
                    offset: self.offset(m),
                }
            })?;
            let start = self.offset(&span.start);
            let end = self.offset(&span.end).max(start);
            let finished: Option<Node> = match event {
                Event::StreamStart => None,
                Event::StreamEnd => break,
                Event::DocumentStart(..) => {
                    self.anchors.clear();
                    root = None;
                    None
                }
                Event::DocumentEnd => {
                    documents.push(Document { root: root.take() });
                    None
                }
                Event::Comment(text, _) => {
                    self.comments.push(Comment {
                        text: text.into_owned(),
                        span: Span::new(start, end),
                    });
                    None
                }
                Event::Anchor(..) => None,
                Event::Alias(id) => {
                    let Some(target) = self.anchors.get(&id) else {
                        return Err(self.syntax(start, "alias to an unknown anchor"));
                    };
                    let count = target.count();
                    if self.nodes + count > self.limits.max_nodes {
                        return Err(YamlError::TooManyNodes {
                            line: self.line_of(start),
                            max: self.limits.max_nodes,
                        });
                    }
                    self.nodes += count;
                    let node = target.clone();
                    if stack.len() + node.depth() > self.limits.max_depth {
                        return Err(YamlError::TooDeep {
                            line: self.line_of(start),
                            max: self.limits.max_depth,
                        });
                    }
                    Some(node)
                }
                Event::UnresolvedAlias(name) => {
                    return Err(self.syntax(start, &format!("unknown anchor `{name}`")));
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.count_node(start)?;
                    let tag = custom_tag(tag.as_deref());
                    let style = match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted => Style::SingleQuoted,
                        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                    };
                    let raw = &self.text[start..end];
                    let inner = match style {
                        Style::Plain => Some((raw, start)),
                        Style::SingleQuoted | Style::DoubleQuoted if raw.len() >= 2 => {
                            Some((&raw[1..raw.len() - 1], start + 1))
                        }
                        _ => None,
                    };
                    let exact = inner.filter(|(r, _)| *r == text).map(|(_, at)| at);
                    let value = if style == Style::Plain
                        && tag.is_none()
                        && matches!(&*text, "" | "~" | "null" | "Null" | "NULL")
                    {
                        Value::Null
                    } else {
                        Value::Scalar(Scalar {
                            text: text.into_owned(),
                            style,
                            exact,
                        })
                    };
                    let node = Node {
                        value,
                        span: Span::new(start, end),
                        file: self.file,
                        tag,
                    };
                    if anchor != 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    Some(node)
                }
                Event::SequenceStart(style, anchor, tag) => {
                    self.count_node(start)?;
                    self.check_depth(stack.len() + 1, start)?;
                    stack.push(Open::Seq {
                        start,
                        flow: style == StructureStyle::Flow,
                        anchor,
                        tag: custom_tag(tag.as_deref()),
                        items: Vec::new(),
                    });
                    None
                }
                Event::MappingStart(style, anchor, tag) => {
                    self.count_node(start)?;
                    self.check_depth(stack.len() + 1, start)?;
                    stack.push(Open::Map {
                        start,
                        flow: style == StructureStyle::Flow,
                        anchor,
                        tag: custom_tag(tag.as_deref()),
                        entries: Vec::new(),
                        key: None,
                    });
                    None
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(open) = stack.pop() else {
                        return Err(self.syntax(start, "unbalanced collection"));
                    };
                    Some(self.close(open, end)?)
                }
                // Events added to the parser later are presentation only.
                _ => None,
            };
            let Some(node) = finished else { continue };
            match stack.last_mut() {
                None => root = Some(node),
                Some(Open::Seq { items, .. }) => items.push(node),
                Some(Open::Map { entries, key, .. }) => match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push(Entry {
                        key: k,
                        value: node,
                    }),
                },
            }
        }
        Ok(Stream {
            documents,
            comments: self.comments,
        })
    }

    fn syntax(&self, offset: usize, message: &str) -> YamlError {
        let line = self.line_of(offset);
        let column = self.text[self.line_starts[line - 1]..offset]
            .chars()
            .count()
            + 1;
        YamlError::Syntax {
            line,
            column,
            message: message.to_string(),
            offset,
        }
    }

    fn count_node(&mut self, at: usize) -> Result<(), YamlError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(YamlError::TooManyNodes {
                line: self.line_of(at),
                max: self.limits.max_nodes,
            });
        }
        Ok(())
    }

    fn check_depth(&self, depth: usize, at: usize) -> Result<(), YamlError> {
        if depth > self.limits.max_depth {
            return Err(YamlError::TooDeep {
                line: self.line_of(at),
                max: self.limits.max_depth,
            });
        }
        Ok(())
    }

    fn close(&mut self, open: Open, end_event: usize) -> Result<Node, YamlError> {
        let (start, flow, anchor, tag, value, last_end) = match open {
            Open::Seq {
                start,
                flow,
                anchor,
                tag,
                items,
            } => {
                let last = items.iter().map(|n| n.span.end).max();
                (start, flow, anchor, tag, Value::Seq(items), last)
            }
            Open::Map {
                start,
                flow,
                anchor,
                tag,
                mut entries,
                key,
            } => {
                if let Some(k) = key {
                    // A key without a value cannot come from the parser;
                    // keep it as a null-valued entry rather than lose it.
                    let v = Node::synthetic(Value::Null, &k);
                    entries.push(Entry { key: k, value: v });
                }
                let last = entries
                    .iter()
                    .map(|e| e.value.span.end.max(e.key.span.end))
                    .max();
                let entries = self.merge_keys(entries)?;
                (start, flow, anchor, tag, Value::Map(entries), last)
            }
        };
        // Block collections end where their last child ends; flow ones at
        // their closing bracket.
        let end = match last_end {
            Some(l) if !flow => l,
            _ => end_event,
        }
        .max(start);
        let node = Node {
            value,
            span: Span::new(start, end),
            file: self.file,
            tag,
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    /// Apply YAML merge keys (`<<: *base`, `<<: [*a, *b]`): the merged
    /// mappings' entries are added where the mapping does not set the key
    /// itself, earlier mappings of a list winning. Duplicate explicit keys
    /// are an error, as in Compose and kubectl.
    fn merge_keys(&self, entries: Vec<Entry>) -> Result<Vec<Entry>, YamlError> {
        let mut own: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut merged: Vec<Entry> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for e in entries {
            let is_merge = matches!(&e.key.value, Value::Scalar(Scalar { text, style: Style::Plain, .. }) if text == "<<");
            if is_merge {
                match &e.value.value {
                    Value::Map(m) => merged.extend(m.iter().cloned()),
                    Value::Seq(items) => {
                        for item in items {
                            match &item.value {
                                Value::Map(m) => merged.extend(m.iter().cloned()),
                                _ => {
                                    return Err(self.syntax(
                                        item.span.start,
                                        "a merge key (`<<`) list must hold mappings",
                                    ));
                                }
                            }
                        }
                    }
                    _ => {
                        return Err(self.syntax(
                            e.value.span.start,
                            "a merge key (`<<`) must be given a mapping or a list of mappings",
                        ));
                    }
                }
                continue;
            }
            if let Some(text) = e.key.as_str() {
                if let Some(&first) = seen.get(text) {
                    return Err(YamlError::DuplicateKey {
                        key: text.to_string(),
                        line: self.line_of(e.key.span.start),
                        first: self.line_of(first),
                    });
                }
                seen.insert(text.to_string(), e.key.span.start);
            }
            own.push(e);
        }
        for m in merged {
            let taken = match m.key.as_str() {
                Some(k) => seen.insert(k.to_string(), m.key.span.start).is_some(),
                None => false,
            };
            if !taken {
                own.push(m);
            }
        }
        Ok(own)
    }
}

fn custom_tag(tag: Option<&granit_parser::Tag>) -> Option<String> {
    let tag = tag?;
    if tag.is_yaml_core_schema() {
        return None;
    }
    Some(tag.original())
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    v
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Style::Plain => "plain",
            Style::SingleQuoted => "single-quoted",
            Style::DoubleQuoted => "double-quoted",
            Style::Literal => "literal",
            Style::Folded => "folded",
        })
    }
}
