"""Settings, read from environment variables in this one place."""
import os
from pathlib import Path

from coordination.roles import ROLES


class ConfigError(RuntimeError):
    """The configuration cannot run the application."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env, name: str, default: int) -> int:
    # A typo in a number should stop the start with the variable's name, not a traceback.
    value = env.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def _points(env, name: str, default: float) -> float:
    value = env.get(name) or str(default)
    try:
        points = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {value!r}") from None
    if not 0 <= points <= 100:
        raise ConfigError(f"{name} must lie from 0 to 100, not {value!r}")
    return points


DEVELOPMENT_SECRET = "development-only-not-secret"  # noqa: S105 - refused in production by check()


def check(settings: dict) -> dict:
    """Refuse settings the application must not run with, whether they came from the
    environment or from the ``config`` given to create_app."""
    app_env = settings.get("APP_ENV")
    if app_env not in {"development", "production"}:
        raise ConfigError(f"APP_ENV must be 'development' or 'production', not {app_env!r}")
    if app_env == "production":
        secret = settings.get("SECRET_KEY")
        if not isinstance(secret, str) or not secret.strip() or secret == DEVELOPMENT_SECRET:
            raise ConfigError("SECRET_KEY must be set when APP_ENV is production")
        for prefix in ("SESSION", "REMEMBER"):
            settings[f"{prefix}_COOKIE_SECURE"] = True
    return settings


def from_environment(instance_path: str, env=os.environ) -> dict:
    """The application settings as a dict, from ``env``."""
    app_env = env.get("APP_ENV", "development")
    production = app_env == "production"
    secret_key = env.get("SECRET_KEY") or ""
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "coordination.sqlite")
    )
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants the driver spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            database_url = "postgresql+psycopg://" + database_url[len(prefix):]
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret_key or DEVELOPMENT_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int(env, "MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "spf-coordination@localhost"),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000"),
        # argon2id costs; OWASP's first recommendation (m=19 MiB, t=2, p=1) as the floor.
        "PASSWORD_HASH_TIME_COST": _int(env, "PASSWORD_HASH_TIME_COST", 2),
        "PASSWORD_HASH_MEMORY_COST": _int(env, "PASSWORD_HASH_MEMORY_COST", 19456),
        # Failed sign-ins tolerated in the window: for one account from one address, and
        # from one address over all accounts.
        "LOGIN_MAX_FAILURES": _int(env, "LOGIN_MAX_FAILURES", 10),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int(env, "LOGIN_MAX_FAILURES_PER_ADDRESS", 100),
        "LOGIN_FAILURE_WINDOW_MINUTES": _int(env, "LOGIN_FAILURE_WINDOW_MINUTES", 15),
        # How many reverse proxies in front of the app append to X-Forwarded-For; 0: none,
        # and the header is ignored (anyone could write it).
        "TRUSTED_PROXY_COUNT": _int(env, "TRUSTED_PROXY_COUNT", 0),
        # A request body larger than this answers 413 (attachments have a limit of their own).
        "MAX_BODY_BYTES": _int(env, "MAX_BODY_BYTES", 1024 * 1024),
        # An attachment (evidence document) larger than this answers 413; the upload addresses
        # take a body this large (and the form around the file) instead of MAX_BODY_BYTES.
        "MAX_ATTACHMENT_BYTES": _int(env, "MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024),
        "IMPORT_MAX_ROWS": _int(env, "IMPORT_MAX_ROWS", 1000),
        # JSON nested deeper than this answers 400.
        "MAX_JSON_DEPTH": 64,
        # How long a password-reset link works.
        "PASSWORD_RESET_MINUTES": _int(env, "PASSWORD_RESET_MINUTES", 60),
        # Password-reset links sent to one account per hour at most; further requests send nothing.
        "PASSWORD_RESET_MAX_PER_HOUR": _int(env, "PASSWORD_RESET_MAX_PER_HOUR", 3),
        # Roles whose users must set up two-step sign-in (production advice: admin,secretariat).
        "MFA_REQUIRED_ROLES": _roles(env.get("MFA_REQUIRED_ROLES", "")),
        # Where `flask backup` and `flask restore` find pg_dump, pg_restore and psql; empty: the
        # PATH or /usr/lib/postgresql/*/bin, of the server's major version.
        "PG_BIN_DIR": env.get("PG_BIN_DIR", ""),
        # A data request for a report indicator falls due this many working days of its country
        # (weekends and public holidays skipped) before the report's deadline.
        "DATA_REQUEST_LEAD_WORKING_DAYS": _int(env, "DATA_REQUEST_LEAD_WORKING_DAYS", 10),
        # A percentage that moved more than this many points from the country's previous
        # accepted value is a warning that a note on the value must answer before submission.
        "OUTLIER_POINTS": _points(env, "OUTLIER_POINTS", 15.0),
        **_reminder_settings(env),
    }


def _roles(value: str) -> frozenset[str]:
    roles = frozenset(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(roles - set(ROLES))
    if unknown:
        raise ConfigError(f"MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}; "
                          f"choose from {', '.join(ROLES)}")
    return roles


def _offsets(value: str, name: str) -> tuple[int, ...]:
    try:
        offsets = tuple(sorted({int(part) for part in value.split(",") if part.strip()}))
    except ValueError:
        raise ConfigError(f"{name} must be whole numbers of days separated by commas, not {value!r}") from None
    if not offsets:
        raise ConfigError(f"{name} must name at least one offset")
    return offsets


def _reminder_settings(env) -> dict:
    """Reminder rules, the outbox's delivery and the scheduler (DESIGN.md, Reminders)."""
    hour = int(env.get("REMINDER_HOUR", "8"))
    if not 0 <= hour <= 23:
        raise ConfigError(f"REMINDER_HOUR must be an hour from 0 to 23, not {hour}")
    return {
        # A rule falls due at this local hour, in the owning country's time zone.
        "REMINDER_HOUR": hour,
        # Offsets in days from the due date; after the last one, every REMINDER_REPEAT_DAYS.
        "ITEM_REMINDER_OFFSETS": _offsets(env.get("ITEM_REMINDER_OFFSETS", "-7,-1,0,1"), "ITEM_REMINDER_OFFSETS"),
        "REPORT_REMINDER_OFFSETS": _offsets(
            env.get("REPORT_REMINDER_OFFSETS", "-30,-14,-7,-1,1"), "REPORT_REMINDER_OFFSETS"),
        "REMINDER_REPEAT_DAYS": max(0, int(env.get("REMINDER_REPEAT_DAYS", "7"))),  # 0: no repeat
        # From this offset on, coordinators (items) and the secretariat (reports) are told too.
        "REMINDER_ESCALATION_OFFSET": int(env.get("REMINDER_ESCALATION_OFFSET", "1")),
        "SWEEP_INTERVAL_MINUTES": max(1, int(env.get("SWEEP_INTERVAL_MINUTES", "15"))),
        "DELIVERY_INTERVAL_SECONDS": max(1, int(env.get("DELIVERY_INTERVAL_SECONDS", "60"))),
        "SCHEDULER_MISFIRE_GRACE_SECONDS": int(env.get("SCHEDULER_MISFIRE_GRACE_SECONDS", "600")),
        "DELIVERY_MAX_ATTEMPTS": max(1, int(env.get("DELIVERY_MAX_ATTEMPTS", "10"))),
        "DELIVERY_RETRY_MINUTES": max(1, int(env.get("DELIVERY_RETRY_MINUTES", "5"))),
        "DELIVERY_BATCH_SIZE": max(1, int(env.get("DELIVERY_BATCH_SIZE", "100"))),
        # A claim older than this (its process died before sending) is claimable again.
        "DELIVERY_CLAIM_TIMEOUT_SECONDS": max(1, int(env.get("DELIVERY_CLAIM_TIMEOUT_SECONDS", "600"))),
        "MAIL_TIMEOUT_SECONDS": max(1, int(env.get("MAIL_TIMEOUT_SECONDS", "30"))),
        # The right-hand side of every Message-ID; empty: the host of BASE_URL.
        "MAIL_MESSAGE_ID_DOMAIN": env.get("MAIL_MESSAGE_ID_DOMAIN", ""),
    }
