//! Validators for the label value formats of a label schema: URL (RFC
//! 3986), RFC 3339 timestamps, semantic versions, git hashes, SPDX license
//! expressions and e-mail addresses (RFC 5322).

/// An absolute URI as RFC 3986 defines it: a scheme, `:`, and a
/// hierarchical part of URI characters. `http(s)` URLs need a host.
pub(crate) fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return false;
    }
    if !uri_chars_ok(rest) {
        return false;
    }
    // At most one `#`, and the fragment holds no `#`.
    let (before_fragment, _) = rest.split_once('#').unwrap_or((rest, ""));
    if rest.matches('#').count() > 1 {
        return false;
    }
    let (hier, _query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    if let Some(after) = hier.strip_prefix("//") {
        let authority = after.split('/').next().unwrap_or("");
        if !authority_ok(authority) {
            return false;
        }
        let needs_host = matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "ftp" | "ftps" | "ws" | "wss" | "git" | "ssh"
        );
        if needs_host && host_of(authority).is_empty() {
            return false;
        }
    } else if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        return false;
    }
    true
}

/// Every character may appear in a URI, and every `%` starts an escape.
fn uri_chars_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c);
        if !allowed {
            return false;
        }
        i += 1;
    }
    true
}

fn host_of(authority: &str) -> &str {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return host_port
            .find(']')
            .map_or(host_port, |end| &host_port[..=end]);
    }
    host_port.split(':').next().unwrap_or("")
}

fn authority_ok(authority: &str) -> bool {
    let host_port = match authority.rsplit_once('@') {
        Some((user, _)) if user.contains(['[', ']', '@']) => return false,
        Some((_, host_port)) => host_port,
        None => authority,
    };
    let (host, port) = if host_port.starts_with('[') {
        let Some(end) = host_port.find(']') else {
            return false;
        };
        let rest = &host_port[end + 1..];
        match rest.strip_prefix(':') {
            Some(p) => (&host_port[..=end], p),
            None if rest.is_empty() => (&host_port[..=end], ""),
            None => return false,
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, p),
            None => (host_port, ""),
        }
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or("");
        !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || ":.vV".contains(c))
    } else {
        !host.contains(['[', ']'])
    };
    host_ok && port.bytes().all(|b| b.is_ascii_digit())
}

/// An RFC 3339 `date-time`: `2024-05-01T12:30:00Z`,
/// `2024-05-01T12:30:00.123+02:00`. The `T` and `Z` may be lower case, and
/// the `T` a space (RFC 3339 allows both).
pub(crate) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
        return false;
    };
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (num(11, 2), num(14, 2), num(17, 2)) else {
        return false;
    };
    if b[13] != b':' || b[16] != b':' {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += 1 + digits;
    }
    match b.get(i..) {
        Some([b'Z' | b'z']) => true,
        Some([b'+' | b'-', ..]) if b.len() == i + 6 => {
            b[i + 3] == b':'
                && num(i + 1, 2).is_some_and(|h| h <= 23)
                && num(i + 4, 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// A semantic version as SemVer 2.0.0 defines it: `1.2.3`,
/// `1.0.0-rc.1+build.5`. No `v` prefix, no leading zeros.
pub(crate) fn is_semver(s: &str) -> bool {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| is_numeric_identifier(p)) {
        return false;
    }
    let identifiers_ok = |list: &str, numeric_rule: bool| {
        list.split('.').all(|id| {
            !id.is_empty()
                && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                && (!numeric_rule
                    || !id.bytes().all(|c| c.is_ascii_digit())
                    || is_numeric_identifier(id))
        })
    };
    pre.is_none_or(|p| identifiers_ok(p, true)) && build.is_none_or(|b| identifiers_ok(b, false))
}

fn is_numeric_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

/// A git commit hash: lower-case hex, abbreviated (7 to 40 digits) or a
/// full SHA-1 (40) or SHA-256 (64) object name.
pub(crate) fn is_git_hash(s: &str) -> bool {
    ((7..=40).contains(&s.len()) || s.len() == 64)
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// An e-mail address as RFC 5322 writes a mailbox: `jane@example.com` or
/// `Jane Doe <jane@example.com>`, several separated by commas.
pub(crate) fn is_email(s: &str) -> bool {
    let mailboxes = split_mailboxes(s);
    !mailboxes.is_empty() && mailboxes.iter().all(|m| is_mailbox(m.trim()))
}

/// Split at commas outside quotes and angle brackets.
fn split_mailboxes(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut angle, mut escaped) = (0, false, false, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn is_mailbox(s: &str) -> bool {
    if let Some(open) = s.rfind('<') {
        let Some(inner) = s[open + 1..].strip_suffix('>') else {
            return false;
        };
        let name = s[..open].trim();
        return is_display_name(name) && is_addr_spec(inner.trim());
    }
    is_addr_spec(s)
}

/// A phrase: words of atoms and quoted strings, or nothing.
fn is_display_name(s: &str) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(q) = rest.strip_prefix('"') {
            let Some(end) = quoted_end(q) else {
                return false;
            };
            rest = &q[end + 1..];
        } else {
            let end = rest.find([' ', '\t', '"']).unwrap_or(rest.len());
            let word = &rest[..end];
            // RFC 5322's obs-phrase allows dots in names (`J. Doe`).
            if !word.chars().all(|c| is_atext(c) || c == '.') {
                return false;
            }
            rest = &rest[end..];
        }
    }
    true
}

/// Index of the closing quote in the text after an opening one.
fn quoted_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return Some(i);
        } else if c == '\r' || c == '\n' {
            return None;
        }
    }
    None
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && !c.is_control())
}

