"""Text that reaches a list or a heading must look like what it is.

Invisible formatting characters in a name let one record pass for another: a right-to-left
override (U+202E) shows "Jamie" typed backwards, a zero-width space (U+200B) makes two names
that look the same differ for search and for the duplicate warning. Single-line answers
(names, references, short answers) lose them, in the form base and again in the services, so
writes that do not come through a form are safe too.
"""

from __future__ import annotations

import unicodedata

# Named for the reader; every one of them is also in Unicode's "format" category (Cf) except
# U+2065, which is not assigned yet.
INVISIBLE_CHARACTERS = frozenset(
    [
        *map(chr, range(0x200B, 0x2010)),  # zero-width space, non-joiner, joiner; LRM, RLM
        *map(chr, range(0x202A, 0x202F)),  # bidi embeddings and overrides
        *map(chr, range(0x2060, 0x206A)),  # word joiner, invisible operators, bidi isolates
        "\ufeff",  # zero-width no-break space (byte-order mark)
        "\u061c",  # Arabic letter mark
        "\u00ad",  # soft hyphen
        "\u034f",  # combining grapheme joiner
        "\u115f",  # Hangul fillers: render as nothing
        "\u1160",
        "\u3164",
        "\uffa0",
    ]
)
# Line and paragraph separators break a single line as a newline would.
_SEPARATOR_CATEGORIES = frozenset({"Zl", "Zp"})


def _invisible(character: str) -> bool:
    return character in INVISIBLE_CHARACTERS or unicodedata.category(character) in {
        "Cf",
        *_SEPARATOR_CATEGORIES,
    }


def strip_invisible(text: str) -> str:
    """`text` without invisible formatting characters."""
    if text.isascii():
        return text
    return "".join(c for c in text if not _invisible(c))


def has_invisible(text: str) -> bool:
    return not text.isascii() and any(_invisible(c) for c in text)
