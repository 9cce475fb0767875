//! Paths inside tar archives, normalised the way an extractor resolves
//! them: relative to the root, without `.`, empty components or a trailing
//! slash, `..` resolved lexically and never above the root. The root itself
//! is the empty string; reports add the leading `/`.

/// Normalise a path from a tar header.
pub fn normalize(raw: &str) -> String {
    // Most tar paths are already normal (`usr/lib/x`, or `./usr/lib/x`).
    let trimmed = raw.strip_prefix("./").unwrap_or(raw);
    if !trimmed.is_empty()
        && !trimmed.starts_with('/')
        && !trimmed.ends_with('/')
        && trimmed
            .split('/')
            .all(|part| !matches!(part, "" | "." | ".."))
    {
        return trimmed.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The parent of a normalised path (`""` for top-level entries and the
/// root).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The last component of a normalised path.
pub fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// `dir/name`, or `name` at the root.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Every proper ancestor of a normalised path, outermost first, the root
/// excluded: `a/b/c` gives `a`, `a/b`.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// For display: `/etc/passwd`, `/` for the root.
pub fn display(path: &str) -> String {
    format!("/{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(normalize("./etc/passwd"), "etc/passwd");
        assert_eq!(normalize("/usr//lib/./x/"), "usr/lib/x");
        assert_eq!(normalize("./"), "");
        assert_eq!(normalize("a/../../b"), "b");
        assert_eq!(parent("a/b/c"), "a/b");
        assert_eq!(parent("a"), "");
        assert_eq!(file_name("a/b/.wh.c"), ".wh.c");
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(join("", "x"), "x");
    }
}
