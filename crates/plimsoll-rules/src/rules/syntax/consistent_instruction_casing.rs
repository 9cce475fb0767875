use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Checks that instruction keywords are written in one case throughout
    /// the file: all upper case or all lower case, whichever most
    /// instructions use (upper case on a tie). Mixed-case keywords
    /// (`Run`, `EntryPoint`) are always reported.
    ///
    /// Like BuildKit, the majority is counted over the instructions of the
    /// stages; ARGs before the first `FROM` and the instructions under
    /// `ONBUILD` are checked against it too.
    ///
    /// ## Why is this bad?
    /// Dockerfile keywords are case-insensitive, but mixing cases makes a
    /// file harder to scan, and mixed-case keywords look like typos.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// Run echo hello > /greeting.txt
    /// entrypoint ["cat", "/greeting.txt"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo hello > /greeting.txt
    /// ENTRYPOINT ["cat", "/greeting.txt"]
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the keyword's case changes, which BuildKit ignores.
    pub struct ConsistentInstructionCasing {
        code: "ConsistentInstructionCasing",
        name: "consistent_instruction_casing",
        aliases: [],
        severity: Warning,
        summary: "All commands within the Dockerfile should use the same casing (either upper or lower)",
        url: Some("https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for ConsistentInstructionCasing {
    fn check(&self, cx: &mut Checker<'_>) {
        let (mut lower, mut upper) = (0usize, 0usize);
        for (i, ins) in cx.instructions() {
            if ins.keyword == Keyword::Unknown
                || cx.model.contexts.get(i).and_then(|c| c.stage).is_none()
            {
                continue;
            }
            let k = ins.keyword_text.as_str();
            if k == k.to_lowercase() {
                lower += 1;
            } else if k == k.to_uppercase() {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        let keywords: Vec<(Span, String)> = cx
            .instructions()
            .flat_map(|(_, ins)| {
                std::iter::once(ins)
                    .chain(ins.onbuild.as_deref())
                    .filter(|i| i.keyword != Keyword::Unknown)
                    .map(|i| (i.keyword_span, i.keyword_text.clone()))
            })
            .collect();
        for (span, k) in keywords {
            let (wanted, casing) = if majority_lower {
                (k.to_lowercase(), "lowercase")
            } else {
                (k.to_uppercase(), "uppercase")
            };
            if wanted == k {
                continue;
            }
            let fix = Fix::safe(
                format!("Write `{wanted}`"),
                vec![Edit::replace(span, wanted)],
            );
            cx.report(
                span,
                format!("Command '{k}' should match the case of the command majority ({casing})"),
            )
            .fix = Some(fix);
        }
    }
}
