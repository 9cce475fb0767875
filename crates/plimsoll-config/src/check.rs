//! BuildKit's `# check=` parser directive.

/// The value of a `# check=skip=A,B;error=true` directive, as BuildKit's
/// linter reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckDirective {
    /// Check names to skip (`skip=A,B`), matched exactly.
    pub skip: Vec<String>,
    /// `skip=all`: no check runs.
    pub skip_all: bool,
    /// `error=true`: a violation fails the build.
    pub error: bool,
}

impl CheckDirective {
    /// Whether the directive skips a rule with this code or aliases.
    pub fn skips(&self, code: &str, aliases: &[&str]) -> bool {
        self.skip_all
            || self
                .skip
                .iter()
                .any(|s| s == code || aliases.contains(&s.as_str()))
    }
}

/// Parses the value of a `check` directive the way BuildKit's
/// `linter.ParseLintOptions` does: at most two `;`-separated `key=value`
/// options (the second keeps any further `;`), keys `skip` (a
/// comma-separated list, or `all`) and `error` (a Go boolean: `1`, `t`,
/// `T`, `TRUE`, `true`, `True` and their false counterparts). An empty
/// value is the default. Empty names in a `skip` list are dropped.
pub fn parse_check_directive(value: &str) -> Result<CheckDirective, String> {
    let value = value.trim();
    let mut out = CheckDirective::default();
    if value.is_empty() {
        return Ok(out);
    }
    for part in value.splitn(2, ';') {
        let Some((key, v)) = part.split_once('=') else {
            return Err(format!("invalid check option {part:?}"));
        };
        match key.trim() {
            "skip" => {
                let v = v.trim();
                if v == "all" {
                    out.skip_all = true;
                } else {
                    out.skip = v
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                }
            }
            "error" => {
                out.error = parse_go_bool(v.trim()).ok_or_else(|| {
                    format!(
                        "failed to parse check option {part:?}: invalid boolean {:?}",
                        v.trim()
                    )
                })?;
            }
            other => return Err(format!("invalid check option {other:?}")),
        }
    }
    Ok(out)
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}
