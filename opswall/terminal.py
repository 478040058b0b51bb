"""Text from the record on a terminal: stored text (report reasons, labels, names, CSV cells)
was written by someone else, and an escape sequence in it would move the cursor, rewrite the
screen or set the window title of whoever reads it. Every CLI line with stored text goes
through `printable`."""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC ... up to BEL or ST, and two-byte ones), the 8-bit CSI and
# OSC, then any other C0/C1 control character.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """`text` as a string with terminal escape sequences removed and other control characters
    (tabs and newlines included: one record, one line) shown as a space."""
    return _CONTROL.sub(" ", _ESCAPES.sub("", str(text)))
