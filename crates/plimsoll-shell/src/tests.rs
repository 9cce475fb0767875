use super::*;
use plimsoll_diagnostics::{LineIndex, Location};
use plimsoll_syntax::{Dockerfile, Span, parse_str};

/// The scripts of the first RUN (or ONBUILD) of `src`.
fn scripts_with(src: &str, shell: &Shell) -> (Dockerfile, Vec<Script>) {
    let df = parse_str(src);
    let ins = df
        .instructions
        .iter()
        .find(|i| matches!(i.keyword, Keyword::Run | Keyword::Onbuild))
        .expect("a RUN");
    let scripts = analyze_run(&df, ins, shell);
    (df, scripts)
}

fn run(line: &str) -> (Dockerfile, Script) {
    let (df, mut scripts) = scripts_with(&format!("FROM x\nRUN {line}\n"), &Shell::default());
    (df, scripts.remove(0))
}

fn names(s: &Script) -> Vec<&str> {
    s.commands
        .iter()
        .map(|c| c.name.as_ref().map_or("", |w| w.text.as_str()))
        .collect()
}

fn values(words: &[&Word]) -> Vec<String> {
    words
        .iter()
        .map(|w| w.value_or_text().to_string())
        .collect()
}

fn loc(df: &Dockerfile, offset: usize) -> Location {
    LineIndex::new(&df.text).location(&df.text, offset)
}

#[test]
fn env_prefixes_name_and_args() {
    let (df, s) = run("DEBIAN_FRONTEND=noninteractive PATH+=:/x apt-get install -y curl");
    assert!(s.parsed_exactly());
    let c = &s.commands[0];
    assert_eq!(c.env.len(), 2);
    assert_eq!(c.env[0].name, "DEBIAN_FRONTEND");
    assert_eq!(c.env[0].value.value.as_deref(), Some("noninteractive"));
    assert_eq!(df.slice(c.env[0].value.span), "noninteractive");
    assert_eq!(c.env[1].name, "PATH");
    assert!(c.env[1].append);
    assert!(c.name_is("apt-get"));
    assert_eq!(c.args.len(), 3);
    assert_eq!(
        df.slice(c.span),
        "DEBIAN_FRONTEND=noninteractive PATH+=:/x apt-get install -y curl"
    );
    // A bare assignment is a command without a name.
    let (_, s) = run("FOO=bar");
    assert!(s.commands[0].name.is_none());
    assert_eq!(s.commands[0].env[0].name, "FOO");
}

