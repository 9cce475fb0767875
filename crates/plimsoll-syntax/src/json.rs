//! Exec-form detection: a JSON array decoded exactly as BuildKit's
//! `parseJSON` does it with Go's `encoding/json` (`json.Unmarshal` into
//! `[]interface{}`).
//!
//! Three outcomes matter to BuildKit: a syntactically invalid array (or
//! one whose numbers do not fit a float64) falls back to shell form; a
//! valid array with anything but strings in it is a parse error; a valid
//! array of strings is exec form.

/// One decoded string element and the byte range of its literal (quotes
/// included) in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonString {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// Valid JSON array of strings: exec form.
    Strings(Vec<JsonString>),
    /// Valid JSON array with a non-string element: BuildKit's
    /// "arrays must be comprised of strings only" error. The string
    /// elements are kept for error recovery.
    NotStrings(Vec<JsonString>),
    /// Not valid JSON (or not an array): shell form.
    Invalid,
}

/// Go's `encoding/json` scanner nesting limit.
const MAX_NESTING_DEPTH: usize = 10_000;

/// Decodes `s` (which must start with `[` to ever be an array).
pub(crate) fn parse_array(s: &str) -> JsonArray {
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return JsonArray::Invalid;
    }
    let mut p = Parser {
        b,
        i: 1,
        overflow: false,
    };
    let mut strings = Vec::new();
    let mut all_strings = true;
    p.skip_ws();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.skip_ws();
            match p.peek() {
                Some(b'"') => {
                    let start = p.i;
                    let Some(value) = p.string() else {
                        return JsonArray::Invalid;
                    };
                    strings.push(JsonString {
                        value,
                        start,
                        end: p.i,
                    });
                }
                Some(_) => {
                    all_strings = false;
                    if !p.skip_value(1) {
                        return JsonArray::Invalid;
                    }
                }
                None => return JsonArray::Invalid,
            }
            p.skip_ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return JsonArray::Invalid,
            }
        }
    }
    p.skip_ws();
    if p.i != b.len() || p.overflow {
        return JsonArray::Invalid;
    }
    if all_strings {
        JsonArray::Strings(strings)
    } else {
        JsonArray::NotStrings(strings)
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    /// A number that does not fit a float64: Go's decoder reports it after
    /// the syntax check, which makes BuildKit fall back to shell form.
    overflow: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Skips one value of any kind, nested arrays and objects included,
    /// without recursion. `depth` is the nesting depth of the container
    /// holding the value.
    fn skip_value(&mut self, depth: usize) -> bool {
        // Open containers: b'[' or b'{'.
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // Expect a value.
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {
                    if !self.skip_string() {
                        return false;
                    }
                }
                Some(c @ (b'[' | b'{')) => {
                    self.i += 1;
                    stack.push(c);
                    if depth + stack.len() > MAX_NESTING_DEPTH {
                        return false;
                    }
                    self.skip_ws();
                    let close = if c == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.i += 1;
                        stack.pop();
                    } else if c == b'{' && !self.object_key() {
                        return false;
                    } else {
                        continue;
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    if !self.number() {
                        return false;
                    }
                }
                Some(b't') => {
                    if !self.literal(b"true") {
                        return false;
                    }
                }
                Some(b'f') => {
                    if !self.literal(b"false") {
                        return false;
                    }
                }
                Some(b'n') => {
                    if !self.literal(b"null") {
                        return false;
                    }
                }
                _ => return false,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&top) = stack.last() else {
                    return true;
                };
                self.skip_ws();
                match (top, self.peek()) {
                    (b'[', Some(b']')) | (b'{', Some(b'}')) => {
                        self.i += 1;
                        stack.pop();
                    }
                    (b'[', Some(b',')) => {
                        self.i += 1;
                        break;
                    }
                    (b'{', Some(b',')) => {
                        self.i += 1;
                        self.skip_ws();
                        if !self.object_key() {
                            return false;
                        }
                        break;
                    }
                    _ => return false,
                }
            }
        }
    }

    /// `"key" :` inside an object.
    fn object_key(&mut self) -> bool {
        if self.peek() != Some(b'"') || !self.skip_string() {
            return false;
        }
        self.skip_ws();
        if self.peek() != Some(b':') {
            return false;
        }
        self.i += 1;
        true
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> bool {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return false,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return false;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return false;
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("0");
        if text.parse::<f64>().map_or(true, f64::is_infinite) {
            self.overflow = true;
        }
        true
    }

    fn skip_string(&mut self) -> bool {
        // Validation only; the decoded value is not needed.
        self.i += 1;
        loop {
            match self.peek() {
                None => return false,
                Some(b'"') => {
                    self.i += 1;
                    return true;
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            if hex4(self.b, self.i + 1).is_none() {
                                return false;
                            }
                            self.i += 5;
                        }
                        _ => return false,
                    }
                }
                Some(c) if c < 0x20 => return false,
                Some(_) => self.i += 1,
            }
        }
    }

    /// A string literal decoded as Go does (lone surrogates become U+FFFD).
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        let mut run_start = self.i;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    out.push_str(std::str::from_utf8(&self.b[run_start..self.i]).ok()?);
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(std::str::from_utf8(&self.b[run_start..self.i]).ok()?);
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let r = hex4(self.b, self.i)?;
                            self.i += 4;
                            let ch = if (0xd800..0xe000).contains(&r) {
                                // A surrogate: valid only as the first half of
                                // a pair followed by its second half.
                                let pair = if self.b.get(self.i) == Some(&b'\\')
                                    && self.b.get(self.i + 1) == Some(&b'u')
                                {
                                    hex4(self.b, self.i + 2)
                                } else {
                                    None
                                };
                                match pair {
                                    Some(r2)
                                        if (0xd800..0xdc00).contains(&r)
                                            && (0xdc00..0xe000).contains(&r2) =>
                                    {
                                        self.i += 6;
                                        char::from_u32(
                                            0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00),
                                        )
                                        .unwrap_or('\u{fffd}')
                                    }
                                    _ => '\u{fffd}',
                                }
                            } else {
                                char::from_u32(r).unwrap_or('\u{fffd}')
                            };
                            out.push(ch);
                        }
                        _ => return None,
                    }
                    run_start = self.i;
                }
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
    }
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = b.get(at..at + 4)?;
    let mut r = 0u32;
    for &d in digits {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return None,
        };
        r = r * 16 + u32::from(v);
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Option<Vec<String>> {
        match parse_array(s) {
            JsonArray::Strings(v) => Some(v.into_iter().map(|s| s.value).collect()),
            _ => None,
        }
    }

    #[test]
    fn valid_arrays_of_strings() {
        assert_eq!(values("[]"), Some(vec![]));
        assert_eq!(values(r#"[""]"#), Some(vec![String::new()]));
        assert_eq!(
            values("[\t\"a\",\t\"b\"\t]"),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            values(r#"["\" \\ \/ \b \f \n \r \t \u0000"]"#),
            Some(vec!["\" \\ / \u{8} \u{c} \n \r \t \0".into()])
        );
        assert_eq!(values(r#"["\ud83d\ude00"]"#), Some(vec!["😀".into()]));
        assert_eq!(values(r#"["\ud83d x"]"#), Some(vec!["\u{fffd} x".into()]));
        assert_eq!(
            values(r#"["\ude00\ud83d"]"#),
            Some(vec!["\u{fffd}\u{fffd}".into()])
        );
    }

    #[test]
    fn non_strings_are_an_error_not_a_fallback() {
        for s in [
            r#"["a",42,"b"]"#,
            r#"["a",123.456,"b"]"#,
            r#"["a",{},"b"]"#,
            r#"["a",{"c": "d"},"b"]"#,
            r#"["a",["c"],"b"]"#,
            r#"["a",true,"b"]"#,
            r#"["a",false,"b"]"#,
            r#"["a",null,"b"]"#,
            r#"[ "echo", [ "nested json" ] ]"#,
        ] {
            assert!(matches!(parse_array(s), JsonArray::NotStrings(_)), "{s}");
        }
    }

    #[test]
    fn invalid_json_falls_back() {
        for s in [
            "['a']",
            r#"["a""#,
            r#"["a"] trailing"#,
            r#"["a",]"#,
            r#"[,]"#,
            r#"["a\x"]"#,
            "[\"a\u{1}\"]",
            r#"["a", 01]"#,
            r#"["a", 1e400]"#,
            r#"[1, 1e400]"#,
            r#"[{"a" 1}]"#,
            r#"[tru]"#,
            "[\u{b}\"a\"]",
        ] {
            assert_eq!(parse_array(s), JsonArray::Invalid, "{s}");
        }
    }

    #[test]
    fn nesting_limit() {
        let deep = format!("[{}{}]", "[".repeat(9_998), "]".repeat(9_998));
        assert!(matches!(parse_array(&deep), JsonArray::NotStrings(_)));
        let deeper = format!("[{}{}]", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse_array(&deeper), JsonArray::Invalid);
    }

    #[test]
    fn spans_cover_literals() {
        let JsonArray::Strings(v) = parse_array(r#"[ "a", "b\n" ]"#) else {
            panic!()
        };
        assert_eq!((v[0].start, v[0].end), (2, 5));
        assert_eq!((v[1].start, v[1].end), (7, 12));
    }
}
