"""The text rewrites applied to a page before Pagefind indexes it.

Pagefind splits words on whitespace, then splits a word on ASCII punctuation
into parts that are indexed too: ``l'autosuffisance`` is found by
``autosuffisance``. Two cases escape it, and both are fixed here, in the copy
Pagefind reads (the published HTML is never changed):

- a typographic apostrophe (``l’autosuffisance``, U+2019) is not ASCII
  punctuation, so the bare word was never indexed: it becomes ``'``;
- Chinese and Japanese have no spaces between words. Pagefind segments them
  only on pages whose ``<html lang>`` is ``zh``/``ja``, and every page of the
  site is ``en`` (a note quotes Chinese inside English). So every Han or kana
  character becomes a word of its own; the browser splits a query the same
  way and searches a run of them as a phrase, so ``阿里巴巴`` (simplified) and
  ``輝達`` (traditional) match exactly those characters in that order, with
  no dictionary to disagree with the reader's spelling.

The browser joins the characters again before showing an excerpt.
"""

from __future__ import annotations

import re

APOSTROPHES = "\u2019\u02bc\uff07"  # ’ ʼ ＇ — typed or pasted for the ASCII apostrophe
# Han (CJK unified ideographs and extensions, compatibility ideographs), kana,
# and the CJK punctuation that sits between them without spaces.
CJK_CLASS = (
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\uff00-\uffef"  # full-width forms
    "\U00020000-\U0002fa1f"  # extensions B-F, compatibility supplement
)
NEEDS_REWRITE = re.compile(f"[{APOSTROPHES}{CJK_CLASS}]")
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")
# The text between two tags, when it holds something to rewrite (most text nodes do not).
_TEXT = re.compile(f">([^<>]*?[{APOSTROPHES}{CJK_CLASS}][^<>]*)<")
_SPACES = re.compile(r" {2,}")
_APOSTROPHE_TABLE = str.maketrans({c: "'" for c in APOSTROPHES})


def needs_rewrite(html: str) -> bool:
    """Whether ``rewrite_html`` would change anything (most English pages: no)."""
    return NEEDS_REWRITE.search(html) is not None


def rewrite_text(text: str) -> str:
    """One run of text as Pagefind should index it (see the module docstring).

    >>> rewrite_text("传阿里巴巴、百度")
    ' 传 阿 里 巴 巴 、 百 度 '
    >>> rewrite_text("vers l’autosuffisance")
    "vers l'autosuffisance"
    """
    text = text.translate(_APOSTROPHE_TABLE)
    if _CJK_CHAR.search(text) is None:
        return text
    return _SPACES.sub(" ", _CJK_CHAR.sub(lambda m: f" {m.group(0)} ", text))


def rewrite_html(html: str) -> str:
    """Apply ``rewrite_text`` to every text node of a page; tags and attributes are left alone."""
    return _TEXT.sub(lambda m: ">" + rewrite_text(m.group(1)) + "<", html)
