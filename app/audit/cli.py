"""`flask audit verify [--all | ID...]` and `flask audit anchor`: the audit from a terminal or cron."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..instances.environment import Settings

audit_cli = AppGroup("audit", help="Verify instances and anchor the event log.")


@audit_cli.command("verify")
@click.argument("instance_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="every instance, and every instance an anchor remembers")
@click.option("--chain-only", is_flag=True, help="hash chain and anchors, without re-executing")
@click.option("--lang", type=click.Choice(["en", "ru", "kk"]), default="en", show_default=True,
              help="the language of the report (English stays the default: scripts parse it)")
def verify_command(instance_ids, everything, chain_only, lang):
    """Verify instances; exits 1 on any divergence, broken chain or anchor mismatch."""
    from .verify import Report, verify_all, verify_one
    settings = Settings.from_config(current_app.config)
    if not everything and not instance_ids:
        raise click.UsageError("give instance ids or --all")
    if everything:
        report = verify_all(db.session, settings=settings, reexecute_steps=not chain_only)
    else:
        from ..errors import NotFound
        verdicts = []
        for instance_id in instance_ids:
            try:
                verdicts.append(verify_one(db.session, instance_id, settings=settings))
            except NotFound as exc:
                raise click.ClickException(exc.worded(lang)) from None
        report = Report(verdicts, [])
    for line in report.lines(lang):
        click.echo(line)
    click.echo(report.summary(lang))
    bad = sum(not v.ok for v in report.verdicts) + len(report.lost)
    if bad:
        raise SystemExit(1)


@audit_cli.command("anchor")
def anchor_command():
    """Anchor the last hash of every instance now; prints the digest to keep outside the database."""
    from .anchors import create_anchor
    anchor = create_anchor(db.session)
    click.echo(f"anchor #{anchor.id} at {anchor.created_at.isoformat()}: {anchor.instance_count} instance(s), "
               f"digest {anchor.digest}")
