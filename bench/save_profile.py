"""Where one section save spends its time: the SQL statements of one JSON save and a
cProfile of many, in process (no gunicorn, no network), on SQLite or PostgreSQL.

    python -m bench.save_profile [sqlite|postgresql] [saves]

Writes ``bench/results/save_profile-<db>.txt``: the statements of one save, then the
functions with the most cumulative time over the run, and the mean time per save.

``bench/results/save_flame-sqlite.folded`` holds the stacks of 1,500 saves sampled by
py-spy (``py-spy record -f raw`` over the same loop, cut to the request and without line
numbers): open it in any flame-graph viewer (speedscope, flamegraph.pl) to see where a
save's time goes.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench import autosave

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def profile(kind: str = "sqlite", saves: int = 400) -> str:
    """Profile ``saves`` JSON saves; returns the statements and the CPU per save."""
    from sqlalchemy import event

    from webapp import create_app
    from webapp.extensions import db

    with ExitStack() as stack:
        if kind == "postgresql":
            url = stack.enter_context(autosave._postgres())
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            url = f"sqlite:///{folder}/profile.db"
        people = autosave._populate(url)
        email, case_id, _ = people["writers"][0]
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False,
                          "PASSWORD_HASH_METHOD": autosave.CHEAP_HASH,
                          "BASE_URL": "http://127.0.0.1"})
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        client.post("/sign-in", data={"email": email, "password": autosave.PASSWORD,
                                      "csrf_token": autosave.CSRF.search(page).group(1)})
        token = autosave.CSRF.search(client.get(f"/cases/{case_id}").get_data(as_text=True)
                                     ).group(1)
        headers = {"X-CSRFToken": token, "Accept": "application/json"}
        version = 0

        def save(text: str) -> None:
            nonlocal version
            answer = client.post(f"/cases/{case_id}/sections/{autosave.SECTION}",
                                 json={"text": text, "version": version}, headers=headers)
            assert answer.status_code == 200, answer.get_data(as_text=True)
            version = answer.get_json()["version"]

        save("warm up")
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(" ".join(statement.split())[:160])

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
        save("one save, counted")
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
        began = time.process_time()
        for i in range(saves):
            save(autosave._text(i))
        cpu = (time.process_time() - began) / saves
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(saves):
            save(autosave._text(saves + i))
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    # Paths as the project names them: no machine's folders in a committed file.
    listing = re.sub(r"\S*/site-packages/", "", out.getvalue())
    listing = listing.replace(str(ROOT) + "/", "").replace(sys.prefix, "python")
    listing = re.sub(r"\S*/lib/python3\.\d+/", "", listing)
    report = [f"# one JSON section save on {kind}: {len(statements)} statements", *statements,
              "", f"# {saves} saves in process, without the profiler: {cpu * 1000:.2f} ms CPU "
              "per save (the test client's share included)", "",
              "# the same number of saves under cProfile, by cumulative time", listing]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"save_profile-{kind}.txt").write_text("\n".join(report))
    return "\n".join(report[:len(statements) + 3])


def figures(saves: int = 300) -> dict:
    """Statements and CPU per save on SQLite, for ``python -m bench`` (PostgreSQL's are in
    the autosave figures)."""
    text = profile("sqlite", saves)
    head = text.splitlines()
    return {"statements_per_save": int(head[0].split(": ")[1].split()[0]),
            "cpu_ms_per_save_in_process": float(head[-1].split(": ")[1].split()[0])}


if __name__ == "__main__":
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")
    print(profile(*(sys.argv[1:2] or ["sqlite"]), *(int(a) for a in sys.argv[2:3])))
