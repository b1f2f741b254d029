"""Content check over the whole shipped tree, and content load into an empty SQLite database.

Medians over 5 runs each; the tree is the repository's own content/ and assessments/.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")

from curriculum.loader import load_tree  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.teach.publishing import publish  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def run() -> dict:
    checks, tree = [], None
    for _ in range(5):
        start = time.perf_counter()
        tree = load_tree(ROOT)
        checks.append(time.perf_counter() - start)
    files = sum(1 for base in ("content", "assessments") if (ROOT / base).is_dir()
                for p in (ROOT / base).rglob("*") if p.is_file())
    loads = []
    for _ in range(5):
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'b.sqlite'}",
                              "TESTING": True})
            with app.app_context():
                db.create_all()
                start = time.perf_counter()
                publish(db.session, load_tree(ROOT))
                db.session.commit()
                loads.append(time.perf_counter() - start)
                db.engine.dispose()
    return {
        "content_files": files,
        "versions": tree.summary(),
        "errors": len(tree.report.errors),
        "warnings": len(tree.report.warnings),
        "content_check_ms_median": _median_ms(checks),
        "content_load_empty_sqlite_ms_median": _median_ms(loads),
    }
