//! Matched and unmatched names: the cases of lex_test.go's
//! `TestProcessWithMatches`, `TestShellParserMandatoryEnvVars` and
//! `TestProcessWithMatchesPlatform`, and a few of our own.

use std::collections::BTreeMap;

use plimsoll_expand::Lexer;

struct Case {
    input: &'static str,
    env: &'static [(&'static str, &'static str)],
    /// `None`: BuildKit returns an error.
    expected: Option<&'static str>,
    matched: &'static [&'static str],
    unmatched: &'static [&'static str],
}

const FOO_BAR: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];

const fn ok(
    input: &'static str,
    env: &'static [(&'static str, &'static str)],
    expected: &'static str,
    matched: &'static [&'static str],
    unmatched: &'static [&'static str],
) -> Case {
    Case {
        input,
        env,
        expected: Some(expected),
        matched,
        unmatched,
    }
}

const fn err(input: &'static str, env: &'static [(&'static str, &'static str)]) -> Case {
    Case {
        input,
        env,
        expected: None,
        matched: &[],
        unmatched: &[],
    }
}

const CASES: &[Case] = &[
    ok("x", &[("DUMMY", "dummy")], "x", &[], &[]),
    ok("x ${UNUSED}", &[("DUMMY", "dummy")], "x ", &[], &["UNUSED"]),
    ok("x ${FOO}", &[("FOO", "y")], "x y", &["FOO"], &[]),
    ok(
        "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}",
        FOO_BAR,
        "xxx  ccc",
        &["BAR", "FOO"],
        &["BAZ"],
    ),
    ok(
        "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
        FOO_BAR,
        "xxx bbb ccc",
        &["BAR", "FOO"],
        &["BAZ"],
    ),
    ok("${FOO:-}", FOO_BAR, "xxx", &["FOO"], &[]),
    ok("${FOO:-}", &[], "", &[], &["FOO"]),
    ok(
        "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}",
        FOO_BAR,
        "aaa bbb ",
        &["BAR", "FOO"],
        &["BAZ"],
    ),
    ok(
        "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}",
        FOO_BAR,
        "aaa  ",
        &["BAR", "FOO"],
        &["BAZ"],
    ),
    ok("${FOO?aaa}", FOO_BAR, "xxx", &["FOO"], &[]),
    ok("${BAR?bbb}", FOO_BAR, "", &["BAR"], &[]),
    err("${BAZ?ccc}", FOO_BAR),
    ok("${FOO:?aaa}", FOO_BAR, "xxx", &["FOO"], &[]),
    err("${BAR:?bbb}", FOO_BAR),
    err("${BAZ:?ccc}", FOO_BAR),
    err("${BAZ:?}", FOO_BAR),
    err("${FOO=aaa}", FOO_BAR),
    err("${FOO=:aaa}", FOO_BAR),
    err("${FOO=}", &[]),
    ok(
        "${FOO#()[]{\\}^$.\\*\\?|\\\\}",
        &[("FOO", "()[]{}^$.*?|\\x")],
        "x",
        &["FOO"],
        &[],
    ),
    ok("${FOO%%\\**}", &[("FOO", "xx**")], "xx", &["FOO"], &[]),
    ok("${FOO#*x*y}", &[("FOO", "xxyy")], "y", &["FOO"], &[]),
    ok("${FOO#*}", &[("FOO", "xxyy")], "xxyy", &["FOO"], &[]),
    ok(
        "${FOO#$BAR}",
        &[("FOO", "xxyy"), ("BAR", "x")],
        "xyy",
        &["BAR", "FOO"],
        &[],
    ),
    ok(
        "${FOO#$BAR}",
        &[("FOO", "xxyy"), ("BAR", "")],
        "xxyy",
        &["BAR", "FOO"],
        &[],
    ),
    ok("${FOO#}", &[("FOO", "xxyy")], "xxyy", &["FOO"], &[]),
    ok("${FOO##*x}", &[("FOO", "xxyy")], "yy", &["FOO"], &[]),
    ok("${FOO##}", &[("FOO", "xxyy")], "xxyy", &["FOO"], &[]),
    ok("${FOO#?\\?}", &[("FOO", "???y")], "?y", &["FOO"], &[]),
    ok(
        "${ABC:-.}${FOO%x}${ABC:-.}",
        &[("FOO", "xxyy")],
        ".xxyy.",
        &["FOO"],
        &["ABC"],
    ),
    ok("${FOO%%\\**\\*}", &[("FOO", "a***yy*")], "a", &["FOO"], &[]),
    ok("${FOO%}", &[("FOO", "xxyy")], "xxyy", &["FOO"], &[]),
    ok(
        "${FOO%%$BAR}",
        &[("FOO", "xxyy"), ("BAR", "")],
        "xxyy",
        &["BAR", "FOO"],
        &[],
    ),
    err("${FOO:#}", &[]),
    err("${FOO:##}", &[]),
    err("${FOO:%}", &[]),
    err("${FOO:%%}", &[]),
    ok(
        "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
        &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")],
        "/foo.*/*.txt - /foo..*.txt",
        &["FOO", "NEEDLE"],
        &[],
    ),
    ok(
        "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
        &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
        "/tmp/bar.txt - /bar.txt",
        &["FOO", "NEEDLE"],
        &[],
    ),
    ok(
        "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
        &[
            ("FOO", "/a/foo/b/c.txt"),
            ("NEEDLE", "/?/"),
            ("REPLACEMENT", "/"),
        ],
        "/foo/b/c.txt - /foo/c.txt",
        &["FOO", "NEEDLE", "REPLACEMENT"],
        &[],
    ),
    ok(
        "${FOO/$NEEDLE/$REPLACEMENT}",
        &[
            ("FOO", "http://google.de"),
            ("NEEDLE", "http://"),
            ("REPLACEMENT", "https://"),
        ],
        "https://google.de",
        &["FOO", "NEEDLE", "REPLACEMENT"],
        &[],
    ),
    ok(
        "${FOO//\\//\\/}",
        &[("FOO", "/tmp/foo.txt")],
        "\\/tmp\\/foo.txt",
        &["FOO"],
        &[],
    ),
    ok(
        "${FOO/$BAR/ww}",
        &[("FOO", "xxyy"), ("BAR", "")],
        "wwxxyy",
        &["BAR", "FOO"],
        &[],
    ),
    err("${FOO//ww}", &[("FOO", "xxyy")]),
    err("${FOO//}", &[("FOO", "xxyy")]),
    ok("${FOO///}", &[("FOO", "xxyy")], "xxyy", &["FOO"], &[]),
    ok("${FOO///}", &[], "", &[], &["FOO"]),
    // Our own: operands are expanded whether or not they are used, so their
    // names are looked up too.
    ok("${A:-$B}", &[("A", "a")], "a", &["A"], &["B"]),
    ok("${A:+$B}", &[], "", &[], &["A", "B"]),
    ok("'$A' \\$B \"$C\"", &[("C", "c")], "$A $B c", &["C"], &[]),
    ok("$1 ${@} $A$A", &[("A", "a")], "  aa", &["A"], &["1", "@"]),
    ok("$ $. ${A}x", &[], "$ $. x", &[], &["A"]),
];

