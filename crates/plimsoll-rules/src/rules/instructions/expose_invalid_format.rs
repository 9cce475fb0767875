use super::common::{has_variables, literal_span, targets};
use super::ports::PortSpec;
use crate::rules::prelude::*;
use plimsoll_syntax::Word;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port that names an IP address or a host port, such
    /// as `EXPOSE 127.0.0.1:80:80` or `EXPOSE 8080:80`, also in
    /// `ONBUILD EXPOSE` and in ports that come from variables plimsoll can
    /// resolve.
    ///
    /// ## Why is this bad?
    /// `EXPOSE` only documents which ports the container listens on. Which
    /// host address and port they are published on is decided when the
    /// container runs (`docker run -p`, `ports:` in Compose). BuildKit
    /// ignores the host part today and will reject it in a future release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// EXPOSE 127.0.0.1:8080:80
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// EXPOSE 80
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the IP address and host port are removed. BuildKit already
    /// exposes only the container port, so the image does not change. No fix
    /// is offered when the port comes from a variable.
    pub struct ExposeInvalidFormat {
        code: "ExposeInvalidFormat",
        name: "expose_invalid_format",
        aliases: [],
        severity: Warning,
        summary: "IP address and host-port mapping should not be used in EXPOSE instruction",
        url: Some("https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for ExposeInvalidFormat {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Expose, true) {
            for word in &t.ins.args {
                let Some(ports) = t.resolve_words(cx, &word.value) else {
                    continue;
                };
                for raw in &ports {
                    let spec = PortSpec::parse(raw);
                    if spec.is_splittable() && (!spec.ip.is_empty() || !spec.host.is_empty()) {
                        let message = format!(
                            "EXPOSE instruction should not define an IP address or host-port mapping, found '{raw}'"
                        );
                        let fix = fix_for(cx, word, &spec);
                        cx.report(word.span, message).fix = fix;
                    }
                }
            }
        }
    }
}

/// Keep only the container port (and protocol) of a word written literally.
fn fix_for(cx: &Checker<'_>, word: &Word, spec: &PortSpec<'_>) -> Option<Fix> {
    let span = literal_span(cx, word)?;
    if has_variables(cx, &word.value) || word.value.contains(['"', '\'', cx.dockerfile.escape]) {
        return None;
    }
    let mut port = spec.port.to_string();
    if !spec.proto.is_empty() {
        port.push('/');
        port.push_str(spec.proto);
    }
    Some(Fix::safe(
        "Remove the IP address and host port",
        vec![Edit::replace(span, port)],
    ))
}
