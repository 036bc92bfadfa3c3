"""Screenshots of a page in the test suite's headless Chromium (tests/browser.py), for the README.

    python scripts/screenshots.py PAGE [--name NAME] [--out docs]

writes OUT/NAME-phone.png (390×844) and OUT/NAME-desktop.png (1280×800); NAME defaults to the page's file name
without its suffix. `make screenshots PAGE=review.html NAME=review` runs it. Fails if a screenshot is blank or the
page makes a network request.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import SCREENS, BrowserError, png_colours, screenshot_at, start_chromium  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the HTML file to screenshot")
    parser.add_argument("--name", help="file name prefix (default: the page's name without suffix)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder for the PNGs (default: docs)")
    args = parser.parse_args()
    if not args.page.is_file():
        parser.error(f"{args.page}: no such file")
    name = args.name or args.page.stem
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        browser = start_chromium()
    except (BrowserError, OSError) as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 2
    try:
        for label, (width, height, mobile) in SCREENS.items():
            page = browser.new_page()
            png = screenshot_at(page, args.page, width, height, mobile)
            extra = [url for url in page.requests if url != args.page.resolve().as_uri()]
            page.close()
            if extra:
                print(f"screenshots: {args.page} makes network requests: {extra}", file=sys.stderr)
                return 1
            if png_colours(png) < 2:
                print(f"screenshots: the {label} screenshot of {args.page} is blank", file=sys.stderr)
                return 1
            target = args.out / f"{name}-{label}.png"
            target.write_bytes(png)
            print(f"{target} ({width}×{height}, {len(png):,} bytes)")
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
