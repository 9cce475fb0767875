//! Problems BuildKit's parser lets through but its next stage
//! (`instructions.Parse`) rejects: unknown instructions and wrong argument
//! counts. They are reported with `fatal_in_buildkit: false`.

use crate::gocompat::go_quote;
use crate::heredoc::parse_heredoc;
use crate::{Form, Instruction, Keyword, Span, SyntaxError};

pub(crate) fn check_instruction(ins: &Instruction, errors: &mut Vec<SyntaxError>) {
    let mut report = |span: Span, message: String| {
        errors.push(SyntaxError {
            span,
            message,
            fatal_in_buildkit: false,
        });
    };
    let name = ins.keyword.as_str();
    let n = ins.args.len();
    match ins.keyword {
        Keyword::Unknown => report(
            ins.keyword_span,
            format!("unknown instruction: {}", ins.keyword_text),
        ),
        Keyword::Env | Keyword::Label => {
            if ins.pairs.is_empty() {
                report(ins.span, format!("{name} requires at least one argument"));
            }
            for kv in &ins.pairs {
                if kv.key.value.is_empty() {
                    report(kv.span, format!("{name} names can not be blank"));
                }
            }
        }
        Keyword::Arg => {
            if n == 0 {
                report(ins.span, format!("{name} requires at least one argument"));
            }
            for kv in &ins.pairs {
                if kv.equals && kv.key.value.is_empty() {
                    report(kv.span, format!("{name} names can not be blank"));
                }
            }
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::Stopsignal => {
            if n != 1 {
                report(ins.span, format!("{name} requires exactly one argument"));
            }
        }
        Keyword::Add | Keyword::Copy => {
            if n < 2 {
                report(
                    ins.span,
                    format!(
                        "{name} requires at least two arguments, but only one was provided. \
                         Destination could not be determined"
                    ),
                );
            } else if let Some(dest) = ins.args.last()
                && matches!(parse_heredoc(&dest.value), Ok(Some(_)))
            {
                report(
                    dest.span,
                    format!("{name} cannot accept a heredoc as a destination"),
                );
            }
        }
        Keyword::From => {
            if n == 3 && ins.args[1].value.eq_ignore_ascii_case("as") {
                let stage = ins.args[2].value.to_lowercase();
                if !valid_stage_name(&stage) {
                    report(
                        ins.args[2].span,
                        format!(
                            "invalid name for build stage: {}, name can't start with a number \
                             or contain symbols",
                            go_quote(&ins.args[2].value)
                        ),
                    );
                }
            } else if n != 1 {
                report(
                    ins.span,
                    "FROM requires either one or three arguments".to_string(),
                );
            }
        }
        Keyword::Onbuild => match &ins.onbuild {
            None => report(ins.span, format!("{name} requires at least one argument")),
            Some(inner) => match inner.keyword {
                Keyword::Onbuild => report(
                    inner.keyword_span,
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
                ),
                Keyword::Maintainer | Keyword::From => report(
                    inner.keyword_span,
                    format!(
                        "{} isn't allowed as an ONBUILD trigger",
                        inner.keyword_text.to_uppercase()
                    ),
                ),
                _ => {}
            },
        },
        Keyword::Healthcheck => {
            let Some(typ) = ins.args.first() else {
                report(ins.span, format!("{name} requires at least one argument"));
                return;
            };
            match typ.value.to_uppercase().as_str() {
                "NONE" => {
                    if n > 1 {
                        report(ins.span, "HEALTHCHECK NONE takes no arguments".to_string());
                    }
                }
                "CMD" => {
                    if n == 1 {
                        report(
                            ins.span,
                            "Missing command after HEALTHCHECK CMD".to_string(),
                        );
                    }
                }
                other => report(
                    typ.span,
                    format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(other)),
                ),
            }
        }
        Keyword::Expose => {
            if n == 0 {
                report(ins.span, format!("{name} requires at least one argument"));
            }
        }
        Keyword::Volume => {
            if n == 0 {
                report(ins.span, format!("{name} requires at least one argument"));
            }
            for w in &ins.args {
                if w.value.trim().is_empty() {
                    report(
                        w.span,
                        "VOLUME specified can not be an empty string".to_string(),
                    );
                }
            }
        }
        Keyword::Shell => {
            if n == 0 {
                report(ins.span, format!("{name} requires at least one argument"));
            } else if ins.form == Form::Shell {
                report(
                    ins.span,
                    "SHELL requires the arguments to be in JSON form".to_string(),
                );
            }
        }
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run => {}
    }
}

/// `^[a-z][a-z0-9-_.]*$`
fn valid_stage_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase)
        && b[1..].iter().all(|&c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.')
        })
}
