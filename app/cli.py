"""Command-line entry points: users, deployment of processes/, demo data, the worker."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .errors import DomainError, Invalid
from .extensions import db
from .i18n import LANGUAGES
from .instances.environment import Settings
from .worker import run_due

users_cli = AppGroup("users", help="Manage users.")
worker_cli = AppGroup("worker", help="Fire timers and route messages.")
processes_cli = AppGroup("processes", help="Deploy process models.")
calendar_cli = AppGroup("calendar", help="Days off and working days added by an administrator.")
cases_cli = AppGroup("cases", help="Maintenance of cases.")


@calendar_cli.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("kind", type=click.Choice(["day_off", "working_day"]))
@click.option("--note", default=None, help="e.g. the government decree that moved the day")
def calendar_set(day, kind, note):
    """Declare DAY a day off or a working day (overrides the packaged calendar)."""
    from .calendar_admin import set_day
    set_day(db.session, day=day.date(), kind=kind, note=note, by="cli")
    click.echo(f"{day.date().isoformat()}: {kind}")


@calendar_cli.command("unset")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
def calendar_unset(day):
    """Remove an administrator's entry for DAY."""
    from .calendar_admin import remove_day
    click.echo("removed" if remove_day(db.session, day=day.date()) else "no entry for that day")


@calendar_cli.command("list")
def calendar_list():
    """The administrator's entries."""
    from .calendar_admin import list_days
    for row in list_days(db.session):
        click.echo(f"{row.day.isoformat()} {row.kind} {row.note or ''}".rstrip())


@users_cli.command("create")
@click.argument("username")
@click.option("--agency", default=None, help="agency code, e.g. police")
@click.option("--role", "roles", multiple=True, default=("staff",), show_default=True)
@click.option("--password", default=None)
@click.option("--full-name", default=None)
@click.option("--email", default=None, help="where new work is announced")
@click.option("--org", "org_code", default=None, help="organisation code (flask orgs); its agency is the user's")
@click.option("--territory", default=None,
              help="an auditor's or overseer's territory (КАТО code); none: national")
@click.option("--language", type=click.Choice(LANGUAGES), default=None,
              help="their UI and e-mail language (they may change it with the header's switch); none: Russian")
def create_user(username, agency, roles, password, full_name, email, org_code, territory, language):
    """Create a user; prints the API token as the last word."""
    from .organisations.service import membership
    from .users.service import create_user as create
    from . import territories
    if territory is not None and territories.get(territory) is None:
        raise click.ClickException(f"territory: {territory} is not in the classifier")
    try:
        agency = membership(db.session, org_code=org_code, agency=agency, roles=roles)
        user, token = create(db.session, username=username, agency=agency, roles=list(roles), password=password,
                             full_name=full_name, email=email)
    except DomainError as exc:
        raise click.ClickException(f"{exc.detail}: {getattr(exc, 'errors', '')}") from None
    if org_code or territory:
        user.organisation, user.territory = org_code, territory
        db.session.commit()
    if language:
        from .users.service import remember_language
        remember_language(db.session, user, language)
    click.echo(f"created {user.username} ({user.organisation or user.agency or '-'}; {user.roles_csv}); "
               f"API token: {token}")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(username, password):
    """Give USERNAME a new password (the policy applies) and end every session of theirs."""
    from .users.service import find_user, set_password as set_
    try:
        ended = set_(db.session, user=find_user(db.session, username), password=password)
    except DomainError as exc:
        raise click.ClickException(f"{exc.detail}: {getattr(exc, 'errors', '')}") from None
    click.echo(f"password set for {username}; {ended} session(s) ended")


@users_cli.command("revoke-sessions")
@click.argument("username")
def revoke_sessions(username):
    """Sign USERNAME out of every browser now."""
    from .users.service import find_user
    from .users.sessions import revoke_sessions as revoke
    try:
        ended = revoke(db.session, user=find_user(db.session, username))
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"{ended} session(s) of {username} ended")


@users_cli.command("reset-totp")
@click.argument("username")
def reset_totp(username):
    """Forget USERNAME's authenticator app (a lost phone): they enrol a new one at their next sign-in."""
    from .users.service import find_user
    from .users.sessions import revoke_sessions as revoke
    from .users.totp import reset
    try:
        user = find_user(db.session, username)
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    reset(db.session, user=user)
    ended = revoke(db.session, user=user)
    click.echo(f"authenticator of {username} forgotten; {ended} session(s) ended")


@processes_cli.command("deploy")
@click.argument("directory", required=False)
@click.option("--by", "deployed_by", default="system")
def deploy_dir(directory, deployed_by):
    """Deploy every .bpmn file of DIRECTORY (default: processes/)."""
    from .registry.service import deploy
    folder = Path(directory or current_app.config["PROCESSES_DIR"])
    failed = False
    for path in sorted(folder.glob("*.bpmn")):
        try:
            version, created = deploy(db.session, bpmn=path.read_bytes(), forms={},
                                      forms_dir=current_app.config["FORMS_DIR"], deployed_by=deployed_by)
            click.echo(f"{path.name}: {version.process_id} v{version.version} {'deployed' if created else 'unchanged'}")
        except Invalid as exc:
            failed = True
            for e in exc.errors:
                click.echo(f"{path.name}: {e.get('element_id') or '-'}: {e['message']}", err=True)
    if failed:
        raise click.ClickException("some diagrams were refused")


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2026-12-01T09:00:00+05:00")
    return instant


@worker_cli.command("run-due")
@click.option("--now", "now_text", default=None, help="the instant to act at (ISO 8601 with offset)")
def run_due_command(now_text):
    """Fire everything due at NOW (default: the wall clock) once, and route messages."""
    from .engine import clock
    now = _parse_now(now_text) or clock.now()
    fired, routed = run_due(now, Settings.from_config(current_app.config))
    click.echo(f"fired {fired} timer step(s), delivered {routed} message(s) at {now.isoformat()}")


@worker_cli.command("run")
@click.option("--once", is_flag=True, help="one round, then exit")
def run_worker(once):
    """The worker loop: fire due timers and route messages, polling the database."""
    from .worker import run_loop
    click.echo(f"worker started, polling every {current_app.config['WORKER_POLL_SECONDS']}s")
    run_loop(current_app.config, rounds=1 if once else None, say=lambda text: click.echo(text, err=True))


@cases_cli.command("reindex")
@click.option("--all", "everything", is_flag=True, help="every case, not only those never indexed")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(min=1))
def reindex_cases(everything, batch):
    """Fill the search columns (names, ИИН) of cases from their data: after upgrading past the case search
    migration, and with --all after an upgrade that changes how names are normalised. Safe to run again."""
    from .instances.case_search import reindex
    done = reindex(db.session, everything=everything, batch=batch, say=click.echo)
    click.echo(f"reindexed {done} case(s)")


def register_commands(app) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(worker_cli)
    app.cli.add_command(processes_cli)
    app.cli.add_command(calendar_cli)
    from .demo import demo_command
    from .organisations.cli import orgs_cli
    app.cli.add_command(orgs_cli)
    app.cli.add_command(demo_command)
    from .audit.cli import audit_cli
    app.cli.add_command(audit_cli)
