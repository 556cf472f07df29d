"""Settings of the email edition: the site's address, who the message is from and to, and the SMTP server.

They come from ``mkdocs.yml`` (``site_url``, ``site_name``, and the ``email``
options of the ``briefing`` plugin), and command-line options override them::

    site_url: !ENV [SITE_URL, "https://owner.github.io/repo/"]
    plugins:
      - briefing:
          email:
            from: "Chip briefings <briefings@example.org>"
            to: [analysts@example.org]            # one address or a list
            reply_to: editors@example.org         # optional
            smtp:
              host: smtp.example.org
              port: 587                           # default: 587 starttls, 465 ssl, 25 none
              security: starttls                  # starttls | ssl | none
              user: briefings@example.org         # optional: no login without it
              password_env: BRIEFING_SMTP_PASSWORD  # the variable that holds the password
              timeout: 30                         # seconds

The SMTP password is read from the environment variable named by
``password_env`` and from nowhere else: a ``password`` key is an error, so a
password never ends up committed with the site.

``generator.settings`` reads ``mkdocs.yml`` (with ``!ENV``); turning it into
``EmailSettings`` (``email_settings``) is pure and reports every problem at
once, as ``mkdocs.yml: error: ...``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from email.utils import formataddr, getaddresses
from typing import Any
from urllib.parse import urlsplit

from generator import paths
from generator.problems import shorten
from generator.settings import SiteConfig

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_PASSWORD_ENV = "BRIEFING_SMTP_PASSWORD"
DEFAULT_TIMEOUT = 30.0
PLUGIN = "briefing"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EMAIL_KEYS = ("from", "to", "reply_to", "smtp")
SMTP_KEYS = ("host", "port", "security", "user", "password_env", "timeout")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how ``--send`` delivers; the password itself is never stored here."""

    host: str | None = None
    port: int | None = None  # None: the usual port for ``security``
    security: str = "starttls"
    user: str | None = None
    password_env: str = DEFAULT_PASSWORD_ENV
    timeout: float = DEFAULT_TIMEOUT

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


@dataclass(frozen=True)
class EmailSettings:
    """Everything composing and sending a message needs besides the briefing itself."""

    site_url: str  # absolute, with its path prefix: https://owner.github.io/repo/
    site_name: str
    sender: str | None = None  # the From header, "Name <address>" or an address
    to: tuple[str, ...] = ()
    reply_to: str | None = None
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    language: str = "en"
    directory_urls: bool = True

    def url(self, docs_path: str) -> str:
        """The absolute URL of a page given its path in the docs dir (``weeks/2025-W38/index.md``).

        A stand-in until the core has a paths module: it is what the feeds use.
        """
        return paths.absolute_url(self.site_url, docs_path, self.directory_urls)


@dataclass(frozen=True)
class Overrides:
    """Command-line options; ``None`` (or empty) leaves the ``mkdocs.yml`` value."""

    sender: str | None = None
    to: tuple[str, ...] = ()
    reply_to: str | None = None
    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    password_env: str | None = None


class SettingsError(Exception):
    """The settings cannot be used; ``problems`` are ready to print, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- the site's settings ----------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """The parts of ``mkdocs.yml`` the email edition reads (as ``generator.settings`` read them)."""

    name: str  # how messages name the file, e.g. mkdocs.yml
    values: Mapping[Any, Any]

    @classmethod
    def of(cls, site: SiteConfig, name: str = "mkdocs.yml") -> Config:
        """The settings the core read from mkdocs.yml (``!ENV`` resolved), in mkdocs.yml's shape."""
        values = {
            "site_url": site.site_url,
            "site_name": site.site_name,
            "theme": {"language": site.language},
            "use_directory_urls": site.directory_urls,
            "plugins": [{PLUGIN: {"email": dict(site.options.email)}}],
        }
        return cls(name, values)


# --- from values to settings ------------------------------------------------------


