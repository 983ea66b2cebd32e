"""Process owners and admins do not read a child's data through the API (the pages show them initials):
an instance answers them with the case's own facts only, and its events withhold form entries."""
from support import deploy_fixture


def test_owners_and_admins_get_case_facts_not_form_entries(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    admin = make_user("root", None, "admin")
    auditor = make_user("reader", None, "auditor")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {
        "received_at": "2026-12-01T09:00:00+05:00", "summary": "Иванов Пётр, синяки"}}).json()
    path = f"/process-instances/{started['id']}"
    for reader in (owner, admin):
        body = reader.get(path).json()
        assert "Иванов" not in str(body) and body["data"]["registration_number"] == started["registration_number"]
        events = reader.get(path + "/events").json()["items"]
        assert events[0]["type"] == "instance_started" and "Иванов" not in str(events)
    for reader in (police, auditor):
        assert reader.get(path).json()["data"]["summary"] == "Иванов Пётр, синяки"
        assert "Иванов" in str(reader.get(path + "/events").json()["items"])
