"""Settings read from the environment, with safe defaults.

``COPRODUCE_ENV`` is ``production`` unless set; ``make run`` sets ``development``.
Outside development the app refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from webapp import clock


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


#: Longest text a person may type into one case section (documented in docs/).
SECTION_MAX_CHARS = 20_000
#: Request bodies above this are refused with 413; it sits well above a full section.
MAX_BODY_BYTES = 1024 * 1024


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0 seconds, got {raw!r}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def development_secret_key(instance_path: Path) -> str:
    """Read the development key file, creating it atomically on first run."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        tmp = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            # link() fails if another process won the race; then theirs is kept.
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


def _time_zone() -> str:
    """The zone a new programme starts in, and the zone of pages that belong to none."""
    from zoneinfo import available_timezones

    name = os.environ.get("DEFAULT_TIME_ZONE", "").strip() or "Europe/Stockholm"
    if name not in available_timezones():
        raise ConfigError(f"DEFAULT_TIME_ZONE must be a time zone name such as "
                          f"Europe/Stockholm or Europe/London; got {name!r}")
    return name


def _report_threshold() -> int:
    """The small-cell threshold k for every report: at least 5 (raising it hides more)."""
    k = _int("REPORT_MIN_CELL", 5)
    if k < 5:
        raise ConfigError(f"REPORT_MIN_CELL is at least 5 (groups smaller than that could be "
                          f"recognised); got {k}")
    return k


#: The address ``make run`` serves on; a real site must say its own.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def check_ready(settings: dict) -> None:
    """Refuse to start a real site whose own address is unknown: links in mail would point
    nowhere and cross-site posts are told apart from the site's own by this address."""
    if settings.get("DEVELOPMENT") or settings.get("TESTING"):
        return
    if settings.get("BASE_URL", DEFAULT_BASE_URL) == DEFAULT_BASE_URL:
        raise ConfigError(
            "BASE_URL is not set. Set it to the address people use to reach this site, "
            "for example https://coproduce.example.org (or set COPRODUCE_ENV=development).")


def _clock_offset(development: bool):
    """``COPRODUCE_CLOCK_OFFSET`` (``7d``): try the product some days ahead, in development."""
    text = os.environ.get("COPRODUCE_CLOCK_OFFSET", "").strip()
    if not text:
        return None
    if not development:
        raise ConfigError("COPRODUCE_CLOCK_OFFSET moves the clock for trying the product and is "
                          "refused outside development: remove it (or set "
                          "COPRODUCE_ENV=development).")
    try:
        return clock.parse_offset(text)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def from_environment(instance_path: Path) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ.get("COPRODUCE_ENV", "production").strip().lower()
    development = env == "development"
    secret = os.environ.get("SECRET_KEY", "")
    if not secret:
        if not development:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set COPRODUCE_ENV=development to use a generated key file."
            )
        secret = development_secret_key(instance_path)
    default_db = f"sqlite:///{instance_path / 'coproduce.sqlite'}"
    database_url = os.environ.get("DATABASE_URL") or default_db
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    return {
        "CLOCK_OFFSET": _clock_offset(development),
        "ENV_NAME": env,
        "DEVELOPMENT": development,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_NAME": "coproduce_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "MAX_FORM_MEMORY_SIZE": MAX_BODY_BYTES,
        "SECTION_MAX_CHARS": SECTION_MAX_CHARS,
        "SESSION_ABSOLUTE_HOURS": _int("SESSION_ABSOLUTE_HOURS", 12),
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "PASSWORD_HASH_METHOD": "scrypt",
        "SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": _int(
            "SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5
        ),
        "SIGNIN_FAILURES_PER_ACCOUNT": _int("SIGNIN_FAILURES_PER_ACCOUNT", 20),
        "SIGNIN_FAILURES_PER_ADDRESS": _int("SIGNIN_FAILURES_PER_ADDRESS", 100),
        "SIGNIN_THROTTLE_MINUTES": _int("SIGNIN_THROTTLE_MINUTES", 15),
        "TOKEN_HOURS": _int("TOKEN_HOURS", 2),
        "INVITATION_DAYS": _int("INVITATION_DAYS", 14),
        "BASE_URL": os.environ.get("BASE_URL", DEFAULT_BASE_URL).rstrip("/"),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console" if development else "smtp"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Coproduce <no-reply@coproduce.invalid>"),
        "PROXY_FIX_HOPS": _int("PROXY_FIX_HOPS", 0),
        "PDF_CACHE_DIR": os.environ.get("PDF_CACHE_DIR", ""),
        "REPORT_MIN_CELL": _report_threshold(),
        # Jobs (docs/deployment.md): a running job's worker beats every JOB_HEARTBEAT_SECONDS;
        # a job silent for JOB_STALE_SECONDS is put back on the queue by the sweeper (every
        # JOB_SWEEP_SECONDS in each worker), and failed after JOB_MAX_ATTEMPTS runs.
        "JOB_HEARTBEAT_SECONDS": _seconds("JOB_HEARTBEAT_SECONDS", 10),
        "JOB_STALE_SECONDS": _seconds("JOB_STALE_SECONDS", 60),
        "JOB_SWEEP_SECONDS": _seconds("JOB_SWEEP_SECONDS", 15),
        "JOB_POLL_SECONDS": _seconds("JOB_POLL_SECONDS", 1),
        "JOB_SHUTDOWN_SECONDS": _seconds("JOB_SHUTDOWN_SECONDS", 20),
        "JOB_MAX_ATTEMPTS": _int("JOB_MAX_ATTEMPTS", 3),
        "JOB_KEEP_DAYS": _int("JOB_KEEP_DAYS", 7),
        "JOBS_QUEUE_FILE": os.environ.get("JOBS_QUEUE_FILE", ""),
        "JOB_WORK_DIR": os.environ.get("JOB_WORK_DIR", ""),
        "DEFAULT_TIME_ZONE": _time_zone(),
        "ACCESSIBILITY_STATEMENT": os.environ.get("ACCESSIBILITY_STATEMENT", ""),
        "BABEL_DEFAULT_LOCALE": "en",
    }
