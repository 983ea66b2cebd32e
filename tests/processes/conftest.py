"""Fixtures for the diagram tests: the diagrams parsed once, and instances run with raw SpiffWorkflow."""
from __future__ import annotations

import pytest
from lxml import etree

import process_harness as h


@pytest.fixture(scope="session")
def diagrams():
    """{file name: parsed lxml root} for every diagram of processes/."""
    return {p.name: etree.parse(str(p)).getroot() for p in h.diagram_files()}


@pytest.fixture
def run():
    """run(file, now=h.real_now) -> an Instance to start; the clock defaults to the real one."""
    def make(file, now=h.real_now):
        return h.Instance(file, now)
    return make


@pytest.fixture
def router():
    return h.Router(h.real_now)
