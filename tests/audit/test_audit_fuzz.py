"""The auditors' endpoints fuzzed as an auditor (the security fuzzer calls them as staff, admin and owner,
and the access log answers auditors only): no 5xx, every answer as the OpenAPI description says."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.api.openapi import SPEC
from support import deploy_fixture

schema = schemathesis.openapi.from_dict(SPEC).include(path_regex=r"^/audit/|/(replay|verification)$")
RECEIVED = "2026-12-01T09:00:00+05:00"


@pytest.fixture
def auditor(owner, make_user):
    deploy_fixture(owner, "reporter")
    make_user("inspector", "police", "staff").post(
        "/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    return make_user("auditor", None, "auditor")


def test_the_fuzzer_reaches_every_audit_endpoint():
    assert {op.path for op in (r.ok() for r in schema.get_all_operations())} >= {
        "/audit/instances", "/audit/access-log", "/audit/compliance", "/audit/anchors",
        "/audit/versions/{version_id}/diagram", "/process-instances/{instance_id}/replay",
        "/process-instances/{instance_id}/verification"}


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_as_documented(case, auditor, server):
    case.call_and_validate(base_url=server + "/api/v1", headers={"Authorization": auditor.http.headers["Authorization"]},
                           excluded_checks=[positive_data_acceptance])
