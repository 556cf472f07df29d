"""A deterministic synthetic corpus of source notes, written as three MkDocs sites.

``generate(n, seed, shape)`` invents ``n`` notes spread over four years
(2023-2026, so ISO week-years differ from calendar years at the edges and
2026-W53 exists), entities used with a Zipf-like skew (a few are named all the
time, most rarely), 40 tags, multi-week stories, editors' ledes, and bodies of
about 250 words with lists, a quote in the source's language and an
occasional table, from English, French, Chinese and German sources. Two
shapes (``SHAPES``): ``narrow`` (4 topics, a fifth of the notes in two of
them, 2-6 of 200 entities per note) and ``wide`` (8 topics, half the notes in
two, 1-4 of 60 busier entities per note: many more weekly pages). The same
seed gives the same bytes: only ``random.Random(seed)`` decides anything, and
nothing iterates over a set or depends on the clock.

``write_sites(corpus, root)`` writes the same notes three ways:

- ``ours/``: our site, ``mkdocs.yml`` like the shipped one (Material, the
  ``briefing`` plugin, which indexes the site with Pagefind, and ``tags``)
  over ``briefings/``;
- ``blog/``: Material's blog plugin, one post per note under
  ``docs/blog/posts/YYYY/`` (front matter: ``date``, ``categories`` = topic
  titles, ``tags``, ``draft: false``; the title as the H1, the summary as the
  excerpt before ``<!-- more -->``), with Material's ``search``;
- ``plain/``: plain MkDocs + Material, the note files as they are under
  ``docs/notes/`` with MkDocs' automatic navigation and no plugin but
  ``search`` and ``tags``.

All three share the theme, its features and the Markdown extensions; each
has its search, so the differences measured are the plugins', the search's
and the navigation's. Run ``python -m bench.corpus N OUT_DIR`` to write one by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.slugs import entity_slug, title_slug
from generator.weeks import IsoWeek

SEED = 20250911
START = dt.date(2023, 1, 1)  # a Sunday: ISO week 2022-W52
END = dt.date(2026, 12, 31)  # a Thursday of 2026-W53
# Dates the first notes always take, so the week-year edge cases are always there.
PINNED_DATES = (
    dt.date(2023, 1, 1),  # 2022-W52
    dt.date(2024, 12, 30),  # 2025-W01, filed under notes/2024/
    dt.date(2026, 1, 1),  # 2026-W01
    dt.date(2026, 12, 28),  # 2026-W53
    dt.date(2026, 12, 31),  # 2026-W53
)

TOPICS = (
    ("ai-chip-self-sufficiency", "AI chip self-sufficiency", "Chinese firms moving from Nvidia GPUs to in-house accelerators."),
    ("export-controls", "Export controls", "US, Dutch and Japanese rules on chips and tools sold to China."),
    ("chip-manufacturing", "Chip manufacturing", "Foundries, lithography, yields and capacity in China's fabs."),
    ("hbm-memory", "High-bandwidth memory", "HBM supply, domestic memory makers and advanced packaging."),
)
TOPIC_WEIGHTS = (5, 3, 3, 2)
MORE_TOPICS = (
    ("ai-chip-self-sufficiency", "AI chip self-sufficiency", "Chinese firms moving from Nvidia GPUs to in-house accelerators."),
    ("export-controls", "Export controls", "US, Dutch and Japanese rules on chips and tools sold to China."),
    ("chip-manufacturing", "Chip manufacturing", "Foundries, lithography, yields and capacity in China's fabs."),
    ("hbm-memory", "High-bandwidth memory", "HBM supply, domestic memory makers and advanced packaging."),
    ("ai-models", "AI models", "Chinese labs' models and what they are trained and served on."),
    ("data-centres", "Data centres", "Compute build-out, power and cloud capacity in China."),
    ("chip-equipment", "Chip equipment", "Lithography, etching and deposition tools, domestic and imported."),
    ("industrial-policy", "Industrial policy", "State funds, subsidies, procurement rules and listings."),
)


@dataclass(frozen=True)
class Shape:
    """How a corpus is spread: over how many topics, with how many topics and entities per note."""

    name: str
    topics: tuple[tuple[str, str, str], ...]
    topic_weights: tuple[int, ...]
    second_topic: float  # the chance that a note is in a second topic too
    entities: int  # how many different entities the corpus names
    per_note: tuple[int, int]  # entities per note, at least and at most


SHAPES = {
    # Our own: four topics, most notes in one, about 200 entities with a long tail.
    "narrow": Shape("narrow", TOPICS, TOPIC_WEIGHTS, 0.2, 200, (2, 6)),
    # A team that covers many topics: eight, half the notes in two; fewer but busier entities.
    "wide": Shape("wide", MORE_TOPICS, (4, 3, 3, 2, 2, 2, 2, 2), 0.5, 60, (1, 4)),
}

SOURCES = {
    "en": (
        ("Reuters", "www.reuters.com"),
        ("Bloomberg", "www.bloomberg.com"),
        ("The Information", "www.theinformation.com"),
        ("Financial Times", "www.ft.com"),
        ("Tom's Hardware", "www.tomshardware.com"),
        ("SemiAnalysis", "semianalysis.com"),
        ("Nikkei Asia", "asia.nikkei.com"),
        ("South China Morning Post", "www.scmp.com"),
        ("Federal Register", "www.federalregister.gov"),
    ),
    "fr": (("Les Echos", "www.lesechos.fr"), ("Le Monde", "www.lemonde.fr"), ("L'Usine Nouvelle", "www.usinenouvelle.com")),
    "zh": (("财新", "www.caixin.com"), ("36氪", "36kr.com"), ("第一财经", "www.yicai.com"), ("新浪科技", "tech.sina.com.cn")),
    "de": (("Handelsblatt", "www.handelsblatt.com"), ("heise online", "www.heise.de"), ("FAZ", "www.faz.net")),
}
LANGUAGES = ("en", "zh", "fr", "de")
LANGUAGE_WEIGHTS = (55, 20, 15, 10)

COMPANIES = (
    "Huawei", "Alibaba", "Baidu", "Tencent", "SMIC", "Cambricon", "Hygon", "Moore Threads", "Biren", "MetaX",
    "Iluvatar CoreX", "Enflame", "CXMT", "YMTC", "Naura", "AMEC", "SMEE", "Hua Hong", "ByteDance", "DeepSeek",
    "Nvidia", "AMD", "Intel", "TSMC", "ASML", "Tokyo Electron", "Samsung", "SK Hynix", "Micron", "Applied Materials",
    "Lam Research", "KLA", "BIS", "MIIT", "MOFCOM", "CAC", "SAMR", "NDRC", "Zhipu", "Moonshot",
    "华为海思", "寒武纪", "中芯国际", "长鑫存储", "壁仞科技",
)  # fmt: skip
PRODUCT_LINES = ("Ascend", "Kunlun", "Zhenwu", "Hanguang", "MTT", "BR", "Siyuan", "DCU", "Atlas", "CloudMatrix", "HBM", "Xiling")  # fmt: skip
PRODUCT_SUFFIXES = ("910C", "910D", "920", "950PR", "P800", "P900", "PPU", "S4000", "100", "104", "590", "Z100", "384", "3E", "X2", "K200")  # fmt: skip
GIVEN = ("Wei", "Lei", "Jun", "Yan", "Ming", "Hui", "Jing", "Tao", "Gina", "Howard", "Jensen", "Lisa", "Peter", "Anna", "Ren")  # fmt: skip
FAMILY = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Raimondo", "Lutnick", "Huang", "Su", "Kessler")  # fmt: skip
TAGS = (
    "training", "inference", "licensing", "hbm", "packaging", "lithography", "euv", "duv", "yields", "subsidies",
    "earnings", "supply-chain", "smuggling", "data-centres", "llm", "benchmarks", "antitrust", "procurement", "cloud", "talent",
    "standards", "open-source", "chiplets", "foundry", "memory", "stockpiling", "tariffs", "entity-list", "rumour", "capex",
    "roadmap", "power", "networking", "software-stack", "cuda", "rental", "pricing", "state-funds", "ipo", "retaliation",
)  # fmt: skip
VERBS = (
    "expands", "cuts", "doubles", "delays", "launches", "tests", "orders", "halts", "resumes", "confirms", "denies", "plans",
    "accelerates", "scales back", "qualifies", "licenses", "ships", "stockpiles", "benchmarks", "prices",
)  # fmt: skip
OBJECTS = (
    "production of its training accelerators", "shipments to Chinese cloud providers", "a new AI cluster in Guizhou",
    "orders for domestic HBM", "its 7 nm capacity", "tests of a domestic DUV scanner", "purchases of Nvidia H20 chips",
    "a licence regime for advanced GPUs", "a software stack to replace CUDA", "an inference chip for data centres",
    "subsidies for domestic accelerators", "its roadmap to 2028", "a probe of chip smuggling", "yields at its newest fab",
    "talks with state-backed funds", "a chiplet design for large models", "exports of etching tools", "rental prices for GPU servers",
)  # fmt: skip
WORDS = {
    "en": (
        "the", "chip", "capacity", "export", "controls", "domestic", "accelerator", "training", "inference", "cluster",
        "yield", "foundry", "supply", "demand", "licence", "model", "memory", "bandwidth", "packaging", "wafer", "node",
        "cloud", "provider", "government", "subsidy", "investment", "analysts", "report", "quarter", "shipments", "rules",
        "market", "share", "price", "servers", "software", "stack", "developers", "benchmark", "performance", "power",
        "efficiency", "roadmap", "volume", "production", "line", "tools", "equipment", "lithography", "scanner", "etching",
        "deposition", "buyers", "state", "firms", "plans", "sources", "people", "familiar", "with", "matter", "said", "would",
        "could", "likely", "several", "most", "some", "new", "older", "next", "year", "month", "week", "and", "of", "in",
        "for", "to", "on", "by", "as", "from", "than", "more", "less", "while", "because", "since", "after", "before",
        "which", "that", "this", "its", "their", "shift", "pressure", "risk", "constraint", "bottleneck", "gap", "lead",
        "generation", "behind", "ahead", "exports", "imports", "stockpile", "inventory", "orders", "contracts", "tender",
    ),
    "fr": (
        "l'autosuffisance", "l'industrie", "d'approvisionnement", "l'export", "les", "puces", "semi-conducteurs", "la",
        "chaîne", "de", "valeur", "contrôles", "à", "capacité", "production", "nationale", "entreprises", "chinoises", "des",
        "accélérateurs", "l'intelligence", "artificielle", "gouvernement", "subventions", "marché", "prix", "fonderie",
        "rendement", "gravure", "outils", "clients", "selon", "plusieurs", "sources", "le", "nouveau", "plan", "pour",
        "avec", "sans", "entre", "mais", "aussi", "encore", "déjà", "d'ici", "l'année", "prochaine", "Pékin", "Washington",
    ),
    "de": (
        "die", "der", "das", "Halbleiter", "Exportkontrollen", "Lieferkette", "Chips", "Rechenzentren", "Kapazität",
        "Produktion", "heimische", "Hersteller", "Beschleuniger", "Regierung", "Subventionen", "Markt", "Preise", "Ausbeute",
        "Fertigung", "Werkzeuge", "Kunden", "nach", "Angaben", "mehrerer", "Quellen", "neue", "Plan", "für", "mit", "ohne",
        "zwischen", "aber", "auch", "noch", "bereits", "bis", "nächsten", "Jahr", "Peking", "Washington", "und", "im", "zum",
    ),
    "zh": (
        "芯片", "自主", "国产", "算力", "训练", "推理", "出口管制", "供应链", "昇腾", "先进制程", "良率", "光刻机", "存储",
        "高带宽", "数据中心", "大模型", "采购", "补贴", "产能", "客户", "消息人士", "表示", "预计", "明年", "加速", "替代",
        "英伟达", "华为", "阿里", "百度", "政府", "企业", "市场", "价格", "生态", "软件", "集群", "服务器", "交付", "测试",
    ),
}  # fmt: skip
CONFIDENCE = ("almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance", "likely", "very-likely", "almost-certain")


@dataclass(frozen=True)
class SyntheticNote:
    """One invented note: its file path below ``notes/``, front matter values and body."""

    rel: str  # "2025/2025-09-11-huawei-expands-....md"
    title: str
    date: dt.date
    topics: tuple[str, ...]
    source: dict[str, object]
    summary: str
    entities: tuple[str, ...]
    tags: tuple[str, ...]
    importance: int
    confidence: str | None
    story: str | None
    original_title: str | None
    body: str


@dataclass
class Corpus:
    seed: int
    notes: list[SyntheticNote]
    entities: list[str]
    ledes: dict[str, str] = field(default_factory=dict)  # "weeks/2025-W37.md" -> text
    topics: tuple[tuple[str, str, str], ...] = TOPICS


def _scalar(value: str) -> str:
    """A YAML scalar for ``value``: plain when that reads back as the same string, else double-quoted."""
    plain = not re.search(r": |:$| #|[\"\[\]{},&*!|>%@`]", value) and value[:1] not in "'-?#:"
    if plain and yaml.load(f"k: {value}", Loader=yaml.CSafeLoader) == {"k": value}:
        return value  # "Tom's Hardware": an apostrophe inside a plain scalar is fine
    return json.dumps(value, ensure_ascii=False)


def _flow(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


class _Writer:
    """Everything random about the corpus, drawn from one seeded generator in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, options: tuple[str, ...] | list[str], weights: tuple[float, ...] | list[float] | None = None) -> str:
        return self.rng.choices(options, weights=weights)[0]

    def distinct(self, options: list[str], weights: list[float], k: int) -> tuple[str, ...]:
        chosen: list[str] = []
        while len(chosen) < k:
            name = self.pick(options, weights)
            if name not in chosen:
                chosen.append(name)
        return tuple(chosen)

    def sentence(self, language: str, low: int = 9, high: int = 17, names: tuple[str, ...] = ()) -> str:
        words = list(self.rng.choices(WORDS[language], k=self.rng.randint(low, high)))
        if names:
            words.insert(self.rng.randrange(len(words)), self.pick(names))
        if language == "zh":
            return "".join(words) + "。"
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, language: str, count: int, names: tuple[str, ...] = ()) -> str:
        return " ".join(self.sentence(language, names=names) for _ in range(count))


