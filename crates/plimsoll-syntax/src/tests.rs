//! Whole-parse unit tests for the tricky parts of BuildKit's grammar.

use crate::*;

fn p(text: &str) -> Dockerfile {
    let df = parse_str(text);
    assert_eq!(df.reconstruct(), text, "lossless");
    df
}

fn dump(text: &str) -> String {
    buildkit_dump(&p(text)).unwrap_or_else(|e| panic!("rejected: {e}"))
}

fn kinds(df: &Dockerfile) -> Vec<(TokenKind, &str)> {
    df.tokens
        .iter()
        .map(|t| (t.kind, df.slice(t.span)))
        .collect()
}

fn args(ins: &Instruction) -> Vec<&str> {
    ins.args.iter().map(|w| w.value.as_str()).collect()
}

fn fatal(df: &Dockerfile) -> Vec<&str> {
    df.errors
        .iter()
        .filter(|e| e.fatal_in_buildkit)
        .map(|e| e.message.as_str())
        .collect()
}

fn soft(df: &Dockerfile) -> Vec<&str> {
    df.errors
        .iter()
        .filter(|e| !e.fatal_in_buildkit)
        .map(|e| e.message.as_str())
        .collect()
}

#[test]
fn continuation_skips_comment_and_empty_lines() {
    let text = "RUN apt-get update \\\n  # why\n\n   \n    && apt-get install -y curl\nUSER x\n";
    let df = p(text);
    let run = &df.instructions[0];
    assert_eq!(
        run.rest.text,
        "apt-get update     && apt-get install -y curl"
    );
    assert_eq!((run.start_line, run.end_line), (1, 5));
    assert_eq!(df.slice(run.span), &text[..text.find("\nUSER").unwrap()]);
    assert_eq!(run.empty_continuation_lines.len(), 2);
    assert_eq!(df.slice(run.empty_continuation_lines[1]), "   ");
    assert_eq!(df.comments.len(), 1);
    assert_eq!(df.comments[0].text, "why");
    assert_eq!(df.slice(df.comments[0].span), "# why");
    // Every logical byte maps back to its source byte.
    let amp = run.rest.text.find("&&").unwrap();
    assert_eq!(&text[run.rest.source_offset(amp)..][..2], "&&");
    assert_eq!(
        dump(text),
        "(run \"apt-get update     && apt-get install -y curl\")\n(user \"x\")\n"
    );
    assert!(kinds(&df).contains(&(TokenKind::Continuation, "\\")));
    assert!(kinds(&df).contains(&(TokenKind::Comment, "# why")));
}

#[test]
fn multi_line_word_span_runs_from_first_to_last_byte() {
    let text = "COPY sr\\\nc dst\n";
    let df = p(text);
    let w = &df.instructions[0].args[0];
    assert_eq!(w.value, "src");
    assert_eq!(w.span, Span::new(5, 10));
    assert_eq!(
        df.instructions[0].rest.offsets,
        vec![5, 6, 9, 10, 11, 12, 13, 14]
    );
}

/// Found by the `lint` fuzz target: a range ending in a multi-byte character
/// ran `len_utf8 - 1` bytes past it (over the newline, or past the end of
/// the text, where the replacement character of invalid UTF-8 ends a file).
#[test]
fn source_span_ends_right_after_a_multi_byte_last_char() {
    let text = "CMD echo é\n";
    let rest = &p(text).instructions[0].rest;
    assert_eq!(rest.source_span(0, rest.text.len()), Span::new(4, 11));
    assert_eq!(rest.source_span(5, 7), Span::new(9, 11));

    // The fuzzer's input, minimised: U+FFFD is 3 bytes, and the span of the
    // shell-form command ended 2 bytes past the end of the text.
    let df = parse(b"CMD \xff").unwrap();
    let rest = &df.instructions[0].rest;
    let span = rest.source_span(0, rest.text.len());
    assert_eq!(span, Span::new(4, 7));
    assert_eq!(df.text.len(), 7);
    assert_eq!(df.slice(span), "\u{FFFD}");
}

