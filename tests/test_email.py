"""The email edition: the message parsed back, its two parts, hostile values, settings, SMTP delivery, and Chromium.

Messages are composed from the shipped site (its busiest week, 2025-W38, for
the size figure) and from small temp sites. Delivery goes to an aiosmtpd
server on 127.0.0.1 started and stopped by each test. The HTML part is
opened in Debian's Chromium at 600 and 375 px, with every request blocked.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import re
import socket
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import BIN, ENV, REPO, SiteFactory, note, topics

from generator import paths
from generator import settings as site_settings
from generator.assemble import Archive, Briefing, Digest, assemble
from generator.build import build
from generator.email.compose import (
    GMAIL_CLIP_BYTES,
    EditionNotFound,
    compose,
    email_html,
    email_text,
    message_bytes,
    page_path,
    preview_path,
    select_edition,
    subject,
)
from generator.email.links import fragment_html, resolve
from generator.email.plaintext import WIDTH, References, html_to_text
from generator.email.send import SendError, send
from generator.email.settings import (
    Config,
    EmailSettings,
    Overrides,
    SettingsError,
    SmtpSettings,
    check_email_options,
    email_settings,
)
from generator.loader import load_site
from generator.weeks import IsoWeek

SHIPPED_URL = "https://briefing-generator.github.io/briefings/"
DATE = dt.datetime(2025, 9, 22, 7, 30, tzinfo=dt.timezone.utc)
MESSAGE_ID = "<briefing.2025-W38@example.org>"
BUSIEST = IsoWeek(2025, 38)
Site = Archive


def read_config(path: Path, env: dict[str, str]) -> Config:
    """The email settings' view of a site's mkdocs.yml, read by the core with ``env`` as the environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SITE_URL", "TEST_EMAIL_SITE_URL"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        return Config.of(site_settings.read_config(path))


def parse_config(text: str, name: str, env: dict[str, str]) -> Config:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return read_config(path, env)


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Site:
    return assemble(load_site(REPO / "briefings"))


@pytest.fixture(scope="module")
def shipped_settings() -> EmailSettings:
    """The shipped mkdocs.yml, with SITE_URL unset (its !ENV default), and addresses as the CLI would give them."""
    config = read_config(REPO / "mkdocs.yml", env={})
    return email_settings(
        config,
        Overrides(sender="Chip briefings <briefings@example.org>", to=("analysts@example.org",), reply_to="editors@example.org"),
    )


def editions(site: Site, week: IsoWeek) -> list[Digest | Briefing]:
    digest = select_edition(site, week)
    assert isinstance(digest, Digest)
    return [digest, *digest.briefings]


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    page = message.get_body(preferencelist=("html",))
    assert text is not None and page is not None
    # On the wire (and in an .eml) lines end in CRLF; compare text with Python's newlines.
    return text.get_content().replace("\r\n", "\n"), page.get_content().replace("\r\n", "\n")  # type: ignore[union-attr]