#[test]
fn process_with_matches() {
    let lexer = Lexer::new('\\');
    let mut failures = Vec::new();
    for case in CASES {
        let env: BTreeMap<String, String> = case
            .env
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let got = lexer.process_word(case.input, &env);
        match (got, case.expected) {
            (Err(_), None) => {}
            (Ok(e), Some(expected)) => {
                let matched: Vec<&str> = e.matched.iter().map(String::as_str).collect();
                let unmatched: Vec<&str> = e.unmatched.iter().map(String::as_str).collect();
                if e.value != expected || matched != case.matched || unmatched != case.unmatched {
                    failures.push(format!(
                        "{:?}: expected {expected:?} {:?} {:?}, got {:?} {matched:?} {unmatched:?}",
                        case.input, case.matched, case.unmatched, e.value
                    ));
                }
            }
            (got, expected) => failures.push(format!(
                "{:?}: expected {expected:?}, got {got:?}",
                case.input
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mandatory_env_vars() {
    let lexer = Lexer::new('\\');
    let set: &[(&str, &str)] = &[("VAR", "plain"), ("ARG", "x")];
    let empty: &[(&str, &str)] = &[("VAR", ""), ("ARG", "x")];
    let unset: &[(&str, &str)] = &[("ARG", "x")];
    let no_empty = "${VAR:?message here$ARG}";
    let no_unset = "${VAR?message here$ARG}";

    assert_eq!(lexer.process_word(no_empty, &set).unwrap().value, "plain");
    for env in [empty, unset] {
        let err = lexer.process_word(no_empty, &env).unwrap_err();
        assert!(err.to_string().contains("message herex"), "{err}");
        assert_eq!(err.message, "VAR: message herex");
    }
    assert_eq!(lexer.process_word(no_unset, &set).unwrap().value, "plain");
    assert_eq!(lexer.process_word(no_unset, &empty).unwrap().value, "");
    let err = lexer.process_word(no_unset, &unset).unwrap_err();
    assert!(err.to_string().contains("message herex"), "{err}");
}

#[test]
fn platform_release_name() {
    let lexer = Lexer::new('\\');
    let release =
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    let base = [("VERSION", "v1.2.3"), ("TARGETOS", "linux")];
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")],
            "something-v1.2.3.linux-arm-v7.tar.gz",
        ),
        (
            &[("TARGETARCH", "arm64"), ("TARGETVARIANT", "")],
            "something-v1.2.3.linux-arm64.tar.gz",
        ),
        (
            &[("TARGETARCH", "arm64")],
            "something-v1.2.3.linux-arm64.tar.gz",
        ),
    ];
    for (extra, expected) in cases {
        let env: Vec<(&str, &str)> = base.iter().chain(extra).copied().collect();
        assert_eq!(lexer.process_word(release, &env).unwrap().value, expected);
    }
}

#[test]
fn env_lookup_last_wins() {
    // TestGetEnv: the last of several definitions counts.
    let lexer = Lexer::new('\\');
    let env = [("foo", "bar"), ("car", "hat"), ("car", "bike")];
    assert_eq!(
        lexer.process_word("$foo $car", &env).unwrap().value,
        "bar bike"
    );
}
