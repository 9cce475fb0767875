use crate::rules::prelude::*;
use plimsoll_model::PROXY_ARGS;

declare_rule! {
    /// ## What it does
    /// Flags a proxy setting written into the Dockerfile:
    /// - `ENV` of `http_proxy`, `https_proxy`, `ftp_proxy`, `no_proxy` or
    ///   `all_proxy`, in any case (`HTTP_PROXY`, `Https_Proxy`), also in
    ///   `ONBUILD`, also `ENV http_proxy=$http_proxy`, which copies the
    ///   build argument into the image;
    /// - `ARG` of one of BuildKit's predefined proxy arguments
    ///   (`HTTP_PROXY`, `http_proxy`, `HTTPS_PROXY`, `https_proxy`,
    ///   `FTP_PROXY`, `ftp_proxy`, `NO_PROXY`, `no_proxy`, `ALL_PROXY`,
    ///   `all_proxy`): with a default it hard-codes the proxy, and even
    ///   without one it is what makes BuildKit record the value.
    ///
    /// It stays quiet for an `ENV` whose value is empty (`ENV http_proxy=`,
    /// which clears a proxy), for an `ARG` of another name, and for proxies
    /// set in a RUN (`http_proxy=… apt-get update`), which stay in that RUN.
    ///
    /// ## Why is this bad?
    /// A proxy belongs to the network the image is built on, not to the
    /// image. `ENV` stores it in the image's config: every container, in
    /// every environment, sends its traffic through that proxy (or fails
    /// to reach it), and a proxy URL with credentials is readable by anyone
    /// who can pull the image. BuildKit already passes `--build-arg
    /// http_proxy=…` to every RUN without an `ARG` line, and keeps these
    /// predefined arguments out of `docker history` and the cache key;
    /// declaring the `ARG` puts the value back into both.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// ENV http_proxy=http://proxy.corp.example:3128
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// Use instead (and build with `docker build --build-arg
    /// http_proxy=http://proxy.corp.example:3128 .`):
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## References
    /// Practice 39 of the catalogue. No Dockerfile scanner checks this.
    /// Docker's documentation of the predefined ARGs
    /// (<https://docs.docker.com/reference/dockerfile/#predefined-args>)
    /// describes how they stay out of the history unless declared.
    ///
    /// The reference corpus (official and widely used images, built on
    /// public CI) sets no proxy; the pattern comes from images built behind
    /// corporate proxies. The fixture covers every form above.
    pub struct ProxyInEnv {
        code: "PL1107",
        name: "proxy_in_env",
        aliases: [],
        severity: Warning,
        summary: "Proxy set with ENV or ARG: pass it with --build-arg",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for ProxyInEnv {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, top) in cx.instructions() {
            let ins = top.onbuild.as_deref().unwrap_or(top);
            for kv in &ins.pairs {
                let name = kv.key.value.as_str();
                match ins.keyword {
                    Keyword::Env if PROXY_ARGS.iter().any(|p| p.eq_ignore_ascii_case(name)) => {
                        let raw = kv.value.as_ref().map_or("", |v| v.value.as_str());
                        // A value from a variable is flagged even when the
                        // variable is empty here: it copies whatever the
                        // build is given into the image.
                        let empty = raw.trim_matches(['"', '\'']).trim().is_empty();
                        if empty {
                            continue;
                        }
                        // BuildKit predefines only the lower- and upper-case names.
                        let arg = if PROXY_ARGS.contains(&name) {
                            name.to_string()
                        } else {
                            name.to_ascii_lowercase()
                        };
                        found.push((
                            kv.span,
                            format!(
                                "ENV {name} stores the proxy in the image: every container uses \
                                 it. Pass it at build time with `--build-arg {arg}=…`"
                            ),
                        ));
                    }
                    Keyword::Arg if PROXY_ARGS.contains(&name) => {
                        let msg = if kv.value.is_some() {
                            format!(
                                "ARG {name} hard-codes a proxy and records it in the build \
                                 history: drop the line and pass `--build-arg {name}=…`"
                            )
                        } else {
                            format!(
                                "ARG {name} records the proxy in the build history and cache \
                                 key; BuildKit passes `--build-arg {name}` without it"
                            )
                        };
                        found.push((kv.span, msg));
                    }
                    _ => {}
                }
            }
        }
        for (span, msg) in found {
            cx.report(span, msg);
        }
    }
}
