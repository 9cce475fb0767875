mod common;

use common::{add, symlink, tree};
use plimsoll_context::{Context, ContextError, EntryKind, IgnoreFile, WalkOptions};

#[test]
fn records_every_entry_sorted_with_sizes() {
    let dir = tree(&[
        ("a.txt", "12345"),
        ("a/b.txt", "xy"),
        ("a-b/c", ""),
        ("empty/", ""),
    ]);
    let ctx = Context::walk(dir.path(), &IgnoreFile::default()).unwrap();
    let paths: Vec<&str> = ctx.entries().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["a", "a/b.txt", "a-b", "a-b/c", "a.txt", "empty"]);
    assert_eq!(ctx.entry("a.txt").unwrap().size, 5);
    assert_eq!(ctx.entry("a").unwrap().kind, EntryKind::Dir);
    let stats = ctx.stats();
    assert_eq!((stats.files, stats.dirs), (3, 3));
    assert_eq!((stats.files_sent, stats.bytes_sent), (3, 7));
    assert!(ctx.issues().is_empty());
    assert_eq!(ctx.subtree("a").len(), 1);
    assert_eq!(ctx.subtree("").len(), 6);
}

#[test]
fn excluded_directories_are_pruned() {
    let dir = tree(&[
        ("node_modules/x/index.js", "module.exports = 1"),
        ("node_modules/y/index.js", "1"),
        ("src/app.js", "app"),
        ("debug.log", "log"),
    ]);
    let ignore = IgnoreFile::parse("node_modules\n*.log\n");
    let ctx = Context::walk(dir.path(), &ignore).unwrap();
    let nm = ctx.entry("node_modules").unwrap();
    assert!(nm.pruned && nm.ignored && !nm.sent);
    assert!(ctx.subtree("node_modules").is_empty());
    assert!(ctx.entry("debug.log").unwrap().ignored);
    let stats = ctx.stats();
    assert_eq!(stats.pruned_dirs, 1);
    assert_eq!((stats.files_sent, stats.files_ignored), (1, 1));
    assert!(ctx.pruned_ancestor("node_modules/x/index.js").is_some());

    let full = Context::walk_with(dir.path(), &ignore, WalkOptions { prune: false }).unwrap();
    assert_eq!(full.subtree("node_modules").len(), 4);
    assert!(
        full.subtree("node_modules")
            .iter()
            .all(|e| e.ignored && !e.sent)
    );
}

#[test]
fn exceptions_reach_into_excluded_directories() {
    let dir = tree(&[
        ("docs/README.md", "readme"),
        ("docs/other.md", "other"),
        ("docs/deep/keep.md", "keep"),
        ("vendor/a.go", "a"),
    ]);
    let ignore = IgnoreFile::parse("docs\nvendor\n!docs/README.md\n!docs/deep\n");
    let ctx = Context::walk(dir.path(), &ignore).unwrap();
    let docs = ctx.entry("docs").unwrap();
    assert!(docs.ignored && docs.sent && !docs.pruned);
    assert!(ctx.entry("docs/README.md").unwrap().sent);
    assert!(!ctx.entry("docs/other.md").unwrap().sent);
    assert!(ctx.entry("docs/deep/keep.md").unwrap().sent);
    // No exception names anything below vendor: skipped as BuildKit does.
    assert!(ctx.entry("vendor").unwrap().pruned);
}

#[test]
fn walk_agrees_with_the_matcher() {
    let dir = tree(&[
        ("a/b/c.txt", ""),
        ("a/b/d.md", ""),
        ("a/e.md", ""),
        ("x/y/z/w.md", ""),
        ("x/keep.md", ""),
        ("top.md", ""),
        ("README.md", ""),
    ]);
    let ignore = IgnoreFile::parse("**/*.md\n!README.md\na/b\n!a/b/d.md\nx\n!x/y\n");
    let ctx = Context::walk_with(dir.path(), &ignore, WalkOptions { prune: false }).unwrap();
    for e in ctx.entries() {
        assert_eq!(e.ignored, ignore.matches(&e.path), "{}", e.path);
    }
    // `!x/y` comes last: everything below x/y is back, `.md` files too.
    assert!(!ctx.entry("x/y/z/w.md").unwrap().ignored);
    assert!(ctx.entry("x/keep.md").unwrap().ignored);
    assert!(!ctx.entry("a/b/d.md").unwrap().ignored);
    assert!(ctx.entry("a/b/c.txt").unwrap().ignored);
    assert!(!ctx.entry("README.md").unwrap().ignored);
}

