#!/usr/bin/env python3
"""References a reader of the repository cannot follow (`make lint-refs`).

Reads every tracked source, build, script and documentation file (Rust, C,
C++, headers, make files, shell, Python, Markdown, awk, TOML, Go, Zig, Ruby,
CMake, templates) and reports:

  path     a repository path that names no tracked file or directory (a
           make fragment or script under an old name, say). A path counts
           as one when its first part is a top-level directory of the
           repository (or one that used to be: c-tests, stress, fuzz,
           tools); it may be relative to the root or to the directory of
           the file naming it or any directory above that; `*` and `?`
           match as in the shell; a path git ignores (a build output such
           as tests/abi/target) is fine.
  tracker  a tracker issue or pull request of ours by number (the word
           issue, bug, ticket or PR followed by a number, with or without
           "#"): the fact belongs in the text itself. An issue of another
           project, named as such ("CPython issue #10311", "bpo-12392"),
           is fine: a reader can look it up.
  outside  a file outside the repository: the C API contract, the
           packaging notes and the CPython reference the project was
           written from (by their file names, or "reference" and a section
           sign), absolute paths into the machine it was written on, or a
           section sign and a number pointing into such a document.

This file itself is not read (it spells the patterns out).
Prints one line per finding, "file:line: kind: text", then
"lint-refs: N passed, N failed, 0 skipped" (1 passed when there is nothing
to report; otherwise one failure per finding). Exit status 1 on a finding.
Usage: lint-refs.py [REPO_DIR]
"""

import fnmatch
import os
import re
import subprocess
import sys

TEXT_FILE = re.compile(
    r"(^|/)(Makefile|CMakeLists\.txt|run)$|"
    r"\.(rs|c|h|cpp|mk|sh|py|md|awk|toml|go|zig|zon|rb|gemspec|cmake|in|txt)$"
)
SKIP_FILES = {"Cargo.lock", "tests/tools/lint-refs.py"}
# Top-level directories that were moved into tests/: a path into them is stale.
FORMER_DIRS = {"c-tests", "stress", "fuzz", "tools"}

PATH_TOKEN = re.compile(r"(?<![\w./$@%~-])([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.*?+-]+)+/?)")
TRACKER = re.compile(r"(?<!CPython )(?<!Rust )\b(?:issues?|bugs?|tickets?|PRs?|pull requests?)\s*#?\d+\b", re.IGNORECASE)
HASH_NUMBER = re.compile(r"(?<![\w&#$\[{])#\d{1,5}\b")
OUTSIDE = re.compile(
    r"\bAPI\.md\b|\bPACKAGING-NOTES(?:\.md)?\b|\bcpython-signal-reference(?:\.md)?\b|"
    r"\btools-env\.sh\b|\breference\s*§|§\s*\d|(?<![\w.])/work/"
)


def git(root, *args):
    return subprocess.run(["git", "-C", root, *args], check=True, capture_output=True,
                          text=True).stdout


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    files = [f for f in git(root, "ls-files", "-z").split("\0") if f]
    tracked = set(files)
    dirs = set()
    for f in files:
        parts = f.split("/")
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
    top = {d for d in dirs if "/" not in d} | FORMER_DIRS
    known = tracked | dirs
    ignored_cache = {}

    def ignored(path):
        if path not in ignored_cache:
            r = subprocess.run(["git", "-C", root, "check-ignore", "-q", "--no-index", path],
                               capture_output=True)
            ignored_cache[path] = r.returncode == 0
        return ignored_cache[path]

    def exists(path, base):
        path = path.rstrip("/")
        bases = [base]
        while base:
            base = os.path.dirname(base)
            bases.append(base)
        for b in bases:
            cand = os.path.normpath(os.path.join(b, path)) if b else os.path.normpath(path)
            if any(c in cand for c in "*?"):
                if any(fnmatch.fnmatchcase(k, cand) for k in known):
                    return True
            elif cand in known:
                return True
        plain = path.split("*")[0].split("?")[0].rstrip("/") or path
        return ignored(plain) or ignored(plain + "/x")

    findings = []
    checked = 0
    for f in files:
        if f in SKIP_FILES or not TEXT_FILE.search(f) or f.startswith("tests/fuzz/corpus/"):
            continue
        try:
            text = open(os.path.join(root, f), encoding="utf-8").read()
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        checked += 1
        base = os.path.dirname(f)
        for n, line in enumerate(text.splitlines(), 1):
            for m in PATH_TOKEN.finditer(line):
                tok = m.group(1).rstrip(".,:;")
                first = tok.split("/", 1)[0]
                if first not in top or "://" in line[max(0, m.start() - 3):m.start() + 3]:
                    continue
                if not exists(tok, base):
                    findings.append((f, n, "path", f"{tok} does not exist"))
            for rx, kind in ((TRACKER, "tracker"), (OUTSIDE, "outside")):
                for m in rx.finditer(line):
                    findings.append((f, n, kind, m.group(0)))
            if f.endswith(".md"):
                for m in HASH_NUMBER.finditer(line):
                    findings.append((f, n, "tracker", m.group(0)))
    for f, n, kind, what in findings:
        print(f"{f}:{n}: {kind}: {what}")
    passed, failed = (0, len(findings)) if findings else (1, 0)
    print(f"lint-refs: {checked} files read, {len(findings)} references a reader cannot follow")
    print(f"lint-refs: {passed} passed, {failed} failed, 0 skipped")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
