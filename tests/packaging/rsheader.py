"""Reads include/rssignal.h the way a C programmer reads it: doc comments
(`/** ... */`) and the declaration that follows each one.

Used by the man-page generator (tests/packaging/man/genman.py) and by the ABI
probe generator (tests/packaging/abi/probe.py). Knows nothing about rssignal's
particular functions: it finds every function, inline function, variable,
object-like macro, struct, enum constant and typedef the header declares,
with the preprocessor conditions around it, so a new function in the header
is found without a change here.

    items = parse(open("include/rssignal.h").read())
    for it in items: it.kind, it.name, it.doc, it.text, it.conds

kind is one of: "function", "inline", "variable", "macro", "struct",
"typedef", "enumerator". conds is a list of C preprocessor expressions, all
of which hold where the item is declared (the include guard and
`__cplusplus`-only blocks are left out: their contents are not items).
"""

import re

__all__ = ["Item", "parse", "parse_file", "is_debug_only", "public_functions"]


class Item:
    def __init__(self, kind, name, doc, text, conds, fields=None):
        self.kind = kind
        self.name = name
        self.doc = doc          # the doc comment's text, "" when none
        self.text = text        # the declaration, whitespace normalised
        self.conds = list(conds)
        self.fields = fields or []  # structs: [(decl text, field name, doc)]

    def __repr__(self):
        return "Item(%s %s)" % (self.kind, self.name)


def _doc_text(comment):
    """The text of a /** ... */ comment: leading ' * ' removed, lines kept."""
    body = comment[3:-2]
    lines = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("*"):
            line = line[1:]
            if line.startswith(" "):
                line = line[1:]
        lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


_TOKEN = re.compile(r"/\*\*.*?\*/|/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\n|[^/\"'\n]+|/",
                    re.S)


def _strip_comments(s):
    out = []
    for t in _TOKEN.findall(s):
        if t.startswith("/*") or t.startswith("//"):
            out.append(" ")
        else:
            out.append(t)
    return "".join(out)


def _norm(s):
    return re.sub(r"\s+", " ", _strip_comments(s)).strip()


def _struct_fields(body):
    """[(declaration, name, doc)] of a struct body's fields."""
    fields = []
    doc = ""
    pos = 0
    for m in re.finditer(r"/\*\*.*?\*/|[^;/]+;|/\*.*?\*/|//[^\n]*", body, re.S):
        t = m.group(0)
        if t.startswith("/**"):
            doc = _doc_text(t)
        elif t.startswith("/*") or t.startswith("//"):
            continue
        else:
            decl = _norm(t[:-1])
            nm = re.search(r"(\w+)\s*(\[[^\]]*\])*\s*$", decl)
            fields.append((decl, nm.group(1) if nm else decl, doc))
            doc = ""
        pos = m.end()
    return fields


class _Cond:
    """One #if/#ifdef/#ifndef chain: its branches' expressions so far."""

    def __init__(self, expr, skip):
        self.prev = []          # expressions of earlier branches
        self.expr = expr        # this branch's own expression
        self.skip = skip        # contents are not items (guard, C++ only)
        self.is_guard = False
        self.doc = ""

    def current(self):
        parts = ["!(%s)" % p for p in self.prev]
        if self.expr is not None:
            parts.append("(%s)" % self.expr)
        return " && ".join(parts) if parts else "1"


