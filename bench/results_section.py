"""Regenerated sections of bench/RESULTS.md: each benchmark owns the text between its own
BEGIN and END markers and leaves the rest of the file (hand-written readings included) as
it is."""

import os


def write_section(path, begin, end, section):
    """Replace the text from `begin` to `end` (and the newline after it) with `section`, or
    append `section` when the file has no such markers yet (after whatever results.sh wrote,
    so that its regeneration keeps the section)."""
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as out:
        out.write(text)