fn is_dot_atom(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|a| !a.is_empty() && a.chars().all(is_atext))
}

fn is_addr_spec(s: &str) -> bool {
    let Some(at) = s.rfind('@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    let local_ok = if let Some(q) = local.strip_prefix('"') {
        quoted_end(q).is_some_and(|end| end + 1 == q.len())
    } else {
        is_dot_atom(local)
    };
    let domain_ok = if let Some(lit) = domain.strip_prefix('[') {
        lit.strip_suffix(']').is_some_and(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_ascii_graphic() && !"[]\\".contains(c))
        })
    } else {
        is_dot_atom(domain)
            && domain.split('.').all(|label| {
                label.chars().all(|c| c.is_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            })
    };
    local.len() <= 64 && local_ok && domain_ok
}

/// An SPDX license expression: license identifiers (`MIT`, `GPL-2.0+`,
/// `LicenseRef-…`), joined with `AND` / `OR`, with `WITH` exceptions and
/// parentheses.
pub(crate) fn is_spdx_expression(s: &str) -> bool {
    let tokens = match spdx_tokens(s) {
        Some(t) if !t.is_empty() => t,
        _ => return false,
    };
    let mut pos = 0;
    parse_or(&tokens, &mut pos) && pos == tokens.len()
}

#[derive(Debug, PartialEq)]
enum Tok<'s> {
    Open,
    Close,
    And,
    Or,
    With,
    Word(&'s str),
}

fn spdx_tokens(s: &str) -> Option<Vec<Tok<'_>>> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return Some(out);
        };
        match c {
            '(' => {
                out.push(Tok::Open);
                rest = &rest[1..];
            }
            ')' => {
                out.push(Tok::Close);
                rest = &rest[1..];
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                out.push(match word {
                    "AND" | "and" => Tok::And,
                    "OR" | "or" => Tok::Or,
                    "WITH" | "with" => Tok::With,
                    _ => Tok::Word(word),
                });
                rest = &rest[end..];
            }
        }
    }
}

