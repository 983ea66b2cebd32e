"""Tamper evidence: rows edited, deleted or reordered directly in the database are named by
instance and sequence number; a deleted tail or instance is caught by the anchor; a log
rewritten with fresh hashes is caught by re-execution."""
import sqlalchemy as sa

from tests.audit.scenario import audit_cli, scenario  # noqa: F401  (fixtures)


def _sql(app, statement, **params):
    from app.extensions import db
    with app.app_context():
        with db.engine.begin() as conn:
            return conn.execute(sa.text(statement), params)


def _fault_line(output, instance_id):
    lines = [l for l in output.splitlines() if l.startswith(f"instance {instance_id} seq ")]
    assert len(lines) == 1, output
    return lines[0]


def _rehash_from(app, instance_id, seq):
    """What a careful forger does: recompute every hash from ``seq`` on, and the instance's last hash."""
    from app.events.service import event_hash, events_of
    from app.extensions import db
    from app.instances.models import ProcessInstance
    with app.app_context():
        events = events_of(db.session, instance_id)
        prev = next(e.hash for e in events if e.seq == seq - 1)
        for e in events:
            if e.seq < seq:
                continue
            e.prev_hash = prev
            e.hash = prev = event_hash(prev, instance_id=e.instance_id, seq=e.seq, type=e.type, at=e.at,
                                       actor=e.actor, task_id=e.task_id, bpmn_id=e.bpmn_id, lane=e.lane,
                                       data=e.data, state_hash=e.state_hash)
        instance = db.session.get(ProcessInstance, instance_id)
        instance.last_hash = prev
        instance.last_seq = events[-1].seq
        db.session.commit()


def test_an_edited_row_is_named_by_instance_and_sequence_number(app, scenario, audit_cli):
    _sql(app, "UPDATE events SET actor = 'someone.else' WHERE instance_id = :i AND seq = 10",
         i=scenario.police_instance)
    code, output = audit_cli("verify", "--all")
    assert code == 1
    assert _fault_line(output, scenario.police_instance) == \
        f"instance {scenario.police_instance} seq 10: chain: content does not match its hash"
    assert f"instance {scenario.kdnzp_instance}: ok" in output       # the other instances stay clean


def test_a_deleted_row_is_named(app, scenario, audit_cli):
    _sql(app, "DELETE FROM events WHERE instance_id = :i AND seq = 5", i=scenario.police_instance)
    code, output = audit_cli("verify", scenario.police_instance)
    assert code == 1
    assert _fault_line(output, scenario.police_instance).startswith(
        f"instance {scenario.police_instance} seq 5: chain: missing or out of order")


def test_reordered_rows_are_named(app, scenario, audit_cli):
    i = scenario.police_instance
    _sql(app, "UPDATE events SET seq = 1000 WHERE instance_id = :i AND seq = 8", i=i)
    _sql(app, "UPDATE events SET seq = 8 WHERE instance_id = :i AND seq = 9", i=i)
    _sql(app, "UPDATE events SET seq = 9 WHERE instance_id = :i AND seq = 1000", i=i)
    code, output = audit_cli("verify", "--all")
    assert code == 1
    assert _fault_line(output, i).startswith(f"instance {i} seq 8: chain: ")


def test_a_deleted_tail_is_caught_by_the_anchor_even_with_the_instance_row_fixed(app, scenario, audit_cli):
    i = scenario.police_instance
    code, output = audit_cli("anchor")
    assert code == 0 and "3 instance(s)" in output
    anchor = output.split()[1]                                # "#<id>"
    # Delete the last three events and make the instance row agree: the chain alone is intact again.
    _sql(app, "DELETE FROM events WHERE instance_id = :i AND seq > 10", i=i)
    _sql(app, "UPDATE process_instances SET last_seq = 10, last_hash = "
              "(SELECT hash FROM events WHERE instance_id = :i AND seq = 10) WHERE id = :i", i=i)
    code, output = audit_cli("verify", "--all", "--chain-only")
    assert code == 1
    assert _fault_line(output, i) == f"instance {i} seq 13: anchor: missing: anchor {anchor} saw the log up to this event"


def test_a_deleted_instance_is_caught_by_the_anchor(app, scenario, audit_cli):
    i = scenario.health_instance
    last = scenario.auditor.get(f"/process-instances/{i}/events").json()["items"][-1]["seq"]
    code, output = audit_cli("anchor")
    anchor = output.split()[1]
    for table, column in (("events", "instance_id"), ("tasks", "instance_id"), ("waiting_messages", "instance_id"),
                          ("process_instances", "id")):
        _sql(app, f"DELETE FROM {table} WHERE {column} = :i", i=i)
    code, output = audit_cli("verify", "--all")
    assert code == 1
    assert _fault_line(output, i) == f"instance {i} seq {last}: anchor: the instance's log is gone " \
                                     f"(anchor {anchor} saw it up to seq {last})"


def test_a_log_rewritten_with_fresh_hashes_is_caught_by_re_execution(app, scenario, audit_cli):
    i = scenario.police_instance
    # Someone changes what the inspector submitted and recomputes every hash after it.
    _sql(app, "UPDATE events SET data = :d WHERE instance_id = :i AND seq = 10",
         d='{"summary": "ничего не было", "offence": false}', i=i)
    _rehash_from(app, i, 10)
    code, output = audit_cli("verify", "--all")
    assert code == 1
    line = _fault_line(output, i)
    assert line.startswith(f"instance {i} seq 10: re-execution: state hash differs"), line


def test_an_altered_anchor_is_reported(app, scenario, audit_cli):
    anchor = audit_cli("anchor")[1].split()[1]
    _sql(app, "UPDATE audit_anchors SET instance_count = 2")
    code, output = audit_cli("verify", "--all")
    assert code == 0                               # instance_count is not part of the digest
    _sql(app, "UPDATE audit_anchors SET entries = '[]'")
    code, output = audit_cli("verify", "--all")
    assert code == 1 and f"anchors: anchor {anchor} (" in output and "was altered" in output
