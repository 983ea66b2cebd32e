"""Demo data for `make run`: organisations of two districts of Almaty oblast with their users, one staff
member and one supervisor per agency (agency-wide, without organisation), and the other roles."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .agencies import AGENCIES
from .extensions import db
from .organisations.models import Organisation
from .organisations.service import create as create_organisation
from .users.models import User
from .users.service import create_user

DEMO_PASSWORD = "demo-password"
# (code prefix, КАТО code, the district's name in Russian and Kazakh (genitive) and English) — two districts of
# Алматинская область (190000000)
DISTRICTS = (("talgar", "196200000", "Талгарского района", "Талғар ауданының", "Talgar District"),
             ("karasay", "195200000", "Карасайского района", "Қарасай ауданының", "Karasay District"))
# (code suffix, agency, Russian, Kazakh and English name patterns)
UNITS = (("school", "education_org", "Средняя школа №1 {d}", "{d} №1 орта мектебі", "Secondary School No. 1, {d}"),
         ("police", "police", "Отдел полиции {d}", "{d} полиция бөлімі", "{d} Police Department"),
         ("guardianship", "education_authority", "Отдел образования {d} (опека и попечительство)",
          "{d} білім бөлімі (қорғаншылық және қамқоршылық)", "{d} Education Department (guardianship)"),
         ("kdnzp", "kdnzp", "КДНЗП {d}", "{d} КТІҚҚЖК", "{d} Commission for Minors' Affairs (KDNZP)"),
         ("health", "health", "Центральная районная больница {d}", "{d} орталық аудандық ауруханасы",
          "{d} Central District Hospital"),
         ("centre", "center", "Центр поддержки детей {d}", "{d} балаларды қолдау орталығы",
          "{d} Child Support Centre"))


def demo_organisations() -> list[dict]:
    return [{"code": f"{prefix}.{suffix}", "agency": agency, "name_ru": name.format(d=district),
             "name_kk": name_kk.format(d=district_kk), "name_en": name_en.format(d=district_en), "serves": [kato]}
            for prefix, kato, district, district_kk, district_en in DISTRICTS
            for suffix, agency, name, name_kk, name_en in UNITS]


@click.command("demo")
@with_appcontext
def demo_command():
    """Create demo organisations and users (password: demo-password) unless they exist."""
    for org in demo_organisations():
        if db.session.get(Organisation, org["code"]) is None:
            create_organisation(db.session, **org)
            click.echo(f"demo organisation {org['code']} ({org['agency']}, serves {org['serves'][0]})")
    wanted = [(f"{a.code}.staff", a.code, ["staff"], None) for a in AGENCIES]
    wanted += [(f"{a.code}.supervisor", a.code, ["supervisor"], None) for a in AGENCIES]
    wanted += [(f"{o['code']}.{role}", o["agency"], [role], o["code"]) for o in demo_organisations()
               for role in ("staff", "supervisor")]
    wanted += [("owner", None, ["process_owner"], None), ("auditor", None, ["auditor"], None),
               ("admin", None, ["admin"], None),
               ("committee", "mes_committee", ["overseer"], None)]     # the ministry's committee: counts only
    for username, agency, roles, organisation in wanted:
        if db.session.scalar(select(User).where(User.username == username)):
            continue
        user, _ = create_user(db.session, username=username, agency=agency, roles=roles, password=DEMO_PASSWORD)
        if organisation:
            user.organisation = organisation
            db.session.commit()
        click.echo(f"demo user {username} ({organisation or agency or '-'}, {','.join(roles)})")
    click.echo(f"demo users ready; password {DEMO_PASSWORD!r}")
