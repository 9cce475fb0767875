use super::common::{has_variables, literal_span, targets};
use super::ports::PortSpec;
use crate::rules::prelude::*;
use plimsoll_syntax::Word;

declare_rule! {
    /// ## What it does
    /// Flags a protocol in `EXPOSE` that is not written in lower case, such
    /// as `80/TCP`, also in `ONBUILD EXPOSE` and in ports that come from
    /// variables plimsoll can resolve.
    ///
    /// ## Why is this bad?
    /// BuildKit accepts any case and lower-cases the protocol in the image
    /// config, so `80/TCP` and `80/tcp` mean the same. Lower case is what
    /// the image config, `docker run -p` and other tools show.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// EXPOSE 80/TcP
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// EXPOSE 80/tcp
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the protocol is lower-cased, which is what BuildKit does with it
    /// anyway. No fix is offered when the protocol comes from a variable.
    pub struct ExposeProtoCasing {
        code: "ExposeProtoCasing",
        name: "expose_proto_casing",
        aliases: [],
        severity: Warning,
        summary: "Protocol in EXPOSE instruction should be lowercase",
        url: Some("https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for ExposeProtoCasing {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Expose, true) {
            for word in &t.ins.args {
                let Some(ports) = t.resolve_words(cx, &word.value) else {
                    continue;
                };
                for raw in &ports {
                    let spec = PortSpec::parse(raw);
                    if !spec.is_splittable() || spec.proto == spec.proto.to_ascii_lowercase() {
                        continue;
                    }
                    let fix = fix_for(cx, word);
                    let message = format!(
                        "Defined protocol '{raw}' in EXPOSE instruction should be lowercase"
                    );
                    cx.report(word.span, message).fix = fix;
                }
            }
        }
    }
}

/// Lower-case the protocol of a word written literally (`80/TCP`).
fn fix_for(cx: &Checker<'_>, word: &Word) -> Option<Fix> {
    let span = literal_span(cx, word)?;
    if has_variables(cx, &word.value) || word.value.contains(['"', '\'', cx.dockerfile.escape]) {
        return None;
    }
    let slash = word.value.rfind('/')?;
    let proto = &word.value[slash + 1..];
    let at = span.start + slash + 1;
    Some(Fix::safe(
        "Lower-case the protocol",
        vec![Edit::replace(
            Span::new(at, at + proto.len()),
            proto.to_ascii_lowercase(),
        )],
    ))
}