def parse(text):
    items = []
    conds = []
    doc = ""
    stmt = []          # lines of the statement being read
    depth = 0          # brace depth inside stmt
    lines = text.split("\n")
    i = 0
    first_ifndef = True

    def active_conds():
        return [c.current() for c in conds if not c.is_guard]

    def skipping():
        return any(c.skip for c in conds)

    def finish(stmt_text, doc):
        s = stmt_text.strip()
        if not s:
            return
        flat = _norm(s)
        conds_now = active_conds()
        if flat.startswith("typedef struct") or flat.startswith("struct "):
            m = re.match(r"(?:typedef\s+)?struct\s+(\w+)?\s*\{(.*)\}\s*(\w+)?\s*;$", s, re.S)
            if m:
                name = m.group(3) or m.group(1)
                items.append(Item("struct", name, doc, flat, conds_now, _struct_fields(m.group(2))))
                return
            m = re.match(r"typedef\s+struct\s+(\w+)\s+(\w+)\s*;$", flat)
            if m:  # opaque type
                items.append(Item("struct", m.group(2), doc, flat, conds_now))
                return
        if flat.startswith("typedef enum") or flat.startswith("enum"):
            m = re.search(r"\{(.*)\}", s, re.S)
            if m:
                for e in re.finditer(r"(?:(/\*\*.*?\*/)\s*)?(\w+)\s*(?:=\s*([^,}]+))?", m.group(1), re.S):
                    if e.group(2):
                        items.append(Item("enumerator", e.group(2),
                                          _doc_text(e.group(1)) if e.group(1) else doc,
                                          "%s = %s" % (e.group(2), _norm(e.group(3) or "")), conds_now))
                tm = re.search(r"\}\s*(\w+)\s*;$", flat)
                if tm:
                    items.append(Item("typedef", tm.group(1), doc, flat, conds_now))
                return
        if flat.startswith("typedef"):
            m = re.search(r"\(\s*\*\s*(\w+)\s*\)", flat) or re.search(r"(\w+)\s*;$", flat)
            items.append(Item("typedef", m.group(1), doc, flat, conds_now))
            return
        if "{" in flat and re.search(r"\)\s*\{", flat):
            m = re.match(r"(.*?)\b(\w+)\s*\(([^)]*)\)\s*\{", flat)
            if m:
                items.append(Item("inline", m.group(2), doc, m.group(1).strip() + " " + m.group(2) +
                                  "(" + m.group(3).strip() + ");", conds_now))
            return
        m = re.match(r"(?:extern\s+)?(.*?)\b(\w+)\s*\((.*)\)\s*;$", flat)
        if m and "(" not in m.group(1):
            items.append(Item("function", m.group(2), doc, flat, conds_now))
            return
        m = re.match(r"extern\s+(.*?)\b(\w+)\s*(\[[^\]]*\])?\s*;$", flat)
        if m:
            items.append(Item("variable", m.group(2), doc, flat, conds_now))
            return

    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        if depth == 0 and not stmt and stripped.startswith("#"):
            # A directive, with its continuation lines.
            while line.endswith("\\") and i < len(lines):
                line = line[:-1] + " " + lines[i]
                i += 1
            d = _norm(line)[1:].strip()
            m = re.match(r"(\w+)\s*(.*)", d)
            if not m:
                continue
            word, rest = m.group(1), m.group(2).strip()
            if word in ("if", "ifdef", "ifndef"):
                expr = {"if": rest, "ifdef": "defined(%s)" % rest, "ifndef": "!defined(%s)" % rest}[word]
                c = _Cond(expr, "__cplusplus" in rest and word != "ifndef")
                # A doc comment just before an #if documents what the block defines.
                c.doc = doc
                if word == "ifndef" and first_ifndef and not conds:
                    c.is_guard = True
                first_ifndef = False
                conds.append(c)
            elif word in ("elif", "else") and conds:
                c = conds[-1]
                c.prev.append(c.expr)
                c.expr = rest if word == "elif" else None
                c.skip = False if word == "else" and "__cplusplus" in c.prev[-1] else ("__cplusplus" in (rest or ""))
            elif word == "endif" and conds:
                conds.pop()
            elif word == "define" and not skipping():
                m = re.match(r"(\w+)(\([^)]*\))?\s*(.*)", rest)
                if m and not (conds and conds[-1].is_guard and m.group(1) == "RSSIGNAL_H" and
                              m.group(3) == ""):
                    if m.group(2) is None:
                        d = doc or next((c.doc for c in reversed(conds) if getattr(c, "doc", "")), "")
                        items.append(Item("macro", m.group(1), d, m.group(3).strip(), active_conds()))
                doc = ""
            elif word not in ("if", "ifdef", "ifndef", "elif", "else", "endif"):
                doc = ""
            if word in ("if", "ifdef", "ifndef"):
                doc = ""
            continue
        if skipping() and depth == 0 and not stmt:
            continue
        if depth == 0 and not stmt:
            # Doc comments and ordinary comments between declarations.
            if stripped.startswith("/**"):
                block = [line]
                while "*/" not in block[-1] and i < len(lines):
                    block.append(lines[i])
                    i += 1
                doc = _doc_text("\n".join(block).strip())
                continue
            if stripped.startswith("/*"):
                while "*/" not in line and i < len(lines):
                    line = lines[i]
                    i += 1
                continue
            if stripped.startswith("//") or not stripped:
                continue
        stmt.append(line)
        code = _strip_comments(line)
        opened = code.count("{")
        closed = code.count("}")
        depth += opened - closed
        joined = _strip_comments("\n".join(stmt)).rstrip()
        if depth == 0 and (joined.endswith(";") or (closed and joined.endswith("}") and
                                                      re.search(r"\)\s*\{", _norm(joined)))):
            finish("\n".join(stmt), doc)
            stmt = []
            doc = ""
    return items


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read())


def is_debug_only(item):
    """Declared only for test builds (e.g. RSSIGNAL_DEBUG_PANIC)."""
    return any("DEBUG" in c for c in item.conds)


def public_functions(items):
    """Functions, inline functions and variables a user of a release sees."""
    return [it for it in items if it.kind in ("function", "inline", "variable") and not is_debug_only(it)]


if __name__ == "__main__":
    import sys
    for it in parse_file(sys.argv[1] if len(sys.argv) > 1 else "include/rssignal.h"):
        print("%-10s %-36s %s" % (it.kind, it.name, " && ".join(it.conds)))
