"""Helpers the browser tests share (fixtures live in conftest.py)."""
from __future__ import annotations

import weakref
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "browser-test-password"
# axe-core (Deque, MPL-2.0), pinned in package.json; `make assets` runs `npm ci`, so make test has it. Only the
# tests load it: it is injected into the page under test, never served by the application.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA, the level the issue holds the staff pages to (no best-practice or AAA rules).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_URL = "/__browser-tests__/axe.min.js"
_AXE_ROUTED = weakref.WeakSet()


def sign_in(page, username, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    # The click returns once the next page is committed; its stylesheet may still be loading (slow under
    # load), and a page measured before it applies is measured unstyled.
    page.wait_for_load_state("load")


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def deploy_guide(app, *files):
    """Deploy diagrams of processes/ (by file name; all of them when none is named) through the
    registry service, the way `flask processes deploy` does; returns {process_id: version}."""
    from app.extensions import db
    from app.registry.service import deploy
    paths = [ROOT / "processes" / f for f in files] or sorted((ROOT / "processes").glob("*.bpmn"))
    deployed = {}
    with app.app_context():
        for path in paths:
            version, _ = deploy(db.session, bpmn=path.read_bytes(), forms={}, forms_dir=str(ROOT / "forms"),
                                deployed_by="test")
            deployed[version.process_id] = version.version
        db.session.remove()
    return deployed


def axe_violations(page, exclude=()):
    """axe-core's WCAG 2.1 A/AA violations on the page as it is drawn now (a list of axe's result objects).

    ``exclude`` names CSS selectors left out of the check; each caller says why (a third-party widget we
    cannot change), so nothing is skipped silently."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make assets` (npm ci; make test does)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The pages' Content-Security-Policy (script-src 'self') refuses the inline <script> that
        # add_script_tag(path=...) writes, as it should; so the file is offered at a same-origin address that
        # the browser answers itself (page.route: the application never sees the request, nor serves axe).
        if page not in _AXE_ROUTED:
            page.route(f"**{_AXE_URL}", lambda route: route.fulfill(path=str(AXE),
                                                                     content_type="text/javascript"))
            _AXE_ROUTED.add(page)
        page.add_script_tag(url=_AXE_URL)
    return page.evaluate(
        """([tags, exclude]) => axe.run({include: [document], exclude: exclude.map(s => [s])},
                                        {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                                 .then(r => r.violations)""",
        [AXE_TAGS, list(exclude)])


def describe_violations(violations):
    """One readable line per rule and one per node: the rule id and impact, its help, the nodes' selectors and
    axe's summary of what to fix there."""
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v.get('impact')}): {v['help']} [{len(v['nodes'])} node(s)] {v['helpUrl']}")
        for node in v["nodes"][:10]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    - {' '.join(map(str, node['target']))}: {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, exclude=(), name=None):
    """Fail with the list of WCAG 2.1 AA violations axe-core finds on the page (none passes)."""
    violations = axe_violations(page, exclude)
    assert not violations, f"{name or page.url}: axe-core found WCAG 2.1 AA violations:\n" + \
        describe_violations(violations)
