# check_snippets.awk — every ```c block of the README must be real code: its
# lines (leading and trailing blanks ignored) must appear, in order and
# contiguous, in one of the example sources that `make demo` compiles and
# runs. A line that is exactly `/* ... */` in a snippet stands for lines left
# out: the pieces around it must appear in that order in the same file.
# Other fences (```sh, ```text, ```go …) are not checked.
# Usage: awk -f check_snippets.awk ../README.md *.c *.h

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }

# 1 if the pieces of snippet b appear in order in text t.
function matches(t, b,    i, pos, at) {
    pos = 1
    for (i = 1; i <= npieces[b]; i++) {
        at = index(substr(t, pos), piece[b, i])
        if (at == 0) return 0
        pos += at + length(piece[b, i]) - 2  # keep the piece's final newline
    }
    return 1
}

FNR == 1 { file++; name[file] = FILENAME }

file == 1 {
    if (!inblock && $0 ~ /^```c[ \t]*$/) {
        inblock = 1; nblocks++; start[nblocks] = FNR; npieces[nblocks] = 1; piece[nblocks, 1] = "\n"; next
    }
    if (inblock && $0 ~ /^```/) { inblock = 0; next }
    if (inblock) {
        line = trim($0)
        if (line == "/* ... */") { npieces[nblocks]++; piece[nblocks, npieces[nblocks]] = "\n"; next }
        piece[nblocks, npieces[nblocks]] = piece[nblocks, npieces[nblocks]] line "\n"
    }
    next
}

{ text[file] = (FNR == 1 ? "\n" : text[file]) trim($0) "\n" }

END {
    bad = 0
    for (b = 1; b <= nblocks; b++) {
        found = ""
        for (f = 2; f <= file; f++) if (matches(text[f], b)) { found = name[f]; break }
        if (found == "") {
            printf "%s:%d: this C snippet is not an excerpt of examples/*.c\n", name[1], start[b]
            bad++
        } else if (verbose) {
            printf "    %s:%d: snippet found in %s\n", name[1], start[b], found
        }
    }
    if (nblocks == 0) { printf "%s: no C snippet found\n", name[1]; exit 1 }
    if (bad) exit 1
    printf "README.md: all %d C snippets are excerpts of the examples built below\n", nblocks
}
