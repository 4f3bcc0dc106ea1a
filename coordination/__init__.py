"""SPF Coordination: the application factory.

The factory imports the modules it assembles inside its functions, not at the top of this
file: Python runs this file before any module of the package, so top-level imports here
would load every feature (their models, views and commands) for a script or a test that
needs only, say, ``coordination.clock``. None of them imports this file; there is no circle.
"""
from pathlib import Path

from flask import Flask

from coordination.unit_of_work import UnitOfWorkFlask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application. ``config`` overrides what the environment says."""
    from coordination import limits, security, web  # assembled here: see the module's docstring
    from coordination.client import trust_proxies
    from coordination.config import check, from_environment
    from coordination.ids import RowIdConverter

    app = UnitOfWorkFlask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    settings = from_environment(app.instance_path)
    settings.update(config or {})
    app.config.update(check(settings))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    # An id in a URL that no database column can hold is simply not found (not a 500).
    app.url_map.converters["int"] = RowIdConverter
    trust_proxies(app)
    limits.init_app(app)  # first: its hook bounds the body before any other hook reads it
    security.init_app(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    app.before_request(web.refuse_nul_characters)
    web.register_error_pages(app)
    web.register_template_helpers(app)
    return app


def _register_extensions(app: Flask) -> None:
    from coordination import database, i18n  # assembled here: see the module's docstring
    from coordination.auth import passwords, sessions
    from coordination.extensions import bootstrap, csrf, db, login_manager, migrate

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)
    passwords.configure(
        app.config["PASSWORD_HASH_TIME_COST"], app.config["PASSWORD_HASH_MEMORY_COST"]
    )
    sessions.init_login_manager(login_manager)
    app.session_interface = sessions.CookieSessionInterface()


def _import_models() -> None:
    """The models that others name by a string (ActionItem.meeting, Attachment.practice), before
    any feature module: some build loader options on import, which configures every mapper, and a
    process that imported nothing else first (the CLI, the scheduler) would miss these classes."""
    from coordination.meetings import models as _meetings_models  # noqa: F401
    from coordination.practices import models as _practices_models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    _import_models()
    # Assembled here: see the module's docstring. Importing a feature's api module adds its
    # routes to the API blueprint: all of them come before the blueprint is registered.
    from coordination.api import api
    from coordination.attachments import api as _attachments_api  # noqa: F401
    from coordination.attachments.views import bp as attachments_bp
    from coordination.audit import api as _audit_api  # noqa: F401
    from coordination.audit.views import bp as audit_bp
    from coordination.auth import api as _auth_api  # noqa: F401
    from coordination.auth.views import bp as auth_bp
    from coordination.compliance import api as _compliance_api  # noqa: F401
    from coordination.compliance.views import bp as compliance_bp
    from coordination.directory import api as _directory_api  # noqa: F401
    from coordination.directory.views import bp as directory_bp
    from coordination.extensions import csrf
    from coordination.health import api as _health_api  # noqa: F401
    from coordination.health.views import bp as health_bp
    from coordination.home import bp as home_bp
    from coordination.items import api as _items_api  # noqa: F401
    from coordination.items import bulk_views as _bulk_views  # noqa: F401 - its routes are on the items' blueprint
    from coordination.items.views import bp as items_bp
    from coordination.meetings import api as _meetings_api  # noqa: F401
    from coordination.meetings.views import bp as meetings_bp
    from coordination.openapi import bp as openapi_bp
    from coordination.practices import api as _practices_api  # noqa: F401
    from coordination.practices.views import bp as practices_bp
    from coordination.recommendations import api as _recommendations_api  # noqa: F401
    from coordination.recommendations.views import bp as recommendations_bp
    from coordination.regional_items import api as _regional_items_api  # noqa: F401
    from coordination.regional_items.views import bp as regional_items_bp
    from coordination.reminders import api as _reminders_api  # noqa: F401
    from coordination.reminders.views import bp as reminders_bp
    from coordination.reporting import api as _reporting_api  # noqa: F401
    from coordination.reporting import submissions_api as _submissions_api  # noqa: F401
    from coordination.reporting.views import bp as reporting_bp
    from coordination.search import api as _search_api  # noqa: F401
    from coordination.search.views import bp as search_bp
    from coordination.watchers import api as _watchers_api  # noqa: F401
    from coordination.watchers.views import bp as watchers_bp

    # The JSON API authenticates with bearer tokens only, never with the session
    # cookie, so cross-site requests cannot ride on it and need no CSRF token.
    csrf.exempt(api)
    app.register_blueprint(api)
    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(items_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(compliance_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(watchers_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(regional_items_bp)
    app.register_blueprint(recommendations_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(practices_bp)


def _register_commands(app: Flask) -> None:
    from coordination.auth.cli import create_user_command  # assembled here: see the module's docstring
    from coordination.backup.cli import backup_command, restore_command
    from coordination.demo import seed_demo_command
    from coordination.reminders.cli import reminders_cli, scheduler_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
