"""Verification by re-execution: clean instances pass, every step re-executed from the log alone."""
from tests.audit.scenario import audit_cli, scenario  # noqa: F401  (fixtures)


def test_a_clean_multi_agency_case_verifies_by_re_execution(scenario, audit_cli):
    code, output = audit_cli("verify", "--all")
    assert code == 0, output
    lines = output.splitlines()
    for instance_id in (scenario.police_instance, scenario.kdnzp_instance, scenario.health_instance):
        line = next(l for l in lines if instance_id in l)
        assert line.endswith("steps re-executed)") and ": ok (" in line
    assert lines[-1] == "3 instance(s) verified, 0 fault(s)"

