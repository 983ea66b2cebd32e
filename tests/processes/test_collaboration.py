"""Each diagram shows its whole interaction (issue 12): beside the chapter's own pool, a collapsed pool for every
agency it notifies or hears from, and a message flow for every message it throws or catches. Who is at the other
end is read here from the other diagrams' lanes, not from the generator, so a flow to the wrong agency, a missing
sender, or a pool nobody uses fails; and the drawing of the pools and flows is checked like the rest of the DI."""
from __future__ import annotations

import re

import pytest
from lxml import etree

import process_harness as h
from app.agencies import agency_for_lane
from app.engine.words import read_words

NS = h.NS
FILES = [p.name for p in h.diagram_files()]
THROWS = {"intermediateThrowEvent", "endEvent"}
TO_AGENCY = re.compile(r'"to_agency":\s*"([a-z_]+)"')


def local(el) -> str:
    return etree.QName(el).localname


def message_events(root):
    """[(element, message name, thrown?, agency of its lane)] of the diagram's process."""
    names = {m.get("id"): m.get("name") for m in root.iterfind("bpmn:message", NS)}
    lane_of = {ref.text: agency_for_lane(lane.get("name")) for lane in root.iterfind(".//bpmn:lane", NS)
               for ref in lane.iterfind("bpmn:flowNodeRef", NS)}
    out = []
    for md in root.iterfind("bpmn:process//bpmn:messageEventDefinition", NS):
        event = md.getparent()
        out.append((event, names[md.get("messageRef")], local(event) in THROWS, lane_of[event.get("id")]))
    return out


@pytest.fixture(scope="module")
def ends(diagrams):
    """{message: {"thrown": [(file, agency, to_agency)], "caught": [(file, agency, lanes of its process)]}}."""
    found: dict[str, dict] = {}
    for file, root in diagrams.items():
        lanes = {agency_for_lane(lane.get("name")) for lane in root.iterfind(".//bpmn:lane", NS)}
        for event, message, thrown, agency in message_events(root):
            side = found.setdefault(message, {"thrown": [], "caught": []})
            if thrown:
                payload = event.findtext(".//spiffworkflow:messagePayload", "", NS)
                to = TO_AGENCY.search(payload)
                side["thrown"].append((file, agency, to.group(1) if to else None))
            else:
                side["caught"].append((file, agency, lanes))
    return found


def expected_partners(file, message, thrown, event, ends) -> set[str]:
    """The agencies at the other end of a message event, by the other diagrams: the lanes that catch what it
    throws (the addressee named in the payload when the catching process has that agency's lane), or the lanes
    that throw what it catches."""
    if thrown:
        caught = [(agency, lanes) for f, agency, lanes in ends[message]["caught"] if f != file]
        payload = event.findtext(".//spiffworkflow:messagePayload", "", NS)
        to = TO_AGENCY.search(payload)
        if to and caught and all(to.group(1) in lanes for _a, lanes in caught):
            return {to.group(1)}
        return {agency for agency, _lanes in caught}
    return {agency for f, agency, _to in ends[message]["thrown"] if f != file}


def partner_pools(root) -> dict[str, str]:
    """{participant id: agency} of the collapsed pools (participants without a process)."""
    pools = {}
    for p in root.iterfind("bpmn:collaboration/bpmn:participant", NS):
        if p.get("processRef") is None:
            agency = agency_for_lane(p.get("name"))
            assert agency, f"pool {p.get('id')} is named {p.get('name')!r}, which is no agency"
            pools[p.get("id")] = agency
    return pools


@pytest.mark.parametrize("file", FILES)
def test_every_message_event_is_linked_to_exactly_the_agencies_at_its_other_end(file, diagrams, ends):
    root = diagrams[file]
    pools = partner_pools(root)
    flows = list(root.iterfind("bpmn:collaboration/bpmn:messageFlow", NS))
    events = message_events(root)
    assert events, f"{file} sends and receives nothing"
    for event, message, thrown, _agency in events:
        eid = event.get("id")
        if thrown:
            linked = [pools.get(f.get("targetRef")) for f in flows if f.get("sourceRef") == eid]
            assert not [f for f in flows if f.get("targetRef") == eid], f"{file}: a flow into the throw {eid}"
        else:
            linked = [pools.get(f.get("sourceRef")) for f in flows if f.get("targetRef") == eid]
            assert not [f for f in flows if f.get("sourceRef") == eid], f"{file}: a flow out of the catch {eid}"
        assert None not in linked, f"{file}: a message flow of {eid} ends at no partner pool"
        assert len(linked) == len(set(linked)), f"{file}: {eid} is linked twice to one pool"
        assert set(linked) == expected_partners(file, message, thrown, event, ends), \
            f"{file}: {eid} ({message}) is linked to {sorted(linked)}"


