use super::common::mount_from;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a stage name with upper-case letters (`FROM golang AS Builder`).
    ///
    /// ## Why is this bad?
    /// Stage names are matched ignoring case, and lower case keeps them
    /// apart from the instruction keywords around them. A name in mixed case
    /// also invites references spelled differently from the definition.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS BuildEnv
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=BuildEnv /out/app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS buildenv
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=buildenv /out/app /app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the name is lower-cased together with every reference to it
    /// written literally (`FROM <name>`, `COPY --from=<name>`,
    /// `RUN --mount=…,from=<name>`). BuildKit stores stage names in lower
    /// case: `COPY --from`, `--mount` and `--target` match them ignoring
    /// case, so a reference the fix cannot see (one built from a variable)
    /// keeps working, while `FROM <name>` only ever found the stage when
    /// written in lower case.
    pub struct StageNameCasing {
        code: "StageNameCasing",
        name: "stage_name_casing",
        aliases: [],
        severity: Warning,
        summary: "Stage names should be lowercase",
        url: Some("https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for StageNameCasing {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        for (index, stage) in model.stages.iter().enumerate() {
            let ins = model.instruction(stage.from_instruction);
            let [_, _, name] = ins.args.as_slice() else {
                continue;
            };
            let lower = name.value.to_lowercase();
            if lower == name.value {
                continue;
            }
            let fix = (cx.slice(name.span) == name.value).then(|| {
                let mut edits = vec![Edit::replace(name.span, lower.clone())];
                edits.extend(reference_edits(cx, index, &lower));
                edits.sort_by_key(|e| e.span.start);
                edits.dedup_by_key(|e| e.span);
                let refs = edits.len() - 1;
                let message = match refs {
                    0 => format!("Rename the stage to `{lower}`"),
                    1 => format!("Rename the stage to `{lower}` and its reference"),
                    n => format!("Rename the stage to `{lower}` and its {n} references"),
                };
                Fix::safe(message, edits)
            });
            cx.report(
                name.span,
                format!("Stage name '{}' should be lowercase", name.value),
            )
            .fix = fix;
        }
    }
}

/// Edits lower-casing the literal references to stage `index`: later
/// `FROM <name>`, and `COPY --from=<name>` or `RUN --mount=from=<name>`
/// anywhere (BuildKit also resolves references to later stages).
fn reference_edits(cx: &Checker<'_>, index: usize, lower: &str) -> Vec<Edit> {
    let model = cx.model;
    let mut edits = Vec::new();
    let mut add = |span: Span, written: &str| {
        if written != lower && written.to_lowercase() == lower && cx.slice(span) == written {
            edits.push(Edit::replace(span, lower.to_string()));
        }
    };
    for stage in &model.stages[index + 1..] {
        if stage.base == Base::Stage(index) {
            add(stage.base_span, &stage.base_written);
        }
    }
    for ins in &cx.dockerfile.instructions {
        match ins.keyword {
            Keyword::Copy | Keyword::Add => {
                if let Some(flag) = ins.flag("from")
                    && let (Some(value), Some(span)) = (&flag.value, flag.value_span)
                {
                    add(span, value);
                }
            }
            Keyword::Run => {
                for flag in ins.flags.iter().filter(|f| f.name == "mount") {
                    if let Some((from, Some(span))) = mount_from(cx, flag) {
                        add(span, &from);
                    }
                }
            }
            _ => {}
        }
    }
    edits
}