class Page(HTMLParser):
    """An HTML document as its text, links and tags."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(str(dict(attrs)["href"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def words(text: str) -> str:
    return " ".join(text.split())


# --- the message, parsed back -----------------------------------------------------------


def test_message_is_multipart_alternative_utf8_with_the_headers(shipped: Site, shipped_settings: EmailSettings) -> None:
    digest = select_edition(shipped, BUSIEST)
    message = parse(message_bytes(compose(digest, shipped_settings, shipped_settings.url, date=DATE, message_id=MESSAGE_ID)))
    assert message.get_content_type() == "multipart/alternative"
    assert not message.defects
    children = list(message.iter_parts())
    assert [p.get_content_type() for p in children] == ["text/plain", "text/html"]  # the richest last, as RFC 2046 asks
    for part in children:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    assert message["Subject"] == "Weekly digest, 15–21 Sep 2025 (2025-W38)"
    assert message["Date"].datetime == DATE
    assert message["Message-ID"] == MESSAGE_ID
    assert message["From"] == "Chip briefings <briefings@example.org>"
    assert message["To"] == "analysts@example.org"
    assert message["Reply-To"] == "editors@example.org"
    assert message["MIME-Version"] == "1.0"
    assert message["Content-Language"] == "en"
    text, page = parts(message)
    assert "Export controls and counter-measures" in text and "Export controls and counter-measures" in page
    assert all(len(line) <= 998 for line in message_bytes(compose(digest, shipped_settings, shipped_settings.url)).split(b"\r\n"))


def test_topic_subject_names_the_topic_and_week(shipped: Site) -> None:
    briefing = select_edition(shipped, BUSIEST, "export-controls")
    assert subject(briefing) == "Export controls and counter-measures, 15–21 Sep 2025 (2025-W38)"


@pytest.mark.parametrize("week", ["2025-W38", "2025-W37", "2025-W33"])
def test_every_item_title_and_source_link_is_in_both_parts(shipped: Site, shipped_settings: EmailSettings, week: str) -> None:
    for edition in editions(shipped, IsoWeek.parse(week) or BUSIEST):
        text, page = parts(parse(message_bytes(compose(edition, shipped_settings, shipped_settings.url))))
        document = Page(page)
        for each in edition.notes:
            assert words(each.title) in words(text), (edition, each.path)
            assert words(each.title) in document.words, (edition, each.path)
            assert each.source.name in text and each.source.name in document.words
            assert f" {each.source.url}\n" in text  # in the list of links at the end
            assert each.source.url in document.hrefs
            assert shipped_settings.url(each.path) in document.hrefs
        assert shipped_settings.url(page_path(edition)) == document.hrefs[0]  # "Read it on the site" comes first


def test_grades_are_spelled_out_not_left_to_tooltips(shipped: Site, shipped_settings: EmailSettings) -> None:
    briefing = select_edition(shipped, BUSIEST, "export-controls")
    text = email_text(briefing, shipped_settings, shipped_settings.url)
    document = Page(email_html(briefing, shipped_settings, shipped_settings.url))
    for sentence in ("reliability B: usually reliable", "credibility 2: probably true", "in Chinese", "assessed almost certain"):
        assert sentence in words(text) and sentence in document.words
    assert not any("title" in attrs for tag, attrs in document.tags if tag != "title")


def test_lede_and_what_to_watch_come_first_and_last(shipped: Site, shipped_settings: EmailSettings) -> None:
    digest = select_edition(shipped, BUSIEST)
    assert digest.lede is not None
    for body in (
        email_text(digest, shipped_settings, shipped_settings.url),
        Page(email_html(digest, shipped_settings, shipped_settings.url)).words,
    ):
        flat = words(body)
        lede = flat.index(words(digest.lede.body.split(" (")[0])[:40])
        first_item = flat.index(digest.briefings[0].items[0].lead.title)
        watch = flat.index(digest.lede.watch[0])
        assert lede < first_item < watch


def test_every_link_is_absolute_to_the_site_with_its_prefix_or_to_a_source(
    shipped: Site, shipped_settings: EmailSettings
) -> None:
    sources = {note.source.url for note in shipped.notes}
    for edition in editions(shipped, BUSIEST):
        page = email_html(edition, shipped_settings, shipped_settings.url)
        hrefs = Page(page).hrefs
        assert hrefs
        for href in hrefs:
            assert href.startswith(SHIPPED_URL) or href in sources, href
        assert SHIPPED_URL + "weeks/" in page


def test_html_asks_nothing_of_any_server(shipped: Site, shipped_settings: EmailSettings) -> None:
    for edition in editions(shipped, BUSIEST):
        page = email_html(edition, shipped_settings, shipped_settings.url)
        tags = {tag for tag, _ in Page(page).tags}
        assert not tags & {"script", "link", "svg", "img", "iframe", "object", "video", "audio", "form", "input"}
        lowered = page.lower()
        for forbidden in ("@import", "@font-face", "url(", "javascript:", "src="):
            assert forbidden not in lowered, forbidden
        # css-inline moved the stylesheet into style attributes; only the phone media query stays.
        styles = re.findall(r"<style>(.*?)</style>", page, re.S)
        assert len(styles) == 1 and styles[0].strip().startswith("@media")
        assert 'style="' in page and "max-width:600px" in page
        assert page.startswith("<!DOCTYPE html>")


def test_busiest_shipped_week_fits_under_gmails_clip(shipped: Site, shipped_settings: EmailSettings) -> None:
    sizes = {}
    for digest in shipped.digests:
        for edition in [digest, *digest.briefings]:
            key = (digest.week.label, getattr(getattr(edition, "topic", None), "slug", "digest"))
            sizes[key] = len(email_html(edition, shipped_settings, shipped_settings.url).encode("utf-8"))
    busiest = max(shipped.digests, key=lambda d: len(d.notes))
    assert busiest.week == BUSIEST
    assert max(sizes, key=lambda k: sizes[k]) == (BUSIEST.label, "digest")
    assert sizes[(BUSIEST.label, "digest")] <= GMAIL_CLIP_BYTES, sizes


def test_text_reads_at_72_columns_with_numbered_links(shipped: Site, shipped_settings: EmailSettings) -> None:
    for edition in editions(shipped, BUSIEST):
        text = email_text(edition, shipped_settings, shipped_settings.url)
        body, _, listing = text.partition("\n\nLinks\n\n")
        assert listing, "the links are listed at the end"
        assert all(len(line) <= WIDTH for line in body.splitlines()), [line for line in body.splitlines() if len(line) > WIDTH]
        numbered = [re.match(r"^\[(\d+)\] +(https://\S+)$", line) for line in listing.strip().splitlines()]
        assert all(numbered), listing
        numbers = [int(m[1]) for m in numbered if m]
        assert numbers == list(range(1, len(numbers) + 1))
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
        assert cited == set(numbers)  # every reference is listed, every listed link is cited
        assert "http" not in body  # URLs live only in the list


def test_output_is_deterministic_but_for_date_and_message_id(shipped: Site, shipped_settings: EmailSettings) -> None:
    digest = select_edition(shipped, BUSIEST)
    one = message_bytes(compose(digest, shipped_settings, shipped_settings.url, date=DATE, message_id=MESSAGE_ID))
    two = message_bytes(compose(digest, shipped_settings, shipped_settings.url, date=DATE, message_id=MESSAGE_ID))
    assert one == two
    fresh_a = parse(message_bytes(compose(digest, shipped_settings, shipped_settings.url)))
    fresh_b = parse(message_bytes(compose(digest, shipped_settings, shipped_settings.url)))
    assert fresh_a["Message-ID"] != fresh_b["Message-ID"]
    assert fresh_a["Message-ID"].endswith("@example.org>")  # the sender's domain, not the machine's name
    assert parts(fresh_a) == parts(parse(one))


def test_email_html_is_the_html_part_and_previews_sit_beside_each_page(shipped: Site, shipped_settings: EmailSettings) -> None:
    digest = select_edition(shipped, BUSIEST)
    message = compose(digest, shipped_settings, shipped_settings.url)
    assert parts(message)[1] == email_html(digest, shipped_settings, shipped_settings.url)
    assert parts(message)[0] == email_text(digest, shipped_settings, shipped_settings.url)
    assert preview_path(digest) == "weeks/2025-W38/email.html"


def test_serve_shows_each_recent_week_s_email_beside_its_page() -> None:
    """Under `mkdocs serve` (build(..., email_previews=True)) the latest weeks' emails are files of the site, linked from their pages."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SITE_URL", raising=False)
        config = site_settings.read_config(REPO / "mkdocs.yml")
    site = build(config, email_previews=True)
    files = {f.path: f for f in site.files}
    recent = site.archive.digests[: config.options.recent_weeks]
    expected = {preview_path(e) for d in recent for e in (d, *d.briefings)}
    assert expected <= set(files)
    assert not {p for p in files if p.endswith("email.html")} - expected  # older weeks: none
    settings = email_settings(Config.of(config))
    latest = recent[0]
    assert files[preview_path(latest)].data.decode() == email_html(latest, settings, settings.url)
    digest_page = site.page(paths.digest_path(latest.week))
    assert digest_page is not None and 'href="email.html"' in digest_page.markdown
    assert "email.html" not in (build(config).page(paths.digest_path(latest.week)) or digest_page).markdown  # not in a build