def _entities(w: _Writer, count: int = 200) -> list[str]:
    """About ``count`` entity names with distinct slugs, the most used ones first."""
    candidates: list[str] = list(COMPANIES)
    for line in PRODUCT_LINES:
        for suffix in PRODUCT_SUFFIXES:
            candidates.append(f"{line} {suffix}")
    for family in FAMILY:
        for given in GIVEN:
            candidates.append(f"{given} {family}")
    head, tail = candidates[:20], candidates[20:]
    w.rng.shuffle(tail)  # the famous names stay on top; the rest in a seeded order
    names: list[str] = []
    slugs: set[str] = set()
    for name in head + tail:
        slug = entity_slug(name)
        if slug and slug not in slugs:
            slugs.add(slug)
            names.append(name)
        if len(names) == count:
            break
    return names


def _body(w: _Writer, language: str, names: tuple[str, ...], url: str) -> str:
    points = "\n".join(f"- {w.sentence('en', 10, 16, names)}" for _ in range(4))
    quote = w.sentence(language, 14, 22)
    parts = [
        "**Key points**",
        points,
        f"> {quote}",
    ]
    if language != "en":
        parts.append(f"*Translation:* {w.sentence('en', 14, 22)}")
    parts += ["**Analysis**", w.paragraph("en", 4, names), w.paragraph("en", 3, names)]
    if w.rng.random() < 0.1:
        rows = "\n".join(f"| {w.pick(names)} | {w.rng.randint(1, 900)} | {w.pick(('up', 'down', 'flat'))} |" for _ in range(3))
        parts.append("| Entity | Units (k) | Trend |\n|---|---|---|\n" + rows)
    parts.append(f"See [the original report]({url}) for the full text.")
    return "\n\n".join(parts) + "\n"


