use super::span_in_word;
use crate::rules::prelude::*;
use crate::suggest::did_you_mean;
use plimsoll_expand::{Modifier, variable_references};
use plimsoll_syntax::KeyValue;
use std::collections::{HashMap, HashSet};

declare_rule! {
    /// ## What it does
    /// Flags a variable used in an instruction that BuildKit expands, when
    /// nothing defines it at that point: no `ARG` or `ENV` before it in the
    /// stage (or in the stage it is built on), and probably not the base
    /// image either.
    ///
    /// The instructions checked are those BuildKit expands itself: `ADD`
    /// and `COPY` (sources, destination, `--chown`, `--chmod`,
    /// `--checksum`, and heredocs that expand), `ENV` and `LABEL` (keys and
    /// values), `ARG` defaults, `EXPOSE`, `STOPSIGNAL`, `USER`, `VOLUME`,
    /// `WORKDIR`, and `RUN --mount` options (BuildKit expands `EXPOSE`
    /// too, but does not report it). `RUN`, `CMD` and `ENTRYPOINT` are
    /// left to the shell, `ONBUILD` instructions to the build that
    /// triggers them, and `FROM` has its own check (UndefinedArgInFrom).
    ///
    /// `${NAME:-default}`, `${NAME:+alt}` and `${NAME:?message}` say what
    /// happens when `NAME` is unset, so they are not reported.
    ///
    /// BuildKit knows the base image's environment; a linter does not. So
    /// on top of BuildKit's check: on an image base, names that images
    /// commonly define (`HOME`, `LANG`, `JAVA_HOME`, `PYTHON_VERSION`, …)
    /// are never reported, and names that look like the base image's
    /// (ending in `_VERSION`, `_HOME`, `_PATH`, `_DIR`, `_ROOT`, or
    /// starting with the image's name, `NODE_…` on `node`) only when they
    /// look like a typo of a variable the file defines. On `scratch`,
    /// only `PATH` is defined.
    ///
    /// ## Why is this bad?
    /// An undefined variable expands to the empty string without any error:
    /// `COPY $APP_DIR/ /srv/` copies the whole build context, and
    /// `WORKDIR /opt/$NAEM` silently goes to `/opt/`. ARGs declared before
    /// the first `FROM` are only visible in `FROM` lines until a stage
    /// declares them again.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ARG APP_DIR=/srv/app
    /// WORKDIR $APP_DRI
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ARG APP_DIR=/srv/app
    /// WORKDIR $APP_DIR
    /// ```
    pub struct UndefinedVar {
        code: "UndefinedVar",
        name: "undefined_var",
        aliases: [],
        severity: Warning,
        summary: "Variables should be defined before their use",
        url: Some("https://docs.docker.com/go/dockerfile/rule/undefined-var/"),
        fixable: false,
        default_enabled: true,
    }
}

/// Build arguments BuildKit reads itself and never puts in the
/// environment.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// A word BuildKit expands, with the ARG pairs before it in the same
/// instruction (an ARG's earlier names are defined for its later values).
struct Expanded<'a> {
    value: &'a str,
    span: Span,
    earlier: &'a [KeyValue],
}

impl Rule for UndefinedVar {
    fn check(&self, cx: &mut Checker<'_>) {
        let escape = cx.dockerfile.escape;
        let mut inherited: HashMap<usize, Vec<String>> = HashMap::new();
        for (i, ins) in cx.instructions() {
            let Some(stage) = cx.model.contexts.get(i).and_then(|c| c.stage) else {
                continue;
            };
            if ins.keyword == Keyword::From {
                continue;
            }
            let words = expanded_words(ins);
            if words.is_empty() {
                continue;
            }
            let parent_args = inherited
                .entry(stage)
                .or_insert_with(|| inherited_args(cx, stage))
                .clone();
            let base = root_base(cx, stage);
            let scope = cx.model.context(i).scope.clone();
            let mut seen: HashSet<String> = HashSet::new();
            for w in &words {
                let defined = |name: &str| {
                    name == "PATH"
                        || scope.is_declared(name)
                        || w.earlier.iter().any(|kv| kv.key.value == name)
                        || parent_args.iter().any(|a| a == name)
                        || NON_ENV_ARGS.contains(&name)
                };
                let refs = variable_references(w.value, escape);
                for r in &refs {
                    if r.is_special() || r.modifier.is_some_and(Modifier::handles_unset) {
                        continue;
                    }
                    // A reference inside `${A:-$B}` is only expanded when
                    // `A` is unset, inside `${A:+$B}` only when it is set.
                    let skipped = refs.iter().any(|outer| {
                        let inside =
                            outer.span.start < r.span.start && r.span.end <= outer.span.end;
                        inside
                            && match outer.modifier {
                                Some(Modifier::Default { .. }) => defined(&outer.name),
                                Some(Modifier::Alternative { .. }) => !defined(&outer.name),
                                _ => false,
                            }
                    });
                    if skipped || defined(&r.name) || seen.contains(&r.name) {
                        continue;
                    }
                    let candidates = candidates(&scope, &parent_args, w.earlier);
                    let suggestion = did_you_mean(&r.name, candidates.iter().map(String::as_str));
                    match base.may_define(&r.name) {
                        BaseGuess::Likely => continue,
                        BaseGuess::Maybe if suggestion.is_none() => continue,
                        _ => {}
                    }
                    seen.insert(r.name.clone());
                    let mut msg = format!("Usage of undefined variable '${}'", r.name);
                    if let Some(s) = suggestion {
                        msg.push_str(&format!(" (did you mean ${s}?)"));
                    } else if cx.model.global_scope.is_declared(&r.name) {
                        msg.push_str(&format!(
                            " (declared before the first FROM: add `ARG {}` to this stage to use it)",
                            r.name
                        ));
                    }
                    let span = span_in_word(cx, w.value, w.span, r.span.clone());
                    cx.report(span, msg);
                }
            }
        }
    }
}

