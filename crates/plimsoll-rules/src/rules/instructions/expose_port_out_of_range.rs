use super::common::targets;
use super::ports::{PortSpec, is_valid_range};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port, port range or host port that is not a number
    /// from 0 to 65535, after variables are expanded (`EXPOSE $PORT` is
    /// checked with the value of `PORT` when plimsoll knows it).
    /// `ONBUILD EXPOSE` is checked too when it has no variable.
    ///
    /// ## Why is this bad?
    /// TCP, UDP and SCTP ports are 16-bit numbers. BuildKit refuses to build
    /// the image with such a port.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// EXPOSE 80800
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// EXPOSE 8080
    /// ```
    pub struct ExposePortOutOfRange {
        code: "DL3011",
        name: "expose_port_out_of_range",
        aliases: [],
        severity: Error,
        summary: "Valid UNIX ports range from 0 to 65535",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3011"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for ExposePortOutOfRange {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Expose, true) {
            for word in &t.ins.args {
                let Some(ports) = t.resolve_words(cx, &word.value) else {
                    continue;
                };
                let invalid = ports.iter().any(|raw| {
                    let spec = PortSpec::parse(raw);
                    !is_valid_range(spec.port)
                        || (!spec.host.is_empty() && !is_valid_range(spec.host))
                });
                if invalid {
                    cx.report(word.span, "Valid UNIX ports range from 0 to 65535");
                }
            }
        }
    }
}
