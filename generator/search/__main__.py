"""``python -m generator.search SITE_DIR``: index a site another engine built (Zensical, ProperDocs).

The site's pages must carry the theme's marks (``generator/theme``); the
bundle goes to ``SITE_DIR/pagefind/``. Example::

    zensical build && python -m generator.search site
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.search.pagefind import SearchIndexError, index_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.search",
        description="Index a built site with Pagefind into SITE_DIR/pagefind/.",
        epilog="example: python -m generator.search site",
    )
    parser.add_argument("site_dir", type=Path, help="the built site, e.g. site")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir():
        print(f"{args.site_dir}: no such folder; build the site first", file=sys.stderr)
        return 2
    try:
        report = index_site(args.site_dir)
    except SearchIndexError as error:
        print(error, file=sys.stderr)
        return 1
    languages = ", ".join(report.languages) or "none"
    print(
        f"indexed {report.pages} pages ({report.rewritten} rewritten) in {report.seconds:.1f} s: "
        f"{report.files} files, {report.bytes / 1e6:.1f} MB, languages {languages}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
