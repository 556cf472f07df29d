"""The plugin's options the MkDocs way (``BriefingConfig``), and the core's view of an MkDocs configuration.

``briefing check`` and the other commands read the same options from
``mkdocs.yml`` themselves (``generator.settings``); ``tests/test_settings.py``
checks that both readings agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.settings import Options, SiteConfig
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

_DEFAULTS = Options()


class BriefingConfig(base.Config):  # type: ignore[no-untyped-call]
    templates_dir = c.Type(str, default=_DEFAULTS.templates_dir)
    """Folder of the site's own templates (relative to mkdocs.yml); the shipped ones fill the gaps."""
    allow_raw_html = c.Type(bool, default=_DEFAULTS.allow_raw_html)
    """Keep raw HTML in note bodies as written. Only for sites whose every note author is trusted."""
    recent_weeks = c.Type(int, default=_DEFAULTS.recent_weeks)
    """How many of the latest weeks the navigation lists (all weeks are on the 'All weeks' page)."""
    email = c.Type(dict, default={})
    """The email edition's settings (see the README, "The email edition")."""


def site_config(config: MkDocsConfig, options: BriefingConfig) -> SiteConfig:
    """The core's view of an MkDocs configuration."""
    return SiteConfig(
        docs_dir=Path(config.docs_dir),
        root=Path(config.config_file_path or ".").resolve().parent,
        site_name=config.site_name,
        site_url=config.site_url or None,
        site_description=config.site_description or "",
        language=str(config.theme.get("language") or "en"),
        directory_urls=config.use_directory_urls,
        markdown_extensions=tuple(_extensions(config)),
        options=Options(
            templates_dir=options.templates_dir,
            allow_raw_html=options.allow_raw_html,
            recent_weeks=options.recent_weeks,
            email=dict(options.email),
        ),
    )


def _extensions(config: MkDocsConfig) -> list[Any]:
    """The site's Markdown extensions as mkdocs.yml lists them (name, or {name: options})."""
    configs = config.mdx_configs or {}
    return [{name: configs[name]} if configs.get(name) else name for name in config.markdown_extensions]
