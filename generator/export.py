"""``briefing export``: the whole site as a self-contained Markdown project, for any engine.

The project is what the MkDocs plugin hands MkDocs, written to disk:

- ``docs/``: every page the site publishes, each with its front matter
  (title, description, tags, the ``<head>`` additions), at the path of the
  page it becomes (``weeks/2025-W37/chips/index.md`` for
  ``weeks/2025-W37/chips/``, see ``generator.paths.document_path``); the
  stylesheet, the feeds and the editors' own files (images);
- ``overrides/``: the theme templates the site adds (the 404 page, the
  ``<head>`` additions), and the site's own ``custom_dir`` over them;
- ``mkdocs.yml``: the site's configuration without the ``briefing`` plugin,
  with the navigation written out, so that an engine that runs no plugins
  (Zensical) or plain MkDocs builds the same site.

Writing is careful: only files whose bytes changed are written, each
atomically (readers see the old file or the new one), made durable with one
``sync`` at the end instead of one per file; files a previous export wrote
and this one does not are removed (the manifest records what was written,
with a hash, and is treated as untrusted); nothing is ever written or
removed through a symbolic link out of the folder, and nothing else in it is
touched.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from generator import blocks, paths
from generator.files import OutsideTarget, inside, write_if_changed
from generator.site import NavItem, Page, Site

MANIFEST = ".briefing-export.json"
DOCS = "docs"
OVERRIDES = "overrides"
CONFIG = "mkdocs.yml"
SITE = "site"  # where an engine building the project writes the site (inside the project, as Zensical requires)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class ExportResult:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())


class UnsafeOutput(ValueError):
    """The output folder would overwrite what editors write."""


def page_document(markdown: str, meta: dict[str, Any]) -> str:
    """A page as a Markdown file with YAML front matter (python-frontmatter writes it)."""
    return frontmatter.dumps(frontmatter.Post(markdown, **meta), Dumper=_DUMPER, sort_keys=False) + "\n"


# Zensical draws its own header and search box (and indexes the site itself); the theme
# files that put Pagefind into Material's header are for Material's templates only.
MATERIAL_SEARCH_FILES = frozenset(
    {"partials/header.html", "partials/bf-search.html", "assets/briefing/search.js", "assets/briefing/search.css"}
)
ENGINES = ("zensical", "mkdocs", "properdocs")


def project_files(site: Site, engine: str = "zensical") -> Iterator[tuple[str, bytes]]:
    """(path relative to the project, bytes) of everything the project holds, in a stable order.

    For ``zensical`` the project uses Zensical's own search; for MkDocs and
    ProperDocs (Material's templates), Pagefind's, after ``python -m
    generator.search SITE_DIR`` indexes what they built.
    """
    directory_urls = site.config.directory_urls
    for page in site.pages:
        document = paths.document_path(page.path, directory_urls)
        yield f"{DOCS}/{document}", page_document(engine_markdown(page, engine), page.meta()).encode("utf-8")
    for static in site.files:
        yield f"{DOCS}/{static.path}", static.data
    skip = MATERIAL_SEARCH_FILES if engine == "zensical" else frozenset()
    yield from ((rel, data) for rel, data in _theme_files(site) if rel.removeprefix(f"{OVERRIDES}/") not in skip)
    yield CONFIG, project_config(site, engine).encode("utf-8")


def engine_markdown(page: Page, engine: str) -> str:
    """The page's Markdown for ``engine``.

    Zensical indexes what it builds with its own search, which honours
    ``data-search-exclude``: briefings, digests, topic and entity pages, which
    repeat the notes' titles and summaries, are found by their title only, so
    a query lists each note once (as Pagefind's marks do on Material's engines).
    """
    if engine == "zensical" and page.search == "title":
        return blocks.to_markdown(page.blocks, title_only_search=True)
    return page.markdown


def _theme_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The package's theme templates, then the site's own custom_dir over them (the site's win)."""
    found: dict[str, Path] = {}
    theme = site.config.source.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    for folder in (site.theme_dir, site.config.root / str(custom) if custom else None):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
                found[path.relative_to(folder).as_posix()] = path
    for rel, path in sorted(found.items()):
        yield f"{OVERRIDES}/{rel}", path.read_bytes()


def _nav(items: tuple[NavItem, ...], directory_urls: bool) -> list[Any]:
    # Titles are HTML: the theme places nav titles as they are.
    return [
        {
            html.escape(item.title): _nav(item.children, directory_urls)
            if item.children
            else paths.document_path(item.path or "", directory_urls)
        }
        for item in items
    ]


def _own_nav(items: Any, directory_urls: bool) -> Any:
    """The site's own navigation from mkdocs.yml (which the plugin keeps too), pointing at where pages are written."""
    if isinstance(items, list):
        return [_own_nav(item, directory_urls) for item in items]
    if isinstance(items, dict):
        return {title: _own_nav(value, directory_urls) for title, value in items.items()}
    if isinstance(items, str) and "://" not in items:
        return paths.document_path(items, directory_urls)
    return items


def project_config(site: Site, engine: str = "zensical") -> str:
    """mkdocs.yml of the exported project: the site's own settings, without the briefing plugin."""
    source = dict(site.config.source)
    theme = dict(source.get("theme") or {"name": "material"}) if isinstance(source.get("theme"), dict) else {"name": "material"}
    theme["custom_dir"] = OVERRIDES
    theme["font"] = False  # no web fonts from Google: see generator.mkdocs.plugin
    theme.setdefault("variant", "classic")  # Zensical: Material's look (its "modern" variant differs); MkDocs ignores it
    extensions = list(source.get("markdown_extensions") or [])
    names = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    if "attr_list" not in names:
        extensions.append("attr_list")  # the generator's headings carry {#id}
    given = source.get("plugins") or []
    plugins: Any = (
        {name: options for name, options in given.items() if name != "briefing"}
        if isinstance(given, dict)
        else [p for p in given if (next(iter(p)) if isinstance(p, dict) else p) != "briefing"]
    )
    plugin_names = set(plugins) if isinstance(plugins, dict) else {next(iter(p)) if isinstance(p, dict) else p for p in plugins}
    if engine == "zensical" and not plugin_names & {"search", "material/search"}:
        plugins = {**plugins, "search": {}} if isinstance(plugins, dict) else ["search", *plugins]  # Zensical's own
    extra = dict(source.get("extra") or {})
    extra["briefing_head"] = site.head
    # Pagefind's box on Material's templates when the site has no search plugin (then index the built site).
    extra["briefing_pagefind"] = engine != "zensical" and not plugin_names & {"search", "material/search"}
    config: dict[str, Any] = {
        key: source[key]
        for key in ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name")
        if source.get(key)
    }
    config.update(
        site_name=site.config.site_name,
        docs_dir=DOCS,
        site_dir=SITE,
        edit_uri="",  # the pages are generated: there is no file to edit behind them
        use_directory_urls=site.config.directory_urls,
        theme=theme,
        markdown_extensions=extensions,
        plugins=plugins,
        extra=extra,
        extra_css=[*[c for c in source.get("extra_css") or [] if c != paths.STYLESHEET], paths.STYLESHEET],
        nav=_own_nav(source["nav"], site.config.directory_urls)
        if source.get("nav")
        else _nav(site.nav, site.config.directory_urls),
        not_in_nav="\n".join(
            f"/{folder}/" for folder in (paths.NOTES_DIR, paths.WEEKS_DIR, paths.ENTITIES_DIR, paths.TOPICS_DIR)
        ),
    )
    if source.get("extra_javascript"):
        config["extra_javascript"] = source["extra_javascript"]
    header = "# Written by `briefing export` from the site's mkdocs.yml: edit that one, not this.\n"
    return header + yaml.dump(config, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _check_target(docs_dir: Path, out_dir: Path, config_root: Path) -> Path:
    docs, out, root = docs_dir.resolve(), out_dir.resolve(), config_root.resolve()
    if out in (docs, root) or out.is_relative_to(docs) or docs.is_relative_to(out):
        raise UnsafeOutput(f"refusing to export into {out_dir}: it overlaps the site's own files ({docs_dir})")
    return out


def _read_manifest(out: Path) -> tuple[dict[str, str], list[str]]:
    """What the last export wrote (path: sha256). Untrusted: anything odd is left alone, and said."""
    path = out / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: json nested too deep
        return {}, [f"{MANIFEST} is unreadable ({exc.__class__.__name__}); no old file is removed"]
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        return {}, [f"{MANIFEST} is not a record of this export's files; no old file is removed"]
    return raw, []


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export(site: Site, out_dir: Path, engine: str = "zensical") -> ExportResult:
    """Write the project under ``out_dir`` for ``engine``: only what changed, each file atomically, nothing outside it."""
    out = _check_target(site.config.docs_dir, out_dir, site.config.root)
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged = 0
    hashes: dict[str, str] = {}
    for rel, data in project_files(site, engine):
        target = inside(out, rel)
        hashes[rel] = _hash(data)
        if write_if_changed(target, data, durable=False):
            written.append(rel)
        else:
            unchanged += 1
    previous, warnings = _read_manifest(out)
    removed = []
    for rel, digest in sorted(previous.items()):
        if rel in hashes:
            continue
        try:
            target = inside(out, rel)
        except OutsideTarget:
            warnings.append(f"{MANIFEST} lists {rel!r}, which is not inside the export; left alone")
            continue
        try:  # only a file this export wrote, still as it wrote it (not a link, not edited since)
            if target.is_symlink() or not target.is_file() or _hash(target.read_bytes()) != digest:
                continue
            target.unlink()
        except OSError:
            continue
        removed.append(rel)
        _remove_empty_parents(target.parent, out)
    manifest = json.dumps(dict(sorted(hashes.items())), indent=0).encode("utf-8")
    try:
        write_if_changed(out / MANIFEST, manifest, durable=False)  # a run that changes nothing leaves every mtime alone
    except OSError as exc:
        warnings.append(f"cannot write {MANIFEST} ({exc.strerror or exc}); the next export cannot remove what this one wrote")
    if written or removed:
        os.sync()  # durable once, not once per file
    return ExportResult(tuple(written), unchanged, tuple(removed), tuple(warnings))


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