@pytest.mark.parametrize("file", FILES)
def test_every_message_flow_joins_an_event_of_the_process_and_a_used_partner_pool(file, diagrams):
    root = diagrams[file]
    pools = partner_pools(root)
    events = {e.get("id") for e, *_ in message_events(root)}
    used = set()
    for f in root.iterfind("bpmn:collaboration/bpmn:messageFlow", NS):
        pair = {f.get("sourceRef"), f.get("targetRef")}
        assert len(pair & events) == 1 and len(pair & set(pools)) == 1, f"{file}: {f.get('id')} joins {pair}"
        used |= pair & set(pools)
    assert used == set(pools), f"{file}: pools nobody sends to or hears from: {sorted(set(pools) - used)}"
    assert len(set(pools.values())) == len(pools), f"{file}: one agency drawn twice"


def test_chapters_2_to_8_show_whom_they_notify_and_who_notifies_them(diagrams):
    """The issue's reader: chapter 2 shows the police, КДНЗП and the guardianship body it informs (P8.4)."""
    ch2 = set(partner_pools(diagrams["ch2-education.bpmn"]).values())
    assert {"police", "kdnzp", "education_authority", "health", "social_protection", "local_executive"} <= ch2
    ch5 = set(partner_pools(diagrams["ch5-guardianship.bpmn"]).values())
    assert {"prosecutor", "center", "health", "police"} <= ch5
    for file in FILES:
        assert partner_pools(diagrams[file]), f"{file} draws no partner"


@pytest.mark.parametrize("file", FILES)
def test_partner_pools_carry_kazakh_and_english_names(file, diagrams):
    words = read_words((h.PROCESSES / file).read_bytes())
    for pid in partner_pools(diagrams[file]):
        assert words[pid]["kk"]["name"] and words[pid]["en"]["name"], pid
        assert words[pid]["kk"]["name"] != words[pid]["ru"]["name"] or words[pid]["ru"]["name"] == "Прокурор"


# -- the drawing -------------------------------------------------------------------------------------------
def boxes(root) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        b = shape.find("dc:Bounds", NS)
        out[shape.get("bpmnElement")] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    return out


def inside(segment, box, margin=1.0) -> bool:
    """Does the (orthogonal) segment run through the box's interior?"""
    (x0, y0), (x1, y1) = segment
    bx, by, bw, bh = box
    return (min(x0, x1) < bx + bw - margin and max(x0, x1) > bx + margin
            and min(y0, y1) < by + bh - margin and max(y0, y1) > by + margin)