def test_choosing_the_edition(shipped: Site) -> None:
    assert select_edition(shipped).week == shipped.digests[0].week  # the latest week by default
    assert select_edition(shipped, None, "chip-manufacturing").week == shipped.briefings["chip-manufacturing"][0].week
    with pytest.raises(EditionNotFound, match=r"unknown topic nope; known topics: ai-chip-self-sufficiency, export-controls"):
        select_edition(shipped, BUSIEST, "nope")
    with pytest.raises(EditionNotFound, match=r"no notes in 2025-W39; weeks with briefings: 2026-W27, "):
        select_edition(shipped, IsoWeek(2025, 39))
    with pytest.raises(EditionNotFound, match=r"no briefing of chip-manufacturing for 2025-W33; its weeks: 2026-W26, 2026-W07, "):
        select_edition(shipped, IsoWeek(2025, 33), "chip-manufacturing")


# --- ledes: sanitised, links made absolute ------------------------------------------------


def test_lede_links_resolve_against_the_lede_file() -> None:
    def url(path: str) -> str:
        return EmailSettings(SHIPPED_URL, "x").url(path)

    lede = "weeks/2025-W38.md"
    assert resolve("../notes/2025/2025-09-17-x.md", lede, url) == SHIPPED_URL + "notes/2025/2025-09-17-x/"
    assert resolve("2025-W38/export-controls.md#watch", lede, url) == SHIPPED_URL + "weeks/2025-W38/export-controls/#watch"
    assert resolve("../../notes/2025/a.md", "weeks/2025-W38/export-controls.md", url) == SHIPPED_URL + "notes/2025/a/"
    assert resolve("/topics/chips.md", lede, url) is None  # as on the site: MkDocs leaves absolute paths alone
    assert resolve("../index.md", lede, url) == SHIPPED_URL
    assert resolve("https://example.org/a?b=1", lede, url) == "https://example.org/a?b=1"
    assert resolve("mailto:editors@example.org", lede, url) == "mailto:editors@example.org"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "../../../etc/passwd",
        "#top",
    ):
        assert resolve(bad, lede, url) is None, bad


