"""Settings, read from environment variables in this one place."""
import os
from pathlib import Path


class ConfigError(RuntimeError):
    """The configuration cannot run the application."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str, env=os.environ) -> dict:
    """The application settings as a dict, from ``env``."""
    app_env = env.get("APP_ENV", "development")
    if app_env not in {"development", "production"}:
        raise ConfigError(f"APP_ENV must be 'development' or 'production', not {app_env!r}")
    production = app_env == "production"
    secret_key = env.get("SECRET_KEY")
    if production and not secret_key:
        raise ConfigError("SECRET_KEY must be set when APP_ENV is production")
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "coordination.sqlite")
    )
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants the driver spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            database_url = "postgresql+psycopg://" + database_url[len(prefix):]
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret_key or "development-only-not-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "spf-coordination@localhost"),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000"),
        # argon2id costs; OWASP's first recommendation (m=19 MiB, t=2, p=1) as the floor.
        "PASSWORD_HASH_TIME_COST": int(env.get("PASSWORD_HASH_TIME_COST", "2")),
        "PASSWORD_HASH_MEMORY_COST": int(env.get("PASSWORD_HASH_MEMORY_COST", "19456")),
        # Failed sign-ins tolerated per account and per address in the window.
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "10")),
        "LOGIN_FAILURE_WINDOW_MINUTES": int(env.get("LOGIN_FAILURE_WINDOW_MINUTES", "15")),
        "ITEMS_PER_PAGE": 25,
    }
