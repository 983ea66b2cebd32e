"""Routing remembers an agency's organisations per process (issue 16): a change made through this process is
routed by at once, one made by another process (here: a Core UPDATE on a connection of its own, which this
process's session does not see) within the cache's time to live."""
from sqlalchemy import update


def test_a_change_here_is_seen_at_once_and_one_elsewhere_within_the_time_to_live(app, monkeypatch):
    from app.extensions import db
    from app.instances.models import Case
    from app.instances.routing import route
    from app.organisations import directory
    from app.organisations.models import Organisation
    from app.organisations.service import create, set_active
    monkeypatch.setattr(directory, "FRESH_SECONDS", 3600.0)          # nothing expires by itself in this test
    with app.app_context():
        create(db.session, code="oblast.police", agency="police", name_ru="ДП", serves=["190000000"])
        talgar = Case(id="c1", registration_number="1", territory="196200000")
        assert route(db.session, agency="police", case=talgar).organisation == "oblast.police"

        create(db.session, code="talgar.police", agency="police", name_ru="ОП", serves=["196200000"])   # the admin page
        assert route(db.session, agency="police", case=talgar).organisation == "talgar.police"
        set_active(db.session, "talgar.police", False)                                             # flask orgs
        assert route(db.session, agency="police", case=talgar).organisation == "oblast.police"

        # another process deactivates the oblast's unit (a connection of its own: an UPDATE through this process's
        # session would be forgotten at its commit): this one routes by what it read until its time is up
        with db.engine.begin() as conn:
            conn.execute(update(Organisation).where(Organisation.code == "oblast.police").values(active=False))
        assert route(db.session, agency="police", case=talgar).organisation == "oblast.police"
        monkeypatch.setattr(directory, "FRESH_SECONDS", 0.0)
        assert route(db.session, agency="police", case=talgar).organisation is None
        db.session.remove()
