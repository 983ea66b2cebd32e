"""Whose child's name a list shows is decided for the whole list at once (``access.child_names_shown_among``), and
that answer is the single case's (``access.may_see_child_name``) for every reader and every case: members of an
organisation, agency-wide staff, a supervisor, another agency, national and regional auditors, an admin and a
process owner, over cases of two districts, of two organisations and without a territory. One rule, two forms;
if they ever part, a search page would name a child its reader may not see (or hide one they may)."""
from __future__ import annotations

import pytest

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
TALGAR, KARASAY, ALMATY_OBLAST = "196200000", "195200000", "190000000"


@pytest.fixture
def mixed(app, owner, make_user):
    """Cases of two police organisations and districts and one without a territory, and readers of every kind."""
    assert deploy_fixture(owner, "reporter").status_code == 201
    from app.extensions import db
    from app.organisations.service import create
    from app.users.models import User
    apis = {"a": make_user("police-a", "police", "staff"), "b": make_user("police-b", "police", "staff"),
            "wide": make_user("police-wide", "police", "staff")}
    for username, agency, *roles in (("chief-a", "police", "supervisor"), ("doctor", "health", "staff"),
                                     ("school-head", "education_org", "supervisor"), ("national", None, "auditor"),
                                     ("talgar-aud", None, "auditor"), ("oblast-aud", None, "auditor"),
                                     ("admin", None, "admin"), ("admin-staff", "police", "admin", "staff")):
        make_user(username, agency, *roles)
    with app.app_context():
        for code, kato in (("police.a", TALGAR), ("police.b", KARASAY)):
            create(db.session, code=code, agency="police", name_ru=code, serves=[kato])
        for username, change in (("police-a", {"organisation": "police.a"}), ("chief-a", {"organisation": "police.a"}),
                                 ("police-b", {"organisation": "police.b"}), ("talgar-aud", {"territory": TALGAR}),
                                 ("oblast-aud", {"territory": ALMATY_OBLAST})):
            db.session.query(User).filter_by(username=username).update(change)
        db.session.commit()
        db.session.remove()
    case_ids = []
    for api, territory in ((apis["a"], TALGAR), (apis["a"], TALGAR), (apis["b"], KARASAY), (apis["wide"], None),
                           (apis["wide"], KARASAY)):
        data = {"received_at": RECEIVED, **({"territory": territory} if territory else {})}
        r = api.post("/process-instances", json={"process_id": "reporter", "data": data})
        assert r.status_code == 201, r.text
        case_ids.append(r.json()["case_id"])
    return case_ids


def test_the_batch_and_the_single_case_answer_agree_for_every_reader_and_case(app, mixed):
    from app import access
    from app.extensions import db
    from app.users.models import User
    answers = {}
    with app.app_context():
        for user in db.session.query(User).order_by(User.username):
            single = {c for c in mixed if access.may_see_child_name(db.session, user, c)}
            batch = access.child_names_shown_among(db.session, user, mixed + [None])
            assert batch == single, (user.username, sorted(batch), sorted(single))
            answers[user.username] = len(single)
        db.session.remove()
    # the fixture is mixed: some readers see every name, some none, some a part
    assert answers["national"] == answers["admin-staff"] == len(mixed)
    assert answers["admin"] == answers["owner"] == answers["doctor"] == answers["school-head"] == 0
    assert 0 < answers["police-a"] < len(mixed) and 0 < answers["police-b"] < len(mixed)
    assert 0 < answers["talgar-aud"] < answers["oblast-aud"] <= len(mixed)
