//! Rules about image labels: key grammar, and the label schema
//! (`label-schema` / `--require-label`) that says which labels an image
//! must carry and in which format.
//!
//! The labels checked are those of the image the Dockerfile builds: the
//! LABEL instructions of the final stage and of the stages it is built on
//! (`FROM base AS final` inherits `base`'s labels). Labels of stages that
//! only feed others through `COPY --from` never reach the image.

use crate::{Checker, LabelType, Rule};
use plimsoll_diagnostics::Span;
use plimsoll_model::{Base, VarKind};
use plimsoll_syntax::Keyword;

mod empty_label;
mod formats;
mod invalid_label_key;
mod label_not_email;
mod label_not_git_hash;
mod label_not_rfc3339;
mod label_not_semver;
mod label_not_spdx;
mod label_not_url;
mod missing_label;
mod superfluous_label;

pub(crate) const RULES: &[&dyn Rule] = &[
    &invalid_label_key::InvalidLabelKey,
    &missing_label::MissingLabel,
    &superfluous_label::SuperfluousLabel,
    &empty_label::EmptyLabel,
    &label_not_url::LabelNotUrl,
    &label_not_rfc3339::LabelNotRfc3339,
    &label_not_spdx::LabelNotSpdx,
    &label_not_git_hash::LabelNotGitHash,
    &label_not_semver::LabelNotSemver,
    &label_not_email::LabelNotEmail,
];

/// What a label's value is, as far as the file tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabelValue {
    /// The value after variable expansion.
    Known(String),
    /// It depends on a build argument (whose default `--build-arg` may
    /// replace) or on a variable only the base image or the build knows.
    Unknown,
}

/// One `key=value` pair of a LABEL that ends up in the image.
#[derive(Debug, Clone)]
pub(crate) struct ImageLabel {
    /// The key after variable expansion; `None` when it cannot be resolved.
    pub key: Option<String>,
    pub key_span: Span,
    pub value: LabelValue,
    /// The value as written (or the whole pair when the value is empty).
    pub value_span: Span,
}

/// The stages whose labels the final image carries, base first.
fn image_stages(cx: &Checker<'_>) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut next = cx.model.stages.len().checked_sub(1);
    while let Some(s) = next {
        chain.push(s);
        next = match cx.model.stages.get(s).map(|st| &st.base) {
            // A stage can only be built on an earlier one.
            Some(Base::Stage(p)) if *p < s => Some(*p),
            _ => None,
        };
    }
    chain.reverse();
    chain
}

/// Every LABEL pair of the final image, in build order.
pub(crate) fn image_labels(cx: &Checker<'_>) -> Vec<ImageLabel> {
    let mut out = Vec::new();
    for s in image_stages(cx) {
        let Some(stage) = cx.model.stages.get(s) else {
            continue;
        };
        for i in stage.instructions.clone() {
            let Some(ins) = cx.dockerfile.instructions.get(i) else {
                continue;
            };
            if ins.keyword != Keyword::Label {
                continue;
            }
            for kv in &ins.pairs {
                let key = cx.model.resolve(i, &kv.key.value);
                let (value, value_span) = match &kv.value {
                    Some(v) => {
                        let span = if v.span.start == v.span.end {
                            kv.span
                        } else {
                            v.span
                        };
                        (resolve_value(cx, i, &v.value), span)
                    }
                    None => (LabelValue::Known(String::new()), kv.span),
                };
                out.push(ImageLabel {
                    key,
                    key_span: kv.key.span,
                    value,
                    value_span,
                });
            }
        }
    }
    out
}

/// The labels that take effect: the last definition of each key.
pub(crate) fn effective_labels(labels: &[ImageLabel]) -> Vec<&ImageLabel> {
    labels
        .iter()
        .enumerate()
        .filter(|(i, l)| l.key.is_some() && !labels[i + 1..].iter().any(|later| later.key == l.key))
        .map(|(_, l)| l)
        .collect()
}

fn resolve_value(cx: &Checker<'_>, i: usize, word: &str) -> LabelValue {
    let Ok(e) = cx.model.expand(i, word) else {
        return LabelValue::Unknown;
    };
    if !e.unmatched.is_empty() {
        return LabelValue::Unknown;
    }
    let scope = &cx.model.context(i).scope;
    let from_build_arg = e
        .matched
        .iter()
        .any(|n| scope.get_var(n).is_some_and(|v| v.kind != VarKind::Env));
    if from_build_arg {
        LabelValue::Unknown
    } else {
        LabelValue::Known(e.value)
    }
}

/// Report every schema label of type `ty` whose known, non-empty value
/// `valid` rejects.
pub(crate) fn check_format(
    cx: &mut Checker<'_>,
    ty: LabelType,
    valid: fn(&str) -> bool,
    message: fn(&str) -> String,
) {
    if !cx.options.label_schema.values().any(|t| *t == ty) {
        return;
    }
    let labels = image_labels(cx);
    for l in effective_labels(&labels) {
        let (Some(key), LabelValue::Known(value)) = (&l.key, &l.value) else {
            continue;
        };
        if cx.options.label_schema.get(key) != Some(&ty) || value.is_empty() || valid(value) {
            continue;
        }
        let mut msg = message(key);
        if cx.slice(l.value_span).contains('$') {
            let stop = msg.ends_with('.');
            if stop {
                msg.pop();
            }
            msg.push_str(&format!(" (it expands to `{value}`)"));
            if stop {
                msg.push('.');
            }
        }
        cx.report(l.value_span, msg);
    }
}
