"""What the benchmark runs in a fresh child process: ``python -m bench.tasks floor|generator DOCS_DIR``.

Each task prints one JSON line (its own time for the work, after imports, and
what it counted) so the runner can check it did the whole job; the runner
times the whole process from outside.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def floor(docs_dir: Path) -> dict[str, object]:
    """The floor: read every note and parse its front matter with PyYAML's C loader; nothing else."""
    import yaml

    start = time.perf_counter()
    count = 0
    for folder, _dirs, names in os.walk(docs_dir / "notes"):
        for name in names:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            front = text.split("\n---\n", 1)[0].removeprefix("---\n")
            if isinstance(yaml.load(front, Loader=yaml.CSafeLoader), dict):
                count += 1
    return {"seconds": time.perf_counter() - start, "notes": count}


def generator(docs_dir: Path) -> dict[str, object]:
    """The generator's own work: load, validate, assemble and render every page (no MkDocs)."""
    from generator.build import build
    from generator.parallel import compose_all
    from generator.settings import read_config

    start = time.perf_counter()
    site = build(read_config(docs_dir.parent / "mkdocs.yml"))
    compose_all(site.pages, site.files)  # every page and feed composed, as a writer would
    composed = sum(len(page.markdown) > 0 for page in site.pages)
    return {
        "seconds": time.perf_counter() - start,
        "notes": len(site.corpus.notes),
        "pages": composed,
        "problems": len(site.problems),
    }


def main() -> None:
    task, docs_dir = sys.argv[1], Path(sys.argv[2])
    report = {"floor": floor, "generator": generator}[task](docs_dir)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
