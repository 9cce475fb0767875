use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM … AS name` whose `AS` is not written in the case of its
    /// `FROM` keyword: `FROM image as name`, `from image AS name`. A keyword
    /// in mixed case (`From`) is left to the instruction-casing check.
    ///
    /// ## Why is this bad?
    /// Keywords in one case read as keywords; a lone lower-case `as` after
    /// an upper-case `FROM` looks like part of the image or stage name.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12 as builder
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12 AS builder
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `AS` is matched ignoring case, so only the spelling changes.
    pub struct FromAsCasing {
        code: "FromAsCasing",
        name: "from_as_casing",
        aliases: [],
        severity: Warning,
        summary: "The 'as' keyword should match the case of the 'from' keyword",
        url: Some("https://docs.docker.com/go/dockerfile/rule/from-as-casing/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for FromAsCasing {
    fn check(&self, cx: &mut Checker<'_>) {
        let df = cx.dockerfile;
        for ins in df
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let Some(as_word) = ins.args.get(1) else {
                continue;
            };
            if ins.args.len() < 3 || !as_word.value.eq_ignore_ascii_case("as") {
                continue;
            }
            let from = ins.keyword_text.as_str();
            let wanted = if from == from.to_ascii_lowercase() {
                as_word.value.to_ascii_lowercase()
            } else if from == from.to_ascii_uppercase() {
                as_word.value.to_ascii_uppercase()
            } else {
                continue;
            };
            if wanted == as_word.value {
                continue;
            }
            let fix = (cx.slice(as_word.span) == as_word.value).then(|| {
                Fix::safe(
                    format!("Write `{wanted}` to match `{from}`"),
                    vec![Edit::replace(as_word.span, wanted.clone())],
                )
            });
            cx.report(
                as_word.span,
                format!(
                    "'{}' and '{from}' keywords' casing do not match",
                    as_word.value
                ),
            )
            .fix = fix;
        }
    }
}