def generate(n: int, seed: int = SEED, shape: Shape = SHAPES["narrow"]) -> Corpus:
    """Invent ``n`` notes; the same ``n``, ``seed`` and ``shape`` always give the same corpus."""
    w = _Writer(seed)
    entities = _entities(w, shape.entities)
    entity_weights = [1 / (rank + 1) ** 1.07 for rank in range(len(entities))]
    tag_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(TAGS))]
    topic_slugs = [slug for slug, _, _ in shape.topics]
    topic_weights = shape.topic_weights
    span = (END - START).days
    stories = []
    for index in range(max(4, n // 25)):
        start = START + dt.timedelta(days=w.rng.randrange(span - 60))
        stories.append((f"story-{index + 1:03d}", w.pick(topic_slugs, topic_weights), start, w.rng.randint(1, 8)))
    notes: list[SyntheticNote] = []
    used_titles: set[str] = set()
    used_paths: set[str] = set()
    for index in range(n):
        story = stories[w.rng.randrange(len(stories))] if w.rng.random() < 0.15 else None
        if index < len(PINNED_DATES):
            date = PINNED_DATES[index]
        elif story:
            date = min(END, story[2] + dt.timedelta(days=w.rng.randrange(story[3] * 7)))
        else:
            date = START + dt.timedelta(days=w.rng.randrange(span + 1))
        first = story[1] if story else w.pick(topic_slugs, topic_weights)
        topics: tuple[str, ...] = (first,)
        if w.rng.random() < shape.second_topic:
            second = w.pick(topic_slugs, topic_weights)
            if second != first:
                topics = (first, second)
        names = w.distinct(entities, entity_weights, w.rng.randint(*shape.per_note))
        tags = w.distinct(list(TAGS), tag_weights, w.rng.randint(1, 3))
        language = w.pick(LANGUAGES, LANGUAGE_WEIGHTS)
        source_name, domain = SOURCES[language][w.rng.randrange(len(SOURCES[language]))]
        title = f"{names[0]} {w.pick(VERBS)} {w.pick(OBJECTS)}"
        while title in used_titles:
            title = f"{w.pick(names)} {w.pick(VERBS)} {w.pick(OBJECTS)}"
            if title in used_titles:
                title += f", {w.pick(('says', 'reports', 'hints'))} {w.pick(entities[:40])}"
        used_titles.add(title)
        stem = f"{date.isoformat()}-{title_slug(title)}"
        rel = f"{date.year}/{stem}.md"
        suffix = 2
        while rel in used_paths:
            rel, suffix = f"{date.year}/{stem}-{suffix}.md", suffix + 1
        used_paths.add(rel)
        url = f"https://{domain}/{date.year}/{date.month:02d}/{title_slug(title)}"
        source: dict[str, object] = {"name": source_name, "url": url, "language": language}
        if w.rng.random() < 0.5:
            source["published"] = date - dt.timedelta(days=w.rng.randint(0, 2))
        if w.rng.random() < 0.4:
            source["author"] = f"{w.pick(GIVEN)} {w.pick(FAMILY)}"
        if w.rng.random() < 0.7:
            source["reliability"] = w.pick(("A", "B", "C", "D", "E", "F"), (10, 40, 30, 10, 5, 5))
            source["credibility"] = w.rng.randint(1, 6)
        if w.rng.random() < 0.2:
            source["archived_url"] = f"https://web.archive.org/web/{date:%Y%m%d}000000/{url}"
        summary = f"{title}, according to {source_name}. {w.sentence('en', 12, 20, names)}"
        notes.append(
            SyntheticNote(
                rel=rel,
                title=title,
                date=date,
                topics=topics,
                source=source,
                summary=summary,
                entities=names,
                tags=tags,
                importance=int(w.pick(("1", "2", "3", "4", "5"), (10, 20, 40, 20, 10))),
                confidence=w.pick(CONFIDENCE) if w.rng.random() < 0.6 else None,
                story=story[0] if story else None,
                original_title=w.sentence(language, 6, 10).rstrip(".。") if language != "en" else None,
                body=_body(w, language, names, url),
            )
        )
    return Corpus(seed, notes, entities, _ledes(w, notes), shape.topics)


def _ledes(w: _Writer, notes: list[SyntheticNote]) -> dict[str, str]:
    """Editors' ledes for about one week in twelve (always the latest, as editors do), and one topic-week in twenty."""
    weeks: dict[IsoWeek, list[str]] = {}
    for note in notes:
        topics = weeks.setdefault(IsoWeek.of(note.date), [])
        topics.extend(t for t in note.topics if t not in topics)
    ledes: dict[str, str] = {}
    for week in sorted(weeks):
        watch = "\n".join(f"  - {w.sentence('en', 6, 10)}" for _ in range(2))
        if w.rng.random() < 1 / 12 or week == max(weeks):
            ledes[f"weeks/{week.label}.md"] = f"---\nwatch:\n{watch}\n---\n{w.paragraph('en', 3)}\n"
        for topic in weeks[week]:
            if w.rng.random() < 1 / 20:
                ledes[f"weeks/{week.label}/{topic}.md"] = f"---\nwatch:\n{watch}\n---\n{w.paragraph('en', 2)}\n"
    return ledes


def note_text(note: SyntheticNote) -> str:
    """The note file as an editor would write it (section 3 of the spec)."""
    lines = [
        "---",
        f"title: {_scalar(note.title)}",
        f"date: {note.date.isoformat()}",
        f"topics: {_flow(note.topics)}",
        "source:",
    ]
    for key, value in note.source.items():
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        lines.append(f"  {key}: {text if isinstance(value, (int, dt.date)) else _scalar(text)}")
    lines.append(f"summary: {_scalar(note.summary)}")
    if note.original_title:
        lines.append(f"original_title: {_scalar(note.original_title)}")
    lines += [f"entities: {_flow(note.entities)}", f"tags: {_flow(note.tags)}", f"importance: {note.importance}"]
    if note.confidence:
        lines.append(f"confidence: {note.confidence}")
    if note.story:
        lines.append(f"story: {note.story}")
    lines += ["draft: false", "---", note.body]
    return "\n".join(lines)


def post_text(note: SyntheticNote, topic_titles: dict[str, str]) -> str:
    """The same note as a Material blog post: the front matter the blog plugin reads, the title as H1."""
    categories = tuple(topic_titles[t] for t in note.topics)
    source = note.source
    return (
        "---\n"
        f"date: {note.date.isoformat()}\n"
        f"categories: {_flow(categories)}\n"
        f"tags: {_flow(note.tags)}\n"
        "draft: false\n"
        "---\n"
        f"# {note.title}\n\n"
        f"{note.date.isoformat()} · [{source['name']}]({source['url']}) · importance {note.importance}\n\n"
        f"{note.summary}\n\n<!-- more -->\n\n{note.body}"
    )


def topic_text(slug: str, title: str, description: str, order: int, entities: list[str]) -> str:
    watch = _flow(tuple(entities[order * 3 : order * 3 + 5]))
    return (
        f"---\ntitle: {_scalar(title)}\ndescription: {_scalar(description)}\nentities: {watch}\norder: {order}\n---\n"
        f"{title}: a synthetic topic for the benchmark. It covers {description[0].lower() + description[1:]}\n"
    )


THEME = """\
theme:
  name: material
  language: en
  features:
    - navigation.instant
    - navigation.instant.progress
    - navigation.tracking
    - navigation.top
    - navigation.indexes
    - search.suggest
    - search.highlight
    - toc.follow
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
"""
SEARCH = """\
  - search:
      lang: [en, fr]
      separator: '[\\s\\-,:!=\\[\\]()"/''’]+|\\.(?!\\d)'
"""


def _config(name: str, docs_dir: str, plugins: str, search: str = SEARCH) -> str:
    return f"site_name: {name}\nsite_url: https://example.org/briefings/\ndocs_dir: {docs_dir}\n\n{THEME}\nplugins:\n{search}{plugins}"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_sites(corpus: Corpus, root: Path) -> dict[str, Path]:
    """Write the three sites of ``corpus`` under ``root`` (replacing them); returns {variant: site folder}."""
    n = len(corpus.notes)
    sites = {"ours": root / "ours", "blog": root / "blog", "plain": root / "plain"}
    for folder in sites.values():
        if folder.exists():
            shutil.rmtree(folder)
    titles = {slug: title for slug, title, _ in corpus.topics}
    home = f"# Synthetic briefings\n\nA benchmark corpus of {n} notes (seed {corpus.seed}).\n"
    topic_files = {
        f"topics/{slug}.md": topic_text(slug, title, description, order, corpus.entities)
        for order, (slug, title, description) in enumerate(corpus.topics)
    }
    notes = {f"notes/{note.rel}": note_text(note) for note in corpus.notes}

    ours = sites["ours"]
    # As shipped: no Material search plugin, so the briefing plugin indexes the site with Pagefind.
    _write(ours / "mkdocs.yml", _config(f"Briefings ({n} notes)", "briefings", "  - briefing\n  - tags\n", search=""))
    for rel, text in {"index.md": home, **topic_files, **notes, **corpus.ledes}.items():
        _write(ours / "briefings" / rel, text)

    blog = sites["blog"]
    _write(blog / "mkdocs.yml", _config(f"Blog ({n} notes)", "docs", "  - blog\n  - tags\n"))
    _write(blog / "docs/index.md", home)
    _write(blog / "docs/blog/index.md", "# Blog\n")
    for rel, text in topic_files.items():
        _write(blog / "docs" / rel, text)
    for note in corpus.notes:
        _write(blog / "docs/blog/posts" / note.rel, post_text(note, titles))

    plain = sites["plain"]
    _write(plain / "mkdocs.yml", _config(f"Plain pages ({n} notes)", "docs", "  - tags\n"))
    for rel, text in {"index.md": home, **topic_files, **notes}.items():
        _write(plain / "docs" / rel, text)
    return sites


def note_path(site: Path, note: SyntheticNote) -> Path:
    """Where ``note`` lives in our site written by ``write_sites``."""
    return site / "briefings" / "notes" / note.rel


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus as three MkDocs sites (ours, blog, plain).")
    parser.add_argument("n", type=int, help="number of notes, e.g. 1000")
    parser.add_argument("out", type=Path, help="folder to write ours/, blog/ and plain/ into")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="narrow", help="how the notes spread over topics and entities")
    args = parser.parse_args(argv)
    sites = write_sites(generate(args.n, args.seed, SHAPES[args.shape]), args.out)
    for name, path in sites.items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
