"""The OMG MIWG reference models: the server deploys each or refuses it naming the element — never a 500.

Each model is sent as published (no executable process) and once more marked executable, which
takes it past the first check into the engine's own parser and the registry's rules.
"""
import re

import pytest

from support import FIXTURES

MODELS = sorted((FIXTURES / "miwg").glob("*.bpmn"))


def _ids(xml: bytes) -> set[str]:
    return set(re.findall(rb'\bid="([^"]+)"', xml))


@pytest.mark.parametrize("executable", [False, True], ids=["as-published", "executable"])
def test_every_reference_model_is_deployed_or_refused_with_its_element(owner, executable):
    assert len(MODELS) >= 5
    outcomes = {}
    for path in MODELS:
        xml = path.read_bytes()
        if executable:
            xml = xml.replace(b'isExecutable="false"', b'isExecutable="true"')
        for endpoint in ("/process-models/validate", "/process-models"):
            r = owner.post(endpoint, files=[("file", (path.name, xml, "application/xml"))])
            assert r.status_code in (200, 201, 422), (path.name, endpoint, r.status_code, r.text)
            if r.status_code == 422:
                errors = r.json()["errors"]
                assert errors and all(e["message"] for e in errors)
                assert all(e["element_id"].encode() in _ids(xml) for e in errors), errors
        outcomes[path.name] = r.status_code
    if executable:
        assert outcomes["A.1.0.bpmn"] == 201          # a plain sequence of tasks runs as it is
        assert outcomes["A.2.0.bpmn"] == 422          # a gateway branch without a condition
        assert outcomes["A.4.0.bpmn"] == outcomes["A.4.1.bpmn"] == 422   # two executable pools, one is allowed
    else:
        assert set(outcomes.values()) == {422}        # nothing executable in the published models
