import sys

import click
from flask.cli import with_appcontext

from coordination import clock
from coordination.auth import service
from coordination.errors import ValidationError
from coordination.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help="coordinator, ministry_staff, secretariat, observer or admin")
@click.option("--country", "country_code", help="ISO 3166-1 alpha-2 code, for national users")
@click.option("--ministry", "ministry_acronym", help="the ministry's acronym, for ministry staff")
@click.option("--name", help="full name (default: the part of the e-mail before @)")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@with_appcontext
def create_user_command(email, role, country_code, ministry_acronym, name, password_stdin):
    """Create a user; the password comes from the prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = service.create_user(
            db.session, email=email, name=name or email.split("@")[0], role=role,
            password=password, country_code=country_code, ministry_acronym=ministry_acronym,
            now=clock.now(),
        )
    except ValidationError as exc:
        db.session.rollback()
        for field, messages in exc.fields.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role_label}).")