#[test]
fn trailing_escaped_escape_is_not_a_continuation() {
    let df = p("ENV C trailing\\\\\nENV D x\n");
    assert_eq!(df.instructions.len(), 2);
    assert_eq!(
        df.instructions[0].pairs[0].value.as_ref().unwrap().value,
        "trailing\\\\"
    );
}

#[test]
fn backtick_escape_directive() {
    let text = "# escape=`\nFROM windows\nRUN dir c:\\ `\n  /s\nRUN a \\\nRUN b\n";
    let df = p(text);
    assert_eq!(df.escape, '`');
    assert_eq!(df.directives.len(), 1);
    assert_eq!(df.directives[0].name, "escape");
    assert_eq!(df.slice(df.directives[0].value_span), "`");
    assert_eq!(args(&df.instructions[1]), ["dir c:\\   /s"]);
    // A backslash does not continue the line any more.
    assert_eq!(args(&df.instructions[2]), ["a \\"]);
    assert_eq!(df.instructions.len(), 4);
    assert_eq!(kinds(&df)[0], (TokenKind::Directive, "# escape=`"));
}

#[test]
fn directives_only_at_the_top() {
    let df = p("# hello\n# escape=`\nRUN a `\n");
    assert!(df.directives.is_empty());
    assert_eq!(df.escape, '\\');
    assert_eq!(df.comments.len(), 2);

    let df = p("\n# escape=`\nFROM a\n");
    assert!(
        df.directives.is_empty(),
        "an empty line ends the directives"
    );

    let df = p("# syntax=docker/dockerfile:1\n  # CHECK = skip=all \n#escape=`\nFROM a\n");
    let names: Vec<_> = df.directives.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["syntax", "check", "escape"]);
    assert_eq!(df.directives[1].value, "skip=all");

    let df = p("# escape=`\n# escape=`\nFROM a\n");
    assert_eq!(fatal(&df), ["only one escape parser directive can be used"]);
    let df = p("# escape=x\nFROM a\n");
    assert_eq!(
        fatal(&df),
        ["invalid escape token 'x' does not match ` or \\"]
    );
    assert!(buildkit_dump(&df).is_err());
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}# escape=`\r\nFROM a\r\nRUN b `\r\n  c\r\n";
    let df = p(text);
    assert_eq!(df.escape, '`');
    let k = kinds(&df);
    assert_eq!(k[0], (TokenKind::Bom, "\u{feff}"));
    assert_eq!(k[1], (TokenKind::Directive, "# escape=`"));
    assert_eq!(k[2], (TokenKind::Newline, "\r\n"));
    assert_eq!(args(&df.instructions[1]), ["b   c"]);
    assert_eq!(dump(text), "(from \"a\")\n(run \"b   c\")\n");
}

#[test]
fn heredocs() {
    let text = "FROM a\n\
                RUN <<EOF1 <<-'EOF2' cat\n\
                echo $x\n\
                EOF1\n\
                \techo two\n\
                \tEOF2\n\
                # a comment right after\n\
                RUN python3 <<EOF\n\
                print(1)\n\
                EOF\n";
    let df = p(text);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 2);
    let (h1, h2) = (&run.heredocs[0], &run.heredocs[1]);
    assert_eq!(
        (h1.name.as_str(), h1.expand, h1.chomp),
        ("EOF1", true, false)
    );
    assert_eq!(h1.content, "echo $x\n");
    assert_eq!(
        (h2.name.as_str(), h2.expand, h2.chomp),
        ("EOF2", false, true)
    );
    assert_eq!(h2.content, "echo two\n");
    assert_eq!(df.slice(h1.marker_span), "<<EOF1");
    assert_eq!(df.slice(h2.marker_span), "<<-'EOF2'");
    assert_eq!(df.slice(h2.body_span), "\techo two\n");
    assert_eq!(df.slice(h2.end_span), "\tEOF2");
    assert_eq!((run.start_line, run.end_line), (2, 6));
    assert!(df.slice(run.span).ends_with("\tEOF2"));
    assert_eq!(df.comments.len(), 1);
    let py = &df.instructions[2];
    assert_eq!(py.heredocs[0].content, "print(1)\n");
    assert_eq!(args(py), ["python3 <<EOF"]);
    let k = kinds(&df);
    assert!(k.contains(&(TokenKind::HeredocBody, "echo $x\n")));
    assert!(k.contains(&(TokenKind::HeredocEnd, "EOF1")));
    assert_eq!(
        dump(text),
        "(from \"a\")\n(run \"<<EOF1 <<-'EOF2' cat\")\n(run \"python3 <<EOF\")\n"
    );
}

