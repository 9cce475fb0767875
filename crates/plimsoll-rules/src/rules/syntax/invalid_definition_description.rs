use crate::parse_pragma;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Checks the comment right above a named `FROM` (`FROM … AS name`) or
    /// an `ARG`: when there is one, BuildKit takes it for the description
    /// of the stage or argument (shown by `docker build --call=outline`
    /// and `--call=targets`), and a description must start with the name:
    /// `# <name> <description>`.
    ///
    /// The comment block counts only when it touches the instruction; an
    /// empty line or an empty `#` line cuts it off. Parser directives and
    /// inline pragmas (`# hadolint ignore=…`) are not descriptions.
    ///
    /// BuildKit runs this check only when experimental checks are enabled,
    /// so it is off by default here too; select it to use it.
    ///
    /// ## Why is this bad?
    /// A comment that happens to sit above a stage or an argument becomes
    /// its description in `--call=outline`, which then reads like noise.
    /// Starting descriptions with the name makes the intent clear; other
    /// comments belong apart from the instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// # a non-descriptive comment
    /// FROM scratch AS base
    /// # another non-descriptive comment
    /// ARG VERSION=1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # base is a stage for compiling source
    /// FROM scratch AS base
    /// # VERSION This is the version number.
    /// ARG VERSION=1
    /// ```
    pub struct InvalidDefinitionDescription {
        code: "InvalidDefinitionDescription",
        name: "invalid_definition_description",
        aliases: [],
        severity: Warning,
        summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
        url: Some("https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/"),
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for InvalidDefinitionDescription {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, ins) in cx.instructions() {
            let (kind, names, span): (&str, Vec<String>, Span) = match ins.keyword {
                Keyword::From => {
                    let Some(stage) = cx.model.stage_of(i) else {
                        continue;
                    };
                    let (Some(name), Some((_, span))) = (&stage.name, &stage.name_written) else {
                        continue;
                    };
                    ("FROM", vec![name.clone()], *span)
                }
                Keyword::Arg => {
                    let Some(first) = ins.pairs.first() else {
                        continue;
                    };
                    let keys = ins.pairs.iter().map(|kv| kv.key.value.clone()).collect();
                    ("ARG", keys, first.key.span)
                }
                _ => continue,
            };
            let Some(comment) = description_comment(cx, ins) else {
                continue;
            };
            let first_word = comment.split(' ').next().unwrap_or("");
            if names.iter().any(|n| n == first_word) {
                continue;
            }
            let example = match names.as_slice() {
                [one] => one.as_str(),
                _ => "<arg_key>",
            };
            cx.report(
                span,
                format!("Comment for {kind} should follow the format: `# {example} <description>`"),
            );
        }
    }
}

/// The last line of the comment block right above an instruction, as
/// BuildKit collects it (the text after `#`, trimmed); `None` when there
/// is no such block.
fn description_comment<'a>(cx: &Checker<'a>, ins: &Instruction) -> Option<&'a str> {
    let comments = &cx.dockerfile.comments;
    let text = cx.dockerfile.text.as_str();
    let line_start = |at: usize| {
        text.get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |n| n + 1)
    };
    let mut block: Vec<&'a str> = Vec::new();
    let mut at = line_start(ins.span.start);
    while at > 0 {
        let prev = line_start(at - 1);
        let line = text.get(prev..at).unwrap_or("");
        let trimmed = line.trim_start_matches([' ', '\t']);
        if !trimmed.starts_with('#') {
            break;
        }
        let hash = prev + (line.len() - trimmed.len());
        // Only a real comment line (not heredoc text, not a directive).
        let Some(c) = comments.iter().find(|c| c.span.start == hash) else {
            break;
        };
        block.push(c.text.as_str());
        at = prev;
    }
    // Top to bottom; an empty `#` line starts the block afresh.
    block.reverse();
    let after_reset = match block.iter().rposition(|c| c.is_empty()) {
        Some(n) => &block[n + 1..],
        None => &block[..],
    };
    after_reset
        .iter()
        .rev()
        .find(|c| parse_pragma(c).is_none())
        .copied()
}
