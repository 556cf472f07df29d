"""Plain text for the text part of a message: wrapped at 72 columns, links as numbered references.

``References`` numbers every link once, in reading order, and the message
lists them at the end (``[3] https://...``), as plain-text newsletters and
``lynx -dump`` do: a URL in the middle of a sentence breaks the wrapping
and the reading.

``html_to_text`` turns a sanitised HTML fragment (a lede) into such text;
it only has to understand the tags ``links.EMAIL_TAGS`` lets through.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser

WIDTH = 72
GLUE = "\ue000"  # a private-use character textwrap does not break at; ``wrap`` turns it back into a space
_REFERENCE = re.compile(r"\s+(\[\d+\])")


def keep(text: str) -> str:
    """``text`` that ``wrap`` keeps on one line (a grade such as "reliability B: usually reliable")."""
    return GLUE.join(text.split())


@dataclass
class References:
    """Links in the order they are first cited; the same URL keeps its number."""

    urls: list[str] = field(default_factory=list)

    def cite(self, url: str) -> str:
        """``[n]`` for ``url``."""
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"

    def listing(self) -> str:
        """``[1] https://...`` one a line; URLs are never wrapped, or they would stop working."""
        width = len(str(len(self.urls)))
        return "\n".join(f"[{n}]{' ' * (width - len(str(n)))} {url}" for n, url in enumerate(self.urls, 1))


def wrap(text: str, indent: str = "", first: str | None = None, width: int = WIDTH) -> str:
    """``text`` as one paragraph of lines at most ``width`` wide (a word longer than that stays whole).

    A reference ``[n]`` and a `` · `` separator stay on the line of the word before them (a line never
    starts with either), and ``keep``-glued words stay together.
    """
    glued = _REFERENCE.sub(GLUE + r"\1", " ".join(text.split())).replace(" · ", GLUE + "· ")
    return textwrap.fill(
        glued,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ).replace(GLUE, " ")


_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "caption",
}


@dataclass(frozen=True)
class _Paragraph:
    first: str  # prefix of the first line: indent, quote marks, a list bullet
    indent: str  # prefix of the other lines
    text: str
    preformatted: bool = False
    item: int = 0  # the top-level list it belongs to (1, 2 ...): its items follow one another without a blank line


@dataclass
class _List:
    ordered: bool
    count: int = 0


class _Text(HTMLParser):
    """Collects paragraphs as (prefix, text) with the list and quote nesting they were in."""

    def __init__(self, refs: References) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = refs
        self.paragraphs: list[_Paragraph] = []
        self.current: list[str] = []
        self.lists: list[_List] = []
        self.quote = 0
        self.pre = 0
        self.hrefs: list[str | None] = []
        self.bullet: str | None = None
        self.in_item = False
        self.list_group = 0

    # --- structure
    def _indent(self) -> str:
        return "> " * self.quote + "   " * len(self.lists)

    def flush(self) -> None:
        text = "".join(self.current)
        self.current = []
        if not text.strip():
            return
        indent = self._indent()
        first = indent
        item = self.list_group if self.bullet is not None or (self.lists and self.in_item) else 0
        if self.bullet is not None:
            first = indent[:-3] + self.bullet
            self.bullet = None
        self.paragraphs.append(_Paragraph(first, indent, text, self.pre > 0, item))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS or tag in ("ul", "ol", "li", "blockquote", "hr"):
            self.flush()
        if tag in ("ul", "ol"):
            if not self.lists:
                self.list_group += 1
            start = dict(attrs).get("start") or "1"
            self.lists.append(_List(tag == "ol", int(start) - 1 if start.isdigit() else 0))
        elif tag == "li" and self.lists:
            current = self.lists[-1]
            current.count += 1
            self.bullet = f"{current.count}.".ljust(3) if current.ordered else "-  "
            self.in_item = True
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag == "hr":
            self.paragraphs.append(_Paragraph("", "", "-" * 20, True))
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")
        elif tag == "a":
            self.hrefs.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.hrefs:
            href = self.hrefs.pop()
            if href:
                self.current.append(" " + self.refs.cite(href))
            return
        if tag in _BLOCKS or tag in ("li", "blockquote"):
            self.flush()
        if tag == "li":
            self.in_item = False
        if tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()
        elif tag == "blockquote" and self.quote:
            self.quote -= 1
        elif tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def html_to_text(html: str, refs: References, width: int = WIDTH) -> str:
    """A sanitised HTML fragment as wrapped plain text; its links are cited in ``refs``."""
    parser = _Text(refs)
    parser.feed(html)
    parser.close()
    parser.flush()
    out: list[str] = []
    previous: _Paragraph | None = None
    for paragraph in parser.paragraphs:
        if paragraph.preformatted:
            block = "\n".join(paragraph.indent + line for line in paragraph.text.strip("\n").splitlines())
        else:
            lines = [line for line in paragraph.text.split("\n") if line.strip()]  # <br> keeps its line break
            block = "\n".join(
                wrap(line, paragraph.indent, paragraph.first if i == 0 else paragraph.indent, width)
                for i, line in enumerate(lines)
            )
        if out:
            out.append("\n" if previous and previous.item and previous.item == paragraph.item else "\n\n")
        out.append(block)
        previous = paragraph
    return "".join(out)
