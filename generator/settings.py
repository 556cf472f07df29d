"""What the core needs to know about a site, and the ``briefing`` plugin's options, declared once.

Every front end builds one ``SiteConfig``: the MkDocs plugin from MkDocs'
validated configuration (``generator.mkdocs.plugin``), the ``briefing``
command from ``mkdocs.yml`` read here. Both take the plugin options'
defaults from ``Options``, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"
DEFAULT_DOCS_DIR = "docs"  # MkDocs' default, when mkdocs.yml does not say


@dataclass(frozen=True)
class Options:
    """The ``briefing`` plugin's options (``plugins: - briefing: {...}`` in mkdocs.yml)."""

    templates_dir: str = "templates"
    """Folder of the site's own templates (relative to mkdocs.yml); the shipped ones fill the gaps."""
    allow_raw_html: bool = False
    """Keep raw HTML in note bodies as written. Only for sites whose every note author is trusted."""
    recent_weeks: int = 8
    """How many of the latest weeks the navigation lists (all weeks are on the 'All weeks' page)."""
    email: Mapping[str, Any] = field(default_factory=dict)
    """The email edition's settings (``briefing email``): sender, recipients, SMTP server."""

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Options:
        """Options from mkdocs.yml's plain YAML; unknown keys are left to MkDocs to report."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, value in values.items():
            if name in known and value is not None:
                kwargs[name] = value
        return cls(**kwargs)


@dataclass(frozen=True)
class SiteConfig:
    """The site as the core sees it: where its files are, its address and name, and the plugin's options."""

    docs_dir: Path
    root: Path  # the folder of mkdocs.yml; the site's templates are found from here
    site_name: str = "Briefings"
    site_url: str | None = None  # absolute; feeds, the email edition and Open Graph links need it
    site_description: str = ""
    language: str = "en"
    directory_urls: bool = True  # MkDocs' use_directory_urls
    markdown_extensions: tuple[Any, ...] = ()  # as in mkdocs.yml: names, or {name: options}
    options: Options = field(default_factory=Options)
    source: Mapping[str, Any] = field(default_factory=dict)  # mkdocs.yml as read, for `briefing export`

    @property
    def templates_dir(self) -> Path:
        return self.root / self.options.templates_dir


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """The briefing plugin's options; MkDocs takes plugins as a list (names, {name: options}) or as one mapping."""
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    else:
        entries = [next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins or []]
    for name, values in entries:
        if name == "briefing" and isinstance(values, dict):
            return values
    return {}


# MkDocs always adds these to a site's Markdown extensions (its config default), before the site's own.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")


def _extensions(configured: Any) -> tuple[Any, ...]:
    """The extensions MkDocs would use: its built-in ones, then the site's (a mapping counts as a list of one-key items)."""
    items = list(configured.items()) if isinstance(configured, dict) else list(configured or ())
    listed = [({item[0]: item[1]} if item[1] else item[0]) if isinstance(item, tuple) else item for item in items]
    names = {next(iter(item)) if isinstance(item, dict) else item for item in listed}
    return tuple(name for name in MKDOCS_BUILTIN_EXTENSIONS if name not in names) + tuple(listed)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` as MkDocs reads it, other tags (``!!python/name:``) as nothing."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable that is set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node, deep=True)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1] if len(items) > 1 else None
        if len(items) == 1:
            names = items
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            return yaml.safe_load(value) if value else value
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class ConfigError(ValueError):
    """mkdocs.yml cannot be read."""


def read_config(config_file: Path) -> SiteConfig:
    """The SiteConfig of the site whose MkDocs configuration is ``config_file``.

    A missing file gives the defaults of a site in the current folder
    (``briefings/`` as the docs dir, as this project lays it out).
    """
    root = config_file.resolve().parent
    raw: dict[str, Any] = {}
    if config_file.is_file():
        try:
            loaded = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file}: not valid YAML: {exc}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{config_file}: expected a mapping of settings")
        raw = loaded or {}
    options = _plugin_options(raw.get("plugins"))
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    return SiteConfig(
        docs_dir=root / str(raw.get("docs_dir") or (DEFAULT_DOCS_DIR if raw else "briefings")),
        root=root,
        site_name=str(raw.get("site_name") or "Briefings"),
        site_url=str(raw["site_url"]) if raw.get("site_url") else None,
        site_description=str(raw.get("site_description") or ""),
        language=str((theme or {}).get("language") or "en"),
        directory_urls=bool(raw.get("use_directory_urls", True)),
        markdown_extensions=_extensions(raw.get("markdown_extensions")),
        options=Options.from_mapping(options),
        source=raw,
    )
