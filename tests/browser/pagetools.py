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


# -- a real case: the school registers it on chapter 1, the police are told (chapter 4) ---------------------------
RECEIVED = "2026-12-01T09:00:00+05:00"
REGISTRATION = {
    "received_at": RECEIVED, "detected_by": "education", "detection_context": "visit", "channel": "oral_or_remote",
    "reporter": {"anonymous": False, "full_name": "Классный руководитель"},
    "child": {"last_name": "Иванова", "first_name": "Айгерим", "iin": "150312600124", "birth_date": "2015-03-12",
              "sex": "female"},
    "event_place": "г. Талгар, школа № 12", "case_summary": "Синяки на руках.", "offence_signs": True}
PRIMARY = {"child": REGISTRATION["child"],
           "family_members": [{"last_name": "Иванова", "first_name": "Сауле", "relation": "mother",
                               "lives_with_child": True}],
           "address": {"region": "Алматинская область", "locality": "Талгар"}, "general_description": "Семья.",
           "priority_agency": "police", "priority_reason": "Признаки правонарушения.", "education_emergency": False,
           "offence_signs_found": False}


def complete_task(api, case_id, bpmn_id, data):
    """Complete the case's task ``bpmn_id`` over the API as ``api``'s user (asserting it went through)."""
    task = next(t for t in api.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == bpmn_id)
    assert api.post(f"/tasks/{task['id']}/complete", json={"data": data}).status_code == 200


def case_told_to_the_police(app, make_user, run_due):
    """Chapters 1 and 4 deployed; the school's pedagogue (``pedagogue``, PASSWORD) registers a report with signs of
    an offence and completes the primary information, and the worker's round tells the police: chapter 4 waits
    for the police to acknowledge the notice. Returns (the pedagogue's API client, the started instance)."""
    from datetime import datetime, timezone
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    school = make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    case = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                   "data": {"received_at": RECEIVED}}).json()
    complete_task(school, case["case_id"], "register_education_org", REGISTRATION)
    complete_task(school, case["case_id"], "primary_info_education_org", PRIMARY)
    run_due(datetime.now(timezone.utc))
    return school, case


# Where a diagram's drawing lies inside its box, and where each current step is (client pixels).
MEASURE = """el => {
  const box = el.getBoundingClientRect();
  const drawing = el.querySelector('svg g.viewport').getBoundingClientRect();
  const current = [...el.querySelectorAll('g.djs-element.is-current')].map(g => {
    const r = g.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height};
  });
  return {box: {x: box.x, y: box.y, width: box.width, height: box.height},
          drawing: {x: drawing.x, y: drawing.y, width: drawing.width, height: drawing.height}, current,
          scale: el.bpmnViewer.get('canvas').viewbox().scale};
}"""


def inside(inner, outer, slack=2):
    """Whether the box ``inner`` lies within ``outer`` (``MEASURE``'s boxes), give or take ``slack`` pixels."""
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


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


# Phones: the issue's minimum width (360) and a common one (390); DESKTOP is the fixtures' default size.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Elements wider than the screen are allowed only inside a container that scrolls or clips them on purpose
# (the diagram canvas, a wide table's scroll box): the page itself never scrolls sideways.
_OVERFLOWING = """() => {
  const vw = window.innerWidth, out = [];
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= vw + 0.5 && r.left >= -0.5) continue;
    const s = getComputedStyle(el);
    if (r.right <= 0) continue;                      // parked off the left edge until focused (the skip link)
    if (s.visibility === 'hidden') continue;
    if (s.clip !== 'auto' || s.clipPath !== 'none') continue;               // visually hidden, for readers
    if (contained(el)) continue;
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    out.push(`${el.tagName.toLowerCase()}${id}${cls} [${Math.round(r.left)}..${Math.round(r.right)}]`);
    if (out.length >= 10) break;
  }
  return {scroll: document.documentElement.scrollWidth, inner: vw, out};
}"""


def assert_fits(page, name):
    """The page does not scroll sideways at its viewport's width, and nothing sticks out of the screen except
    inside a deliberate scroll container. Measured once the page (and its stylesheet) has loaded."""
    page.wait_for_load_state("load")
    found = page.evaluate(_OVERFLOWING)
    assert found["scroll"] <= found["inner"], \
        f"{name}: the page is {found['scroll']} px wide at {found['inner']}: {found['out']}"
    assert not found["out"], f"{name}: wider than the {found['inner']} px screen: {found['out']}"


def assert_reachable(page, locator):
    """Visible, inside the viewport's width, and a tap target at least 44 px high (WCAG 2.5.5's size)."""
    from playwright.sync_api import expect
    page.wait_for_load_state("load")
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= -0.5 and box["x"] + box["width"] <= width + 0.5, box
    assert box["height"] >= 44, box