def test_lede_fragment_is_sanitised_and_absolute() -> None:
    def url(path: str) -> str:
        return EmailSettings(SHIPPED_URL, "x").url(path)

    body = 'See [the note](../notes/2025/a.md) <script>alert(1)</script> and [this](javascript:alert(2)).\n\n![chart](../x.png)\n\n<b onmouseover="alert(3)">bold</b>'
    fragment = str(fragment_html(body, "weeks/2025-W38.md", url))
    document = Page(fragment)
    assert document.hrefs == [SHIPPED_URL + "notes/2025/a/"]
    assert {tag for tag, _ in document.tags} <= {"p", "a", "b"}
    assert not any(name.startswith("on") for _, attrs in document.tags for name in attrs)
    assert "alert(1)" not in fragment and "javascript" not in fragment
    assert "See the note and this." in document.words
    refs = References()
    assert html_to_text(fragment, refs).startswith("See the note [1] and this.")
    assert refs.urls == [SHIPPED_URL + "notes/2025/a/"]


# --- hostile values -----------------------------------------------------------------------

HOSTILE_TITLE = "<img src=x onerror=alert(1)> *x* | y"
HOSTILE_SOURCE = "<script>alert(2)</script>"
HOSTILE_SUMMARY = '"><svg onload=alert(3)> & <i>more</i>'
HOSTILE_ENTITY = "<b onmouseover=alert(4)>Evil</b>"
HOSTILE_LEDE = (
    "Lede <script>alert(5)</script> text: read [this](javascript:alert(6)) and [the note](../notes/2025/2025-09-11-hostile.md).\n"
)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


EMAIL_YML = """\
site_name: Test briefings
site_url: !ENV [TEST_EMAIL_SITE_URL, "https://owner.github.io/repo/"]
docs_dir: briefings
theme:
  name: material
plugins:
  - search
  - briefing:
      email:
        from: "Test briefings <briefings@example.org>"
        to: [analysts@example.org, "Second Reader <second@example.org>"]
        reply_to: editors@example.org
        smtp:
          host: 127.0.0.1
          port: {port}
          security: none
"""