fn parse_or(t: &[Tok<'_>], pos: &mut usize) -> bool {
    if !parse_and(t, pos) {
        return false;
    }
    while t.get(*pos) == Some(&Tok::Or) {
        *pos += 1;
        if !parse_and(t, pos) {
            return false;
        }
    }
    true
}

fn parse_and(t: &[Tok<'_>], pos: &mut usize) -> bool {
    if !parse_simple(t, pos) {
        return false;
    }
    while t.get(*pos) == Some(&Tok::And) {
        *pos += 1;
        if !parse_simple(t, pos) {
            return false;
        }
    }
    true
}

fn parse_simple(t: &[Tok<'_>], pos: &mut usize) -> bool {
    match t.get(*pos) {
        Some(Tok::Open) => {
            *pos += 1;
            if !parse_or(t, pos) || t.get(*pos) != Some(&Tok::Close) {
                return false;
            }
            *pos += 1;
            true
        }
        Some(Tok::Word(w)) if is_license_ref(w) => {
            *pos += 1;
            if t.get(*pos) == Some(&Tok::With) {
                *pos += 1;
                let Some(Tok::Word(e)) = t.get(*pos) else {
                    return false;
                };
                if !is_exception_ref(e) {
                    return false;
                }
                *pos += 1;
            }
            true
        }
        _ => false,
    }
}

fn is_idstring(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

fn is_license_ref(w: &str) -> bool {
    if let Some(rest) = w.strip_prefix("DocumentRef-") {
        return rest.split_once(':').is_some_and(|(doc, lic)| {
            is_idstring(doc) && lic.strip_prefix("LicenseRef-").is_some_and(is_idstring)
        });
    }
    if let Some(id) = w.strip_prefix("LicenseRef-") {
        return is_idstring(id);
    }
    let id = w.strip_suffix('+').unwrap_or(w);
    SPDX_LICENSES.iter().any(|l| l.eq_ignore_ascii_case(id))
}

fn is_exception_ref(w: &str) -> bool {
    if let Some(rest) = w.strip_prefix("AdditionRef-") {
        return is_idstring(rest);
    }
    SPDX_EXCEPTIONS.iter().any(|e| e.eq_ignore_ascii_case(w))
}

/// SPDX license identifiers: the ones in common use, OSI- and
/// FSF-approved licenses, Creative Commons, and deprecated ids still found
/// in the wild (`GPL-2.0`, `GPL-2.0+`).
const SPDX_LICENSES: &[&str] = &[
    "0BSD",
    "AAL",
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-1.0",
    "AGPL-1.0-only",
    "AGPL-1.0-or-later",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APL-1.0",
    "APSL-1.0",
    "APSL-1.1",
    "APSL-1.2",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-1.0-cl8",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "Beerware",
    "BitTorrent-1.0",
    "BitTorrent-1.1",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-FreeBSD",
    "BSD-2-Clause-NetBSD",
    "BSD-2-Clause-Patent",
    "BSD-2-Clause-Views",
    "BSD-3-Clause",
    "BSD-3-Clause-Attribution",
    "BSD-3-Clause-Clear",
    "BSD-3-Clause-LBNL",
    "BSD-3-Clause-Modification",
    "BSD-3-Clause-No-Military-License",
    "BSD-3-Clause-No-Nuclear-License",
    "BSD-3-Clause-Open-MPI",
    "BSD-4-Clause",
    "BSD-4-Clause-UC",
    "BSD-Protection",
    "BSD-Source-Code",
    "BSL-1.0",
    "BUSL-1.1",
    "bzip2-1.0.5",
    "bzip2-1.0.6",
    "CAL-1.0",
    "CAL-1.0-Combined-Work-Exception",
    "CATOSL-1.1",
    "CC-BY-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-NC-1.0",
    "CC-BY-NC-2.0",
    "CC-BY-NC-2.5",
    "CC-BY-NC-3.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-ND-1.0",
    "CC-BY-NC-ND-2.0",
    "CC-BY-NC-ND-2.5",
    "CC-BY-NC-ND-3.0",
    "CC-BY-NC-ND-4.0",
    "CC-BY-NC-SA-1.0",
    "CC-BY-NC-SA-2.0",
    "CC-BY-NC-SA-2.5",
    "CC-BY-NC-SA-3.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-1.0",
    "CC-BY-ND-2.0",
    "CC-BY-ND-2.5",
    "CC-BY-ND-3.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-1.0",
    "CC-BY-SA-2.0",
    "CC-BY-SA-2.5",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC-PDDC",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CDLA-Permissive-1.0",
    "CDLA-Permissive-2.0",
    "CDLA-Sharing-1.0",
    "CECILL-1.0",
    "CECILL-1.1",
    "CECILL-2.0",
    "CECILL-2.1",
    "CECILL-B",
    "CECILL-C",
    "CERN-OHL-1.1",
    "CERN-OHL-1.2",
    "CERN-OHL-P-2.0",
    "CERN-OHL-S-2.0",
    "CERN-OHL-W-2.0",
    "ClArtistic",
    "CNRI-Jython",
    "CNRI-Python",
    "CNRI-Python-GPL-Compatible",
    "Condor-1.1",
    "CPAL-1.0",
    "CPL-1.0",
    "CUA-OPL-1.0",
    "curl",
    "ECL-1.0",
    "ECL-2.0",
    "eCos-2.0",
    "EFL-1.0",
    "EFL-2.0",
    "Elastic-2.0",
    "Entessa",
    "EPL-1.0",
    "EPL-2.0",
    "ErlPL-1.1",
    "EUDatagrid",
    "EUPL-1.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "Fair",
    "Frameworx-1.0",
    "FreeBSD-DOC",
    "FSFAP",
    "FSFUL",
    "FSFULLR",
    "FTL",
    "GFDL-1.1",
    "GFDL-1.1-only",
    "GFDL-1.1-or-later",
    "GFDL-1.2",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GL2PS",
    "Glide",
    "GPL-1.0",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-2.0-with-autoconf-exception",
    "GPL-2.0-with-bison-exception",
    "GPL-2.0-with-classpath-exception",
    "GPL-2.0-with-font-exception",
    "GPL-2.0-with-GCC-exception",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "GPL-3.0-with-autoconf-exception",
    "GPL-3.0-with-GCC-exception",
    "HPND",
    "HPND-sell-variant",
    "ICU",
    "IJG",
    "ImageMagick",
    "Imlib2",
    "Info-ZIP",
    "Intel",
    "Intel-ACPI",
    "IPA",
    "IPL-1.0",
    "ISC",
    "JasPer-2.0",
    "JSON",
    "LAL-1.2",
    "LAL-1.3",
    "Latex2e",
    "LGPL-2.0",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LGPLLR",
    "Libpng",
    "libpng-2.0",
    "libtiff",
    "LiLiQ-P-1.1",
    "LiLiQ-R-1.1",
    "LiLiQ-Rplus-1.1",
    "Linux-OpenIB",
    "LPL-1.0",
    "LPL-1.02",
    "LPPL-1.0",
    "LPPL-1.1",
    "LPPL-1.2",
    "LPPL-1.3a",
    "LPPL-1.3c",
    "MirOS",
    "MIT",
    "MIT-0",
    "MIT-advertising",
    "MIT-CMU",
    "MIT-enna",
    "MIT-feh",
    "MIT-Modern-Variant",
    "MIT-open-group",
    "MITNFA",
    "Motosoto",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MulanPSL-1.0",
    "MulanPSL-2.0",
    "Multics",
    "NASA-1.3",
    "Naumen",
    "NCSA",
    "Net-SNMP",
    "NGPL",
    "NLOD-1.0",
    "NLOD-2.0",
    "NLPL",
    "Nokia",
    "NPL-1.0",
    "NPL-1.1",
    "NPOSL-3.0",
    "NTP",
    "NTP-0",
    "Nunit",
    "O-UDA-1.0",
    "OCLC-2.0",
    "ODbL-1.0",
    "ODC-By-1.0",
    "OFL-1.0",
    "OFL-1.0-no-RFN",
    "OFL-1.0-RFN",
    "OFL-1.1",
    "OFL-1.1-no-RFN",
    "OFL-1.1-RFN",
    "OGC-1.0",
    "OGL-UK-1.0",
    "OGL-UK-2.0",
    "OGL-UK-3.0",
    "OGTSL",
    "OLDAP-2.8",
    "OpenSSL",
    "OPL-1.0",
    "OSET-PL-2.1",
    "OSL-1.0",
    "OSL-1.1",
    "OSL-2.0",
    "OSL-2.1",
    "OSL-3.0",
    "PDDL-1.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Python-2.0.1",
    "QPL-1.0",
    "RPL-1.1",
    "RPL-1.5",
    "RPSL-1.0",
    "RSCPL",
    "Ruby",
    "SGI-B-2.0",
    "SimPL-2.0",
    "SISSL",
    "SISSL-1.2",
    "Sleepycat",
    "SMLNJ",
    "SPL-1.0",
    "SSPL-1.0",
    "StandardML-NJ",
    "TCL",
    "TCP-wrappers",
    "TMate",
    "TOSL",
    "TU-Berlin-1.0",
    "TU-Berlin-2.0",
    "UCL-1.0",
    "Unicode-3.0",
    "Unicode-DFS-2015",
    "Unicode-DFS-2016",
    "Unicode-TOU",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "VSL-1.0",
    "W3C",
    "W3C-19980720",
    "W3C-20150513",
    "Watcom-1.0",
    "WTFPL",
    "wxWindows",
    "X11",
    "XFree86-1.1",
    "Xnet",
    "xpp",
    "YPL-1.0",
    "YPL-1.1",
    "Zend-2.0",
    "Zimbra-1.3",
    "Zimbra-1.4",
    "Zlib",
    "zlib-acknowledgement",
    "ZPL-1.1",
    "ZPL-2.0",
    "ZPL-2.1",
];

/// SPDX license exception identifiers (after `WITH`).
const SPDX_EXCEPTIONS: &[&str] = &[
    "389-exception",
    "Autoconf-exception-2.0",
    "Autoconf-exception-3.0",
    "Autoconf-exception-generic",
    "Bison-exception-1.24",
    "Bison-exception-2.2",
    "Bootloader-exception",
    "Classpath-exception-2.0",
    "CLISP-exception-2.0",
    "DigiRule-FOSS-exception",
    "eCos-exception-2.0",
    "Fawkes-Runtime-exception",
    "FLTK-exception",
    "Font-exception-2.0",
    "freertos-exception-2.0",
    "GCC-exception-2.0",
    "GCC-exception-2.0-note",
    "GCC-exception-3.1",
    "gnu-javamail-exception",
    "GPL-3.0-interface-exception",
    "GPL-3.0-linking-exception",
    "GPL-3.0-linking-source-exception",
    "GPL-CC-1.0",
    "GStreamer-exception-2005",
    "GStreamer-exception-2008",
    "i2p-gpl-java-exception",
    "KiCad-libraries-exception",
    "LGPL-3.0-linking-exception",
    "libpri-OpenH323-exception",
    "Libtool-exception",
    "Linux-syscall-note",
    "LLGPL",
    "LLVM-exception",
    "LZMA-exception",
    "mif-exception",
    "Nokia-Qt-exception-1.1",
    "OCaml-LGPL-linking-exception",
    "OCCT-exception-1.0",
    "OpenJDK-assembly-exception-1.0",
    "openvpn-openssl-exception",
    "PS-or-PDF-font-exception-20170817",
    "QPL-1.0-INRIA-2004-exception",
    "Qt-GPL-exception-1.0",
    "Qt-LGPL-exception-1.1",
    "Qwt-exception-1.0",
    "SANE-exception",
    "SHL-2.0",
    "SHL-2.1",
    "Swift-exception",
    "u-boot-exception-2.0",
    "Universal-FOSS-exception-1.0",
    "vsftpd-openssl-exception",
    "WxWindows-exception-3.1",
    "x11vnc-openssl-exception",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in [
            "https://github.com/acme/app",
            "https://example.com:8443/a/b?x=1&y=%20#top",
            "http://[::1]:8080/",
            "git://github.com/acme/app.git",
            "ssh://git@github.com/acme/app.git",
            "file:///srv/app",
            "urn:isbn:0451450523",
            "mailto:jane@example.com",
        ] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in [
            "",
            "github.com/acme/app",
            "git@github.com:acme/app.git",
            "https://",
            "https:/example.com",
            "https://exa mple.com",
            "https://example.com/%zz",
            "1http://example.com",
            "https://example.com:80a/",
            "https://example.com/#a#b",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn rfc3339() {
        for ok in [
            "2024-05-01T12:30:00Z",
            "2024-05-01t12:30:00z",
            "2024-05-01 12:30:00+02:00",
            "2024-02-29T23:59:60.123456-07:30",
            "2000-02-29T00:00:00Z",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2024-05-01",
            "2024-05-01T12:30Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:30:00",
            "2024-05-01T12:30:00.Z",
            "2024-05-01T12:30:00+0200",
            "2024-05-01T12:30:00+24:00",
            "yesterday",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn semver() {
        for ok in [
            "0.0.0",
            "1.2.3",
            "10.20.30",
            "1.0.0-rc.1",
            "1.0.0-0.3.7",
            "1.0.0-x-y.1+build.01",
            "1.0.0+20240501",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "v1.2.3",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3+",
            "1.2.3-a..b",
            "latest",
            "1.2.3-ä",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn git_hashes() {
        assert!(is_git_hash("1a2b3c4"));
        assert!(is_git_hash("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assert!(is_git_hash(&"a".repeat(64)));
        assert!(!is_git_hash("1a2b3c"));
        assert!(!is_git_hash("DA39A3E"));
        assert!(!is_git_hash("main"));
        assert!(!is_git_hash(&"a".repeat(41)));
    }

    #[test]
    fn emails() {
        for ok in [
            "jane@example.com",
            "jane.doe+docker@sub.example.co.uk",
            "\"jane doe\"@example.com",
            "Jane Doe <jane@example.com>",
            "\"Doe, Jane\" <jane@example.com>",
            "J. Doe <jane@example.com>, ops@example.com",
            "root@localhost",
            "jane@[192.0.2.1]",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane..doe@example.com",
            "jane@example..com",
            "jane@-example.com",
            "Jane Doe jane@example.com",
            "Jane <jane@example.com",
            "jane@example.com,",
            "jane doe@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn spdx() {
        for ok in [
            "MIT",
            "mit",
            "Apache-2.0",
            "GPL-2.0+",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
            "((MIT))",
        ] {
            assert!(is_spdx_expression(ok), "{ok}");
        }
        for bad in [
            "",
            "MIT License",
            "Apache 2.0",
            "GPLv2",
            "MIT OR",
            "(MIT",
            "MIT)",
            "MIT AND OR Apache-2.0",
            "MIT WITH",
            "MIT WITH Apache-2.0",
            "LicenseRef-",
            "proprietary",
        ] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
    }
}
