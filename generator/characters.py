"""Which characters editor text may carry, and how to name one in a message.

Three classes, each with its own rule (SECURITY.md, "What editors' text may
contain", says why):

- **forbidden** (``FORBIDDEN``): what XML 1.0 cannot carry or Unicode says is
  not for interchange. C0 controls except tab and newline (form feed and
  backspace come with text copied from PDFs), DEL and the C1 controls
  (U+0080–U+009F, NEL among them), lone surrogates, and the 66 noncharacters
  (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE and
  U+FFFF among them). The feed writer refuses them, and browsers show them as
  boxes if at all. Front matter with one is an error; a body loses them with a
  warning.
- **bidi controls** (``BIDI_CONTROLS``): embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069). An override reverses the text after it up to
  the end of the paragraph, so a title could make the source or date beside it
  read backwards. An error in every front-matter value.
- **invisible** (``INVISIBLE``): Unicode's default-ignorable code points (zero
  width space, joiners, word joiner, soft hyphen, byte order mark, bidi marks,
  variation selectors, Hangul fillers, tag characters …). They draw nothing, so
  ``Nvi<ZWSP>dia`` looks like ``Nvidia`` but is another name, with its own
  entity page. An error in names (entities, tags, source name, author, topic
  title) and URLs; allowed in free text (title, summary …), where joiners and
  marks are needed by Persian, Indic and Arabic text and by emoji.
"""

from __future__ import annotations

import re
import unicodedata

# Character classes without their brackets, so that patterns can join them into one class:
# a single class is searched many times faster than an alternation of classes. Each is split
# into its Basic Multilingual Plane part and its astral part, because a class listing single
# astral characters is itself slow (30 ns a character); see ``coarse``.
FORBIDDEN_BMP = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
FORBIDDEN_ASTRAL = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
FORBIDDEN_CLASS = FORBIDDEN_BMP + FORBIDDEN_ASTRAL
BIDI_CLASS = "\u202a-\u202e\u2066-\u2069"
# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt), less the noncharacters above.
INVISIBLE_BMP = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
)
INVISIBLE_ASTRAL = "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
INVISIBLE_CLASS = INVISIBLE_BMP + INVISIBLE_ASTRAL
ASTRAL = "\U00010000-\U0010ffff"


def coarse(*bmp_classes: str) -> re.Pattern[str]:
    """A fast pattern that finds at least every character of the given classes (and any astral one).

    For a first look at long text: where it finds nothing, the precise pattern
    would find nothing either.
    """
    return re.compile(f"[{''.join(bmp_classes)}{ASTRAL}]")


FORBIDDEN = re.compile(f"[{FORBIDDEN_CLASS}]")
"""Characters XML cannot carry or that are not for interchange (tab and newline are fine)."""

BIDI_CONTROLS = re.compile(f"[{BIDI_CLASS}]")
"""Bidi embeddings, overrides, isolates and their terminators: they reorder the text after them."""

INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
"""Characters that draw nothing (Unicode's default-ignorable code points)."""

_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\t": "tab",
    "\n": "newline",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
    "\ufeff": "byte order mark",
}


def describe(char: str) -> str:
    """``U+000C (form feed)``: a character as an editor can look it up, never the character itself."""
    code = ord(char)
    name = _NAMES.get(char) or unicodedata.name(char, "").lower()
    if not name:
        if 0xD800 <= code <= 0xDFFF:
            name = "lone surrogate: half of a character, often bytes that were not UTF-8"
        elif FORBIDDEN.match(char) and code >= 0xFDD0:
            name = "noncharacter"
        elif code < 0x20:
            name = "control character"
        elif 0x7F <= code <= 0x9F:
            name = "C1 control character"
        else:
            name = unicodedata.category(char)
    return f"U+{code:04X} ({name})"


def kind_of(char: str) -> str:
    """What a message calls the character and why it matters: ``a bidi control U+202E (...), which ...``."""
    if FORBIDDEN.match(char):
        noun = "a control character" if unicodedata.category(char) == "Cc" else "a character that is not text"
        return f"{noun} {describe(char)}"
    if BIDI_CONTROLS.match(char):
        return f"a bidi control {describe(char)}, which reverses or reorders the text after it on the page,"
    return f"an invisible character {describe(char)}"


_ESCAPE = re.compile(f"[{FORBIDDEN_CLASS}{INVISIBLE_CLASS}\u2028\u2029]")


def visible(text: str) -> str:
    r"""``text`` with every control, invisible and bidi character written as an escape (``\u200b``).

    For messages: an editor sees where the character is, and a terminal never
    receives an escape sequence or a reversing override from a note.
    """
    if not _ESCAPE.search(text):
        return text
    return _ESCAPE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
