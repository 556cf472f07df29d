"""``read_config``: the site as `briefing check`, `export` and `email` see it is the site the plugin sees.

The plugin builds its ``SiteConfig`` from MkDocs' validated configuration
(``generator.mkdocs.config.site_config``); the commands read ``mkdocs.yml`` themselves
(``generator.settings.read_config``). Both must agree, or the export is not the site.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, REPO, write_site
from mkdocs.config import load_config

from generator import markup
from generator.mkdocs.config import site_config as plugin_site_config
from generator.settings import ConfigError, Options, SiteConfig, read_config

# Every way of writing mkdocs.yml the tests know, by name: (mkdocs.yml, environment).
CONFIGS = {
    "shipped": ((REPO / "mkdocs.yml").read_text(encoding="utf-8"), {}),
    "tests": (MKDOCS_YML, {}),
    "plain-urls-env-and-options": (
        "site_name: Plain\n"
        "site_url: !ENV [BF_TEST_SITE_URL, 'https://example.org/default/']\n"
        "docs_dir: briefings\n"
        "use_directory_urls: false\n"
        "theme:\n  name: material\n  language: fr\n"
        "plugins:\n  - search\n  - briefing:\n      allow_raw_html: true\n      recent_weeks: 3\n"
        "markdown_extensions:\n  - footnotes\n  - toc:\n      permalink: true\n",
        {"BF_TEST_SITE_URL": "https://owner.github.io/repo/"},
    ),
    "plugins-as-a-mapping": (
        "site_name: Mapping\nsite_url: https://example.org/\ndocs_dir: briefings\n"
        "plugins:\n  search: {}\n  briefing:\n    allow_raw_html: true\n    recent_weeks: 1\n",
        {},
    ),
}


def _both(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[SiteConfig, SiteConfig]:
    text, env = CONFIGS[name]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    root = write_site(tmp_path, {"mkdocs.yml": text, "briefings/index.md": "# Home\n"}, defaults=False)
    monkeypatch.chdir(root)
    mkdocs_config = load_config(str(root / "mkdocs.yml"))
    plugin = mkdocs_config.plugins["briefing"]
    return read_config(root / "mkdocs.yml"), plugin_site_config(mkdocs_config, plugin.config)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [n for n in CONFIGS],
)
def test_read_config_sees_what_the_plugin_sees(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, plugins = _both(tmp_path, name, monkeypatch)
    for field in dataclasses.fields(SiteConfig):
        if field.name in ("source", "markdown_extensions"):  # as read / see the next test
            continue
        assert getattr(ours, field.name) == getattr(plugins, field.name), field.name


EDITOR_MARKDOWN = """\
Before.

```python
x = 1 < 2
```

| a | b |
|---|---|
| 1 | 2 |

A footnote[^1].

Term
:   Definition.

[^1]: The note.
"""


@pytest.mark.parametrize("name", list(CONFIGS))
def test_editors_markdown_renders_alike_for_the_commands_and_the_plugin(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, plugins = _both(tmp_path, name, monkeypatch)

    def render(config: SiteConfig) -> str:
        where = markup.Where("notes/2025/x.md", frozenset(), config.directory_urls, config.site_url)
        return markup.to_html(
            EDITOR_MARKDOWN, source="notes/2025/x.md", where=where, extensions=config.markdown_extensions, allow_raw_html=False
        )

    assert render(ours) == render(plugins)


def test_defaults_without_mkdocs_yml(tmp_path: Path) -> None:
    config = read_config(tmp_path / "mkdocs.yml")
    assert (config.docs_dir, config.root, config.site_url, config.directory_urls) == (
        tmp_path / "briefings",
        tmp_path,
        None,
        True,
    )
    assert config.options == Options()


def test_docs_dir_defaults_to_mkdocs_default(tmp_path: Path) -> None:
    write_site(tmp_path, {"mkdocs.yml": "site_name: X\n"}, defaults=False)
    assert read_config(tmp_path / "mkdocs.yml").docs_dir == tmp_path / "docs"


def test_env_default_and_unknown_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BF_TEST_UNSET", raising=False)
    text = "site_name: X\nsite_url: !ENV [BF_TEST_UNSET, 'https://example.org/x/']\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    write_site(tmp_path, {"mkdocs.yml": text}, defaults=False)
    config = read_config(tmp_path / "mkdocs.yml")
    assert config.site_url == "https://example.org/x/"
    # MkDocs' own extensions first, as MkDocs adds them; a Python name (!!python/name) is not loaded.
    assert config.markdown_extensions == ("toc", "tables", "fenced_code", {"pymdownx.emoji": {"emoji_index": None}})


@pytest.mark.parametrize("text", ["site_name: [unclosed\n", "- a list\n- of things\n", b"site_name: caf\xe9\n"])
def test_unreadable_mkdocs_yml_is_a_config_error(tmp_path: Path, text: str | bytes) -> None:
    write_site(tmp_path, {"mkdocs.yml": text}, defaults=False)
    with pytest.raises(ConfigError):
        read_config(tmp_path / "mkdocs.yml")


def test_cli_reports_a_bad_mkdocs_yml_without_a_traceback(tmp_path: Path) -> None:
    from conftest import run

    write_site(tmp_path, {"mkdocs.yml": "site_name: [unclosed\n"}, defaults=False)
    result = run(["briefing", "check"], cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "mkdocs.yml" in result.stderr and "not valid YAML" in result.stderr
    assert os.path.exists(tmp_path / "mkdocs.yml")