/// The words of an instruction that BuildKit expands with its
/// environment (and reports undefined variables for).
fn expanded_words(ins: &Instruction) -> Vec<Expanded<'_>> {
    let mut out = Vec::new();
    let word = |value, span| Expanded {
        value,
        span,
        earlier: &[],
    };
    match ins.keyword {
        Keyword::Add | Keyword::Copy => {
            for f in &ins.flags {
                if matches!(f.name.as_str(), "chown" | "chmod" | "checksum")
                    && let (Some(v), Some(span)) = (&f.value, f.value_span)
                {
                    out.push(word(v.as_str(), span));
                }
            }
            out.extend(ins.args.iter().map(|a| word(a.value.as_str(), a.span)));
            for h in ins.heredocs.iter().filter(|h| h.expand) {
                out.push(word(h.content.as_str(), h.body_span));
            }
        }
        Keyword::Env | Keyword::Label => {
            for kv in &ins.pairs {
                out.push(word(kv.key.value.as_str(), kv.key.span));
                if let Some(v) = &kv.value {
                    out.push(word(v.value.as_str(), v.span));
                }
            }
        }
        Keyword::Arg => {
            for (n, kv) in ins.pairs.iter().enumerate() {
                if let Some(v) = &kv.value {
                    out.push(Expanded {
                        value: v.value.as_str(),
                        span: v.span,
                        earlier: ins.pairs.get(..n).unwrap_or(&[]),
                    });
                }
            }
        }
        Keyword::Expose
        | Keyword::Stopsignal
        | Keyword::User
        | Keyword::Volume
        | Keyword::Workdir => {
            out.extend(ins.args.iter().map(|a| word(a.value.as_str(), a.span)));
        }
        Keyword::Run => {
            for f in ins.flags.iter().filter(|f| f.name == "mount") {
                if let (Some(v), Some(span)) = (&f.value, f.value_span) {
                    out.push(word(v.as_str(), span));
                }
            }
        }
        _ => {}
    }
    out
}

/// ARGs declared in the stages a stage is built on: BuildKit keeps them
/// defined in the child stage.
fn inherited_args(cx: &Checker<'_>, stage: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = parent_of(cx, stage);
    while let Some(p) = next {
        if let Some(st) = cx.model.stages.get(p) {
            for i in st.instructions.clone() {
                if let Some(ins) = cx.dockerfile.instructions.get(i)
                    && ins.keyword == Keyword::Arg
                {
                    out.extend(ins.pairs.iter().map(|kv| kv.key.value.clone()));
                }
            }
        }
        next = parent_of(cx, p);
    }
    out
}

fn parent_of(cx: &Checker<'_>, stage: usize) -> Option<usize> {
    match cx.model.stages.get(stage).map(|s| &s.base) {
        Some(Base::Stage(p)) if *p < stage => Some(*p),
        _ => None,
    }
}

/// What the image at the root of a stage's chain of stages is.
enum RootBase {
    Scratch,
    /// An image, by its short name when known.
    Image(Option<String>),
}

fn root_base(cx: &Checker<'_>, stage: usize) -> RootBase {
    let mut s = stage;
    while let Some(p) = parent_of(cx, s) {
        s = p;
    }
    match cx.model.stages.get(s).map(|st| &st.base) {
        Some(Base::Scratch) => RootBase::Scratch,
        Some(Base::Image(r)) => RootBase::Image(Some(r.short_name().to_string())),
        _ => RootBase::Image(None),
    }
}

enum BaseGuess {
    /// The base cannot define it (`scratch`).
    No,
    /// It looks like a base image's variable: report only a likely typo.
    Maybe,
    /// Images commonly define it.
    Likely,
}

