//! Merging compose files the way `docker compose -f a.yaml -f b.yaml`
//! does (the Compose specification's "merge" rules), which is also how
//! `extends` lays a service over the one it extends:
//!
//! - mappings merge key by key, recursively;
//! - `command`, `entrypoint` and `healthcheck.test` are replaced;
//! - `environment`, `labels`, `annotations`, `sysctls`, `build.args` and
//!   `build.labels` are read as mappings (`- KEY=value` lists included) and
//!   merged by name;
//! - `volumes` and `devices` of a service are merged by mount target;
//! - other sequences are concatenated, items the base already has dropped;
//! - scalars are replaced;
//! - a `!reset` tag removes the value, `!override` replaces it whole.
//!
//! Every node keeps the span of the file it came from.

use crate::yaml::{Entry, Node, Scalar, Style, Value};

const REPLACED: &[&[&str]] = &[&["command"], &["entrypoint"], &["healthcheck", "test"]];
const AS_MAPPING: &[&[&str]] = &[
    &["environment"],
    &["labels"],
    &["annotations"],
    &["sysctls"],
    &["build", "args"],
    &["build", "labels"],
    &["deploy", "labels"],
];
const BY_TARGET: &[&[&str]] = &[&["volumes"], &["devices"]];

/// Lay `over` on `base`; `path` is where they are in the project
/// (`["services", "web", "environment"]`). `None` when `over` resets the
/// value.
pub fn merge(base: Node, over: Node, path: &mut Vec<String>) -> Option<Node> {
    match over.tag.as_deref() {
        Some("!reset") => return None,
        Some("!override") => return Some(untagged(over)),
        _ => {}
    }
    let service_path: Option<Vec<&str>> = (path.len() >= 2 && path[0] == "services")
        .then(|| path[2..].iter().map(String::as_str).collect());
    let is = |table: &[&[&str]]| service_path.as_deref().is_some_and(|p| table.contains(&p));
    if is(REPLACED) {
        return Some(over);
    }
    if is(AS_MAPPING) {
        return Some(merge_maps(as_mapping(base), as_mapping(over), path));
    }
    match (base.value, over.value) {
        (Value::Map(b), Value::Map(o)) => Some(merge_maps(
            Node {
                value: Value::Map(b),
                ..base_shell(&base.span, base.file)
            },
            Node {
                value: Value::Map(o),
                span: over.span,
                file: over.file,
                tag: over.tag,
            },
            path,
        )),
        (Value::Seq(b), Value::Seq(o)) => {
            let mut items = b;
            if is(BY_TARGET) {
                for item in o {
                    let target = mount_target(&item);
                    match items
                        .iter()
                        .position(|i| target.is_some() && mount_target(i) == target)
                    {
                        Some(at) => items[at] = item,
                        None => items.push(item),
                    }
                }
            } else {
                for item in o {
                    if !items.iter().any(|i| same_scalar(i, &item)) {
                        items.push(item);
                    }
                }
            }
            Some(Node {
                value: Value::Seq(items),
                span: over.span,
                file: over.file,
                tag: None,
            })
        }
        (_, value) => Some(Node {
            value,
            span: over.span,
            file: over.file,
            tag: over.tag,
        }),
    }
}

fn base_shell(span: &plimsoll_diagnostics::Span, file: u32) -> Node {
    Node {
        value: Value::Null,
        span: *span,
        file,
        tag: None,
    }
}

fn untagged(mut n: Node) -> Node {
    n.tag = None;
    n
}

/// Both mappings (anything else counts as empty) merged key by key; the
/// keys keep the base's spans, values come from where they were last set.
fn merge_maps(base: Node, over: Node, path: &mut Vec<String>) -> Node {
    let (span, file) = (base.span, base.file);
    let mut entries: Vec<Entry> = match base.value {
        Value::Map(m) => m,
        _ => Vec::new(),
    };
    let over_entries = match over.value {
        Value::Map(m) => m,
        _ => Vec::new(),
    };
    for e in over_entries {
        let key = e.key.as_str().map(str::to_string);
        let at = key
            .as_deref()
            .and_then(|k| entries.iter().position(|b| b.key.as_str() == Some(k)));
        match at {
            Some(i) => {
                let old = entries.remove(i);
                path.push(key.unwrap_or_default());
                let merged = merge(old.value, e.value, path);
                path.pop();
                if let Some(value) = merged {
                    entries.insert(
                        i,
                        Entry {
                            key: old.key,
                            value,
                        },
                    );
                }
            }
            None => {
                if e.value.tag.as_deref() == Some("!reset") {
                    continue;
                }
                let value = untagged(e.value);
                entries.push(Entry { key: e.key, value });
            }
        }
    }
    Node {
        value: Value::Map(entries),
        span,
        file,
        tag: None,
    }
}

/// A `- KEY=value` list as a mapping (`- KEY` has a null value); a
/// mapping as it is.
pub fn as_mapping(node: Node) -> Node {
    let Value::Seq(items) = &node.value else {
        return node;
    };
    let mut entries: Vec<Entry> = Vec::new();
    for item in items {
        let Some(text) = item.as_str() else { continue };
        let (key, value) = match text.find('=') {
            Some(eq) => {
                let value_text = &text[eq + 1..];
                let key = scalar(&text[..eq], item, 0..eq);
                let value = scalar(value_text, item, eq + 1..text.len());
                (key, value)
            }
            None => (
                scalar(text, item, 0..text.len()),
                Node {
                    value: Value::Null,
                    span: item.sub_span(text.len()..text.len()),
                    file: item.file,
                    tag: None,
                },
            ),
        };
        if let Some(k) = key.as_str()
            && let Some(at) = entries.iter().position(|e| e.key.as_str() == Some(k))
        {
            entries.remove(at);
        }
        entries.push(Entry { key, value });
    }
    Node {
        value: Value::Map(entries),
        span: node.span,
        file: node.file,
        tag: node.tag,
    }
}

/// A part of a list item's scalar as a scalar of its own.
fn scalar(text: &str, item: &Node, range: std::ops::Range<usize>) -> Node {
    let span = item.sub_span(range.clone());
    let exact = item
        .as_scalar()
        .and_then(|s| s.exact)
        .map(|at| at + range.start);
    Node {
        value: Value::Scalar(Scalar {
            text: text.to_string(),
            style: item.as_scalar().map_or(Style::Plain, |s| s.style),
            exact,
        }),
        span,
        file: item.file,
        tag: None,
    }
}

/// Where a `volumes`/`devices` entry is mounted in the container.
pub fn mount_target(item: &Node) -> Option<String> {
    if let Some(t) = item.get("target").and_then(Node::as_str) {
        return Some(t.to_string());
    }
    let text = item.as_str()?;
    let parts: Vec<&str> = text.split(':').collect();
    Some(match parts.as_slice() {
        [one] => one.to_string(),
        [_, target, ..] => target.to_string(),
        [] => return None,
    })
}

fn same_scalar(a: &Node, b: &Node) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}
