"""Autosave under load, through gunicorn (sync workers) on 127.0.0.1, on SQLite and PostgreSQL.

For each database (a SQLite file and a throwaway PostgreSQL 15 cluster, both built by
``coproduce init-db`` and ``coproduce content load``):

- steady autosave: 50 writers, each signed in with its own session in its own group's case,
  save one section every 5 s for 60 s (``BENCH_QUICK=1``: 15 s; ``BENCH_AUTOSAVE_SECONDS``
  sets it outright), always sending the version the last answer gave; start times are spread
  evenly over the first 5 s. p50/p95/p99/max latency of the saves (client side, including the
  TCP connect: sync workers close every connection), answers by status, and the server-side
  time from gunicorn's access log. Target: p95 under 50 ms (reported, never enforced);
- a ramp of 1, 2, 4 … 64 writer threads, each saving to its own case as fast as it can for
  5 s (quick: 3 s), against the app and, step by step in the same run, against a bare Flask
  app (bench/autosave_bare.py) doing the same conditional UPDATE + revision INSERT with raw
  sqlite3 / psycopg on the same tables, served with the same gunicorn settings: saves/s at
  each step, p50/p95 latency, and the ratio app/bare.

Both gunicorns and the PostgreSQL cluster are stopped at the end, also on errors. The load
generator runs on the same machine (threads of one Python process), so it competes with
the workers for the cores; figures are for this machine only.
"""

# ruff: noqa: S603 (runs only the venv's gunicorn and coproduce and PostgreSQL's own programs)

from __future__ import annotations

import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")

from bench.foundation import PASSWORD  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
STEADY_SECONDS = float(os.environ.get("BENCH_AUTOSAVE_SECONDS") or (15 if QUICK else 60))
STEP_SECONDS = 3.0 if QUICK else 5.0
INTERVAL = 5.0
WRITERS = 50
RAMP = (1, 2, 4, 8, 16, 32, 64)
WORKERS = 2 * (os.cpu_count() or 1) + 1
TARGET_P95_MS = 50.0
SECTION, BARE_SECTION = "situation", "emotions"
CHEAP_HASH = "scrypt:1024:8:1"
PROMISES = {"ourselves": "To listen first.", "each_other": "To share the writing.",
            "person": "To write about Ana with respect."}
PARAGRAPH = ("Ana is 34, works nights at the bakery and looks after her two sons. She came "
             "to the clinic because the tiredness no longer goes away after a day off. ")
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
LOG_PATTERNS = {"tracebacks": "Traceback", "database_is_locked": "database is locked",
                "operational_errors": "OperationalError", "worker_timeouts": "WORKER TIMEOUT",
                "errors": "[ERROR]", "critical": "[CRITICAL]"}


# --- helpers ------------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _latency(samples: list[float], points=(50, 95, 99)) -> dict:
    ordered = sorted(samples)
    if not ordered:
        return {}
    out = {f"p{p}_ms": _ms(_percentile(ordered, p)) for p in points}
    out["max_ms"] = _ms(ordered[-1])
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(url: str, **extra) -> dict:
    env = dict(os.environ, COPRODUCE_ENV="production", DATABASE_URL=url,
               SECRET_KEY=os.environ["SECRET_KEY"], PYTHONPATH=str(ROOT),
               BASE_URL="http://127.0.0.1")
    env.update(extra)
    return env


