use super::*;

/// (`.dockerignore` text, path relative to the context, excluded?) — the
/// answer BuildKit's context transfer gives.
const CASES: &[(&str, &str, bool)] = &[
    // Plain names are anchored at the context root.
    ("foo", "foo", true),
    ("foo", "foo/bar", true),
    ("foo", "foo/bar/baz.txt", true),
    ("foo", "foobar", false),
    ("foo", "a/foo", false),
    ("a/b/c", "a/b", false),
    ("a/b/c", "a/b/c/d", true),
    // Cleaning: leading `/`, `./`, `..`, trailing `/`, doubled `/`.
    ("/foo", "foo", true),
    ("./foo", "foo", true),
    ("foo/", "foo/x", true),
    ("a//b", "a/b", true),
    ("./a/../b", "b", true),
    ("./a/../b", "a", false),
    ("../foo", "foo", false),
    ("//foo", "foo", true),
    (".", "foo", false),
    ("/", "foo", false),
    // `*` and `?` stay within one component.
    ("*.log", "app.log", true),
    ("*.log", "logs/app.log", false),
    ("*", "anything", true),
    ("*", "a/b/c", true),
    ("*/", "a/b", true),
    ("doc?", "docs", true),
    ("doc?", "doc", false),
    ("doc?", "doc/x", false),
    ("temp?", "temp1/x", true),
    ("?", "a", true),
    ("?", "ab", false),
    ("*/tmp/*", "x/tmp/y", true),
    ("*/tmp/*", "tmp/y", false),
    (".*", ".git", true),
    (".*", ".git/config", true),
    (".*", "foo", false),
    // `**` anywhere.
    ("**", "anything/deep/down", true),
    ("**/", "file", true),
    ("**/*.log", "logs/app.log", true),
    ("**/*.log", "app.log", true),
    ("**/*.log", "a/b/c/x.log", true),
    ("**/*.log", "a/b/c/x.logx", false),
    ("**/foo", "foo", true),
    ("**/foo", "x/y/foo", true),
    ("**/foo", "x/foo/bar", true),
    ("**/foo", "xfoo", false),
    (
        "**/node_modules",
        "packages/a/node_modules/b/index.js",
        true,
    ),
    ("node_modules", "packages/a/node_modules", false),
    ("**/.env", ".env", true),
    ("**/.env", "config/.env", true),
    ("**/.env", "x.env", false),
    ("foo/**", "foo/bar", true),
    ("foo/**", "foo/a/b", true),
    ("foo/**", "foo", false),
    ("a/**/b", "a/b", true),
    ("a/**/b", "a/x/b", true),
    ("a/**/b", "a/x/y/b", true),
    ("a/**/b", "a/xb", false),
    ("a/**/b", "a/b/c", true),
    ("dir/**/*.go", "dir/x.go", true),
    ("dir/**/*.go", "dir/a/b/x.go", true),
    ("dir/**/*.go", "x.go", false),
    ("**/**/*.txt", "file.txt", true),
    ("**file", "myfile", true),
    ("**file", "dir/xfile", true),
    ("a**", "abc", true),
    ("a**", "a/b", true),
    ("a**", "b", false),
    ("a/*.txt**", "a/file.txtx", true),
    // Classes: `[^x]` negates, `[!x]` is the set of `!` and `x`.
    ("[a-c]at", "bat", true),
    ("[a-c]at", "dat", false),
    ("a[b-d]e", "ace", true),
    ("a[b-d]e", "ae", false),
    ("[^a]at", "bat", true),
    ("[^a]at", "aat", false),
    ("[!a]at", "!at", true),
    ("[!a]at", "aat", true),
    ("[!a]at", "bat", false),
    ("[\\]]x", "]x", true),
    // Backslash escapes.
    ("\\*", "*", true),
    ("\\*", "a", false),
    ("a\\?b", "a?b", true),
    ("a\\?b", "axb", false),
    ("a\\\\b", "a\\b", true),
    // Regex characters are literal.
    ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
    ("abc.def", "abcxdef", false),
    ("a{b}", "a{b}", true),
    (
        "dist/*.whl",
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        true,
    ),
    ("café/*", "café/menu", true),
    ("my file.txt", "my file.txt", true),
    // The last matching line wins.
    ("*.md\n!README.md", "README.md", false),
    ("*.md\n!README.md", "CHANGES.md", true),
    ("!README.md\n*.md", "README.md", true),
    ("*\n!src", "src/main.go", false),
    ("*\n!src", "docs/index.md", true),
    ("*\n!*.go", "main.go", false),
    // An exception with `*` does not reach into an excluded directory.
    ("*\n!*.go", "lib/x.go", true),
    // Exceptions below an excluded directory.
    ("docs\n!docs/README.md", "docs/README.md", false),
    ("docs\n!docs/README.md", "docs/other.md", true),
    ("docs\n!docs/README.md", "docs", true),
    ("docs/*\n!docs/keep", "docs/keep/x", false),
    ("docs/*\n!docs/keep", "docs/drop/x", true),
    ("**\n!util/docker/web", "util/docker/web/foo", false),
    (
        "**\n!util/docker/web\nutil/docker/web/foo",
        "util/docker/web/foo",
        true,
    ),
    // fsutil hands the parent's results down: the third line, matched only
    // through the parent `a`, is not consulted again for `a/b`.
    ("a\n!a/b\na", "a/b", false),
    ("a\n!a/b\na", "a/c", true),
    // Comments, blank lines, whitespace, BOM, CRLF.
    ("# comment\nfoo", "# comment", false),
    ("# comment\nfoo", "foo", true),
    (" # not a comment", "# not a comment", true),
    ("\n\n   \nfoo\n\n", "foo", true),
    ("   foo   ", "foo", true),
    ("\u{feff}foo", "foo", true),
    ("foo\r\nbar\r\n", "bar", true),
    ("! keep\n*", "keep", true),
    ("*\n! keep", "keep", false),
    ("*\n!/keep", "keep", false),
    // Invalid lines are dropped (Docker fails the build on them).
    ("[\nfoo", "[", false),
    ("!\nfoo", "foo", true),
    ("[Local-Only]\nfoo", "L", false),
    // The context root is never excluded.
    ("*", ".", false),
    ("**", "", false),
];