#[test]
fn heredoc_only_where_buildkit_looks_for_one() {
    // Exec form, other instructions and here-strings have no heredocs.
    let df =
        p("RUN [\"cat\", \"<<EOF\"]\nLABEL a=<<EOF\nRUN cat <<<EOF\nCOPY <<EOF /dst\nx\nEOF\n");
    assert!(df.instructions[0].heredocs.is_empty());
    assert!(df.instructions[1].heredocs.is_empty());
    assert!(df.instructions[2].heredocs.is_empty());
    assert_eq!(df.instructions[3].heredocs[0].content, "x\n");
    assert_eq!(args(&df.instructions[3]), ["<<EOF", "/dst"]);
}

#[test]
fn unterminated_heredoc_keeps_the_file() {
    let text = "FROM a\nRUN cat <<EOF\nhello\n";
    let df = p(text);
    assert_eq!(df.instructions.len(), 2);
    assert_eq!(fatal(&df), ["unterminated heredoc"]);
    let h = &df.instructions[1].heredocs[0];
    assert_eq!(h.content, "hello\n");
    assert_eq!(h.end_span, Span::empty(text.len()));
    assert_eq!(buildkit_dump(&df), Err("unterminated heredoc".to_string()));
}

#[test]
fn json_detection() {
    let df = p(
        "CMD [\"a\", \"b c\"]\nCMD [\"a\" \"b\"]\nCMD ['a']\nCMD [\"a\"] trailing\nENTRYPOINT []\n",
    );
    let i = &df.instructions;
    assert_eq!((i[0].form, args(&i[0])), (Form::Exec, vec!["a", "b c"]));
    assert_eq!(df.slice(i[0].args[1].span), "\"b c\"");
    assert_eq!(
        (i[1].form, args(&i[1])),
        (Form::Shell, vec!["[\"a\" \"b\"]"])
    );
    assert_eq!(i[2].form, Form::Shell);
    assert_eq!(i[3].form, Form::Shell);
    assert!(i[4].is_exec_form() && i[4].args.is_empty());

    let df = p("FROM a\nCMD [\"a\", 1]\nRUN b\n");
    assert_eq!(
        fatal(&df),
        ["when using JSON array syntax, arrays must be comprised of strings only"]
    );
    assert_eq!(df.instructions.len(), 3, "parsing goes on");
}

#[test]
fn flags() {
    let text = "COPY --from=build --chown=\"a b\" --link src dst\nRUN -- --not-a-flag\n";
    let df = p(text);
    let copy = &df.instructions[0];
    let f: Vec<_> = copy
        .flags
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_deref()))
        .collect();
    assert_eq!(
        f,
        [
            ("from", Some("build")),
            ("chown", Some("a b")),
            ("link", None)
        ]
    );
    assert_eq!(df.slice(copy.flags[1].span), "--chown=\"a b\"");
    assert_eq!(df.slice(copy.flags[1].name_span), "chown");
    assert_eq!(df.slice(copy.flags[1].value_span.unwrap()), "\"a b\"");
    assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("build"));
    assert_eq!(args(copy), ["src", "dst"]);
    assert_eq!(copy.rest.text, "src dst");
    assert!(df.instructions[1].flags.is_empty());
    assert_eq!(args(&df.instructions[1]), ["--not-a-flag"]);
    assert_eq!(
        dump(text),
        "(copy [\"--from=build\" \"--chown=a b\" \"--link\"] \"src\" \"dst\")\n(run \"--not-a-flag\")\n"
    );
    let k = kinds(&df);
    assert!(k.contains(&(TokenKind::Flag, "--chown=\"a b\"")));
}

