//! Small byte-level helpers the rules share: entropy, placeholders,
//! base64, character classes.

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[usize::from(b)] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// How many of lower case, upper case, digits and other printable bytes
/// a value uses.
pub fn char_classes(data: &[u8]) -> usize {
    let mut seen = [false; 4];
    for &b in data {
        let class = if b.is_ascii_lowercase() {
            0
        } else if b.is_ascii_uppercase() {
            1
        } else if b.is_ascii_digit() {
            2
        } else {
            3
        };
        seen[class] = true;
    }
    seen.iter().filter(|s| **s).count()
}

/// Words that mark a value as a stand-in in documentation, templates and
/// tests rather than a credential (matched case-insensitively anywhere in
/// the value).
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "placeholder",
    "dummy",
    "sample",
    "redacted",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "${",
    "{{",
    "$(",
    "%(",
    "your_",
    "your-",
    "yourpass",
    "yourtoken",
    "yoursecret",
    "replace_me",
    "replace-me",
    "replaceme",
    "insert_",
    "insert-",
    "notreal",
    "not_real",
    "not-a-real",
    "not_a_real",
    "fake",
];

/// Whole values that are not secrets (compared case-insensitively).
const NON_SECRET_VALUES: &[&str] = &[
    "none",
    "null",
    "nil",
    "true",
    "false",
    "undefined",
    "empty",
    "test",
    "testing",
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "api_key",
    "string",
    "value",
    "default",
    "required",
    "optional",
    "unset",
    "todo",
    "tbd",
    "n/a",
    // Classic examples in documentation.
    "qwerty",
    "hunter2",
    "letmein",
    // RFC 6749's example tokens, copied into OAuth libraries' docs.
    "2yotnfzfejr1zcsicmwpaa",
    "tgzv3jokf0xg5qx2tlkwia",
    "slav32hkkg",
];

/// Whether a value is a documentation or template stand-in: a known
/// placeholder word, a variable or template reference, or one character
/// repeated, or a plain run like `123456789` / `abcdefgh`.
pub fn is_placeholder(value: &[u8]) -> bool {
    let trimmed = value.trim_ascii();
    if trimmed.is_empty() {
        return true;
    }
    let lower = trimmed.to_ascii_lowercase();
    if NON_SECRET_VALUES.iter().any(|w| lower == w.as_bytes()) {
        return true;
    }
    if PLACEHOLDER_WORDS
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    {
        return true;
    }
    if matches!(trimmed[0], b'$' | b'%' | b'@' | b'{') {
        return true;
    }
    dominated_by_one_byte(&lower) || is_plain_run(&lower)
}

/// One byte makes up more than half of a value of 8 bytes or more
/// (`00000000`, `aaaaaaab`); or, in an alphanumeric token, runs of one
/// character such as `0000000000` appear.
fn dominated_by_one_byte(lower: &[u8]) -> bool {
    if lower.len() < 8 {
        return false;
    }
    let mut counts = [0usize; 256];
    for &b in lower {
        counts[usize::from(b)] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    if max * 2 > lower.len() {
        return true;
    }
    // Ten or more of the same character in a row.
    let mut run = 1;
    for w in lower.windows(2) {
        if w[0] == w[1] {
            run += 1;
            if run >= 10 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// `123456789`, `abcdefgh`: every byte one above the last.
fn is_plain_run(lower: &[u8]) -> bool {
    lower.len() >= 6 && lower.windows(2).all(|w| w[1] == w[0].wrapping_add(1))
}

/// A stricter test for tokens of a known format: the format itself is
/// proof enough, so only stand-ins are dropped (`ghp_xxxx…`, `…EXAMPLE`).
pub fn is_placeholder_token(token: &[u8]) -> bool {
    let lower = token.to_ascii_lowercase();
    [
        "example",
        "xxxxxx",
        "000000",
        "<",
        "${",
        "{{",
        "redacted",
        "placeholder",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
        || dominated_by_one_byte(&lower)
}

/// Decode standard or URL-safe base64, padded or not; `None` if it is not
/// base64.
pub fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let input = input.trim_ascii();
    let body = match input.iter().rposition(|&b| b != b'=') {
        Some(last) => &input[..=last],
        None => return Some(Vec::new()),
    };
    if input.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in body {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character cannot encode a byte.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

/// Bytes that may appear in a token of letters, digits, `_` and `-`.
pub fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(b""), 0.0);
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzKEY") > 4.0);
    }

    #[test]
    fn placeholders() {
        for p in [
            "changeme",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "<password>",
            "xxxxxxxx",
            "your_token_here",
            "AKIAIOSFODNN7EXAMPLE",
            "{{ vault_password }}",
            "%(password)s",
            "12345678",
            "abcdefgh",
            "None",
            "",
            "00000000000000",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in ["s3cr3tP4ss", "hunter2!", "Tr0ub4dor&3", "qM8#zL2v"] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn token_placeholders() {
        assert!(is_placeholder_token(
            b"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        assert!(is_placeholder_token(b"AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_placeholder_token(
            b"ghp_R2d5kq8Vw1ZpLm3Nx7Tb9Yc4Hs6Jf0Ga2Qe5"
        ));
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode(b"dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(base64_decode(b"dXNlcjpwYXNzMQ==").unwrap(), b"user:pass1");
        assert_eq!(base64_decode(b"dXNlcjpwYXNzMQ").unwrap(), b"user:pass1");
        assert_eq!(
            base64_decode(b"eyJhbGciOiJIUzI1NiJ9").unwrap(),
            br#"{"alg":"HS256"}"#
        );
        assert!(base64_decode(b"a").is_none());
        assert!(base64_decode(b"ab!c").is_none());
        assert!(base64_decode(b"ab===").is_none());
    }

    #[test]
    fn classes() {
        assert_eq!(char_classes(b"abc"), 1);
        assert_eq!(char_classes(b"aB3!"), 4);
    }
}