/// Variables official and common base images set.
const COMMON_IMAGE_ENV: &[&str] = &[
    "HOME",
    "HOSTNAME",
    "USER",
    "TERM",
    "LANG",
    "LANGUAGE",
    "SHELL",
    "PWD",
    "TZ",
    "DEBIAN_FRONTEND",
    "JAVA_HOME",
    "JAVA_VERSION",
    "JDK_VERSION",
    "JRE_VERSION",
    "GOPATH",
    "GOROOT",
    "GOLANG_VERSION",
    "GOTOOLCHAIN",
    "PYTHON_VERSION",
    "PYTHON_SHA256",
    "PYTHON_PIP_VERSION",
    "PYTHON_SETUPTOOLS_VERSION",
    "PYTHON_GET_PIP_URL",
    "PYTHON_GET_PIP_SHA256",
    "GPG_KEY",
    "GPG_KEYS",
    "NODE_VERSION",
    "YARN_VERSION",
    "RUBY_VERSION",
    "RUBY_MAJOR",
    "RUBY_DOWNLOAD_SHA256",
    "GEM_HOME",
    "BUNDLE_APP_CONFIG",
    "BUNDLE_SILENCE_ROOT_WARNING",
    "PHP_INI_DIR",
    "PHPIZE_DEPS",
    "PHP_VERSION",
    "PHP_URL",
    "PHP_ASC_URL",
    "PHP_SHA256",
    "PHP_CFLAGS",
    "PHP_CPPFLAGS",
    "PHP_LDFLAGS",
    "APACHE_CONFDIR",
    "APACHE_ENVVARS",
    "HTTPD_PREFIX",
    "HTTPD_VERSION",
    "NGINX_VERSION",
    "NJS_VERSION",
    "NJS_RELEASE",
    "PKG_RELEASE",
    "DYNPKG_RELEASE",
    "PG_MAJOR",
    "PG_VERSION",
    "PGDATA",
    "GOSU_VERSION",
    "MYSQL_MAJOR",
    "MYSQL_VERSION",
    "MARIADB_VERSION",
    "MONGO_VERSION",
    "REDIS_VERSION",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "RUST_VERSION",
    "MAVEN_HOME",
    "MAVEN_CONFIG",
    "GRADLE_HOME",
    "GRADLE_VERSION",
    "CATALINA_HOME",
    "TOMCAT_VERSION",
    "TOMCAT_MAJOR",
    "DOTNET_VERSION",
    "ASPNET_VERSION",
    "ASPNETCORE_VERSION",
    "ASPNETCORE_URLS",
    "ASPNETCORE_HTTP_PORTS",
    "DOTNET_RUNNING_IN_CONTAINER",
    "DOTNET_SDK_VERSION",
    "APP_UID",
    "CUDA_VERSION",
    "LD_LIBRARY_PATH",
    "LIBRARY_PATH",
    "CONDA_DIR",
    "MAMBA_ROOT_PREFIX",
    "VIRTUAL_ENV",
];

/// Prefixes of variables whole families of images set.
const IMAGE_ENV_PREFIXES: &[&str] = &[
    "LC_",
    "NVIDIA_",
    "NV_",
    "CUDA_",
    "DOTNET_",
    "ASPNETCORE_",
    "PHP_",
    "BUNDLE_",
    "NPM_CONFIG_",
    "PIP_",
    "CONDA_",
    "MAMBA_",
    "JAVA_",
    "JDK_",
    "JRE_",
];

const IMAGE_ENV_SUFFIXES: &[&str] = &["_VERSION", "_HOME", "_PATH", "_DIR", "_ROOT"];

impl RootBase {
    fn may_define(&self, name: &str) -> BaseGuess {
        let RootBase::Image(short) = self else {
            return BaseGuess::No;
        };
        if COMMON_IMAGE_ENV.contains(&name) || name.starts_with("LC_") {
            return BaseGuess::Likely;
        }
        let image_prefix = short.as_deref().map(|s| {
            let mut p: String = s
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            p.push('_');
            p
        });
        let looks_like_base = IMAGE_ENV_PREFIXES.iter().any(|p| name.starts_with(p))
            || IMAGE_ENV_SUFFIXES.iter().any(|s| name.ends_with(s))
            || image_prefix.is_some_and(|p| p.len() > 1 && name.starts_with(p.as_str()));
        if looks_like_base {
            BaseGuess::Maybe
        } else {
            BaseGuess::No
        }
    }
}

/// Names a typo may have meant, in definition order (`PATH` first, as
/// BuildKit's environment starts with it).
fn candidates(
    scope: &plimsoll_model::Scope,
    parent_args: &[String],
    earlier: &[KeyValue],
) -> Vec<String> {
    let mut vars: Vec<&plimsoll_model::Variable> = scope.iter().collect();
    vars.sort_by_key(|v| v.defined_at);
    let mut out = vec!["PATH".to_string()];
    out.extend(parent_args.iter().cloned());
    out.extend(vars.iter().map(|v| v.name.clone()));
    out.extend(earlier.iter().map(|kv| kv.key.value.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_guesses() {
        let node = RootBase::Image(Some("node".into()));
        assert!(matches!(node.may_define("HOME"), BaseGuess::Likely));
        assert!(matches!(node.may_define("NODE_ENV"), BaseGuess::Maybe));
        assert!(matches!(node.may_define("APP_VERSION"), BaseGuess::Maybe));
        assert!(matches!(node.may_define("APP_NAME"), BaseGuess::No));
        assert!(matches!(
            RootBase::Scratch.may_define("HOME"),
            BaseGuess::No
        ));
    }
}