#[test]
fn env_label_arg_pairs() {
    let df = p("ENV a=1 b=\"x y\"\nENV PATH /usr/bin:$PATH\nLABEL k=v\nARG x\nARG y=2 z\n");
    let env = &df.instructions[0];
    assert!(env.args.is_empty());
    let kv: Vec<_> = env
        .pairs
        .iter()
        .map(|p| {
            (
                p.key.value.as_str(),
                p.value.as_ref().unwrap().value.as_str(),
                p.equals,
            )
        })
        .collect();
    assert_eq!(kv, [("a", "1", true), ("b", "\"x y\"", true)]);
    assert_eq!(df.slice(env.pairs[1].span), "b=\"x y\"");
    let legacy = &df.instructions[1].pairs[0];
    assert!(!legacy.equals);
    assert_eq!(legacy.value.as_ref().unwrap().value, "/usr/bin:$PATH");
    let arg = &df.instructions[3].pairs[0];
    assert_eq!((arg.key.value.as_str(), arg.value.is_none()), ("x", true));
    let arg2 = &df.instructions[4];
    assert_eq!(args(arg2), ["y=2", "z"]);
    assert_eq!(arg2.pairs[0].value.as_ref().unwrap().value, "2");
    assert!(arg2.pairs[1].value.is_none());
}

#[test]
fn malformed_instructions() {
    let df = p("FROM a\nENV PATH\nENV\nARG\nLABEL a=b c\nRUN ok\n");
    assert_eq!(
        fatal(&df),
        [
            "ENV must have two arguments",
            "Syntax error - can't find = in \"c\". Must be of the form: name=value"
        ]
    );
    assert_eq!(
        soft(&df),
        [
            "ENV requires at least one argument",
            "ARG requires at least one argument"
        ]
    );
    assert_eq!(df.instructions.len(), 6);
    assert_eq!(
        buildkit_dump(&df),
        Err("ENV must have two arguments".to_string())
    );
    let env = &df.instructions[1];
    assert_eq!(df.slice(df.errors[0].span), "ENV PATH");
    assert_eq!(env.pairs[0].key.value, "PATH");
}

#[test]
fn garbage_line_in_the_middle() {
    let text = "FROM a\n}}} what is this\nRUN b\n";
    let df = p(text);
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.instructions[1].keyword, Keyword::Unknown);
    assert_eq!(df.instructions[1].keyword_text, "}}}");
    assert_eq!(soft(&df), ["unknown instruction: }}}"]);
    assert_eq!(df.slice(df.errors[0].span), "}}}");
    assert_eq!(args(&df.instructions[2]), ["b"]);
    assert_eq!(dump(text), "(from \"a\")\n(}}} \"\")\n(run \"b\")\n");
}

#[test]
fn onbuild() {
    let text =
        "ONBUILD RUN --mount=type=cache,target=/c make\nONBUILD COPY <<EOF /x\nhi\nEOF\nONBUILD\n";
    let df = p(text);
    let inner = df.instructions[0].onbuild.as_deref().unwrap();
    assert_eq!(inner.keyword, Keyword::Run);
    assert_eq!(inner.flags[0].name, "mount");
    assert_eq!(args(inner), ["make"]);
    assert_eq!(
        df.slice(inner.span),
        "RUN --mount=type=cache,target=/c make"
    );
    let copy = &df.instructions[1];
    assert_eq!(copy.heredocs[0].content, "hi\n");
    assert_eq!(copy.onbuild.as_ref().unwrap().heredocs.len(), 1);
    assert_eq!(copy.end_line, 4);
    assert!(df.instructions[2].onbuild.is_none());
    let k = kinds(&df);
    assert_eq!(
        &k[..3],
        [
            (TokenKind::Keyword, "ONBUILD"),
            (TokenKind::Whitespace, " "),
            (TokenKind::Keyword, "RUN")
        ]
    );
    assert_eq!(
        dump(text),
        "(onbuild (run [\"--mount=type=cache,target=/c\"] \"make\"))\n\
         (onbuild (copy \"<<EOF\" \"/x\"))\n(onbuild)\n"
    );
    let df = p("ONBUILD ONBUILD RUN x\nONBUILD FROM y\n");
    assert_eq!(
        soft(&df),
        [
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            "FROM isn't allowed as an ONBUILD trigger"
        ]
    );
}

