"""`make screenshots`: each demo role's home page at 390 px and 1280 px, from a fresh demo.

Builds a throwaway SQLite database the way `make run` does (migrations, course content,
demo), serves it on a free loopback port, signs in as each role in headless Chromium and
writes full-page PNGs to ``screenshots/`` (not kept in git).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "coproduce-demo-2026"  # noqa: S105  (the printed demo password)
ROLES = {
    "admin": "admin@example.org",
    "educator": "educator@example.org",
    "lead": "lead@example.org",
    "coteacher": "coteacher@example.org",
    "student": "student.a@example.org",
    "patient-partner": "patient.a@example.org",
    # Learners of the finished spring term: released feedback, from their side.
    "student-spring": "spring.alva@example.org",
    "patient-partner-spring": "spring.anneli@example.org",
}
SIZES = ((390, 844), (1280, 800))


def _app(folder: Path):
    os.environ.update(COPRODUCE_ENV="development", MAIL_BACKEND="console",
                      DATABASE_URL=f"sqlite:///{folder / 'screens.sqlite'}")
    from webapp import create_app

    app = create_app({"PDF_CACHE_DIR": str(folder / "pdf")})
    runner = app.test_cli_runner()
    for args in (["init-db"], ["content", "load"], ["demo"]):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            sys.exit(f"`coproduce {' '.join(args)}` failed:\n{result.output}")
    return app


def _serve(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for role, email in ROLES.items():
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}/sign-in")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                page.goto(f"{base}/")
                path = OUT / f"{role}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: run `make test` once (it installs it).")
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        server, base = _serve(app)
        try:
            written = _shoot(base)
        finally:
            server.shutdown()
    for path in written:
        print(path.relative_to(ROOT))
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