class _Checker:
    """Collects every problem with ``path:line`` before failing once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def error(self, where: Mapping[Any, Any] | None, key: str, label: str, message: str) -> None:
        lines = getattr(where, "lines", None)
        if lines is None:  # a mapping MkDocs parsed: it keeps no lines
            self.problems.append(f"{self.name}: error: {label}: {message}")
            return
        self.problems.append(f"{self.name}:{lines.get(key, 1)}: error: {label}: {message}")

    def option(self, option: str, message: str) -> None:
        self.problems.append(f"error: {option}: {message}")


def _plugin_options(values: Mapping[Any, Any]) -> Mapping[Any, Any]:
    for plugin in values.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get(PLUGIN), dict):
            return plugin[PLUGIN]  # type: ignore[no-any-return]
    return {}


def _unknown(key: object, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(known)}"
    return f"unknown setting {shorten(str(key))}{hint}"


def parse_address(value: object) -> str | None:
    """``"Name <a@b.org>"`` or ``a@b.org`` as a header value, or None when it is not one address."""
    if not isinstance(value, str) or "\n" in value or "\r" in value:
        return None
    found = getaddresses([value])
    if len(found) != 1:
        return None
    name, address = found[0]
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        return None
    return formataddr((name, address))


def _addresses(value: object) -> tuple[list[str], list[str]]:
    """Valid header values and the items that are not addresses."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else [value]
    good, bad = [], []
    for item in items:
        parsed = parse_address(item)
        if parsed is None:
            bad.append(shorten(item))
        else:
            good.append(parsed)
    return good, bad


_ADDRESS_HINT = 'expected an address like analysts@example.org or "Analysts <analysts@example.org>"'


def email_settings(config: Config, overrides: Overrides | None = None) -> EmailSettings:
    """The email settings from ``mkdocs.yml`` and the command line; raises ``SettingsError`` listing every problem."""
    overrides = overrides or Overrides()
    check = _Checker(config.name)
    values = config.values

    site_url = values.get("site_url")
    if not isinstance(site_url, str) or not site_url.strip():
        check.error(values, "site_url", "site_url", "not set; the email needs absolute links (https://owner.github.io/repo/)")
        site_url = "https://invalid.example/"
    elif urlsplit(site_url).scheme not in ("http", "https") or not urlsplit(site_url).netloc:
        check.error(values, "site_url", "site_url", f"expected an absolute http(s) address, found {shorten(site_url)}")
    site_name = values.get("site_name")
    if not isinstance(site_name, str) or not site_name.strip():
        site_name = urlsplit(site_url).netloc or "Briefings"
    theme = values.get("theme")
    language = str(theme.get("language") or "en") if isinstance(theme, dict) else "en"
    directory_urls = values.get("use_directory_urls", True)

    options = _plugin_options(values)
    addresses, smtp = _email_options(options.get("email") if isinstance(options, dict) else None, options, check)
    sender, to, reply_to = addresses

    # Command-line options win over mkdocs.yml.
    if overrides.sender is not None:
        sender = parse_address(overrides.sender)
        if sender is None:
            check.option("--from", f"{_ADDRESS_HINT}, found {shorten(overrides.sender)}")
    if overrides.to:
        to, bad = _addresses(list(overrides.to))
        if bad:
            check.option("--to", f"{_ADDRESS_HINT}, found {', '.join(bad)}")
    if overrides.reply_to is not None:
        reply_to = parse_address(overrides.reply_to)
        if reply_to is None:
            check.option("--reply-to", f"{_ADDRESS_HINT}, found {shorten(overrides.reply_to)}")
    if overrides.password_env is not None and not _ENV_NAME.match(overrides.password_env):
        check.option("--password-env", f"expected an environment variable name such as {DEFAULT_PASSWORD_ENV}")
    smtp = replace(
        smtp,
        host=overrides.host if overrides.host is not None else smtp.host,
        port=overrides.port if overrides.port is not None else smtp.port,
        security=overrides.security or smtp.security,
        user=overrides.user if overrides.user is not None else smtp.user,
        password_env=overrides.password_env or smtp.password_env,
    )

    if check.problems:
        raise SettingsError(check.problems)
    return EmailSettings(
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        site_name=site_name.strip(),
        sender=sender,
        to=tuple(to),
        reply_to=reply_to,
        smtp=smtp,
        language=language,
        directory_urls=bool(directory_urls),
    )


