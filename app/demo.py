"""Demo users for `make run`: one staff member and one supervisor per agency, and the other roles."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .agencies import AGENCIES
from .extensions import db
from .users.models import User
from .users.service import create_user

DEMO_PASSWORD = "demo-password"


@click.command("demo")
@with_appcontext
def demo_command():
    """Create demo users (password: demo-password) unless they exist."""
    wanted = [(f"{a.code}.staff", a.code, ["staff"]) for a in AGENCIES]
    wanted += [(f"{a.code}.supervisor", a.code, ["supervisor"]) for a in AGENCIES]
    wanted += [("owner", None, ["process_owner"]), ("auditor", None, ["auditor"]), ("admin", None, ["admin"])]
    for username, agency, roles in wanted:
        if db.session.scalar(select(User).where(User.username == username)):
            continue
        create_user(db.session, username=username, agency=agency, roles=roles, password=DEMO_PASSWORD)
        click.echo(f"demo user {username} ({agency or '-'}, {','.join(roles)})")
    click.echo(f"demo users ready; password {DEMO_PASSWORD!r}")
