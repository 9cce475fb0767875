mod common;

use common::{add, files, resolve, symlink, tree};
use plimsoll_context::SourceStatus;

fn standard() -> tempfile::TempDir {
    tree(&[
        ("a.txt", "aaaa"),
        ("b.txt", "bb"),
        ("c.md", "c"),
        ("sub/c.txt", "c"),
        ("src/api/main.go", "package main"),
        ("src/web/main.go", "package main"),
        ("src/web/util.go", "package main"),
        ("src/README.md", "readme"),
        ("docs/guide.md", "guide"),
        ("docs/img/logo.png", "png"),
        ("x/y/one.txt", "1"),
        ("x/y/two.md", "2"),
        ("dir1/a.mp3", "3"),
        ("dir1/a.txt", "t"),
        ("dir2/b.mp3", "3"),
        ("dir2/b.png", "p"),
    ])
}

#[test]
fn wildcards_stay_within_a_component() {
    let dir = standard();
    let (ctx, copies) = resolve(
        dir.path(),
        "FROM scratch\nCOPY *.txt /x/\nCOPY src/*/main.go /y/\nCOPY [ab].txt /z/\nCOPY s?b /w/\n",
    );
    assert_eq!(files(&ctx, &copies, 0, 0), ["a.txt", "b.txt"]);
    assert_eq!(copies[0].sources[0].bytes, 6);
    assert!(copies[0].sources[0].is_pattern);
    assert_eq!(
        files(&ctx, &copies, 1, 0),
        ["src/api/main.go", "src/web/main.go"]
    );
    assert_eq!(files(&ctx, &copies, 2, 0), ["a.txt", "b.txt"]);
    assert_eq!(files(&ctx, &copies, 3, 0), ["sub/c.txt"]);
    assert!(
        copies
            .iter()
            .all(|c| c.sources[0].status == SourceStatus::Found)
    );
}

#[test]
fn directories_copy_their_contents_and_dot_is_everything() {
    let dir = standard();
    let (ctx, copies) = resolve(dir.path(), "FROM scratch\nCOPY docs /d\nCOPY . /all\n");
    assert_eq!(
        files(&ctx, &copies, 0, 0),
        ["docs/guide.md", "docs/img/logo.png"]
    );
    assert_eq!(copies[1].sources[0].path.as_deref(), Some(""));
    assert_eq!(copies[1].sources[0].files.len(), 16);
}

#[test]
fn missing_sources() {
    let dir = standard();
    let (_, copies) = resolve(
        dir.path(),
        "FROM scratch\nCOPY nope.txt /x\nCOPY *.nope /y/\nCOPY a.txt/inner /z\n",
    );
    let s = &copies[0].sources[0];
    assert_eq!((s.status, s.is_pattern), (SourceStatus::Missing, false));
    let s = &copies[1].sources[0];
    assert_eq!((s.status, s.is_pattern), (SourceStatus::Missing, true));
    assert_eq!(copies[2].sources[0].status, SourceStatus::Missing);
}

#[test]
fn sources_are_cleaned_and_clamped_to_the_context() {
    let dir = standard();
    let (ctx, copies) = resolve(
        dir.path(),
        "FROM scratch\nCOPY ../a.txt /x\nCOPY ./sub/../b.txt /y\nCOPY /docs/guide.md /z\n",
    );
    assert_eq!(files(&ctx, &copies, 0, 0), ["a.txt"]);
    assert_eq!(files(&ctx, &copies, 1, 0), ["b.txt"]);
    assert_eq!(files(&ctx, &copies, 2, 0), ["docs/guide.md"]);
}

#[test]
fn exclude_flag_is_relative_to_each_source() {
    let dir = standard();
    let (ctx, copies) = resolve(
        dir.path(),
        "# syntax=docker/dockerfile:1.7-labs\nFROM scratch\n\
         COPY --exclude=*.md docs /d\n\
         COPY --exclude=**/*.md --exclude=*.png . /all\n\
         COPY --exclude=*.mp3 dir* /m/\n\
         COPY --exclude=*/*.png . /p\n",
    );
    assert_eq!(files(&ctx, &copies, 0, 0), ["docs/img/logo.png"]);
    let all = files(&ctx, &copies, 1, 0);
    assert!(all.iter().all(|p| !p.ends_with(".md")), "{all:?}");
    assert!(all.contains(&"docs/img/logo.png".to_string()));
    assert!(all.contains(&"dir2/b.png".to_string()));
    assert_eq!(copies[1].excludes, ["**/*.md", "*.png"]);
    assert_eq!(files(&ctx, &copies, 2, 0), ["dir1/a.txt", "dir2/b.png"]);
    let p = files(&ctx, &copies, 3, 0);
    assert!(!p.contains(&"dir2/b.png".to_string()));
    assert!(p.contains(&"docs/img/logo.png".to_string()));
}

