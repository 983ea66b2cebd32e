"""The access log is written in a transaction of its own: recording who opened a case leaves the reading
request's transaction a read (issue 16), and a request that wrote something still has it committed."""
from sqlalchemy import inspect, select


def test_recording_an_open_leaves_the_requests_rows_loaded_and_is_one_record_per_visit(app):
    from app.audit.access import record_access
    from app.audit.models import AccessRecord
    from app.extensions import db
    from app.users.models import User
    from app.users.service import create_user
    with app.app_context():
        user_id = create_user(db.session, username="reader", agency="police", roles=["staff"])[0].id
        db.session.remove()
        user = db.session.get(User, user_id)                    # what a handler loaded to draw its answer
        assert record_access(db.session, user=user, kind="case", object_id="c-1", case_id="c-1") is not None
        assert not inspect(user).expired_attributes               # not committed under it: nothing to read again
        assert record_access(db.session, user=user, kind="case", object_id="c-1", case_id="c-1") is None
        db.session.rollback()                                     # the request ends without a commit of its own
        rows = db.session.execute(select(AccessRecord.username, AccessRecord.kind, AccessRecord.object_id)).all()
        assert rows == [("reader", "case", "c-1")]
        db.session.remove()


def test_a_request_that_wrote_has_its_write_committed_with_the_record(app):
    from app.audit.access import record_access
    from app.audit.models import AccessRecord
    from app.extensions import db
    from app.users.models import User
    from app.users.service import create_user
    with app.app_context():
        user_id = create_user(db.session, username="reader", agency="police", roles=["staff"])[0].id
        db.session.remove()
        user = db.session.get(User, user_id)
        user.full_name = "Иванова А."                             # flushed, not committed, as a handler might
        db.session.flush()
        assert record_access(db.session, user=user, kind="task", object_id="t-1", case_id=None) is not None
        db.session.remove()
        assert db.session.get(User, user_id).full_name == "Иванова А."
        assert db.session.scalar(select(AccessRecord.kind)) == "task"
        db.session.remove()
