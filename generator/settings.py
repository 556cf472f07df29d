"""What the core needs to know about a site, and the ``briefing`` plugin's options, declared once.

Every front end builds one ``SiteConfig``: the MkDocs plugin from MkDocs'
validated configuration (``generator.mkdocs.plugin``), the ``briefing``
command from ``mkdocs.yml`` read here. Both take the plugin options'
defaults from ``Options``, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem, error, shorten, warning

CONFIG_FILE = "mkdocs.yml"
DEFAULT_DOCS_DIR = "docs"  # MkDocs' default, when mkdocs.yml does not say


def _option(kind: type, expected: str) -> dict[str, Any]:
    """A plugin option's type (checked as MkDocs' ``config_options.Type`` checks it) and, in words, what it takes."""
    return {"kind": kind, "expected": expected}


@dataclass(frozen=True)
class Options:
    """The ``briefing`` plugin's options (``plugins: - briefing: {...}`` in mkdocs.yml)."""

    templates_dir: str = field(default="templates", metadata=_option(str, "a folder name, such as templates"))
    """Folder of the site's own templates (relative to mkdocs.yml); the shipped ones fill the gaps."""
    allow_raw_html: bool = field(default=False, metadata=_option(bool, "true or false"))
    """Keep raw HTML in note bodies as written. Only for sites whose every note author is trusted."""
    recent_weeks: int = field(default=8, metadata=_option(int, "a whole number of weeks, such as 8"))
    """How many of the latest weeks the navigation lists (all weeks are on the 'All weeks' page)."""
    email: Mapping[str, Any] = field(
        default_factory=dict, metadata=_option(dict, "a mapping of email settings (from, to, reply_to, smtp)")
    )
    """The email edition's settings (``briefing email``): sender, recipients, SMTP server."""

    @classmethod
    def checked(
        cls, values: Mapping[str, Any], path: str, lines: Mapping[str, int], line: int = 1
    ) -> tuple[Options, list[Problem]]:
        """Options from mkdocs.yml's plain YAML, and what is wrong with them.

        Every value is type-checked as MkDocs checks it (``generator.mkdocs.config.BriefingConfig``),
        only stricter where YAML misleads: ``true`` is not a number of weeks. A wrong value is an
        error and its default is used, so the rest of the site is still checked; an unknown option
        is a warning (``mkdocs build --strict`` fails on it). ``lines`` gives each key's line in
        ``path``; ``line`` is where a problem without a key of its own is reported.
        """
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, value in values.items():
            where = lines.get(name, line)
            spec = known.get(name)
            if spec is None:
                close = difflib.get_close_matches(str(name), list(known), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known options: {', '.join(known)}"
                problems.append(
                    warning(path, where, str(name), f"unknown option {shorten(str(name))} of the briefing plugin{hint}")
                )
            elif value is not None:  # `recent_weeks:` with nothing after it: the default, as in MkDocs
                message = _option_problem(name, value, spec.metadata["kind"], spec.metadata["expected"])
                if message:
                    problems.append(error(path, where, name, message))
                else:
                    kwargs[name] = value
        return cls(**kwargs), problems


def _option_problem(name: str, value: object, kind: type, expected: str) -> str | None:
    """What is wrong with one option's value, or None. ``bool`` is not an ``int`` here, though Python says it is."""
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return None if value >= 0 else f"'{name}' expects {expected}, 0 or more; found {value}"
    if kind is not int and isinstance(value, kind):
        return None
    hint = ""
    if isinstance(value, str) and kind is bool and value.strip().lower() in ("true", "false", "yes", "no", "on", "off"):
        hint = "; write true or false without quotes"
    elif isinstance(value, str) and kind is int and value.strip().isdigit():
        hint = "; write the number without quotes"
    return f"'{name}' expects {expected}; found {_found(value)}{hint}"


def _found(value: object) -> str:
    """A value as an editor wrote it, named in their words rather than Python's."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {shorten(value)}"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    return shorten(value)


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
    problems: tuple[Problem, ...] = ()  # what is wrong in mkdocs.yml (bad or unknown options, no docs dir)

    @property
    def templates_dir(self) -> Path:
        return self.root / self.options.templates_dir


PLUGIN = "briefing"


def _plugin_entries(plugins: Any) -> list[tuple[Any, Any]]:
    """(name, options) of each plugin; MkDocs takes plugins as a list (names, {name: options}) or as one mapping."""
    if isinstance(plugins, dict):
        return list(plugins.items())
    if not isinstance(plugins, list):
        return []
    return [next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins]


def _plugin_options(plugins: Any) -> Any:
    """The briefing plugin's options as written (None when it has none, or is not listed)."""
    for name, values in _plugin_entries(plugins):
        if name == PLUGIN:
            return values
    return None


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
    """mkdocs.yml cannot be read at all; ``problem`` says where and why, as ``path:line: error: message``."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class _Lines:
    """Where things are in mkdocs.yml: the line of each top-level key, of ``briefing`` and of each of its options."""

    top: dict[str, int] = field(default_factory=dict)
    plugin: int = 1
    options: dict[str, int] = field(default_factory=dict)


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    lines: dict[str, int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            lines.setdefault(str(key.value), key.start_mark.line + 1)
    return lines


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value
    return None


def _lines(root: yaml.Node | None) -> _Lines:
    """The lines of what ``read_config`` may report on, from the document's nodes (values keep none)."""
    plugins = _value_node(root, "plugins")
    entries: list[yaml.Node] = []
    if isinstance(plugins, yaml.MappingNode):
        entries = [plugins]
    elif isinstance(plugins, yaml.SequenceNode):
        entries = [item for item in plugins.value if isinstance(item, yaml.MappingNode)]
    for entry in entries:
        lines = _key_lines(entry)
        if PLUGIN in lines:
            return _Lines(_key_lines(root), lines[PLUGIN], _key_lines(_value_node(entry, PLUGIN)))
    return _Lines(_key_lines(root))


def _load(config_file: Path, name: str) -> tuple[Any, _Lines]:
    """mkdocs.yml's values and where they are; raises ``ConfigError`` when it cannot be read."""
    try:
        raw = config_file.read_bytes()
    except OSError as exc:
        raise ConfigError(error(name, 1, "", f"cannot be read: {exc.strerror or exc}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8: undecodable byte 0x{raw[exc.start]:02x} at offset {exc.start}; save the file as UTF-8"
        raise ConfigError(error(name, line, "", message)) from None
    loader = _ConfigLoader(text)
    try:
        node = loader.get_single_node()
        value = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = shorten(exc.problem or exc.context or "cannot be parsed", 200)[1:-1]
        where = f" (column {mark.column + 1})" if mark else ""
        raise ConfigError(error(name, mark.line + 1 if mark else 1, "", f"not valid YAML: {reason}{where}")) from None
    except yaml.YAMLError as exc:
        raise ConfigError(error(name, 1, "", f"not valid YAML: {shorten(str(exc), 200)}")) from None
    finally:
        loader.dispose()
    if value is not None and not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"the single value {shorten(value)}"
        raise ConfigError(error(name, 1, "", f"expected a mapping of settings (key: value lines), found {kind}"))
    return value or {}, _lines(node)


def _docs_dir(raw: Mapping[str, Any], root: Path, name: str, lines: _Lines) -> tuple[Path, list[Problem]]:
    """The docs dir mkdocs.yml names (MkDocs' default ``docs`` when it names none), and whether it is one."""
    value = raw.get("docs_dir")
    line = lines.top.get("docs_dir", 1)
    if value is None:
        docs_dir = root / DEFAULT_DOCS_DIR
        if not docs_dir.is_dir():
            message = f"no docs_dir, and MkDocs' default folder '{DEFAULT_DOCS_DIR}' does not exist; set docs_dir: to the folder of the notes"
            return docs_dir, [error(name, line, "docs_dir", message)]
        return docs_dir, []
    if not isinstance(value, str) or not value.strip():
        message = f"'docs_dir' expects the name of the folder of the notes, such as briefings; found {_found(value)}"
        return root / DEFAULT_DOCS_DIR, [error(name, line, "docs_dir", message)]
    docs_dir = root / value
    if not docs_dir.is_dir():
        found = "is a file" if docs_dir.exists() else "does not exist"
        message = f"'docs_dir' expects an existing folder (relative to {name}); {shorten(value)} {found}"
        return docs_dir, [error(name, line, "docs_dir", message)]
    return docs_dir, []


def _options(raw: Mapping[str, Any], name: str, lines: _Lines) -> tuple[Options, list[Problem]]:
    values = _plugin_options(raw.get("plugins"))
    if values is None:
        return Options(), []
    if not isinstance(values, dict):
        message = f"the briefing plugin's options must be a mapping (templates_dir, recent_weeks ...); found {_found(values)}"
        return Options(), [error(name, lines.plugin, PLUGIN, message)]
    return Options.checked(values, name, lines.options, lines.plugin)


def read_config(config_file: Path, name: str | None = None) -> SiteConfig:
    """The SiteConfig of the site whose MkDocs configuration is ``config_file``.

    A missing file gives the defaults of a site in the current folder
    (``briefings/`` as the docs dir, as this project lays it out). What is
    wrong in the file (a plugin option of the wrong type, an unknown option,
    no docs dir) is in ``problems``, reported as ``name:line`` (``name``:
    how to call the file, by default as given); the defaults stand in for
    what is wrong, so the rest of the site can still be checked. Raises
    ``ConfigError`` when the file cannot be read at all.
    """
    name = name or str(config_file)
    root = config_file.resolve().parent
    raw: dict[str, Any] = {}
    lines = _Lines()
    problems: list[Problem] = []
    if config_file.is_file():
        raw, lines = _load(config_file, name)
        docs_dir, problems = _docs_dir(raw, root, name, lines)
    else:
        docs_dir = root / "briefings"
    options, option_problems = _options(raw, name, lines)
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    return SiteConfig(
        docs_dir=docs_dir,
        root=root,
        site_name=str(raw.get("site_name") or "Briefings"),
        site_url=str(raw["site_url"]) if raw.get("site_url") else None,
        site_description=str(raw.get("site_description") or ""),
        language=str((theme or {}).get("language") or "en"),
        directory_urls=bool(raw.get("use_directory_urls", True)),
        markdown_extensions=_extensions(raw.get("markdown_extensions")),
        options=options,
        source=raw,
        problems=tuple(sorted([*problems, *option_problems], key=lambda p: p.line)),
    )