#[test]
fn healthcheck() {
    let text = "HEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\"]\nHEALTHCHECK CMD curl -f x\n";
    let df = p(text);
    assert_eq!(args(&df.instructions[0]), ["NONE"]);
    let h = &df.instructions[1];
    assert_eq!(h.flags[0].name, "interval");
    assert_eq!((h.form, args(h)), (Form::Exec, vec!["CMD", "curl", "-f"]));
    assert_eq!(args(&df.instructions[2]), ["CMD", "curl -f x"]);
    assert!(df.errors.is_empty());
    assert_eq!(
        dump(text),
        "(healthcheck \"NONE\")\n(healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"-f\")\n\
         (healthcheck \"CMD\" \"curl -f x\")\n"
    );
}

#[test]
fn every_instruction_and_its_args() {
    let text = "from a AS b\nMAINTAINER Jo <j@x>\nEXPOSE 80/tcp  443\nVOLUME /a /b\nVOLUME [\"/c\"]\n\
                USER u:g\nWORKDIR /w\nSTOPSIGNAL SIGTERM\nSHELL [\"/bin/sh\", \"-c\"]\nENTRYPOINT x y\n\
                ADD a b\n";
    let df = p(text);
    let got: Vec<_> = df
        .instructions
        .iter()
        .map(|i| (i.keyword, args(i)))
        .collect();
    assert_eq!(
        got,
        [
            (Keyword::From, vec!["a", "AS", "b"]),
            (Keyword::Maintainer, vec!["Jo <j@x>"]),
            (Keyword::Expose, vec!["80/tcp", "443"]),
            (Keyword::Volume, vec!["/a", "/b"]),
            (Keyword::Volume, vec!["/c"]),
            (Keyword::User, vec!["u:g"]),
            (Keyword::Workdir, vec!["/w"]),
            (Keyword::Stopsignal, vec!["SIGTERM"]),
            (Keyword::Shell, vec!["/bin/sh", "-c"]),
            (Keyword::Entrypoint, vec!["x y"]),
            (Keyword::Add, vec!["a", "b"]),
        ]
    );
    assert_eq!(df.instructions[0].keyword_text, "from");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
}

#[test]
fn empty_and_comment_only_files() {
    for text in ["", "\n\n", "# just\n# comments\n"] {
        let df = p(text);
        assert_eq!(fatal(&df), ["file with no instructions"]);
        assert_eq!(
            buildkit_dump(&df),
            Err("file with no instructions".to_string())
        );
    }
}

#[test]
fn nul_bytes_and_invalid_utf8() {
    let err = parse(b"FROM a\0\n").unwrap_err();
    assert_eq!(err.offset, 6);
    assert!(err.to_string().contains("not a text file"));
    let mut late = vec![b'#'; 9000];
    late.extend_from_slice(b"\nFROM a\0\n");
    assert!(parse(&late).is_ok(), "only the first 8 KiB are sniffed");

    let df = parse(b"FROM a\nRUN echo \xff\xfe\n").unwrap();
    assert!(df.lossy_utf8);
    assert_eq!(df.reconstruct(), df.text);
    assert_eq!(
        soft(&df),
        ["invalid UTF-8: decoded with replacement characters"]
    );
    assert_eq!(df.errors[0].span.start, 16);
    assert_eq!(args(&df.instructions[1]), ["echo \u{fffd}\u{fffd}"]);
}

#[test]
fn line_too_long_for_buildkit() {
    let text = format!("FROM a\nRUN {}\nRUN b\n", "x".repeat(70_000));
    let df = p(&text);
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(
        buildkit_dump(&df),
        Err("dockerfile line greater than max allowed size of 65535".to_string())
    );
    let df = p(&format!("RUN {}\n", "x".repeat(70_000)));
    assert_eq!(
        buildkit_dump(&df),
        Err("file with no instructions".to_string())
    );
}

#[test]
fn unicode_keywords_and_whitespace() {
    // Go lower-cases the Kelvin sign to `k`; NBSP does not separate words.
    let df = p("HEALTHCHEC\u{212a} NONE\nFROM\u{a0}a\n");
    assert_eq!(df.instructions[0].keyword, Keyword::Healthcheck);
    assert_eq!(df.instructions[1].keyword, Keyword::Unknown);
    assert_eq!(df.instructions[1].keyword_text, "FROM\u{a0}a");
}