#[test]
fn table() {
    let mut failures = Vec::new();
    for &(text, path, want) in CASES {
        let ignore = IgnoreFile::parse(text);
        if ignore.matches(path) != want {
            failures.push(format!("{text:?} on {path:?}: want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(CASES.len() >= 60);
}

#[test]
fn matches_or_parent_matches_checks_each_pattern_on_every_parent() {
    let ignore = IgnoreFile::parse("a\n!a/b\na");
    assert!(ignore.matches_or_parent_matches("a/b"));
    assert!(!ignore.matches("a/b"));
    let ignore = IgnoreFile::parse("tmp");
    assert!(ignore.matches_or_parent_matches("./tmp/x"));
    assert!(!ignore.matches_or_parent_matches("/tmp/x"));
}

#[test]
fn line_numbers_and_spans() {
    let text = "# header\n\n  node_modules  \n!keep\n[bad\n";
    let ignore = IgnoreFile::parse(text);
    let lines: Vec<(usize, &str, bool)> = ignore
        .patterns()
        .iter()
        .map(|p| (p.line, p.pattern.as_str(), p.exception))
        .collect();
    assert_eq!(lines, [(3, "node_modules", false), (4, "keep", true)]);
    assert_eq!(&text[ignore.patterns()[0].span.range()], "node_modules");
    assert_eq!(ignore.errors().len(), 1);
    assert_eq!(ignore.errors()[0].line, 5);
    assert_eq!(&text[ignore.errors()[0].span.range()], "[bad");
    assert!(ignore.has_exceptions());
}

#[test]
fn pruning_decision() {
    let no_exceptions = IgnoreFile::parse("node_modules");
    assert!(!no_exceptions.may_include_below("node_modules"));
    let prefix = IgnoreFile::parse("docs\n!docs/README.md");
    assert!(prefix.may_include_below("docs"));
    assert!(!prefix.may_include_below("other"));
    let globbed = IgnoreFile::parse("*\n!*.go");
    assert!(globbed.may_include_below("anything"));
    let trailing = IgnoreFile::parse("vendor\n!vendor/keep/**");
    assert!(trailing.may_include_below("vendor"));
    assert!(trailing.may_include_below("vendor/keep"));
    assert!(!trailing.may_include_below("vendor/drop"));
}

#[test]
fn exclude_flag_patterns() {
    let ex = IgnoreFile::from_patterns(&["*.txt", "  docs/ "]);
    assert!(ex.matches("a.txt"));
    assert!(ex.matches("docs/x"));
    assert!(!ex.matches("sub/a.txt"));
    let ex = IgnoreFile::from_patterns(&["*/*.png"]);
    assert!(ex.matches("dir1/a.png"));
    assert!(!ex.matches("a.png"));
}

#[test]
fn for_dockerfile_prefers_the_dockerfile_specific_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("build")).unwrap();
    std::fs::write(root.join(".dockerignore"), "general\n").unwrap();
    std::fs::write(root.join("build/api.Dockerfile"), "FROM scratch\n").unwrap();
    std::fs::write(root.join("build/api.Dockerfile.dockerignore"), "specific\n").unwrap();

    let (path, ignore) = IgnoreFile::for_dockerfile(root, &root.join("build/api.Dockerfile"))
        .unwrap()
        .unwrap();
    assert_eq!(path, root.join("build/api.Dockerfile.dockerignore"));
    assert!(ignore.matches("specific"));
    assert!(!ignore.matches("general"));

    let (path, ignore) = IgnoreFile::for_dockerfile(root, &root.join("Dockerfile"))
        .unwrap()
        .unwrap();
    assert_eq!(path, root.join(".dockerignore"));
    assert!(ignore.matches("general"));

    let empty = tempfile::tempdir().unwrap();
    assert!(
        IgnoreFile::for_dockerfile(empty.path(), &empty.path().join("Dockerfile"))
            .unwrap()
            .is_none()
    );
}