_Addresses = tuple[str | None, list[str], str | None]


def _email_options(raw: object, parent: Mapping[Any, Any], check: _Checker) -> tuple[_Addresses, SmtpSettings]:
    """The plugin's ``email`` mapping: (from, to, reply_to) and the SMTP settings."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        check.error(parent, "email", "email", f"expected a mapping (from, to, reply_to, smtp), found {shorten(raw)}")
        raw = {}
    for key in raw:
        if key not in EMAIL_KEYS:
            check.error(raw, key, f"email.{key}", _unknown(key, EMAIL_KEYS))
    sender = None
    if "from" in raw:
        sender = parse_address(raw["from"])
        if sender is None:
            check.error(raw, "from", "email.from", f"{_ADDRESS_HINT}, found {shorten(raw['from'])}")
    to: list[str] = []
    if "to" in raw:
        to, bad = _addresses(raw["to"])
        if bad:
            check.error(raw, "to", "email.to", f"{_ADDRESS_HINT}, found {', '.join(bad)}")
    reply_to = None
    if raw.get("reply_to") is not None:
        reply_to = parse_address(raw["reply_to"])
        if reply_to is None:
            check.error(raw, "reply_to", "email.reply_to", f"{_ADDRESS_HINT}, found {shorten(raw['reply_to'])}")
    return (sender, to, reply_to), _smtp(raw.get("smtp"), raw, check)


def check_email_options(options: object, name: str = "mkdocs.yml") -> list[str]:
    """Problems with the ``email`` option of the plugin as MkDocs parsed it, ready to log (no line numbers there).

    For the MkDocs plugin, so that ``mkdocs build --strict`` fails on a typo
    in the email settings as ``briefing email`` would.
    """
    check = _Checker(name)
    _email_options(options, {}, check)
    return check.problems


def _smtp(raw: object, parent: Mapping[Any, Any], check: _Checker) -> SmtpSettings:
    if raw is None:
        return SmtpSettings()
    if not isinstance(raw, dict):
        check.error(parent, "smtp", "email.smtp", f"expected a mapping (host, port, security, user), found {shorten(raw)}")
        return SmtpSettings()
    for key in raw:
        if key == "password":
            check.error(
                raw,
                key,
                "email.smtp.password",
                "the SMTP password is never read from a file; remove it and set "
                f"{raw.get('password_env') or DEFAULT_PASSWORD_ENV} in the environment instead",
            )
        elif key not in SMTP_KEYS:
            check.error(raw, key, f"email.smtp.{key}", _unknown(key, SMTP_KEYS))
    values: dict[str, Any] = {}
    for key in ("host", "user"):
        if raw.get(key) is not None:
            if isinstance(raw[key], str) and raw[key].strip() and not any(c.isspace() for c in raw[key].strip()):
                values[key] = raw[key].strip()
            else:
                check.error(raw, key, f"email.smtp.{key}", f"expected a name without spaces, found {shorten(raw[key])}")
    if raw.get("port") is not None:
        port = raw["port"]
        if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536:
            values["port"] = port
        else:
            check.error(raw, "port", "email.smtp.port", f"expected a port number (587, 465, 25 ...), found {shorten(port)}")
    if raw.get("security") is not None:
        if raw["security"] in SECURITY:
            values["security"] = raw["security"]
        else:
            check.error(
                raw, "security", "email.smtp.security", f"expected starttls, ssl or none, found {shorten(raw['security'])}"
            )
    if raw.get("password_env") is not None:
        if isinstance(raw["password_env"], str) and _ENV_NAME.match(raw["password_env"]):
            values["password_env"] = raw["password_env"]
        else:
            check.error(
                raw,
                "password_env",
                "email.smtp.password_env",
                f"expected an environment variable name such as {DEFAULT_PASSWORD_ENV}, found {shorten(raw['password_env'])}",
            )
    if raw.get("timeout") is not None:
        timeout = raw["timeout"]
        if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and 0 < timeout <= 600:
            values["timeout"] = float(timeout)
        else:
            check.error(raw, "timeout", "email.smtp.timeout", f"expected seconds between 1 and 600, found {shorten(timeout)}")
    return SmtpSettings(**values)
