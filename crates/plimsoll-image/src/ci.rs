//! dive's CI thresholds (`.dive-ci`), read and applied the way dive does:
//!
//! ```yaml
//! rules:
//!   lowestEfficiency: 0.95          # fail below this ratio
//!   highestWastedBytes: 20MB        # fail above this size, or "disabled"
//!   highestUserWastedPercent: 0.20  # fail above this ratio of non-base bytes
//! ```
//!
//! A rule left out keeps dive's default (0.9, disabled, 0.1); `disabled`
//! turns one off. Sizes follow go-humanize, which dive uses: `KB`, `MB`,
//! `GB` are powers of 1000, `KiB`, `MiB`, `GiB` powers of 1024, and a bare
//! number is bytes.

use serde::Deserialize;

/// The thresholds; `None` disables a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CiRules {
    /// Fail when efficiency is below this ratio (0–1).
    pub lowest_efficiency: Option<f64>,
    /// Fail when more bytes than this are wasted.
    pub highest_wasted_bytes: Option<u64>,
    /// Fail when wasted bytes exceed this ratio (0–1) of the bytes the
    /// layers above the base store.
    pub highest_user_wasted_percent: Option<f64>,
}

impl Default for CiRules {
    /// dive's defaults.
    fn default() -> Self {
        CiRules {
            lowest_efficiency: Some(0.9),
            highest_wasted_bytes: None,
            highest_user_wasted_percent: Some(0.1),
        }
    }
}

/// A `.dive-ci` file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CiRulesError {
    #[error("invalid .dive-ci YAML: {0}")]
    Yaml(String),
    #[error("rules.{rule}: {reason}")]
    Value { rule: &'static str, reason: String },
}

#[derive(Deserialize)]
struct DiveCiFile {
    #[serde(default)]
    rules: Option<RawRules>,
}

#[derive(Deserialize)]
struct RawRules {
    #[serde(
        rename = "lowestEfficiency",
        alias = "lowest-efficiency",
        alias = "lowest_efficiency",
        default
    )]
    lowest_efficiency: Option<Scalar>,
    #[serde(
        rename = "highestWastedBytes",
        alias = "highest-wasted-bytes",
        alias = "highest_wasted_bytes",
        default
    )]
    highest_wasted_bytes: Option<Scalar>,
    #[serde(
        rename = "highestUserWastedPercent",
        alias = "highest-user-wasted-percent",
        alias = "highest_user_wasted_percent",
        default
    )]
    highest_user_wasted_percent: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Int(u64),
    Float(f64),
    Text(String),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(t) => t.trim().to_string(),
        }
    }
}

impl CiRules {
    /// No thresholds at all.
    pub const fn disabled() -> CiRules {
        CiRules {
            lowest_efficiency: None,
            highest_wasted_bytes: None,
            highest_user_wasted_percent: None,
        }
    }

    /// Read a `.dive-ci` file's text.
    pub fn from_dive_ci(yaml: &str) -> Result<CiRules, CiRulesError> {
        let file: Option<DiveCiFile> =
            serde_saphyr::from_str(yaml).map_err(|e| CiRulesError::Yaml(e.to_string()))?;
        let mut rules = CiRules::default();
        let Some(raw) = file.and_then(|f| f.rules) else {
            return Ok(rules);
        };
        if let Some(v) = raw.lowest_efficiency {
            rules.lowest_efficiency = ratio(&v, "lowestEfficiency")?;
        }
        if let Some(v) = raw.highest_wasted_bytes {
            rules.highest_wasted_bytes = if is_disabled(&v) {
                None
            } else {
                Some(parse_size(&v.text()).map_err(|e| CiRulesError::Value {
                    rule: "highestWastedBytes",
                    reason: e.to_string(),
                })?)
            };
        }
        if let Some(v) = raw.highest_user_wasted_percent {
            rules.highest_user_wasted_percent = ratio(&v, "highestUserWastedPercent")?;
        }
        Ok(rules)
    }
}

fn is_disabled(v: &Scalar) -> bool {
    matches!(v, Scalar::Text(t) if t.trim().eq_ignore_ascii_case("disabled"))
}

fn ratio(v: &Scalar, rule: &'static str) -> Result<Option<f64>, CiRulesError> {
    if is_disabled(v) {
        return Ok(None);
    }
    let value = match v {
        Scalar::Int(i) => *i as f64,
        Scalar::Float(f) => *f,
        Scalar::Text(t) => t.trim().parse::<f64>().map_err(|_| CiRulesError::Value {
            rule,
            reason: format!("`{t}` is not a number or `disabled`"),
        })?,
    };
    if !(0.0..=1.0).contains(&value) {
        return Err(CiRulesError::Value {
            rule,
            reason: format!("{value} is not a ratio between 0 and 1 (write 0.2 for 20%)"),
        });
    }
    Ok(Some(value))
}

