"""``flask backup FILE`` and ``flask restore FILE``: the doors of backup/ from the command line,
on the database the application is configured with."""
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from coordination.backup import BackupError, backup, check_restore, restore, schema_revision
from coordination.extensions import db


def _configured_url() -> str:
    # The engine's URL: Flask-SQLAlchemy has made a relative SQLite path absolute.
    return db.engine.url.render_as_string(hide_password=False)


def _fail(what: str, exc: BackupError):
    click.echo(f"{what} failed: {exc}", err=True)
    raise SystemExit(1)


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, force: bool):
    """Write a consistent copy of the database to FILE while the application runs."""
    try:
        written = backup(_configured_url(), file, force=force, pg_bin_dir=current_app.config["PG_BIN_DIR"])
    except BackupError as exc:
        _fail("backup", exc)
    click.echo(f"backup written: {file} ({written.size} bytes, sha256 {written.sha256})")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace the database (stop the web and the scheduler first).")
@with_appcontext
def restore_command(file: Path, yes: bool):
    """Replace the database with the backup FILE; then run `flask db upgrade`."""
    url = _configured_url()
    pg_bin_dir = current_app.config["PG_BIN_DIR"]
    try:
        if not yes:
            plan = check_restore(url, file, pg_bin_dir=pg_bin_dir)
            click.echo(f"restore refused: this would {plan.describe()}. Nothing was changed; "
                       f"stop the web and the scheduler, then run again with --yes.", err=True)
            raise SystemExit(1)
        # This process's own connections hold nothing while the database is replaced.
        db.session.remove()
        db.engine.dispose()
        plan = restore(url, file, pg_bin_dir=pg_bin_dir)
    except BackupError as exc:
        _fail("restore", exc)
    try:
        revision = schema_revision(url)
    except SQLAlchemyError:
        revision = None
    click.echo(f"restored: {plan.target} now holds {file} (schema revision {revision or 'not recorded'}).")
    if revision not in _head_revisions():
        click.echo("Run `flask --app wsgi db upgrade` to bring it to the current schema.")


def _head_revisions() -> set[str]:
    """The revisions of the migrations the application runs (Flask-Migrate's directory)."""
    return set(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())