@pytest.mark.parametrize("file", FILES)
def test_partner_pools_and_message_flows_are_drawn_apart_from_everything_else(file, diagrams):
    root = diagrams[file]
    shapes = boxes(root)
    own = root.find("bpmn:collaboration/bpmn:participant", NS).get("id")
    pools = partner_pools(root)
    for pid in pools:
        assert pid in shapes, f"{file}: pool {pid} is not drawn"
    drawn = [own, *pools]
    for i, a in enumerate(drawn):
        for b in drawn[i + 1:]:
            assert not inside(((shapes[a][0], shapes[a][1]), (shapes[a][0] + shapes[a][2], shapes[a][1] + shapes[a][3])),
                              shapes[b], margin=0), f"{file}: pools {a} and {b} overlap"
    nodes = [el.get("id") for el in root.find("bpmn:process", NS) if isinstance(el.tag, str) and el.get("id") in shapes]
    labels = {s.get("bpmnElement"): s.find("bpmndi:BPMNLabel/dc:Bounds", NS)
              for s in root.iter("{%s}BPMNShape" % NS["bpmndi"], "{%s}BPMNEdge" % NS["bpmndi"])}
    label_boxes = {k: tuple(float(b.get(a)) for a in ("x", "y", "width", "height"))
                   for k, b in labels.items() if b is not None}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    segments = []
    for f in root.iterfind("bpmn:collaboration/bpmn:messageFlow", NS):
        fid = f.get("id")
        assert fid in edges, f"{file}: message flow {fid} is not drawn"
        pts = [(float(p.get("x")), float(p.get("y"))) for p in edges[fid].iterfind("di:waypoint", NS)]
        assert len(pts) >= 2
        for end, ref in ((pts[0], f.get("sourceRef")), (pts[-1], f.get("targetRef"))):
            x, y, w, hgt = shapes[ref]
            assert x - 1 <= end[0] <= x + w + 1 and y - 1 <= end[1] <= y + hgt + 1, f"{file}: {fid} misses {ref}"
        for seg in zip(pts, pts[1:]):
            (x0, y0), (x1, y1) = seg
            assert x0 == x1 or y0 == y1, f"{file}: {fid} is not orthogonal"
            for nid in nodes:
                if nid not in (f.get("sourceRef"), f.get("targetRef")):
                    assert not inside(seg, shapes[nid]), f"{file}: {fid} runs through {nid}"
            for pid in pools:
                if pid not in (f.get("sourceRef"), f.get("targetRef")):
                    assert not inside(seg, shapes[pid]), f"{file}: {fid} runs through the pool {pid}"
            for owner, lb in label_boxes.items():
                assert not inside(seg, lb), f"{file}: {fid} runs over the label of {owner}"
            segments.append((fid, seg))
    for i, (fa, ((ax0, ay0), (ax1, ay1))) in enumerate(segments):
        for fb, ((bx0, by0), (bx1, by1)) in segments[i + 1:]:
            if fa == fb:
                continue
            if ay0 == ay1 == by0 == by1:
                shared = min(max(ax0, ax1), max(bx0, bx1)) - max(min(ax0, ax1), min(bx0, bx1))
            elif ax0 == ax1 == bx0 == bx1:
                shared = min(max(ay0, ay1), max(by0, by1)) - max(min(ay0, ay1), min(by0, by1))
            else:
                continue
            # two dashed lines on one line look like one solid line: at most the last pixels under an arrowhead
            assert shared <= 10, f"{file}: message flows {fa} and {fb} run on one line"


@pytest.mark.parametrize("file", FILES)
def test_each_partner_pool_stands_on_the_side_nearer_to_the_events_it_talks_to(file, diagrams):
    """Pools above and below the chapter's pool (issue 12's crowded chapter 1): a partner the lower lanes talk to
    stands below, so its flows need not climb through the upper lanes; measured by the sum of the distances from
    its events' centres to the pool's top and bottom edges (above on a tie)."""
    root = diagrams[file]
    shapes = boxes(root)
    own = root.find("bpmn:collaboration/bpmn:participant", NS).get("id")
    _x, top, _w, height = shapes[own]
    bottom = top + height
    for pid in partner_pools(root):
        _px, y, _pw, h = shapes[pid]
        ends = [f.get("sourceRef") if f.get("targetRef") == pid else f.get("targetRef")
                for f in root.iterfind("bpmn:collaboration/bpmn:messageFlow", NS) if pid in (f.get("sourceRef"), f.get("targetRef"))]
        centres = [shapes[e][1] + shapes[e][3] / 2 for e in ends]
        up, down = sum(c - top for c in centres), sum(bottom - c for c in centres)
        if down < up:
            assert y >= bottom, f"{file}: {pid} is talked to from nearer the bottom but does not stand below"
        else:
            assert y + h <= top, f"{file}: {pid} is talked to from nearer the top but does not stand above"


def test_chapter_1_talks_up_and_down(diagrams):
    """Chapter 1's five lanes: the police (notified from every lane, and by the assignment in the bottom lane)
    stand below, КДНЗП and the guardianship body above, so neither corridor carries all 31 flows."""
    root = diagrams["ch1-identification.bpmn"]
    shapes = boxes(root)
    own = shapes[root.find("bpmn:collaboration/bpmn:participant", NS).get("id")]
    assert shapes["Participant_partner_kdnzp"][1] < own[1]
    assert shapes["Participant_partner_education_authority"][1] < own[1]
    assert shapes["Participant_partner_police"][1] > own[1] + own[3]