def hostile_files(port: int = 2525) -> dict[str, str]:
    return {
        "mkdocs.yml": EMAIL_YML.format(port=port),
        **topics("chips"),
        "briefings/notes/2025/2025-09-11-hostile.md": note(
            HOSTILE_TITLE,
            source=_quoted(HOSTILE_SOURCE),
            summary=_quoted(HOSTILE_SUMMARY),
            url="https://example.org/a?b=1&c=<2>",
            extra=f"entities: [{_quoted(HOSTILE_ENTITY)}, Fine Corp]\nimportance: 5\nstory: hostile\n",
        ),
        "briefings/notes/2025/2025-09-12-echo.md": note(
            "An echo in French", "2025-09-12", source="Le Monde", language="fr", extra="story: hostile\n"
        ),
        "briefings/notes/2025/2025-09-13-minor.md": note("A minor item", "2025-09-13", source="Minor News"),
        "briefings/weeks/2025-W37.md": HOSTILE_LEDE,
    }


def test_hostile_values_are_text_in_both_parts(make_site: SiteFactory) -> None:
    root = make_site(hostile_files())
    site = assemble(load_site(root / "briefings"))
    settings = email_settings(read_config(root / "mkdocs.yml", env={}))
    for edition in editions(site, IsoWeek(2025, 37)):
        text, page = parts(parse(message_bytes(compose(edition, settings, settings.url))))
        document = Page(page)
        for value in (HOSTILE_TITLE, HOSTILE_SOURCE, HOSTILE_SUMMARY, HOSTILE_ENTITY):
            assert words(value) in words(text), value
            assert words(value) in document.words, value
        live = [
            (tag, attrs)
            for tag, attrs in document.tags
            if tag in {"img", "svg", "script", "b", "i", "iframe"} or any(name.startswith("on") for name in attrs)
        ]
        assert not live
        assert "javascript:" not in page and "javascript:" not in text
        assert "alert(5)" not in page and "alert(5)" not in text  # the lede's <script> is removed by the sanitiser
        assert "https://example.org/a?b=1&c=%3C2%3E" in document.hrefs  # the source URL, percent-encoded in the attribute
        if isinstance(edition, Digest):
            assert "Lede text: read this and the note." in document.words
            assert "https://owner.github.io/repo/notes/2025/2025-09-11-hostile/" in document.hrefs
            assert "Lede text: read this and the note [" in words(text)


# --- settings --------------------------------------------------------------------------------


def test_site_url_honours_the_env_tag_and_its_default() -> None:
    text = EMAIL_YML.format(port=25)
    assert email_settings(parse_config(text, "mkdocs.yml", {})).site_url == "https://owner.github.io/repo/"
    fork = email_settings(parse_config(text, "mkdocs.yml", {"TEST_EMAIL_SITE_URL": "https://fork.github.io/briefs"}))
    assert fork.site_url == "https://fork.github.io/briefs/"
    assert fork.url("weeks/2025-W38/index.md") == "https://fork.github.io/briefs/weeks/2025-W38/"
    shipped = read_config(REPO / "mkdocs.yml", env={"SITE_URL": "https://example.net/x/"})
    assert email_settings(shipped).site_url == "https://example.net/x/"


def test_settings_from_mkdocs_yml_and_options_that_override_them() -> None:
    config = parse_config(EMAIL_YML.format(port=2525), "mkdocs.yml", {})
    settings = email_settings(config)
    assert settings.sender == "Test briefings <briefings@example.org>"
    assert settings.to == ("analysts@example.org", "Second Reader <second@example.org>")
    assert settings.reply_to == "editors@example.org"
    assert settings.smtp == SmtpSettings(host="127.0.0.1", port=2525, security="none")
    assert settings.site_name == "Test briefings"
    changed = email_settings(
        config, Overrides(to=("other@example.org",), security="ssl", port=None, user="me", password_env="MY_PW")
    )
    assert changed.to == ("other@example.org",)
    assert changed.smtp == SmtpSettings(host="127.0.0.1", port=2525, security="ssl", user="me", password_env="MY_PW")
    assert SmtpSettings(security="ssl").effective_port == 465 and SmtpSettings().effective_port == 587


