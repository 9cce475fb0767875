use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` has been deprecated since Docker 1.13. A label records
    /// the same information in the image config, where tools look for it.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the image gets the OCI authors label instead of the deprecated
    /// `Author` field.
    pub struct MaintainerDeprecated {
        code: "DL4000",
        name: "maintainer_deprecated",
        aliases: ["MaintainerDeprecated"],
        severity: Error,
        summary: "MAINTAINER is deprecated",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4000"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for MaintainerDeprecated {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, ins) in cx.instructions_of(Keyword::Maintainer) {
            let author = ins.rest.text.trim();
            let esc = cx.dockerfile.escape;
            let quoted: String = author
                .chars()
                .flat_map(|c| {
                    let escaped = c == esc || c == '"';
                    escaped.then_some(esc).into_iter().chain([c])
                })
                .collect();
            let label = format!("LABEL org.opencontainers.image.authors=\"{quoted}\"");
            let fix = Fix::safe(
                "Replace with `LABEL org.opencontainers.image.authors`",
                vec![Edit::replace(ins.span, label)],
            );
            cx.report(ins.keyword_span, "MAINTAINER is deprecated").fix = Some(fix);
        }
    }
}
