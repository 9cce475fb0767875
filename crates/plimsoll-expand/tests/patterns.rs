//! `${X#p}`, `${X##p}`, `${X%p}`, `${X%%p}`, `${X/p/r}` and `${X//p/r}`,
//! which BuildKit's tables do not cover. Each expectation follows from
//! lex.go: the pattern becomes a Go regexp (`*` → `.*?` for `#`/`%`, `.*` for
//! `##`/`%%`/`/`; `?` → `.`; everything else literal, `[` included), `%` works
//! on the reversed value, and `//` is Go's `ReplaceAllString`. Several rows
//! are where BuildKit and bash disagree; those are marked "not bash".

use plimsoll_expand::Lexer;

const ENV: &[(&str, &str)] = &[
    ("P", "path/to/file.tar.gz"),
    ("F", "xxyy"),
    ("E", ""),
    ("S", "a*b?c"),
    ("BR", "[ab]x"),
    ("D", "a^b$c"),
    ("C", "a}b}"),
    ("K", "한국어한국어"),
    ("V", "libfoo.so.1.2"),
    ("NL", "a\nb"),
    ("R", "<$0>"),
    ("H", "#x"),
    ("BS", "\\"),
];

/// `None` means BuildKit rejects the word.
const CASES: &[(&str, Option<&str>)] = &[
    // Prefixes: shortest and longest, globs and literals.
    ("${P#*/}", Some("to/file.tar.gz")),
    ("${P##*/}", Some("file.tar.gz")),
    ("${P#path}", Some("/to/file.tar.gz")),
    ("${P#to}", Some("path/to/file.tar.gz")),
    ("${P#?}", Some("ath/to/file.tar.gz")),
    ("${P#p*t}", Some("h/to/file.tar.gz")),
    ("${P##p*t}", Some("ar.gz")),
    ("${V#*.}", Some("so.1.2")),
    // Suffixes.
    ("${P%.*}", Some("path/to/file.tar")),
    ("${P%%.*}", Some("path/to/file")),
    ("${P%gz}", Some("path/to/file.tar.")),
    ("${P%tar}", Some("path/to/file.tar.gz")),
    ("${P%???}", Some("path/to/file.tar")),
    ("${P%t*}", Some("path/to/file.")),
    ("${P%%t*}", Some("pa")),
    ("${V%%.so*}", Some("libfoo")),
    // Empty patterns and lone stars.
    ("${P#}", Some("path/to/file.tar.gz")),
    ("${P##}", Some("path/to/file.tar.gz")),
    ("${P%}", Some("path/to/file.tar.gz")),
    ("${P#*}", Some("path/to/file.tar.gz")),
    ("${P##*}", Some("")),
    ("${P%*}", Some("path/to/file.tar.gz")),
    ("${P%%*}", Some("")),
    // Unset and empty variables.
    ("${U#*}", Some("")),
    ("${U%%x}", Some("")),
    ("${U/a/b}", Some("")),
    ("${U//a/b}", Some("")),
    ("${E#x}", Some("")),
    ("${E/#/x}", Some("")),
    // Escapes: `\*` and `\?` are literal, `\}` and `\/` protect the syntax.
    ("${S#a\\*}", Some("b?c")),
    ("${S#a*}", Some("*b?c")),
    ("${S%\\?c}", Some("a*b")),
    ("${S//\\*/-}", Some("a-b?c")),
    ("${S//?/.}", Some(".....")),
    ("${P//\\//:}", Some("path:to:file.tar.gz")),
    ("${C%\\}*}", Some("a}b")),
    ("${F#a\\\\}", Some("xxyy")),
    // Regexp metacharacters and brackets are literal.
    ("${BR#[ab]}", Some("x")),
    ("${F#[x]}", Some("xxyy")),
    ("${D/^b$/-}", Some("a-c")),
    ("${F#.}", Some("xxyy")),
    // Not bash: no `#`/`%` anchors in `/`, they are literal characters.
    ("${F/#x/Z}", Some("xxyy")),
    ("${F/%y/Z}", Some("xxyy")),
    // Replacement: first or all, greedy stars, empty matches.
    ("${F/y/Z}", Some("xxZy")),
    ("${F//y/Z}", Some("xxZZ")),
    ("${F//x*/-}", Some("-")),
    ("${F/*/-}", Some("-")),
    ("${F//*/-}", Some("-")),
    ("${F//$E/-}", Some("-x-x-y-y-")),
    ("${P/*\\//}", Some("file.tar.gz")),
    ("${F/x}", None),
    // Not bash: `//` expands `$0` (the match) in the replacement, `/` not.
    ("${F//x/$R}", Some("<x><x>yy")),
    ("${F/x/$R}", Some("<$0>xyy")),
    ("${F//x/\\$0}", Some("\\x\\xyy")),
    // Quotes are removed before the pattern is built; not bash: quoted
    // globs still glob.
    ("${P#\"path/\"}", Some("to/file.tar.gz")),
    ("${S#'a*'}", Some("*b?c")),
    ("${S##\"*\"}", Some("")),
    // Not bash: `##` is seen after expansion, so `$H` = `#x` means longest `x`.
    ("${F#$H}", Some("xyy")),
    // Multi-byte characters.
    ("${K#*국}", Some("어한국어")),
    ("${K##*국}", Some("어")),
    ("${K%국*}", Some("한국어한")),
    ("${K#?}", Some("국어한국어")),
    ("${K//국/-}", Some("한-어한-어")),
    // Not bash: `.` (from `*` and `?`) does not match a newline.
    ("${NL##*}", Some("\nb")),
    ("${NL//?/-}", Some("-\n-")),
    // Errors.
    ("${F#\\x}", None),
    ("${F/\\x/y}", None),
    ("${F#$BS}", None),
    ("${F#\\}", None),
    ("${F:#x}", None),
    ("${F:%x}", None),
    ("${F:##}", None),
    ("${F:%%}", None),
    ("${F:/x/y}", None),
];

#[test]
fn pattern_operators() {
    let lexer = Lexer::new('\\');
    let mut failures = Vec::new();
    for &(word, expected) in CASES {
        let got = lexer.process_word(word, &ENV).map(|e| e.value);
        let ok = match (&got, expected) {
            (Ok(value), Some(expected)) => value == expected,
            (Err(_), None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("{word:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pattern cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
    assert!(CASES.len() >= 30);
}

#[test]
fn pattern_operators_record_lookups() {
    let lexer = Lexer::new('\\');
    let e = lexer.process_word("${U#$F}${P/$E/$R}", &ENV).unwrap();
    assert_eq!(e.value, "<$0>path/to/file.tar.gz");
    assert_eq!(
        e.matched.iter().map(String::as_str).collect::<Vec<_>>(),
        ["E", "F", "P", "R"]
    );
    assert_eq!(
        e.unmatched.iter().map(String::as_str).collect::<Vec<_>>(),
        ["U"]
    );
}