def test_settings_problems_are_all_reported_with_their_lines() -> None:
    text = """\
site_name: Test
site_url: https://example.org/
plugins:
  - briefing:
      email:
        from: not an address
        to: [ok@example.org, nobody]
        reply-to: x@example.org
        smtp:
          host: smtp.example.org
          security: tls
          port: 99999
          password: hunter2
"""
    with pytest.raises(SettingsError) as caught:
        email_settings(parse_config(text, "mkdocs.yml", {}))
    assert caught.value.problems == [
        "mkdocs.yml: error: email.reply-to: unknown setting 'reply-to'; did you mean 'reply_to'?",
        "mkdocs.yml: error: email.from: expected an address like analysts@example.org or \"Analysts <analysts@example.org>\", found 'not an address'",
        "mkdocs.yml: error: email.to: expected an address like analysts@example.org or \"Analysts <analysts@example.org>\", found 'nobody'",
        "mkdocs.yml: error: email.smtp.password: the SMTP password is never read from a file; remove it and set BRIEFING_SMTP_PASSWORD in the environment instead",
        "mkdocs.yml: error: email.smtp.port: expected a port number (587, 465, 25 ...), found 99999",
        "mkdocs.yml: error: email.smtp.security: expected starttls, ssl or none, found 'tls'",
    ]
    assert "hunter2" not in str(caught.value)


def test_the_plugin_can_check_the_email_options_mkdocs_parsed() -> None:
    assert check_email_options({"from": "a@example.org", "smtp": {"host": "smtp.example.org"}}) == []
    assert check_email_options({"form": "a@example.org", "smtp": {"password": "x"}}) == [
        "mkdocs.yml: error: email.form: unknown setting 'form'; did you mean 'from'?",
        "mkdocs.yml: error: email.smtp.password: the SMTP password is never read from a file; remove it and set "
        "BRIEFING_SMTP_PASSWORD in the environment instead",
    ]
    assert check_email_options("yes") == ["mkdocs.yml: error: email: expected a mapping (from, to, reply_to, smtp), found 'yes'"]


def test_a_site_without_site_url_cannot_make_absolute_links() -> None:
    with pytest.raises(SettingsError, match=r"mkdocs.yml: error: site_url: not set; the email needs absolute links"):
        email_settings(parse_config("site_name: x\n", "mkdocs.yml", {}))


# --- the command -----------------------------------------------------------------------------


