//! BuildKit's `Node.Dump()` for a parsed file, for comparing this parser
//! with BuildKit's own (`testfiles/*/result`, `plimsoll debug buildkit-ast`).

use crate::gocompat::{go_quote_into, latin1_mangle, to_lower, trim_space};
use crate::parser::{LINE_TOO_LONG, MAX_LINE};
use crate::{Dockerfile, Instruction, Keyword, parse_str};

/// The AST dump BuildKit's `parser.Parse(…).AST.Dump()` prints for this
/// file, one `(instruction …)` line per instruction (heredoc bodies are
/// not part of it). When BuildKit's parser rejects the file, the error
/// message instead.
pub fn buildkit_dump(df: &Dockerfile) -> Result<String, String> {
    // BuildKit's line scanner stops at a line it cannot buffer: the file is
    // judged on what comes before it, and fails anyway.
    if let Some(at) = first_long_line(&df.text) {
        let prefix = parse_str(&df.text[..at]);
        return Err(match prefix.errors.iter().find(|e| e.fatal_in_buildkit) {
            Some(e) => e.message.clone(),
            None => LINE_TOO_LONG.to_string(),
        });
    }
    if let Some(e) = df.errors.iter().find(|e| e.fatal_in_buildkit) {
        return Err(e.message.clone());
    }
    let mut out = String::new();
    for ins in &df.instructions {
        out.push('(');
        out.push_str(&node_dump(ins));
        out.push_str(")\n");
    }
    let mut out = trim_space(&out).to_string();
    out.push('\n');
    Ok(out)
}

/// Start of the first line BuildKit's `bufio.Scanner` cannot read.
fn first_long_line(text: &str) -> Option<usize> {
    if text.len() < MAX_LINE {
        return None;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let (len, has_newline) = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) => (i + 1, true),
            None => (bytes.len() - start, false),
        };
        if len > MAX_LINE || (!has_newline && len == MAX_LINE) {
            return Some(start);
        }
        start += len;
    }
    None
}

fn node_dump(ins: &Instruction) -> String {
    let mut s = to_lower(&ins.keyword_text);
    if !ins.flags.is_empty() {
        s.push_str(" [");
        for (i, f) in ins.flags.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            let mut flag = format!("--{}", f.name);
            if let Some(v) = &f.value {
                flag.push('=');
                flag.push_str(v);
            }
            go_quote_into(&mut s, &latin1_mangle(&flag));
        }
        s.push(']');
    }
    match ins.keyword {
        Keyword::Onbuild => {
            if let Some(inner) = &ins.onbuild {
                s.push_str(" (");
                s.push_str(&node_dump(inner));
                s.push(')');
            }
        }
        Keyword::Env | Keyword::Label => {
            for kv in &ins.pairs {
                s.push(' ');
                go_quote_into(&mut s, &kv.key.value);
                s.push(' ');
                go_quote_into(&mut s, kv.value.as_ref().map_or("", |v| v.value.as_str()));
                s.push(' ');
                go_quote_into(&mut s, if kv.equals { "=" } else { "" });
            }
        }
        // BuildKit keeps one empty node for the arguments it ignores.
        Keyword::Unknown => s.push_str(" \"\""),
        _ => {
            for w in &ins.args {
                s.push(' ');
                go_quote_into(&mut s, &w.value);
            }
        }
    }
    trim_space(&s).to_string()
}
