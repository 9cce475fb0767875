//! Arbitrary input never panics the parser and always parses losslessly.

mod common;

use plimsoll_syntax::{buildkit_dump, parse};
use proptest::prelude::*;

/// Pieces of Dockerfile syntax that stress the parser when glued together.
const FRAGMENTS: &[&str] = &[
    "FROM ",
    "RUN ",
    "CMD ",
    "COPY ",
    "ADD ",
    "ENV ",
    "LABEL ",
    "ARG ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "SHELL ",
    "VOLUME ",
    "EXPOSE ",
    "USER ",
    "WORKDIR ",
    "MAINTAINER ",
    "STOPSIGNAL ",
    "ENTRYPOINT ",
    "foo",
    "a=b",
    "x y",
    "=",
    "\"",
    "'",
    "\\",
    "`",
    "\\\n",
    " \\\n",
    "\\ \r\n",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\n# c\n",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "# syntax=x\n",
    "# check=skip=all\n",
    "--",
    "--f",
    "--f=v",
    "--m=\"a b\"",
    "[",
    "]",
    "[\"a\"]",
    "[\"a\", 1]",
    "[\"\\ud800\"]",
    "{}",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "2<<A",
    "<<<x",
    "EOF",
    "\tEOF",
    "$x",
    "${y:-z}",
    "${",
    "NONE",
    "AS",
    "é",
    "\u{a0}",
    "\u{85}",
    "\u{2003}",
    "\u{feff}",
    " ",
    "\t",
    "\u{b}",
    "\u{c}",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
}

fn tricky_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"\\\n\r \t#`\"'[]{}=-<$abcEOF\xc3\xa9\xa0\xe2\x80".to_vec()),
    ];
    prop::collection::vec(byte, 0..300)
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse(bytes) {
        Err(_) => prop_assert!(bytes.iter().take(8192).any(|&b| b == 0)),
        Ok(df) => {
            if let Err(e) = common::check_invariants(&df) {
                return Err(TestCaseError::fail(e));
            }
            if !df.lossy_utf8 {
                let rebuilt = df.reconstruct();
                prop_assert_eq!(rebuilt.as_bytes(), bytes);
            }
            let dump = buildkit_dump(&df);
            // BuildKit rejects exactly what carries a fatal error.
            prop_assert_eq!(dump.is_err(), df.errors.iter().any(|e| e.fatal_in_buildkit));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn fragment_soup_is_lossless(text in fragments()) {
        check(text.as_bytes())?;
    }

    #[test]
    fn arbitrary_bytes_are_lossless(bytes in tricky_bytes()) {
        check(&bytes)?;
    }
}

#[test]
fn pathological_inputs() {
    let long_line = format!("FROM a\nRUN {}\n", "x".repeat(70_000));
    let deep_onbuild = format!("{}RUN x\n", "ONBUILD ".repeat(5_000));
    let deep_json = format!("CMD {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let many_continuations = format!("RUN a{}\n", " \\\n".repeat(10_000));
    for text in [long_line, deep_onbuild, deep_json, many_continuations] {
        check(text.as_bytes()).unwrap();
    }
}
