use crate::rules::prelude::*;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports every place where the Dockerfile cannot be parsed: an unknown
    /// instruction, an instruction without its required arguments, an
    /// unterminated heredoc, text that is not valid UTF-8, and a flag the
    /// instruction does not take (`COPY --form=build`) or a value-taking
    /// flag without its value (`COPY --from`).
    ///
    /// ## Why is this bad?
    /// BuildKit refuses to build a file with these errors, usually only after
    /// the build has started. plimsoll reports each one and keeps checking
    /// the rest of the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUNN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    pub struct ParseError {
        code: "DL1000",
        name: "parse_error",
        aliases: [],
        severity: Error,
        summary: "The Dockerfile cannot be parsed",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// The flags each instruction takes, as BuildKit's `instructions.Parse`
/// knows them, and whether the flag needs a value.
fn known_flags(keyword: Keyword) -> &'static [(&'static str, bool)] {
    match keyword {
        Keyword::From => &[("platform", true)],
        Keyword::Run => &[
            ("mount", true),
            ("network", true),
            ("security", true),
            ("device", true),
        ],
        Keyword::Copy => &[
            ("from", true),
            ("chown", true),
            ("chmod", true),
            ("link", false),
            ("parents", false),
            ("exclude", true),
        ],
        Keyword::Add => &[
            ("chown", true),
            ("chmod", true),
            ("link", false),
            ("keep-git-dir", false),
            ("checksum", true),
            ("exclude", true),
            ("unpack", false),
        ],
        Keyword::Healthcheck => &[
            ("interval", true),
            ("timeout", true),
            ("start-period", true),
            ("start-interval", true),
            ("retries", true),
        ],
        _ => &[],
    }
}

fn check_flags(cx: &mut Checker<'_>, ins: &Instruction) {
    // An unknown instruction is reported once, not once per flag.
    if ins.keyword == Keyword::Unknown {
        return;
    }
    let known = known_flags(ins.keyword);
    for flag in &ins.flags {
        if flag.name.is_empty() {
            continue; // the parser reports an empty flag name itself
        }
        match known.iter().find(|(name, _)| *name == flag.name) {
            None => {
                if let Some(s) = did_you_mean(&flag.name, known.iter().map(|(n, _)| *n)) {
                    cx.report(
                        flag.span,
                        format!("unknown flag: --{} (did you mean --{s}?)", flag.name),
                    );
                    continue;
                }
                let list = if known.is_empty() {
                    format!("{} takes no flags", ins.keyword.as_str())
                } else {
                    let names: Vec<String> = known.iter().map(|(n, _)| format!("--{n}")).collect();
                    format!("{} takes {}", ins.keyword.as_str(), names.join(", "))
                };
                cx.report(flag.span, format!("unknown flag: --{} ({list})", flag.name));
            }
            Some((_, true)) if flag.value.is_none() => {
                cx.report(
                    flag.span,
                    format!("missing a value on flag: --{}", flag.name),
                );
            }
            Some(_) => {}
        }
    }
}

impl Rule for ParseError {
    fn check(&self, cx: &mut Checker<'_>) {
        for e in &cx.dockerfile.errors {
            cx.report(e.span, e.message.clone());
        }
        for ins in &cx.dockerfile.instructions {
            check_flags(cx, ins);
            if let Some(inner) = &ins.onbuild {
                check_flags(cx, inner);
            }
        }
    }
}