#[test]
fn flags_and_operands() {
    let (df, s) = run(
        "apt-get -qy -o Dpkg::Options::=--force-confold -oAPT::x=1 --option=a=b install --no-install-recommends 'curl=7.*' wget -- -notaflag",
    );
    let c = &s.commands[0];
    assert!(c.has_flag(&["-y", "--yes", "--assume-yes"]));
    assert!(c.has_flag(&["-q"]));
    assert!(c.has_flag(&["--no-install-recommends"]));
    assert!(!c.has_flag(&["-f", "--fix-broken"]));
    assert!(!c.has_flag(&["-n"]), "flags after -- are operands");
    let o: Vec<_> = c
        .invocation()
        .unwrap()
        .flag_values(&["-o", "--option"])
        .into_iter()
        .map(|v| (v.value.unwrap(), df.slice(v.span).to_string()))
        .collect();
    assert_eq!(
        o,
        [
            (
                "Dpkg::Options::=--force-confold".into(),
                "Dpkg::Options::=--force-confold".into()
            ),
            ("APT::x=1".into(), "APT::x=1".into()),
            ("a=b".into(), "a=b".into()),
        ]
    );
    let ops = c.positional_args(&["-o", "--option", "-c", "-t"]);
    assert_eq!(values(&ops), ["install", "curl=7.*", "wget", "-notaflag"]);
    assert_eq!(ops[1].quoting, Quoting::Single);
    assert_eq!(
        c.subcommand().unwrap().value_or_text(),
        "Dpkg::Options::=--force-confold"
    );
    // A bundle with a value does not fake other flags.
    let (_, s) = run("apt-get -oDpkg::Use-Pty=0 install x");
    assert!(!s.commands[0].has_flag(&["-y"]));
    // Quoted flags are flags; `--opt x` and `--opt="a b"`.
    let (df, s) =
        run(r#"pip install "--no-cache-dir" --index-url https://x -r req.txt --target="a b" pkg"#);
    let c = &s.commands[0];
    assert!(c.has_flag(&["--no-cache-dir"]));
    let v = c.flag_value(&["--index-url", "-i"]).unwrap();
    assert_eq!(v.value.as_deref(), Some("https://x"));
    let v = c.flag_value(&["--target"]).unwrap();
    assert_eq!((v.text, v.value.as_deref()), ("\"a b\"", Some("a b")));
    assert_eq!(df.slice(v.span), "\"a b\"");
    let ops = c.positional_args(&["--index-url", "-i", "-r", "--target"]);
    assert_eq!(values(&ops), ["install", "pkg"]);
}

#[test]
fn wrappers() {
    let (_, s) = run(
        "sudo -u root -E apt-get update; env -i FOO=1 /usr/bin/apt-get -y install x; command -v apt-get; timeout 10 nice -n 5 apt-get clean",
    );
    let c = &s.commands;
    let e = c[0].effective().unwrap();
    assert!(e.name_is("apt-get") && e.subcommand_is("update"));
    assert!(e.wrapped_by("sudo"));
    assert!(c[0].name_is("sudo") && !c[0].name_is("apt-get"));
    let e = c[1].runs("apt-get").unwrap();
    assert!(e.has_flag(&["-y"]) && e.subcommand_is("install"));
    assert!(c[2].runs("apt-get").is_none(), "command -v runs nothing");
    let e = c[3].runs("apt-get").unwrap();
    assert_eq!(e.wrappers.len(), 2);
    assert!(e.subcommand_is("clean"));
}

#[test]
fn lists_and_pipelines() {
    let (df, s) = run("a && b || c; d & e | f |& g");
    assert_eq!(names(&s), ["a", "b", "c", "d", "e", "f", "g"]);
    let conn: Vec<_> = s.commands.iter().map(|c| c.connector_before).collect();
    use Connector::*;
    assert_eq!(
        conn,
        [
            None,
            Some(And),
            Some(Or),
            Some(Seq),
            Some(Background),
            Some(Pipe),
            Some(Pipe)
        ]
    );
    let bg: Vec<_> = s.commands.iter().map(|c| c.background).collect();
    assert_eq!(bg, [false, false, false, true, false, false, false]);
    assert_eq!(s.pipelines.len(), 5);
    let p = &s.pipelines[4];
    assert_eq!(p.stages, [4..5, 5..6, 6..7]);
    assert!(p.masks_failure());
    assert_eq!(df.slice(p.span), "e | f |& g");
    assert_eq!(s.commands[6].pipeline, 4);
    // `|&` is `2>&1`.
    assert_eq!(s.commands[5].redirects[0].op, RedirectOp::DupOutput);
    assert_eq!(s.commands[5].redirects[0].fd, Some(2));
    assert!(s.masks_pipeline_failures());
}

#[test]
fn subshells_groups_and_control_flow() {
    let (_, s) = run(
        "(cd /src && make) && { echo a; echo b; } > log; if [ -f x ]; then rm x; fi; for f in $(ls); do cat $f; done; f() { g; }",
    );
    assert_eq!(
        names(&s),
        ["cd", "make", "echo", "echo", "[", "rm", "ls", "cat", "g"]
    );
    let c = &s.commands;
    assert!(c[0].nesting.subshell && c[1].nesting.subshell);
    assert_eq!(c[0].connector_before, None);
    assert_eq!(c[1].after_cd, Some(0));
    assert!(c[2].nesting.group && !c[2].nesting.subshell);
    assert_eq!(c[2].connector_before, Some(Connector::And));
    assert_eq!(c[2].after_cd, None, "the subshell's cd is gone");
    assert!(c[4].nesting.condition);
    assert!(c[5].nesting.control_flow && !c[5].nesting.condition);
    assert!(c[6].nesting.substitution);
    assert!(c[7].nesting.control_flow);
    assert!(c[8].nesting.function);
}

#[test]
fn command_substitutions() {
    let (df, s) = run("echo \"$(curl -fsSL https://x | sh)\" `date -u` $(a $(b))");
    assert_eq!(names(&s), ["echo", "curl", "sh", "date", "a", "b"]);
    let c = &s.commands;
    assert!(!c[0].nesting.substitution);
    assert!(c[1..].iter().all(|c| c.nesting.substitution));
    assert_eq!(df.slice(c[1].span), "curl -fsSL https://x");
    assert_eq!(df.slice(c[3].span), "date -u");
    assert_eq!(df.slice(c[5].span), "b");
    let echo_args = &c[0].args;
    assert_eq!(echo_args[0].quoting, Quoting::Double);
    assert_eq!(echo_args[0].expansions[0].kind, ExpansionKind::Command);
    assert!(echo_args[0].expansions[0].quoted);
    assert!(!echo_args[2].expansions[0].quoted);
    assert!(echo_args[0].value.is_none());
    // The pipeline inside the substitution is its own.
    let p = &s.pipelines[c[1].pipeline];
    assert!(p.is_piped() && p.nesting.substitution);
    // Process substitution.
    let (_, s) = run("diff <(sort a) <(sort b)");
    assert_eq!(names(&s), ["diff", "sort", "sort"]);
    assert_eq!(
        s.commands[0].args[0].expansions[0].kind,
        ExpansionKind::Process
    );
}

#[test]
fn redirections() {
    let (df, s) = run("cmd <in >/dev/null 2>&1 >>app 2> err &>all >| clob <<< word");
    let c = &s.commands[0];
    assert_eq!(c.args.len(), 0);
    let r: Vec<_> = c
        .redirects
        .iter()
        .map(|r| (r.fd, r.op, r.target_value().unwrap_or(""), df.slice(r.span)))
        .collect();
    use RedirectOp::*;
    assert_eq!(
        r,
        [
            (None, Read, "in", "<in"),
            (None, Write, "/dev/null", ">/dev/null"),
            (Some(2), DupOutput, "1", "2>&1"),
            (None, Append, "app", ">>app"),
            (Some(2), Write, "err", "2> err"),
            (None, OutputAndError { append: false }, "all", "&>all"),
            (None, Clobber, "clob", ">| clob"),
            (None, HereString, "word", "<<< word"),
        ]
    );
    assert!(c.redirects[1].writes());
    assert_eq!(
        df.slice(c.span),
        "cmd <in >/dev/null 2>&1 >>app 2> err &>all >| clob <<< word"
    );
}

#[test]
fn pipefail_and_errexit_tracking() {
    let (_, s) = run("curl x | sh; set -eo pipefail; a | b; set +o pipefail; c | d");
    let masks: Vec<_> = s
        .pipelines
        .iter()
        .filter(|p| p.is_piped())
        .map(Pipeline::masks_failure)
        .collect();
    assert_eq!(masks, [true, false, true]);
    assert!(!s.commands[0].options.errexit);
    assert!(s.commands[3].options.errexit && s.commands[3].options.pipefail);
    assert!(s.commands.last().unwrap().options.errexit);
    // `set -euxo pipefail`, bundled.
    let (_, s) = run("set -euxo pipefail && a | b");
    assert!(!s.masks_pipeline_failures());
    assert!(s.commands[1].options.nounset);
    // In a subshell it does not last.
    let (_, s) = run("(set -o pipefail) && a | b");
    assert!(s.masks_pipeline_failures());
    // From SHELL.
    let shell = Shell::from_argv(&["/bin/bash", "-o", "pipefail", "-c"]);
    assert_eq!(shell.dialect, Dialect::Bash);
    assert!(shell.options.pipefail);
    let (_, scripts) = scripts_with("FROM x\nRUN a | b\n", &shell);
    assert!(!scripts[0].masks_pipeline_failures());
    assert!(scripts[0].initial_options.pipefail);
}

#[test]
fn cd_tracking() {
    let (_, s) = run("cd /tmp && rm -rf x; cd - ; (cd /y; ls); pwd");
    let c = &s.commands;
    assert_eq!(c[1].after_cd, Some(0));
    assert_eq!(c[3].after_cd, Some(2));
    assert_eq!(c[4].after_cd, Some(3));
    assert_eq!(c[5].after_cd, Some(2));
}

#[test]
fn heredoc_scripts() {
    // A lone heredoc: the body is the script.
    let src = "FROM x\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    assert_eq!(scripts.len(), 1);
    let s = &scripts[0];
    assert_eq!(s.source, ScriptSource::Heredoc { index: 0 });
    assert_eq!(names(s), ["apt-get", "apt-get"]);
    assert_eq!(df.slice(s.commands[1].span), "apt-get install -y curl");
    assert_eq!(
        loc(&df, s.commands[1].span.start),
        Location { line: 4, column: 1 }
    );

    // Its shebang decides.
    let src = "FROM x\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n";
    let (_, scripts) = scripts_with(src, &Shell::default());
    assert_eq!(scripts[0].outcome, ParseOutcome::Skipped);
    assert_eq!(scripts[0].dialect, Dialect::Unknown("python3".into()));
    let src = "FROM x\nRUN <<EOF\n#!/bin/bash -e\na | b\nEOF\n";
    let (_, scripts) = scripts_with(src, &Shell::default());
    assert_eq!(scripts[0].dialect, Dialect::Bash);
    assert!(scripts[0].initial_options.errexit);
    assert_eq!(names(&scripts[0]), ["a", "b"]);

    // A heredoc is data for `cat`, a script for `bash`.
    let src = "FROM x\nRUN cat <<EOF > /etc/x && bash -e <<'SCRIPT'\nnot a command\nEOF\ncurl x | sh\nSCRIPT\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    assert_eq!(scripts.len(), 2);
    assert_eq!(names(&scripts[0]), ["cat", "bash"]);
    let r = &scripts[0].commands[0].redirects[0];
    assert_eq!(r.op, RedirectOp::Heredoc { strip_tabs: false });
    assert_eq!(df.slice(r.body.unwrap()), "not a command\n");
    assert_eq!(df.slice(r.span), "<<EOF");
    assert_eq!(
        scripts[0].commands[0].redirects[1].target_value(),
        Some("/etc/x")
    );
    let body = &scripts[1];
    assert_eq!(body.source, ScriptSource::Heredoc { index: 1 });
    assert!(body.initial_options.errexit);
    assert_eq!(names(body), ["curl", "sh"]);
    assert_eq!(df.slice(body.commands[1].span), "sh");
    assert_eq!(
        loc(&df, body.commands[1].span.start),
        Location {
            line: 5,
            column: 10
        }
    );
}

#[test]
fn chomped_heredoc_positions() {
    let src = "FROM x\nRUN <<-EOF\n\t\tapt-get update\n\tapt-get install -y x\n\tEOF\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    let s = &scripts[0];
    assert_eq!(s.text, "apt-get update\napt-get install -y x\n");
    assert_eq!(df.slice(s.commands[1].args[1].span), "-y");
    assert_eq!(
        loc(&df, s.commands[1].args[1].span.start),
        Location {
            line: 4,
            column: 18
        }
    );
    assert_eq!(
        loc(&df, s.commands[0].span.start),
        Location { line: 3, column: 3 }
    );
}

#[test]
fn exec_form() {
    let (df, s) = run(r#"["apt-get", "install", "-y", "curl"]"#);
    assert_eq!(s.source, ScriptSource::ExecForm);
    let c = &s.commands[0];
    assert!(c.runs("apt-get").unwrap().has_flag(&["-y"]));
    assert_eq!(df.slice(c.args[1].span), "\"-y\"");
    assert_eq!(c.args[1].text, "\"-y\"");
    assert_eq!(c.args[1].value.as_deref(), Some("-y"));
    assert_eq!(df.slice(c.span), r#""apt-get", "install", "-y", "curl""#);

    let src = "FROM x\nRUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"echo \\\"hi\\\" && curl x | sh\"]\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    assert_eq!(scripts.len(), 2);
    let s = &scripts[1];
    assert_eq!(s.source, ScriptSource::ExecScript { arg: 4 });
    assert_eq!(s.text, "echo \"hi\" && curl x | sh");
    assert_eq!(s.dialect, Dialect::Bash);
    assert!(!s.masks_pipeline_failures());
    assert_eq!(df.slice(s.commands[1].span), "curl x");
    assert_eq!(df.slice(s.commands[0].args[0].span), "\\\"hi\\\"");
}

#[test]
fn windows_shells_are_skipped() {
    for argv in [
        &["powershell", "-command"][..],
        &["pwsh", "-c"],
        &["cmd", "/S", "/C"],
    ] {
        let shell = Shell::from_argv(argv);
        assert!(!shell.dialect.is_analyzable());
        let (_, scripts) = scripts_with("FROM x\nRUN Get-ChildItem | Out-Null\n", &shell);
        assert_eq!(scripts[0].outcome, ParseOutcome::Skipped);
        assert!(scripts[0].commands.is_empty());
    }
    assert_eq!(Dialect::from_pragma("powershell"), Dialect::PowerShell);
    assert_eq!(Dialect::from_pragma("bash"), Dialect::Bash);
    assert_eq!(
        Dialect::from_shell(&["/usr/bin/env", "bash"]),
        Dialect::Bash
    );
    assert_eq!(
        Dialect::from_shell(&["C:\\Windows\\System32\\cmd.exe"]),
        Dialect::Cmd
    );
    assert_eq!(Dialect::from_shell::<&str>(&[]), Dialect::Posix);
    assert_eq!(
        Dialect::from_shell(&["/bin/ash", "-eo", "pipefail", "-c"]),
        Dialect::Posix
    );
    let o = ShellOptions::from_argv(&["/bin/ash", "-eo", "pipefail", "-c"]);
    assert!(o.errexit && o.pipefail && !o.nounset);
}

#[test]
fn fallback_on_broken_scripts() {
    let (df, s) = run("apt-get update && echo \"unterminated");
    let ParseOutcome::Fallback { reason, .. } = &s.outcome else {
        panic!("{:?}", s.outcome)
    };
    assert!(reason.contains("unterminated"), "{reason}");
    assert!(!s.parsed_exactly());
    assert_eq!(names(&s), ["apt-get", "echo"]);
    assert_eq!(s.commands[1].connector_before, Some(Connector::And));
    assert_eq!(df.slice(s.commands[1].args[0].span), "\"unterminated");

    let (df, s) = run("if true; then apt-get install -y curl | tee log; cd /x && make");
    assert!(!s.parsed_exactly());
    assert_eq!(names(&s), ["true", "apt-get", "tee", "cd", "make"]);
    assert!(s.commands[0].nesting.condition);
    assert!(s.commands[1].nesting.control_flow);
    assert!(s.commands[1].runs("apt-get").unwrap().has_flag(&["-y"]));
    assert!(s.pipelines[s.commands[1].pipeline].masks_failure());
    assert_eq!(s.commands[4].after_cd, Some(3));
    assert_eq!(df.slice(s.commands[2].span), "tee log");

    // Heredoc bodies are skipped, quotes in them do not matter.
    let src = "FROM x\nRUN if true; then cat <<EOF > /x && echo ok\n$(not \"a command\nEOF\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    let s = &scripts[0];
    assert!(!s.parsed_exactly());
    assert_eq!(names(s), ["true", "cat", "echo"]);
    let r = &s.commands[1].redirects;
    assert_eq!(df.slice(r[0].body.unwrap()), "$(not \"a command\n");
    assert_eq!(r[1].target_value(), Some("/x"));

    // Too deeply nested for the parser: split all the same.
    let deep = format!("{}echo x{}", "(".repeat(200), ")".repeat(200));
    let (_, s) = run(&deep);
    assert!(!s.parsed_exactly());
    assert_eq!(names(&s), ["echo"]);
    assert!(s.commands[0].nesting.subshell);
}

#[test]
fn positions_through_continuations() {
    let src = "FROM x\nRUN apt-get update && \\\n    apt-get install -y \\\n      curl=7.0 \\\n      wget\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    let s = &scripts[0];
    assert!(s.parsed_exactly());
    let install = &s.commands[1];
    let curl = &install.args[2];
    assert_eq!(curl.text, "curl=7.0");
    assert_eq!(df.slice(curl.span), "curl=7.0");
    assert_eq!(loc(&df, curl.span.start), Location { line: 4, column: 7 });
    // On the third continuation line.
    assert_eq!(df.slice(install.args[3].span), "wget");
    assert_eq!(
        loc(&df, install.args[3].span.start),
        Location { line: 5, column: 7 }
    );
    // The command spans its lines, continuations included.
    assert_eq!(
        loc(&df, install.span.start),
        Location { line: 3, column: 5 }
    );
    assert_eq!(
        loc(&df, install.span.end),
        Location {
            line: 5,
            column: 11
        }
    );

    let src = "# escape=`\nFROM x\nRUN apt-get update && `\n    apt-get install -y `\n      curl=7.0 `\n      C:\\x\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    let s = &scripts[0];
    let install = &s.commands[1];
    assert_eq!(df.slice(install.args[2].span), "curl=7.0");
    assert_eq!(
        loc(&df, install.args[2].span.start),
        Location { line: 5, column: 7 }
    );
    assert_eq!(df.slice(install.args[3].span), "C:\\x");
    assert_eq!(
        loc(&df, install.args[3].span.start),
        Location { line: 6, column: 7 }
    );
}

#[test]
fn non_ascii_positions() {
    let (df, s) = run("echo \"héllo wörld\" && ls -l ü");
    assert!(s.parsed_exactly());
    assert_eq!(df.slice(s.commands[1].span), "ls -l ü");
    assert_eq!(s.commands[0].args[0].value.as_deref(), Some("héllo wörld"));
}

#[test]
fn extended_test_and_onbuild() {
    let (df, s) = run("[[ -f /x && $a == b ]] && echo ok");
    assert_eq!(names(&s), ["[[", "echo"]);
    assert_eq!(df.slice(s.commands[0].span), "[[ -f /x && $a == b ]]");
    assert_eq!(s.commands[0].args.last().unwrap().text, "]]");

    let (df, scripts) = scripts_with("FROM x\nONBUILD RUN apt-get update\n", &Shell::default());
    assert_eq!(names(&scripts[0]), ["apt-get"]);
    assert_eq!(df.slice(scripts[0].commands[0].span), "apt-get update");
    // Other instructions have no scripts.
    let df = parse_str("FROM x\nCMD echo hi\n");
    assert!(analyze_run(&df, &df.instructions[1], &Shell::default()).is_empty());
}

#[test]
fn command_order_in_a_run() {
    let (_, s) = run("apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*");
    let (update, _) = s
        .find(|c| c.runs("apt-get").is_some_and(|a| a.subcommand_is("update")))
        .unwrap();
    let (rm, c) = s.find(|c| c.name_is("rm")).unwrap();
    assert!(update < rm);
    assert!(c.args.iter().any(|w| w.is("/var/lib/apt/lists/*")));
    assert_eq!(c.args[1].quoting, Quoting::Unquoted);
}

#[test]
fn spans_lie_inside_their_instruction() {
    let src = "FROM x\nRUN a $(b `c`) && \\\n  d <<EOF | e\nbody\nEOF\n";
    let (df, scripts) = scripts_with(src, &Shell::default());
    let ins = &df.instructions[1];
    for s in &scripts {
        for c in &s.commands {
            assert!(
                ins.span.start <= c.span.start && c.span.end <= ins.span.end,
                "{c:?}"
            );
        }
    }
    assert_eq!(df.slice(scripts[0].commands[2].span), "c");
}

#[test]
fn word_sub_spans() {
    let w = Word {
        text: "--opt=x".into(),
        value: Some("--opt=x".into()),
        span: Span::new(10, 17),
        quoting: Quoting::Unquoted,
        expansions: vec![],
    };
    assert_eq!(w.sub_span(6..7), Span::new(16, 17));
}

#[test]
fn command_strings_are_scripts_of_their_own() {
    let (df, scripts) = scripts_with(
        "FROM x\nRUN apt-get update && sudo bash -ec \"apt-get install -y curl && rm -rf /var/lib/apt/lists/*\"\n",
        &Shell::default(),
    );
    assert_eq!(scripts.len(), 2);
    let inner = &scripts[1];
    assert_eq!(
        inner.source,
        ScriptSource::CommandString {
            parent: 0,
            command: 1
        }
    );
    assert!(inner.is_command_string());
    assert_eq!(inner.dialect, Dialect::Bash);
    assert!(inner.initial_options.errexit);
    assert_eq!(names(inner), ["apt-get", "rm"]);
    // Spans are exact inside a quoted string written on one line.
    assert_eq!(
        df.slice(inner.commands[1].span),
        "rm -rf /var/lib/apt/lists/*"
    );
    assert_eq!(df.slice(inner.commands[0].args[2].span), "curl");
    // A child shell: like a subshell for `cd` and variables.
    assert!(inner.commands.iter().all(|c| c.nesting.subshell));
}

#[test]
fn command_strings_across_continuations_and_escapes() {
    let (df, scripts) = scripts_with(
        "FROM x\nRUN if true; then sh -c \"\\\n    echo \\\"\\$HOME\\\" \\\n    && cd /tmp\"; fi\n",
        &Shell::default(),
    );
    let inner = &scripts[1];
    assert_eq!(inner.dialect, Dialect::Posix);
    assert_eq!(names(inner), ["echo", "cd"]);
    assert_eq!(inner.commands[0].args[0].text, "\"$HOME\"");
    assert_eq!(df.slice(inner.commands[1].span), "cd /tmp");
    let n = inner.commands[1].nesting;
    assert!(n.subshell && n.control_flow, "{n:?}");
}

#[test]
fn su_strings_and_nested_strings() {
    let (_, scripts) = scripts_with(
        "FROM x\nRUN su app -s /bin/bash -c 'npm install && sh -c \"make install\"'\n",
        &Shell::default(),
    );
    assert_eq!(scripts.len(), 3);
    assert_eq!(scripts[1].dialect, Dialect::Bash);
    assert_eq!(names(&scripts[1]), ["npm", "sh"]);
    assert_eq!(
        scripts[2].source,
        ScriptSource::CommandString {
            parent: 1,
            command: 1
        }
    );
    assert_eq!(names(&scripts[2]), ["make"]);
    // `bash -o pipefail -c`: the option's value is no command string.
    let (_, scripts) = scripts_with(
        "FROM x\nRUN bash -o pipefail -c 'curl x | sh'\n",
        &Shell::default(),
    );
    assert_eq!(scripts.len(), 2);
    assert!(scripts[1].initial_options.pipefail);
    assert!(!scripts[1].masks_pipeline_failures());
}

#[test]
fn command_strings_not_followed() {
    for line in [
        "bash script.sh -c x",
        "sh -c",
        "python3 -c 'print(1)'",
        "bash -c \"$CMD\"\"\"",
        "sh -c ''",
    ] {
        let (_, scripts) = scripts_with(&format!("FROM x\nRUN {line}\n"), &Shell::default());
        let nested = scripts.iter().filter(|s| s.is_command_string()).count();
        assert!(nested <= usize::from(line.contains("CMD")), "{line}");
    }
    // Exec form: the `-c` string is already the ExecScript, once.
    let (_, scripts) = scripts_with(
        "FROM x\nRUN [\"sh\", \"-c\", \"apt-get update\"]\n",
        &Shell::default(),
    );
    assert_eq!(scripts.len(), 2);
    assert_eq!(scripts[1].source, ScriptSource::ExecScript { arg: 2 });
    // Three levels deep at most.
    let (_, scripts) = scripts_with(
        "FROM x\nRUN sh -c \"sh -c 'sh -c \\\"sh -c x\\\"'\"\n",
        &Shell::default(),
    );
    assert_eq!(scripts.len(), 4);
}

#[test]
fn for_loops_and_their_values() {
    let (_, s) = run("for i in a 'b c' d; do echo $i; for j in 1 2; do echo $i$j; done; done");
    assert_eq!(s.loops.len(), 2);
    let inner = s.loop_binding(1, "j").unwrap();
    assert_eq!(inner.literal_values().unwrap(), ["1", "2"]);
    let outer = s.loop_binding(1, "i").unwrap();
    assert_eq!(outer.literal_values().unwrap(), ["a", "b c", "d"]);
    assert_eq!(outer.body, 0..2);
    assert!(s.loop_binding(0, "j").is_none());
    let (_, s) = run("for f in $(ls) x; do rm $f; done; for a; do echo $a; done; echo $f");
    assert_eq!(names(&s), ["ls", "rm", "echo", "echo"]);
    assert!(s.loop_binding(0, "f").is_none(), "the list is not the body");
    assert!(s.loop_binding(1, "f").unwrap().literal_values().is_none());
    assert!(s.loop_binding(2, "a").unwrap().values.is_none());
    assert!(s.loop_binding(3, "f").is_none(), "after the loop");
}
