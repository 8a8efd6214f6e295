"""`make screenshots`: the README's pictures, taken from the shipped seeds/ in a temporary database.

Run from tests/ as `python -m e2e.screenshots [--color-scheme dark] [--out FOLDER]`.
"""

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from .harness import PROJECT_DIR, create_database, launch_chromium, serve

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHOTS = [
    ("timeline-desktop.png", "/?country=CN&country=IN&importance=1", DESKTOP),
    ("timeline-phone.png", "/", PHONE),
    ("event-page.png", "/events/2020-06-15-galwan-valley-clash", DESKTOP),
    ("relation-page.png", "/relations/IN-CN", DESKTOP),
]
# The time navigator alone, in both colour schemes: the whole range, and zoomed in on the 2020s.
NAVIGATOR_SHOTS = [
    ("navigator-desktop", "/?country=IN&country=CN", DESKTOP),
    ("navigator-desktop-zoomed", "/?country=IN&country=CN&span=2018..2025", DESKTOP),
    ("navigator-phone", "/?country=IN&country=CN", PHONE),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--color-scheme", choices=["light", "dark"], default="light")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as folder:
        database_url = create_database(Path(folder) / "timeline.db", [PROJECT_DIR / "seeds"])
        with serve(database_url, 50, Path(folder) / "server.log") as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for name, path, options in SHOTS:
                context = browser.new_context(base_url=url, color_scheme=args.color_scheme, **options)
                page = context.new_page()
                page.goto(path)
                page.evaluate("document.fonts.ready")
                page.screenshot(path=args.out / name, animations="disabled")
                context.close()
                print(f"{args.out / name}: {url}{path}")
            for name, path, options in NAVIGATOR_SHOTS:
                for scheme in ("light", "dark"):
                    context = browser.new_context(base_url=url, color_scheme=scheme, **options)
                    page = context.new_page()
                    page.goto(path)
                    page.evaluate("document.fonts.ready")
                    shot = args.out / f"{name}-{scheme}.png"
                    page.locator("#navigator").screenshot(path=shot, animations="disabled")
                    context.close()
                    print(f"{shot}: {url}{path}")
            browser.close()


if __name__ == "__main__":
    main()