#[test]
fn parents_flag_uses_include_patterns_and_pivots() {
    let dir = standard();
    let (ctx, copies) = resolve(
        dir.path(),
        "# syntax=docker/dockerfile:1.7-labs\nFROM scratch\n\
         COPY --parents src/*/main.go /app/\n\
         COPY --parents ./x/./y/*.txt /pivot/\n\
         COPY --parents nope.txt /n/\n\
         COPY --parents **/*.md /md/\n",
    );
    assert!(copies[0].parents);
    assert_eq!(
        files(&ctx, &copies, 0, 0),
        ["src/api/main.go", "src/web/main.go"]
    );
    assert_eq!(files(&ctx, &copies, 1, 0), ["x/y/one.txt"]);
    let s = &copies[2].sources[0];
    assert_eq!((s.status, s.is_pattern), (SourceStatus::Missing, true));
    assert_eq!(files(&ctx, &copies, 3, 0).len(), 4);
}

#[test]
fn variables_are_expanded_and_unknowns_skipped() {
    let dir = standard();
    let (ctx, copies) = resolve(
        dir.path(),
        "ARG BASE=scratch\nFROM $BASE\nARG SRC=docs\nARG UNKNOWN\nENV D=src\n\
         COPY $SRC /d\nCOPY ${D}/web/*.go /g/\nCOPY $UNKNOWN /u\nCOPY [\"${SRC}/guide.md\", \"/j\"]\n",
    );
    assert_eq!(copies[0].sources[0].path.as_deref(), Some("docs"));
    assert_eq!(copies[0].sources[0].files.len(), 2);
    assert_eq!(
        files(&ctx, &copies, 1, 0),
        ["src/web/main.go", "src/web/util.go"]
    );
    let u = &copies[2].sources[0];
    assert_eq!(
        (u.status, u.path.as_deref()),
        (SourceStatus::Unresolved, None)
    );
    assert_eq!(files(&ctx, &copies, 3, 0), ["docs/guide.md"]);
}

#[test]
fn other_sources_are_left_out() {
    let dir = standard();
    let (_, copies) = resolve(
        dir.path(),
        "FROM scratch AS build\nFROM scratch\nCOPY --from=build /x /y\n\
         ADD https://example.com/a.tgz /a\nADD git@github.com:moby/buildkit.git /b\n\
         COPY <<EOF /etc/conf\nhello\nEOF\nCOPY a.txt <<EOF2 /both/\nhi\nEOF2\n",
    );
    // Only the last COPY has a context source.
    let sources: Vec<(usize, &str)> = copies
        .iter()
        .flat_map(|c| {
            c.sources
                .iter()
                .map(move |s| (c.instruction, s.written.as_str()))
        })
        .collect();
    assert_eq!(sources, [(6, "a.txt")]);
}

#[test]
fn ignored_sources() {
    let dir = standard();
    add(
        dir.path(),
        ".dockerignore",
        "*.txt\nnode_modules\nsrc/web/*\n",
    );
    add(dir.path(), "node_modules/pkg/package.json", "{}");
    let (_, copies) = resolve(
        dir.path(),
        "FROM scratch\nCOPY a.txt /a\nCOPY *.txt /t/\nCOPY node_modules/pkg/package.json /n\n\
         COPY src/web /w\nCOPY node_modules/*/package.json /p/\nCOPY sub /s\n",
    );
    let status: Vec<SourceStatus> = copies.iter().map(|c| c.sources[0].status).collect();
    assert_eq!(
        status,
        [
            SourceStatus::OnlyIgnored,
            SourceStatus::OnlyIgnored,
            SourceStatus::OnlyIgnored,
            SourceStatus::OnlyIgnored,
            SourceStatus::OnlyIgnored,
            SourceStatus::Found,
        ]
    );
    assert!(copies[0].sources[0].buildkit_ignored);
    // BuildKit's text test does not see that src/web holds only excluded files.
    assert!(!copies[3].sources[0].buildkit_ignored);
}

#[test]
fn ignored_sources_with_exceptions() {
    let dir = standard();
    add(dir.path(), ".dockerignore", "*\n!src\n");
    let (ctx, copies) = resolve(dir.path(), "FROM scratch\nCOPY a.txt /a\nCOPY src /s\n");
    let a = &copies[0].sources[0];
    assert_eq!(a.status, SourceStatus::OnlyIgnored);
    assert!(!a.buildkit_ignored);
    assert_eq!(files(&ctx, &copies, 1, 0).len(), 4);
}

#[test]
fn symlinked_sources_are_followed() {
    let dir = standard();
    symlink(dir.path(), "link", "docs");
    symlink(dir.path(), "loop1", "loop2");
    symlink(dir.path(), "loop2", "loop1");
    let (ctx, copies) = resolve(dir.path(), "FROM scratch\nCOPY link /l\nCOPY loop1 /x\n");
    assert_eq!(
        files(&ctx, &copies, 0, 0),
        ["docs/guide.md", "docs/img/logo.png"]
    );
    assert_eq!(copies[1].sources[0].status, SourceStatus::Missing);
}

#[test]
fn add_and_multiple_sources() {
    let dir = standard();
    let (ctx, copies) = resolve(dir.path(), "FROM scratch\nADD a.txt b.txt missing /dst/\n");
    assert_eq!(copies[0].command_name(), "Add");
    assert_eq!(copies[0].sources.len(), 3);
    assert_eq!(files(&ctx, &copies, 0, 1), ["b.txt"]);
    assert_eq!(copies[0].sources[2].status, SourceStatus::Missing);
}
