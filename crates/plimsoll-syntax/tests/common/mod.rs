//! Shared test helpers: the structural invariants every parse must
//! satisfy.
#![allow(dead_code)]

use plimsoll_syntax::{Dockerfile, Instruction, Span};

fn check_span(df: &Dockerfile, span: Span, what: &str) -> Result<(), String> {
    if span.start > span.end || span.end > df.text.len() {
        return Err(format!("{what} {span:?} out of bounds ({})", df.text.len()));
    }
    if !df.text.is_char_boundary(span.start) || !df.text.is_char_boundary(span.end) {
        return Err(format!("{what} {span:?} not on char boundaries"));
    }
    Ok(())
}

fn check_instruction(df: &Dockerfile, ins: &Instruction) -> Result<(), String> {
    check_span(df, ins.span, "instruction")?;
    check_span(df, ins.keyword_span, "keyword")?;
    if ins.start_line == 0 || ins.end_line < ins.start_line {
        return Err(format!("bad lines {}..{}", ins.start_line, ins.end_line));
    }
    for f in &ins.flags {
        check_span(df, f.span, "flag")?;
        check_span(df, f.name_span, "flag name")?;
        if let Some(v) = f.value_span {
            check_span(df, v, "flag value")?;
        }
    }
    for w in &ins.args {
        check_span(df, w.span, "arg")?;
    }
    for kv in &ins.pairs {
        check_span(df, kv.span, "pair")?;
        check_span(df, kv.key.span, "key")?;
        if let Some(v) = &kv.value {
            check_span(df, v.span, "value")?;
        }
    }
    for h in &ins.heredocs {
        check_span(df, h.marker_span, "heredoc marker")?;
        check_span(df, h.body_span, "heredoc body")?;
        check_span(df, h.end_span, "heredoc end")?;
    }
    for s in &ins.empty_continuation_lines {
        check_span(df, *s, "empty continuation line")?;
    }
    let rest = &ins.rest;
    if rest.offsets.len() != rest.text.len() + 1 {
        return Err("rest offsets length".into());
    }
    for (i, &o) in rest.offsets.iter().enumerate().take(rest.text.len()) {
        if df.text.as_bytes().get(o) != Some(&rest.text.as_bytes()[i]) {
            return Err(format!("rest byte {i} does not map to its source byte"));
        }
    }
    if let Some(inner) = &ins.onbuild {
        check_instruction(df, inner)?;
    }
    Ok(())
}

/// Tokens cover the text exactly, in order; every span is in bounds.
pub fn check_invariants(df: &Dockerfile) -> Result<(), String> {
    let mut at = 0;
    for t in &df.tokens {
        if t.span.start != at {
            return Err(format!(
                "token {t:?} starts at {}, expected {at}",
                t.span.start
            ));
        }
        if t.span.is_empty() {
            return Err(format!("empty token {t:?}"));
        }
        check_span(df, t.span, "token")?;
        at = t.span.end;
    }
    if at != df.text.len() {
        return Err(format!(
            "tokens end at {at}, text is {} bytes",
            df.text.len()
        ));
    }
    if df.reconstruct() != df.text {
        return Err("reconstruct() differs from the text".into());
    }
    for ins in &df.instructions {
        check_instruction(df, ins)?;
    }
    for c in &df.comments {
        check_span(df, c.span, "comment")?;
    }
    for d in &df.directives {
        check_span(df, d.span, "directive")?;
        check_span(df, d.value_span, "directive value")?;
    }
    for e in &df.errors {
        check_span(df, e.span, "error")?;
    }
    Ok(())
}
