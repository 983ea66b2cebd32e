"""`flask orgs create|import|list|deactivate`: organisations from a terminal."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from . import service

orgs_cli = AppGroup("orgs", help="Organisations (schools, district police, guardianship offices ...).")


def _fail(exc: DomainError):
    details = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in getattr(exc, "errors", None) or [])
    raise click.ClickException(f"{exc.detail}{': ' + details if details else ''}")


@orgs_cli.command("create")
@click.argument("code")
@click.option("--agency", required=True, help="agency code, e.g. police")
@click.option("--name", "name_ru", required=True, help="the name in Russian")
@click.option("--name-kk", default=None, help="the name in Kazakh")
@click.option("--name-en", default=None, help="the name in English")
@click.option("--serves", required=True, help="КАТО codes served, comma-separated")
@click.option("--territory", default=None, help="where it sits (КАТО; default: the first served)")
@click.option("--parent", "parent_code", default=None, help="the organisation above it")
def create(code, agency, name_ru, name_kk, name_en, serves, territory, parent_code):
    """Register an organisation."""
    try:
        org = service.create(db.session, code=code, agency=agency, name_ru=name_ru, name_kk=name_kk, name_en=name_en,
                             serves=serves, territory=territory, parent_code=parent_code)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"created {org.code} ({org.agency}; serves {','.join(org.serves)})")


@orgs_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_(file):
    """Import FILE.csv: code,agency,name_ru,name_kk,territory,serves,parent[,name_en] (serves: ';'-separated)."""
    try:
        count = service.import_csv(db.session, Path(file).read_text(encoding="utf-8-sig"))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"imported {count} organisation(s)")


@orgs_cli.command("list")
def list_():
    for org in service.listing(db.session):
        click.echo(f"{org.code}\t{org.agency}\t{','.join(org.serves)}\t{'' if org.active else 'inactive'}\t{org.name_ru}")


@orgs_cli.command("deactivate")
@click.argument("code")
def deactivate(code):
    """No new work is routed to CODE; what it holds stays with it."""
    try:
        service.set_active(db.session, code, False)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"{code} deactivated")
