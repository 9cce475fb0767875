use super::common::{
    APK_VALUE_FLAGS, APT_VALUE_FLAGS, RPM_VALUE_FLAGS, ZYPPER_VALUE_FLAGS, subcommand_in,
};
use crate::rules::edit::checked_script_edit;
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Word};
use std::cmp::Ordering;

declare_rule! {
    /// ## What it does
    /// Flags the package list of an install command (`apt-get`/`apt
    /// install`, `apk add`, `yum`/`dnf`/`microdnf install`, `zypper
    /// install`) that is written over several lines and is not sorted
    /// alphanumerically.
    ///
    /// A list counts as sorted in any usual order: byte order (`sort` with
    /// `LC_ALL=C`), ignoring case, with numbers compared by value
    /// (`lib2` before `lib10`), or ignoring punctuation as `sort` does in
    /// most locales. Comment lines inside the list split it into groups
    /// that are each checked on their own (grouping is a deliberate
    /// layout), and only groups written over several lines are checked.
    /// Lists with a variable or a quoted word split over lines are not
    /// checked, and neither are lists on one line.
    ///
    /// ## Why is this bad?
    /// Docker's best practices recommend sorting multi-line arguments: a
    /// sorted list shows at a glance whether a package is there, avoids
    /// installing one twice, and makes diffs that add or remove a package
    /// one line long. No hadolint rule checks it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends \
    ///       git=1:2.39.5-0 \
    ///       curl=8.5.0-2 \
    ///       ca-certificates=20230311 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends \
    ///       ca-certificates=20230311 \
    ///       curl=8.5.0-2 \
    ///       git=1:2.39.5-0 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the packages are sorted in byte order, each group on its own,
    /// keeping the layout (each place in the list keeps its line and
    /// indentation, only the package names move). Package managers resolve
    /// all packages of one command together, so their order does not change
    /// what is installed.
    pub struct UnsortedPackageList {
        code: "PL1090",
        name: "unsorted_package_list",
        aliases: [],
        severity: Style,
        summary: "Sort the packages of a multi-line install alphanumerically",
        url: None,
        fixable: true,
        default_enabled: true,
    }
}

/// The package operands of an install command.
fn packages(cmd: &Command) -> Option<Vec<&Word>> {
    let found = subcommand_in(cmd, &["apt-get", "apt"], &["install"], APT_VALUE_FLAGS)
        .or_else(|| subcommand_in(cmd, &["apk"], &["add"], APK_VALUE_FLAGS))
        .or_else(|| {
            subcommand_in(
                cmd,
                &["yum", "dnf", "microdnf"],
                &["install"],
                RPM_VALUE_FLAGS,
            )
        })
        .or_else(|| subcommand_in(cmd, &["zypper"], &["install", "in"], ZYPPER_VALUE_FLAGS))?;
    Some(found.2)
}

type Compare = fn(&str, &str) -> Ordering;

fn bytes(a: &str, b: &str) -> Ordering {
    a.cmp(b)
}

fn ignoring_case(a: &str, b: &str) -> Ordering {
    a.to_lowercase().cmp(&b.to_lowercase())
}