#[test]
fn symlinks_are_not_followed_and_loops_do_not_hang() {
    let dir = tree(&[("real/file.txt", "data")]);
    let root = dir.path();
    symlink(root, "loop", ".");
    symlink(root, "a", "b");
    symlink(root, "b", "a");
    symlink(root, "dangling", "does/not/exist");
    symlink(root, "to_real", "real");
    symlink(root, "abs", "/real/file.txt");
    let ctx = Context::walk(root, &IgnoreFile::default()).unwrap();
    for name in ["loop", "a", "b", "dangling", "to_real"] {
        assert_eq!(ctx.entry(name).unwrap().kind, EntryKind::Symlink, "{name}");
    }
    assert!(ctx.subtree("loop").is_empty());
    assert_eq!(ctx.entry("a").unwrap().link_target.as_deref(), Some("b"));
    assert_eq!(ctx.resolve_symlinks("a"), None);
    assert_eq!(
        ctx.resolve_symlinks("to_real/file.txt").as_deref(),
        Some("real/file.txt")
    );
    assert_eq!(
        ctx.resolve_symlinks("abs").as_deref(),
        Some("real/file.txt")
    );
    assert_eq!(
        ctx.resolve_symlinks("loop/loop/real").as_deref(),
        Some("real")
    );
    assert!(ctx.issues().is_empty());
}

#[test]
fn special_files_are_recorded_not_opened() {
    let dir = tree(&[("ok.txt", "x")]);
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    let ctx = Context::walk(dir.path(), &IgnoreFile::default()).unwrap();
    let pipe = ctx.entry("pipe").unwrap();
    assert_eq!(pipe.kind, EntryKind::Other);
    assert_eq!(ctx.read_head("pipe", 16), None);
    // Would block forever if the FIFO were opened.
    assert!(ctx.ignorable_items().is_empty());
}

#[test]
fn unreadable_directories_become_issues() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("locked/secret.txt", "x"), ("open.txt", "y")]);
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read_dir(&locked).is_ok();
    let ctx = Context::walk(dir.path(), &IgnoreFile::default()).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(ctx.entry("open.txt").is_some());
    if readable_anyway {
        // Running as root: permissions do not stop the walk.
        assert!(ctx.entry("locked/secret.txt").is_some());
    } else {
        assert_eq!(ctx.issues().len(), 1);
        assert_eq!(ctx.issues()[0].path, "locked");
    }
}

#[test]
fn a_context_must_be_a_directory() {
    let dir = tree(&[("file.txt", "x")]);
    let err = Context::walk(dir.path().join("file.txt"), &IgnoreFile::default()).unwrap_err();
    assert!(matches!(err, ContextError::NotADirectory(_)));
    assert!(err.to_string().contains("not a directory"));
    let err = Context::walk(dir.path().join("missing"), &IgnoreFile::default()).unwrap_err();
    assert!(matches!(err, ContextError::Io { .. }));
}

#[test]
fn deep_and_wide_trees() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = String::new();
    for _ in 0..200 {
        deep.push_str("d/");
    }
    add(dir.path(), &format!("{deep}leaf.txt"), "leaf");
    for i in 0..2000 {
        add(dir.path(), &format!("wide/{}/{i}.txt", i % 37), "w");
    }
    let ignore = IgnoreFile::parse("wide/1*\n");
    let first = Context::walk(dir.path(), &ignore).unwrap();
    let second = Context::walk(dir.path(), &ignore).unwrap();
    assert_eq!(first.entries(), second.entries());
    assert!(first.entry(&format!("{deep}leaf.txt")).is_some());
    let sent = first.stats().files_sent;
    let expected = 1
        + (0..2000)
            .filter(|i| !(i % 37).to_string().starts_with('1'))
            .count() as u64;
    assert_eq!(sent, expected);
}

/// Root ignores permissions, so an unreadable directory is made another
/// way: a path longer than the kernel accepts (ENAMETOOLONG).
#[test]
fn paths_too_long_to_open_become_issues() {
    let dir = tree(&[("ok.txt", "x")]);
    let name = "n".repeat(250);
    let script =
        format!("for i in $(seq 20); do mkdir {name} && cd {name} || exit 1; done; touch leaf");
    let made = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("could not build a deep tree; skipping");
        return;
    }
    let ctx = Context::walk(dir.path(), &IgnoreFile::default()).unwrap();
    assert!(ctx.entry("ok.txt").is_some());
    assert!(!ctx.issues().is_empty());
    let issue = &ctx.issues()[0];
    assert!(issue.path.starts_with(&name), "{}", issue.path);
    assert!(!issue.message.is_empty());
}

#[test]
fn unreadable_files_that_would_be_sent_become_issues() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("key.pem", "x"), ("ignored.pem", "y"), ("open.txt", "z")]);
    for f in ["key.pem", "ignored.pem"] {
        std::fs::set_permissions(dir.path().join(f), std::fs::Permissions::from_mode(0o000))
            .unwrap();
    }
    let readable_anyway = std::fs::File::open(dir.path().join("key.pem")).is_ok();
    let ctx = Context::walk(dir.path(), &IgnoreFile::parse("ignored.pem\n")).unwrap();
    for f in ["key.pem", "ignored.pem"] {
        std::fs::set_permissions(dir.path().join(f), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }
    if readable_anyway {
        // Running as root: permissions do not stop reading.
        assert!(ctx.issues().is_empty());
    } else {
        // Only the file BuildKit would send matters.
        let paths: Vec<&str> = ctx.issues().iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["key.pem"]);
    }
}