/// A size that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid size `{0}`: expected a number of bytes with an optional unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)"
)]
pub struct SizeError(pub String);

/// Parse a size as go-humanize's `ParseBytes` does: `20MB` is
/// 20 000 000, `20MiB` is 20 971 520, `1.5GB`, `1,000`, `512 k` and plain
/// bytes are accepted; units are case-insensitive.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let err = || SizeError(text.to_string());
    let s = text.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number = number.replace(',', "");
    if number.is_empty() || number == "." {
        return Err(err());
    }
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "ki" | "kib" => 1 << 10,
        "m" | "mb" => 1000_u64.pow(2),
        "mi" | "mib" => 1 << 20,
        "g" | "gb" => 1000_u64.pow(3),
        "gi" | "gib" => 1 << 30,
        "t" | "tb" => 1000_u64.pow(4),
        "ti" | "tib" => 1 << 40,
        "p" | "pb" => 1000_u64.pow(5),
        "pi" | "pib" => 1 << 50,
        "e" | "eb" => 1000_u64.pow(6),
        "ei" | "eib" => 1 << 60,
        _ => return Err(err()),
    };
    if !number.contains('.') {
        let n: u64 = number.parse().map_err(|_| err())?;
        return n.checked_mul(multiplier).ok_or_else(err);
    }
    let n: f64 = number.parse().map_err(|_| err())?;
    let bytes = n * multiplier as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(err());
    }
    Ok(bytes as u64)
}

/// A size for messages, in SI units as dive prints them: `20 MB`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_go_humanize() {
        assert_eq!(parse_size("20MB"), Ok(20_000_000));
        assert_eq!(parse_size("20mb"), Ok(20_000_000));
        assert_eq!(parse_size("20 MiB"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("1.5 GiB"), Ok(1_610_612_736));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("512B"), Ok(512));
        assert_eq!(parse_size("42,000"), Ok(42_000));
        assert_eq!(parse_size("3k"), Ok(3000));
        assert_eq!(parse_size(" 7 KB "), Ok(7000));
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        for bad in [
            "",
            "MB",
            "-5MB",
            "5 parsecs",
            "1.2.3GB",
            "99999999999EB",
            ".",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_sizes() {
        assert_eq!(format_size(999), "999 B");
        assert_eq!(format_size(20_000_000), "20.0 MB");
        assert_eq!(format_size(1_536), "1.5 kB");
    }

    #[test]
    fn reads_dive_ci() {
        let rules = CiRules::from_dive_ci(
            "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.20\n",
        )
        .unwrap();
        assert_eq!(
            rules,
            CiRules {
                lowest_efficiency: Some(0.95),
                highest_wasted_bytes: Some(20_000_000),
                highest_user_wasted_percent: Some(0.2),
            }
        );
        // Quoted values, a plain byte count, disabled rules, kebab-case.
        let rules = CiRules::from_dive_ci(
            "rules:\n  lowest-efficiency: \"0.5\"\n  highestWastedBytes: 1000\n  highestUserWastedPercent: disabled\n",
        )
        .unwrap();
        assert_eq!(rules.lowest_efficiency, Some(0.5));
        assert_eq!(rules.highest_wasted_bytes, Some(1000));
        assert_eq!(rules.highest_user_wasted_percent, None);
        // Missing rules keep dive's defaults.
        assert_eq!(CiRules::from_dive_ci("rules: {}\n"), Ok(CiRules::default()));
        assert_eq!(CiRules::from_dive_ci(""), Ok(CiRules::default()));
        assert_eq!(
            CiRules::from_dive_ci("rules:\n  highestWastedBytes: disabled\n")
                .unwrap()
                .highest_wasted_bytes,
            None
        );
    }

    #[test]
    fn rejects_bad_dive_ci() {
        let e = CiRules::from_dive_ci("rules:\n  highestUserWastedPercent: 20\n").unwrap_err();
        assert!(e.to_string().contains("0.2 for 20%"), "{e}");
        let e = CiRules::from_dive_ci("rules:\n  highestWastedBytes: lots\n").unwrap_err();
        assert!(e.to_string().starts_with("rules.highestWastedBytes"), "{e}");
        assert!(CiRules::from_dive_ci("rules: [").is_err());
    }
}