class Client:
    """One browser: its own cookies; a new connection per request (sync workers close them)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, data
        finally:
            conn.close()

    def sign_in(self, email: str, case_id: int) -> None:
        status, page = self.request("GET", "/sign-in")
        token = CSRF.search(page.decode()).group(1)
        form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
        status, page = self.request("POST", "/sign-in", form,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, (email, status, page[:300])
        status, page = self.request("GET", f"/cases/{case_id}")
        assert status == 200, (email, status)
        self.csrf = CSRF.search(page.decode()).group(1)

    def save(self, case_id: int, text: str, version: int) -> tuple[int, dict]:
        body = json.dumps({"text": text, "version": version}).encode()
        status, data = self.request(
            "POST", f"/cases/{case_id}/sections/{SECTION}", body,
            {"Content-Type": "application/json", "Accept": "application/json",
             "X-CSRFToken": self.csrf})
        try:
            answer = json.loads(data)
        except ValueError:
            answer = {}
        return status, answer


def _bare_save(port: int, draft_id: int, account_id: int, text: str,
               version: int) -> tuple[int, dict]:
    body = json.dumps({"text": text, "version": version, "account": account_id}).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", f"/drafts/{draft_id}", body=body,
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, {}


def _text(k: int) -> str:
    """What a writer has typed by its k-th save: about 1,300 characters, growing."""
    return PARAGRAPH * 8 + f"Autosave {k}: " + "more words " * k


# --- processes: PostgreSQL and gunicorn -------------------------------------------------


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def _postgres():
    """A throwaway PostgreSQL 15 cluster, as scripts/with-postgres.sh starts it; yields a URL."""
    folder = Path(tempfile.mkdtemp(prefix="coproduce-pg."))  # postgres must reach it
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    started = False
    try:
        subprocess.run(_as_postgres([str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres",
                                     "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, stdout=subprocess.DEVNULL)
        options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        started = True
        subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-l",
                                     str(folder / "server.log"), "-w", "-t", "60", "start",
                                     "-o", options]), check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                        "postgres", "coproduce_bench"], check=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/coproduce_bench"
    finally:
        if started:
            subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-m",
                                         "immediate", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Server:
    port: int
    pgid: int
    error_log: Path
    access_log: Path

    def cpu(self) -> float | None:
        """CPU seconds used so far by the master and workers (Linux /proc; else None)."""
        return _group_cpu(self.pgid)


def _group_cpu(pgid: int) -> float | None:
    if not Path("/proc/self/stat").exists():
        return None
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended
        if int(fields[2]) == pgid:  # pgrp; utime and stime are fields 14 and 15
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def _gunicorn(app_spec: str, env: dict, logs: Path, name: str):
    """gunicorn with WORKERS sync workers on a free loopback port, in its own process group."""
    port = _free_port()
    error_log, access_log = logs / f"{name}-error.log", logs / f"{name}-access.log"
    args = [str(BIN / "gunicorn"), "--preload", "-w", str(WORKERS), "-k", "sync",
            "-b", f"127.0.0.1:{port}", "--log-level", "info", "--error-logfile", "-",
            "--access-logfile", str(access_log), "--access-logformat", "%(s)s %(D)s %(U)s",
            app_spec]
    with open(error_log, "wb") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=out,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {name} exited: {error_log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield Server(port, process.pid, error_log, access_log)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def _log_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def _server_times(path: Path, start: int, end: int) -> list[float]:
    """Request times (s) of the saves in the access log between two line counts."""
    with open(path) as handle:
        lines = handle.readlines()[start:end]
    return [int(line.split()[1]) / 1e6 for line in lines if "/sections/" in line
            or "/drafts/" in line]


def _log_summary(path: Path) -> dict:
    """Counts of trouble in a gunicorn error log, and the first few distinct such lines."""
    text = path.read_text(errors="replace")
    out: dict = {key: text.count(pattern) for key, pattern in LOG_PATTERNS.items()}
    seen: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\[[^]]+\] \[\d+\] ", "", line.strip())
        if re.search(r"Error|Exception|locked|TIMEOUT|CRITICAL", line) and line not in seen:
            seen.append(line)
    out["first_lines"] = [line[:300] for line in seen[:5]]
    return out


# --- data ---------------------------------------------------------------------------------


def _cli(url: str, *args: str) -> None:
    result = subprocess.run([str(BIN / "coproduce"), *args], cwd=ROOT, env=_env(url),
                            capture_output=True, text=True)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])


def _populate(url: str) -> dict:
    """Schema by migrations, the shipped content, and one assignment in one cohort with 50
    writer groups, 64 ramp groups and a probe group, each of one student with a started case."""
    from sqlalchemy import event, select

    from curriculum import template
    from webapp import create_app
    from webapp.casework import operations
    from webapp.clock import now
    from webapp.extensions import db
    from webapp.models import (
        Account,
        Assignment,
        Cohort,
        GroupMember,
        Membership,
        ModuleVersionRow,
        Programme,
        SectionDraft,
    )
    from webapp.models import Group as StudyGroup

    assert BARE_SECTION in template.KEYS and SECTION in template.KEYS
    _cli(url, "init-db")
    _cli(url, "content", "load", str(ROOT))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": CHEAP_HASH,
                      "SESSION_COOKIE_SECURE": False, "BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        from webapp.auth.passwords import hash_password

        password_hash = hash_password(PASSWORD)
        version = db.session.scalars(select(ModuleVersionRow).order_by(ModuleVersionRow.id)
                                     ).first()
        programme = Programme(name="Autosave programme")
        cohort = Cohort(programme=programme, name="Autosave cohort")
        opens = now() - timedelta(days=1)
        assignment = Assignment(cohort=cohort, module_slug=version.slug,
                                module_version=version, opens_at=opens,
                                due_at=opens + timedelta(days=14),
                                review_due_at=opens + timedelta(days=21))
        db.session.add_all([programme, cohort, assignment])
        db.session.flush()
        names = ([f"writer{i}" for i in range(WRITERS)] + [f"ramp{i}" for i in range(max(RAMP))]
                 + ["probe"])
        people = {}
        for name in names:
            email = f"{name}@example.org"
            group = StudyGroup(cohort=cohort, name=f"Group {name}")
            person = Account(email=email, email_key=email, display_name=name.title(),
                             password_hash=password_hash)
            db.session.add_all([Membership(account=person, cohort=cohort, role="student"),
                                GroupMember(group=group, account=person)])
            db.session.flush()
            case = operations.start_case(db.session, person, group, assignment, PROMISES)
            people[name] = (email, case.id, person.id)
        db.session.commit()
        bare_drafts = dict(db.session.execute(
            select(SectionDraft.case_work_id, SectionDraft.id)
            .where(SectionDraft.section == BARE_SECTION)).all())
    # SQL statements of one JSON save, counted in process on the probe case.
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    email, probe_case, _probe_id = people["probe"]
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD,
                                         "csrf_token": CSRF.search(page).group(1)}
                       ).status_code == 302
    token = CSRF.search(client.get(f"/cases/{probe_case}").get_data(as_text=True)).group(1)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            answer = client.post(f"/cases/{probe_case}/sections/{SECTION}",
                                 json={"text": "Probe.", "version": 0},
                                 headers={"X-CSRFToken": token, "Accept": "application/json"})
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
    return {"writers": [people[f"writer{i}"] for i in range(WRITERS)],
            "ramp": [(*people[f"ramp{i}"], bare_drafts[people[f"ramp{i}"][1]])
                     for i in range(max(RAMP))],
            "save_sql_statements": len(statements)}


# --- the two measurements ----------------------------------------------------------------


def _sign_in_all(port: int, people: list[tuple]) -> list[Client]:
    clients = [Client(port) for _ in people]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda pair: pair[0].sign_in(pair[1][0], pair[1][1]),
                      zip(clients, people, strict=True)))
    return clients


def _usage(server: Server, saves: int, began: float, cpu: float | None, own: float) -> dict:
    """Server CPU per accepted save and cores used by the load generator itself."""
    elapsed = time.monotonic() - began
    used = server.cpu()
    out = {"server_cpu_ms_per_save": _ms((used - cpu) / saves)
           if used is not None and cpu is not None and saves else None}
    out["client_cpu_cores"] = round((time.process_time() - own) / elapsed, 2)
    return out


def _steady(server: Server, people: list[tuple], clients: list[Client]) -> dict:
    """Every writer saves every INTERVAL s for STEADY_SECONDS, starts spread over INTERVAL."""
    rounds = max(1, int(STEADY_SECONDS // INTERVAL))
    samples: list[tuple[float, int]] = []
    lags: list[float] = []
    lock = threading.Lock()
    lines, cpu, own = _log_lines(server.access_log), server.cpu(), time.process_time()
    began = time.monotonic()
    start = began + 0.5

    def writer(i: int) -> None:
        client, case_id, version = clients[i], people[i][1], 0
        for k in range(rounds):
            due = start + i * INTERVAL / len(clients) + k * INTERVAL
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            sent = time.monotonic()
            try:
                status, answer = client.save(case_id, _text(k), version)
            except OSError:
                status, answer = 0, {}
            took = time.monotonic() - sent
            if status in (200, 409) and isinstance(answer.get("version"), int):
                version = answer["version"]
            with lock:
                samples.append((took, status))
                lags.append(sent - due)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = Counter(status for _took, status in samples)
    latency = _latency([took for took, _status in samples])
    usage = _usage(server, statuses.get(200, 0), began, cpu, own)
    time.sleep(0.2)  # gunicorn logs a request just after answering it
    return {"saves": len(samples), "status_200": statuses.get(200, 0),
            "status_409": statuses.get(409, 0),
            "status_other": {str(k): v for k, v in statuses.items() if k not in (200, 409)},
            **latency, "target_p95_met": latency["p95_ms"] < TARGET_P95_MS,
            "server_side": _latency(_server_times(server.access_log, lines,
                                                  _log_lines(server.access_log))),
            "client_start_lag_max_ms": _ms(max(lags)), **usage}


def _step(threads: int, server: Server, save_once, seconds: float | None = None) -> dict:
    """``threads`` threads call ``save_once(i)`` back to back for ``seconds`` (default
    STEP_SECONDS)."""
    seconds = seconds or STEP_SECONDS
    barrier = threading.Barrier(threads + 1)
    results: list[list[tuple[float, int]]] = [[] for _ in range(threads)]
    lines, cpu, own = _log_lines(server.access_log), server.cpu(), time.process_time()

    def loop(i: int) -> None:
        samples = results[i]
        barrier.wait()
        end = start + seconds
        while True:
            began = time.monotonic()
            if began >= end:
                return
            try:
                status = save_once(i)
            except OSError:
                status = 0
            samples.append((time.monotonic() - began, status))

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    start = time.monotonic()
    barrier.wait()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - start
    flat = [sample for samples in results for sample in samples]
    statuses = Counter(status for _took, status in flat)
    usage = _usage(server, statuses.get(200, 0), start, cpu, own)
    time.sleep(0.2)
    server_side = _latency(_server_times(server.access_log, lines,
                                         _log_lines(server.access_log)), points=(50, 95))
    return {"saves_per_s": round(statuses.get(200, 0) / elapsed, 1),
            **_latency([took for took, _status in flat], points=(50, 95)),
            "server_p50_ms": server_side.get("p50_ms"),
            "server_p95_ms": server_side.get("p95_ms"),
            "status_409": statuses.get(409, 0),
            "status_other": sum(v for k, v in statuses.items() if k not in (200, 409)),
            **usage}


def _ramp(app: Server, bare: Server, people: list[tuple], clients: list[Client]) -> list:
    """Each ramp writer keeps its own version, per target, across the steps."""
    app_versions = [0] * len(clients)
    bare_versions = [0] * len(clients)

    def app_once(i: int) -> int:
        status, answer = clients[i].save(people[i][1], _text(app_versions[i]), app_versions[i])
        if isinstance(answer.get("version"), int):
            app_versions[i] = answer["version"]
        return status

    def bare_once(i: int) -> int:
        _email, _case, account_id, draft_id = people[i]
        status, answer = _bare_save(bare.port, draft_id, account_id,
                                    _text(bare_versions[i]), bare_versions[i])
        if isinstance(answer.get("version"), int):
            bare_versions[i] = answer["version"]
        return status

    for i in range(2 * WORKERS):  # a warm bare app: every worker has opened its connection
        bare_once(i % len(clients))
    rows = []
    for threads in RAMP:
        on_app = _step(threads, app, app_once)
        on_bare = _step(threads, bare, bare_once)
        ratio = round(on_app["saves_per_s"] / on_bare["saves_per_s"], 2) \
            if on_bare["saves_per_s"] else None
        rows.append({"threads": threads, "app": on_app, "bare": on_bare,
                     "app_over_bare": ratio})
        print(f"    {threads:>2} threads: app {on_app['saves_per_s']:>6} saves/s "
              f"(p95 {on_app.get('p95_ms')} ms, {on_app['server_cpu_ms_per_save']} CPU ms/save)"
              f", bare {on_bare['saves_per_s']:>6} saves/s (p95 {on_bare.get('p95_ms')} ms, "
              f"{on_bare['server_cpu_ms_per_save']} CPU ms/save), app/bare {ratio}", flush=True)
    return rows


def _knee(rows: list, side: str) -> int:
    """The fewest threads that reach 90% of the peak saves/s (the throughput knee)."""
    peak = max(row[side]["saves_per_s"] for row in rows)
    return next(row["threads"] for row in rows if row[side]["saves_per_s"] >= 0.9 * peak)


def _database(kind: str, url: str, logs: Path) -> dict:
    print(f"  {kind}: building the database …", flush=True)
    began = time.monotonic()
    data = _populate(url)
    out: dict = {"setup_s": round(time.monotonic() - began, 1),
                 "save_sql_statements": data["save_sql_statements"],
                 "host_load_1min_before": round(os.getloadavg()[0], 2)}
    with ExitStack() as stack:
        app = stack.enter_context(_gunicorn("webapp:create_app()", _env(url), logs,
                                            f"{kind}-app"))
        bare = stack.enter_context(_gunicorn("bench.autosave_bare:app",
                                             _env(url, BENCH_BARE_DATABASE_URL=url), logs,
                                             f"{kind}-bare"))
        writers = _sign_in_all(app.port, data["writers"])
        ramp_clients = _sign_in_all(app.port, data["ramp"])
        print(f"  {kind}: {WRITERS} writers autosaving every {INTERVAL:g} s for "
              f"{STEADY_SECONDS:g} s …", flush=True)
        steady = out["steady"] = _steady(app, data["writers"], writers)
        print(f"    p50 {steady['p50_ms']} ms, p95 {steady['p95_ms']} ms, p99 "
              f"{steady['p99_ms']} ms, max {steady['max_ms']} ms; 200: {steady['status_200']}, "
              f"409: {steady['status_409']}, other: {steady['status_other']}; server side "
              f"p95 {steady['server_side'].get('p95_ms')} ms", flush=True)
        print(f"  {kind}: ramp, {STEP_SECONDS:g} s a step …", flush=True)
        out["ramp"] = _ramp(app, bare, data["ramp"], ramp_clients)
        out["app_knee_threads"] = _knee(out["ramp"], "app")
        out["bare_knee_threads"] = _knee(out["ramp"], "bare")
        out["peak_app_saves_per_s"] = max(r["app"]["saves_per_s"] for r in out["ramp"])
        out["peak_bare_saves_per_s"] = max(r["bare"]["saves_per_s"] for r in out["ramp"])
        out["host_load_1min_after"] = round(os.getloadavg()[0], 2)
        out["app_log"] = _log_summary(app.error_log)
        out["bare_log"] = _log_summary(bare.error_log)
    return out


def _code() -> dict:
    """The commit measured, and how many files of the app differ from it."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
        return result.stdout.strip() if result.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", "webapp", "migrations", "curriculum")
    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "uncommitted_app_files": len(changed.splitlines())}


def run() -> dict:
    figures: dict = {"settings": {
        "gunicorn_workers": WORKERS, "worker_class": "sync", "cpus": os.cpu_count(),
        "steady_writers": WRITERS, "steady_interval_s": INTERVAL,
        "steady_seconds": STEADY_SECONDS, "ramp_threads": list(RAMP),
        "ramp_step_seconds": STEP_SECONDS, "target_p95_ms": TARGET_P95_MS, "quick": QUICK},
        "code": _code()}
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finallys
    try:
        with tempfile.TemporaryDirectory() as tmp:
            logs = Path(os.environ.get("BENCH_AUTOSAVE_LOGS") or tmp)  # keep them: set it
            logs.mkdir(parents=True, exist_ok=True)
            figures["sqlite"] = _database("sqlite", f"sqlite:///{Path(tmp) / 'autosave.sqlite'}",
                                          logs)
            if not (PGBIN / "initdb").exists():
                figures["postgresql"] = f"skipped: no PostgreSQL binaries in {PGBIN}"
            else:
                with _postgres() as url:
                    figures["postgresql"] = _database("postgresql", url, logs)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return figures