def briefing(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    """``briefing ARGS`` as a subprocess; bytes, since an .eml is not text to decode with the locale."""
    environment = {k: v for k, v in ENV.items() if k not in ("BRIEFING_SMTP_PASSWORD", "SITE_URL")} | env
    return subprocess.run([str(BIN / "briefing"), *args], cwd=cwd, env=environment, capture_output=True, timeout=120, check=False)


def test_cli_writes_the_message_and_prints_each_part(make_site: SiteFactory) -> None:
    root = make_site(hostile_files())
    result = briefing(["email", "2025-W37", "-o", "out.eml", "--date", "2025-09-22T09:30:00+02:00"], root)
    assert result.returncode == 0, result.stderr.decode()
    assert b"wrote out.eml" in result.stderr
    message = parse((root / "out.eml").read_bytes())
    assert message["Date"].datetime == dt.datetime(2025, 9, 22, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert message["To"] == "analysts@example.org, Second Reader <second@example.org>"
    html_only = briefing(["email", "2025-W37", "--html"], root)
    text_only = briefing(["email", "2025-W37", "--text"], root)
    assert html_only.returncode == text_only.returncode == 0
    text, page = parts(message)
    assert html_only.stdout.decode("utf-8") == page
    assert text_only.stdout.decode("utf-8") == text
    # Without -o the .eml goes to standard output (e.g. `| sendmail -t`).
    piped = briefing(["email", "--topic", "chips", "--date", "2025-09-22"], root)
    assert piped.returncode == 0 and parse(piped.stdout)["Subject"] == "Chips, 8–14 Sep 2025 (2025-W37)"
    assert b"note: no From" not in piped.stderr


def test_cli_runs_in_the_shipped_repository_with_no_settings() -> None:
    """`briefing email` from the repository root: the latest week, as a draft with no From or To yet."""
    result = briefing(["email", "--date", "2025-11-17"], REPO)
    assert result.returncode == 0, result.stderr.decode()
    assert b"note: no From or To yet" in result.stderr
    message = parse(result.stdout)
    assert message["From"] is None and message["Subject"].endswith("(2026-W27)")
    assert SHIPPED_URL + "weeks/2026-W27/" in parts(message)[1]


def test_cli_says_which_weeks_and_topics_there_are(make_site: SiteFactory) -> None:
    root = make_site(hostile_files())
    cases = {
        ("email", "2025-W40"): "error: no notes in 2025-W40; weeks with briefings: 2025-W37",
        ("email", "2025-W37", "--topic", "nope"): "error: unknown topic nope; known topics: chips",
        ("email", "week-38"): "expected an ISO week such as 2025-W38, found 'week-38'",
        ("email", "--html", "--send"): "--html and --text print one part; --send and --dry-run are for the whole message",
        ("email", "--date", "yesterday"): "expected YYYY-MM-DD or an ISO 8601 date-time",
    }
    for args, expected in cases.items():
        result = briefing(list(args), root)
        assert result.returncode == 2, (args, result.stderr)
        assert expected in result.stderr.decode(), (args, result.stderr)
        assert b"Traceback" not in result.stderr


def test_cli_reports_settings_problems_with_their_line(make_site: SiteFactory) -> None:
    files = hostile_files()
    files["mkdocs.yml"] = files["mkdocs.yml"] + "          password: hunter2\n"
    root = make_site(files)
    result = briefing(["email", "-o", "out.eml"], root)
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        "mkdocs.yml: error: email.smtp.password: the SMTP password is never read from a file"
    )
    assert b"hunter2" not in result.stderr and not (root / "out.eml").exists()


# --- sending ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on 127.0.0.1 that accepts the login "editor" / "s3cret", without TLS; stopped after the test."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        # handled=False: aiosmtpd answers "535 authentication failed" itself
        return AuthResult(success=isinstance(data, LoginPassword) and data == (b"editor", b"s3cret"), handled=False)

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_send_delivers_the_whole_message(make_site: SiteFactory, smtp_server: tuple[int, Inbox]) -> None:
    port, inbox = smtp_server
    root = make_site(hostile_files(port))
    result = briefing(["email", "2025-W37", "--send", "-o", "sent.eml"], root)
    assert result.returncode == 0, result.stderr.decode()
    assert f"sent to analysts@example.org, second@example.org via 127.0.0.1:{port} (no encryption)".encode() in result.stderr
    assert result.stdout == b""
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "briefings@example.org"
    assert envelope.rcpt_tos == ["analysts@example.org", "second@example.org"]
    written = (root / "sent.eml").read_bytes()
    assert envelope.original_content.rstrip(b"\r\n") == written.rstrip(b"\r\n")  # byte for byte what -o wrote
    assert parts(parse(envelope.original_content)) == parts(parse(written))


def test_send_logs_in_with_the_password_from_the_environment_only(make_site: SiteFactory, smtp_server: tuple[int, Inbox]) -> None:
    port, inbox = smtp_server
    root = make_site(hostile_files(port))
    args = ["email", "2025-W37", "--send", "--smtp-user", "editor"]
    missing = briefing(args, root)
    assert missing.returncode == 2
    assert b"the environment variable BRIEFING_SMTP_PASSWORD is not set" in missing.stderr
    wrong = briefing(args, root, BRIEFING_SMTP_PASSWORD="nope")
    assert wrong.returncode == 1
    assert f"not sent: 127.0.0.1:{port} (no encryption) refused the login of 'editor': 535".encode() in wrong.stderr
    assert b"give -o FILE to keep a copy" in wrong.stderr
    right = briefing([*args, "--password-env", "EDITOR_PW"], root, EDITOR_PW="s3cret")
    assert right.returncode == 0, right.stderr.decode()
    assert len(inbox.envelopes) == 1


def test_refused_connection_is_a_clear_error_and_the_eml_is_kept(make_site: SiteFactory) -> None:
    port = free_port()  # nothing listens there
    root = make_site(hostile_files(port))
    result = briefing(["email", "2025-W37", "--send", "-o", "draft.eml"], root)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert stderr.strip().splitlines()[-1] == (
        f"error: not sent: 127.0.0.1:{port} (no encryption) refused the connection: is the SMTP server running, "
        "and are email.smtp.host and port right?; the message is in draft.eml"
    )
    assert "Traceback" not in stderr
    assert parse((root / "draft.eml").read_bytes())["Subject"] == "Weekly digest, 8–14 Sep 2025 (2025-W37)"


def test_starttls_against_a_server_without_it_says_so(make_site: SiteFactory, smtp_server: tuple[int, Inbox]) -> None:
    port, inbox = smtp_server
    root = make_site(hostile_files(port))
    result = briefing(["email", "--send", "--smtp-security", "starttls"], root)
    assert result.returncode == 1
    assert f"127.0.0.1:{port} (STARTTLS) does not offer STARTTLS; set email.smtp.security to ssl".encode() in result.stderr
    assert not inbox.envelopes


def test_no_password_goes_out_unencrypted(make_site: SiteFactory) -> None:
    root = make_site(hostile_files())
    args = ["email", "--send", "--smtp-host", "smtp.example.org", "--smtp-user", "editor"]
    result = briefing(args, root, BRIEFING_SMTP_PASSWORD="s3cret")
    assert result.returncode == 2
    assert b"refusing to send the SMTP password to smtp.example.org unencrypted" in result.stderr
    with pytest.raises(SendError, match="no recipients"):
        send(EmailMessage(), SmtpSettings(host="127.0.0.1"))


def test_dry_run_shows_recipients_server_and_size_and_sends_nothing(
    make_site: SiteFactory, smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    root = make_site(hostile_files(port))
    result = briefing(
        ["email", "2025-W37", "--send", "--dry-run", "--smtp-user", "editor"], root, BRIEFING_SMTP_PASSWORD="Sup3r-s3cret"
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "To:       analysts@example.org, second@example.org" in out
    assert f"Server:   127.0.0.1:{port} (no encryption), login editor with the password in $BRIEFING_SMTP_PASSWORD (set)" in out
    assert re.search(r"Size:     [\d,]+ bytes \([\d.]+ kB\); HTML part [\d,]+ bytes", out)
    assert out.rstrip().endswith("Nothing sent (--dry-run).")
    assert not inbox.envelopes
    assert b"Sup3r-s3cret" not in result.stdout + result.stderr


# --- in Chromium ------------------------------------------------------------------------------


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def open_in_chromium(page_html: str, width: int) -> dict[str, Any]:
    """Open ``page_html`` at ``width`` px with every request blocked; measure it, run axe and take screenshots.

    Runs in a thread of its own: Playwright's sync API refuses a thread whose
    asyncio loop is taken, as it is when test_browser.py's session browser is open.
    """
    from axe_playwright_python.sync_playwright import Axe
    from browser_support import CHROMIUM, SCREENSHOTS
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.set_content(page_html, wait_until="load")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"email-{BUSIEST.label}-{width}.png"), full_page=True)
            page.screenshot(path=str(SCREENSHOTS / f"email-{BUSIEST.label}-{width}-top.png"))
            found = {
                "scroll_width": page.evaluate("document.scrollingElement.scrollWidth"),
                "container": (page.locator("table.container").bounding_box() or {}).get("width"),
                "h1": page.locator("h1").inner_text(),
                "site_link": page.get_by_role("link", name="Read it on the site").first.is_visible(),
                "violations": Axe().run(page).response["violations"],
            }
            context.close()
        finally:
            browser.close()
    return {**found, "requests": requests}


@pytest.mark.browser
@pytest.mark.parametrize("width", [600, 375])
def test_html_part_in_chromium(shipped: Site, shipped_settings: EmailSettings, width: int) -> None:
    from browser_support import describe, require_chromium, serious_violations

    require_chromium()
    page_html = email_html(select_edition(shipped, BUSIEST), shipped_settings, shipped_settings.url)
    with ThreadPoolExecutor(max_workers=1) as worker:
        found = worker.submit(open_in_chromium, page_html, width).result(timeout=120)
    assert found["scroll_width"] <= width, "horizontal scroll"
    assert found["container"] <= min(width, 600)
    assert found["h1"] == "Weekly digest"
    assert found["site_link"]
    serious = serious_violations(found["violations"])
    assert not serious, describe(serious)
    assert found["requests"] == []  # no request leaves the page: no image, font, stylesheet or script


def test_no_request_would_leave_even_without_a_browser(shipped: Site, shipped_settings: EmailSettings) -> None:
    """The same promise checked on the markup, for machines without Chromium."""
    page = email_html(select_edition(shipped, BUSIEST), shipped_settings, shipped_settings.url)
    attributes = {name for _, attrs in Page(page).tags for name in attrs}
    assert not attributes & {"src", "srcset", "background", "poster", "data"}
    assert html.unescape(page).count("https://") == len(Page(page).hrefs)  # every absolute URL is a link someone clicks
