//! `github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request.

use crate::Context;
use crate::position::region;
use plimsoll_diagnostics::Severity;
use std::io::{self, Write};

/// Escapes a command's message as `@actions/core` does.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value as `@actions/core` does.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "notice",
    }
}

pub(crate) fn write(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    for finding in ctx.findings {
        let mut props = format!("file={}", escape_property(&finding.file));
        if let Some(r) = finding
            .span
            .zip(ctx.source(&finding.file))
            .map(|(span, source)| region(source, span))
        {
            props.push_str(&format!(
                ",line={},col={},endLine={},endColumn={}",
                r.line, r.column, r.end_line, r.end_column
            ));
        }
        writeln!(
            out,
            "::{} {props},title={}::{}",
            command(finding.severity),
            escape_property(&finding.code),
            escape_data(&finding.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape_data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
        // `%` first, so escapes are not escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
