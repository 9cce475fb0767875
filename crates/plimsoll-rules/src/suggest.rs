//! BuildKit-style "did you mean" suggestions.

/// The option closest to `value` by edit distance, if closer than 3 edits;
/// nothing when `value` is itself an option. Ties go to the option that
/// sorts first, so the answer does not depend on the order given.
pub(crate) fn did_you_mean<'o>(
    value: &str,
    options: impl IntoIterator<Item = &'o str>,
) -> Option<&'o str> {
    let mut options: Vec<&str> = options.into_iter().collect();
    options.sort_unstable();
    options.dedup();
    if options.contains(&value) {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for opt in options {
        let d = levenshtein(value, opt);
        if d < 3 && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((opt, d));
        }
    }
    best.map(|(o, _)| o)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let opts = ["BUILDPLATFORM", "TARGETARCH", "VERSION", "PATH", "APP_DIR"];
        assert_eq!(did_you_mean("BUILDPLATFROM", opts), Some("BUILDPLATFORM"));
        assert_eq!(did_you_mean("VERSOIN", opts), Some("VERSION"));
        assert_eq!(did_you_mean("PAHT", opts), Some("PATH"));
        assert_eq!(did_you_mean("APP_DRI", opts), Some("APP_DIR"));
        assert_eq!(did_you_mean("TAG", opts), None);
        assert_eq!(did_you_mean("VERSION", opts), None);
        assert_eq!(did_you_mean("COMPLETELY_ELSE", opts), None);
    }

    #[test]
    fn distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("PAHT", "PATH"), 2);
    }
}