/// Digit runs compared by value: `lib2` < `lib10`.
fn natural(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for ((da, x), (db, y)) in pa.iter().zip(&pb) {
        let o = if *da && *db {
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        } else {
            x.cmp(y)
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// Letters and digits only, case ignored, as locale-aware `sort` does first.
fn alphanumeric(a: &str, b: &str) -> Ordering {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    key(a).cmp(&key(b))
}

const ORDERS: [Compare; 4] = [bytes, ignoring_case, natural, alphanumeric];

fn sorted_by(values: &[&str], cmp: Compare) -> bool {
    values
        .windows(2)
        .all(|w| cmp(w[0], w[1]) != Ordering::Greater)
}

/// One list to check: its words split into groups at comment lines.
struct List<'w> {
    index: usize,
    script: usize,
    groups: Vec<Vec<&'w Word>>,
}

impl Rule for UnsortedPackageList {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for index in 0..cx.dockerfile.instructions.len() {
            for (script, s) in cx.scripts(index).iter().enumerate() {
                for cmd in &s.commands {
                    if let Some(list) = list(cx, index, script, cmd) {
                        found.push(list);
                    }
                }
            }
        }
        let reports: Vec<(Span, String, Option<Fix>)> = found
            .iter()
            .filter_map(|list| {
                let (first, before) = list
                    .groups
                    .iter()
                    .filter(|g| multi_line(cx, g))
                    .find_map(|g| out_of_order(g))?;
                let message = format!(
                    "Sort the packages of this multi-line list: `{}` comes before `{}`",
                    value(first),
                    value(before)
                );
                Some((first.span, message, fix(cx, list)))
            })
            .collect();
        for (span, message, fix) in reports {
            cx.report(span, message).fix = fix;
        }
    }
}

fn value(w: &Word) -> &str {
    w.value.as_deref().unwrap_or(&w.text)
}

/// The package list of `cmd` when it is multi-line and every package is a
/// plain word on one line.
fn list<'w>(cx: &Checker<'_>, index: usize, script: usize, cmd: &'w Command) -> Option<List<'w>> {
    let words = packages(cmd)?;
    let (first, last) = (words.first()?, words.last()?);
    let plain = words
        .iter()
        .all(|w| w.value.is_some() && !cx.slice(w.span).contains('\n'));
    let text = cx.dockerfile.text.get(first.span.start..last.span.end)?;
    if words.len() < 2 || !plain || !text.contains('\n') {
        return None;
    }
    let mut groups: Vec<Vec<&Word>> = vec![Vec::new()];
    for (k, w) in words.iter().enumerate() {
        let comment_before = k > 0
            && cx
                .dockerfile
                .comments
                .iter()
                .any(|c| c.span.start >= words[k - 1].span.end && c.span.end <= w.span.start);
        if comment_before {
            groups.push(Vec::new());
        }
        groups.last_mut()?.push(w);
    }
    Some(List {
        index,
        script,
        groups,
    })
}

/// True when the words of a group are on more than one line.
fn multi_line(cx: &Checker<'_>, group: &[&Word]) -> bool {
    match (group.first(), group.last()) {
        (Some(a), Some(b)) => cx
            .dockerfile
            .text
            .get(a.span.start..b.span.end)
            .is_some_and(|t| t.contains('\n')),
        _ => false,
    }
}

/// In a group sorted in none of the usual orders, the first word that
/// comes before its predecessor in byte order, and that predecessor.
fn out_of_order<'w>(group: &[&'w Word]) -> Option<(&'w Word, &'w Word)> {
    let values: Vec<&str> = group.iter().map(|w| value(w)).collect();
    if ORDERS.iter().any(|&cmp| sorted_by(&values, cmp)) {
        return None;
    }
    group
        .windows(2)
        .find(|w| value(w[1]) < value(w[0]))
        .map(|w| (w[1], w[0]))
}

/// Every group sorted in byte order, each word moved to the place of
/// another.
fn fix(cx: &Checker<'_>, list: &List<'_>) -> Option<Fix> {
    let mut edits = Vec::new();
    for group in list.groups.iter().filter(|g| multi_line(cx, g)) {
        let mut sorted: Vec<&Word> = group.clone();
        sorted.sort_by(|a, b| value(a).cmp(value(b)));
        for (slot, word) in group.iter().zip(&sorted) {
            if slot.span != word.span {
                edits.push(Edit::replace(slot.span, cx.slice(word.span)));
            }
        }
    }
    let edits = checked_script_edit(cx, list.index, list.script, edits, 0)?;
    Some(Fix::safe("Sort the packages", edits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders() {
        assert!(sorted_by(&["lib2", "lib10"], natural));
        assert!(!sorted_by(&["lib2", "lib10"], bytes));
        assert!(sorted_by(&["Curl", "git"], bytes));
        assert!(sorted_by(&["curl", "Git"], ignoring_case));
        assert!(sorted_by(&["libfoo-dev", "libfoo1"], bytes));
        assert!(sorted_by(&["python3-dev", "python3.11-venv"], bytes));
        assert!(sorted_by(&["python3.11-venv", "python3-dev"], alphanumeric));
        assert!(!ORDERS.iter().any(|&c| sorted_by(&["wget", "curl"], c)));
    }
}
