#!/usr/bin/env python3
"""Generate the Guide's diagrams (``processes/*.bpmn``) with their diagram interchange (DI).

Why a generator: ten diagrams, five of them with the same notification pattern, each needing
a full, non-overlapping BPMN DI. Writing coordinates by hand is where mistakes hide, so each
diagram is described below on a grid (lane, column, row) and this script computes the
shapes, orthogonal edges and labels, then checks its own drawing (overlapping shapes, edges
crossing shapes, labels on shapes) before writing the file.

The committed ``.bpmn`` files are the source of truth: process owners may open and edit them
in the modeler. Re-running this script overwrites them with what is described here.

    .venv/bin/python tools/layout_bpmn.py            # write processes/*.bpmn
    .venv/bin/python tools/layout_bpmn.py --check    # only report drawing problems
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.agencies import BY_CODE  # noqa: E402
from tools import collaboration  # noqa: E402
from tools.diagram_words import translated  # noqa: E402

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "spiffworkflow": SPIFF}
TARGET_NS = "http://qamqor.kz/bpmn"


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


# -- geometry --------------------------------------------------------------------------------------------
POOL_X, POOL_Y = 160, 80
POOL_LABEL = 30                 # the pool's name band
LANE_LABEL = 30                 # each lane's name band
COL0 = POOL_X + POOL_LABEL + LANE_LABEL + 80     # centre x of column 0
COL_W = 180
ROW_H = 130
LANE_TOP_PAD = 75               # lane top to the centre of row 0
LANE_BOTTOM_PAD = 50            # below the lowest shape's centre + half height
RIGHT_PAD = 90

SIZES = {
    "user": (140, 84), "script": (140, 84),
    "start": (36, 36), "end": (36, 36), "throw": (36, 36), "catch": (36, 36), "timer": (36, 36),
    "xgw": (50, 50), "pgw": (50, 50), "igw": (50, 50),
}
GATEWAYS = {"xgw", "pgw", "igw"}
EVENTS = {"start", "end", "throw", "catch", "timer"}
CHAR_W = 6.6                    # average width of a character of the 11 px label font
LINE_H = 14


def text_box(text: str, width: float) -> tuple[float, float]:
    """(width, height) a label needs when wrapped at ``width`` pixels."""
    words, lines, line = text.split(), 0, ""
    for w in words:
        probe = f"{line} {w}".strip()
        if len(probe) * CHAR_W > width and line:
            lines += 1
            line = w
        else:
            line = probe
    lines += 1 if line else 0
    longest = min(width, max((len(w) for w in words), default=0) * CHAR_W)
    used = min(width, max(longest, len(text) * CHAR_W if lines == 1 else width))
    return max(used + 8, 26), max(1, lines) * LINE_H


@dataclass
class Node:
    id: str
    kind: str
    name: str | None
    lane: str
    col: float
    row: float
    doc: str | None = None
    opts: dict = field(default_factory=dict)
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    label: tuple | None = None        # (x, y, w, h)
    incoming: list = field(default_factory=list)
    outgoing: list = field(default_factory=list)

    @property
    def cx(self):
        return self.x + self.w / 2

    @property
    def cy(self):
        return self.y + self.h / 2

    def anchor(self, side: str) -> tuple[float, float]:
        return {"right": (self.x + self.w, self.cy), "left": (self.x, self.cy),
                "top": (self.cx, self.y), "bottom": (self.cx, self.y + self.h)}[side]


@dataclass
class Flow:
    id: str
    src: str
    tgt: str
    name: str | None = None
    cond: str | None = None
    default: bool = False
    exit: str | None = None
    entry: str | None = None
    via_x: float | None = None     # in columns
    via_y: float | None = None     # in rows of the source's lane
    points: list | None = None     # explicit waypoints [(col, lane, row), ...] between the anchors
    label_at: tuple | None = None  # (dx, dy) from the first waypoint
    label_on: str = "first"        # "first" or "last" segment (then it lies in the target's lane)
    waypoints: list = field(default_factory=list)
    label: tuple | None = None


@dataclass
class Message:
    name: str
    id: str


class Diagram:
    """One BPMN file: a pool with lanes, one executable process, and the collapsed pools of its partners."""

    def __init__(self, file: str, process_id: str, process_name: str, lanes: list[str], doc: str):
        self.file = file
        self.process_id = process_id
        self.process_name = process_name
        self.lane_codes = lanes
        self.doc = doc
        self.nodes: dict[str, Node] = {}
        self.flows: list[Flow] = []
        self.messages: dict[str, Message] = {}
        self.lane_box: dict[str, tuple] = {}
        self.lane_pad: dict[str, tuple] = {}      # extra (top, bottom) space per lane, for labels
        self.links: list[collaboration.Link] = []  # message flows to partner pools (collaboration.connect)
        self.partners: dict[str, list] = {}       # agency -> its collapsed pool's box
        self.partner_side: dict[str, str] = {}    # agency -> "above" or "below" the chapter's pool
        self.link_problems: list[str] = []

    # -- building --------------------------------------------------------------------------------------
    def node(self, kind: str, id: str, name: str | None, lane: str, col: float, row: float = 0,
             doc: str | None = None, **opts) -> Node:
        assert id not in self.nodes, id
        assert id not in ("Start", "End"), id
        assert lane in self.lane_codes, (id, lane)
        n = Node(id, kind, name, lane, col, row, doc, opts)
        self.nodes[id] = n
        if "message" in opts:
            self.message(opts["message"])
        return n

    def message(self, name: str) -> Message:
        if name not in self.messages:
            self.messages[name] = Message(name, f"msg_{name}")
        return self.messages[name]

    def flow(self, src: str, tgt: str, name: str | None = None, cond: str | None = None,
             default: bool = False, **kw) -> Flow:
        fid = kw.pop("id", None) or f"flow_{src}_to_{tgt}"
        assert all(f.id != fid for f in self.flows), fid
        f = Flow(fid, src, tgt, name, cond, default, **kw)
        self.flows.append(f)
        return f

    def chain(self, *ids: str) -> None:
        for a, b in zip(ids, ids[1:]):
            self.flow(a, b)

    # -- layout ------------------------------------------------------------------------------------------
    def layout(self) -> None:
        for f in self.flows:
            self.nodes[f.src].outgoing.append(f.id)
            self.nodes[f.tgt].incoming.append(f.id)
        self._fit_lanes()
        if self.links:
            sides = {a: collaboration.side_of(self, a) for a in sorted({k.agency for k in self.links})}
            moved = self._labels_away_from(sides)
            names = {a: BY_CODE[a].name_ru for a in sides}
            while True:
                for link in self.links:
                    link.waypoints = []
                collaboration.place(self, names, sides)
                self.link_problems = collaboration.route(self)
                stuck = [self.nodes[k.node] for k in self.links if not k.waypoints]
                if not stuck or not moved:
                    break
                # a moved label may close the only way out of a neighbour: put back the one nearest to it
                nid = min(moved, key=lambda i: (min(abs(self.nodes[i].cx - n.cx) + abs(self.nodes[i].cy - n.cy)
                                                    for n in stuck), i))
                self.nodes[nid].opts["label"] = moved.pop(nid)
                self.lane_pad = {}
                self._fit_lanes()

    def _labels_away_from(self, sides: dict[str, str]) -> dict[str, str]:
        """A message event's label moves to the side away from its partners' pools (below when most of them
        are above, and the other way round), so its flows leave or enter by the side facing the pools instead of
        going round the label; kept where it was when moving it would put it on a line or another label."""
        moved = {}
        for n in self.nodes.values():
            towards = [sides[k.agency] for k in self.links if k.node == n.id]
            most = max(("above", "below"), key=towards.count)
            pos = n.opts.get("label", "above" if n.kind in GATEWAYS else "below")
            if n.name and 2 * towards.count(most) > len(towards) and pos.split("-")[0] == most:
                moved[n.id] = pos
                n.opts["label"] = ("below" if pos.startswith("above") else "above") + pos[5:]
        while moved:
            self.lane_pad = {}
            self._fit_lanes()
            named = set()
            for p in self.problems():
                named |= set(p.replace("/", " ").split())
            back = [nid for nid in moved if nid in named]
            if not back:
                return moved
            for nid in back:
                self.nodes[nid].opts["label"] = moved.pop(nid)
        self.lane_pad = {}
        self._fit_lanes()
        return moved

    def _fit_lanes(self) -> None:
        for _ in range(3):              # grow lanes until every label lies inside its lane
            self._layout()
            grow = {}
            labelled = [(n.lane, n.label) for n in self.nodes.values() if n.label]
            labelled += [(self.nodes[f.tgt if f.label_on == "last" else f.src].lane, f.label)
                         for f in self.flows if f.label]
            for lane, (_x, y, _w, h) in labelled:
                _, top, _, height = self.lane_box[lane]
                need_top = max(0, top + 6 - y)
                need_bottom = max(0, y + h + 6 - (top + height))
                old = grow.get(lane, (0, 0))
                grow[lane] = (max(old[0], need_top), max(old[1], need_bottom))
            grow = {k: v for k, v in grow.items() if v != (0, 0)}
            if not grow:
                return
            for lane, (t, b) in grow.items():
                pt, pb = self.lane_pad.get(lane, (0, 0))
                self.lane_pad[lane] = (pt + t, pb + b)
        raise RuntimeError(f"{self.file}: labels still outside their lanes")

    def _layout(self) -> None:
        # lane heights from the rows used
        top = POOL_Y
        self.row_y: dict[str, float] = {}
        for code in self.lane_codes:
            members = [n for n in self.nodes.values() if n.lane == code and n.kind != "timer"]
            highest = min((n.row * ROW_H - SIZES[n.kind][1] / 2 for n in members), default=-40)
            lowest = max((n.row * ROW_H + SIZES[n.kind][1] / 2 for n in members), default=40)
            highest, lowest = min(highest, -42), max(lowest, 42)
            pad_top = LANE_TOP_PAD - 40 + self.lane_pad.get(code, (0, 0))[0]
            pad_bottom = LANE_BOTTOM_PAD + self.lane_pad.get(code, (0, 0))[1]
            height = pad_top + (lowest - highest) + pad_bottom
            self.lane_box[code] = [POOL_X + POOL_LABEL, top, 0, height]
            self.row_y[code] = top + pad_top - highest
            top += height
        for n in self.nodes.values():
            n.w, n.h = SIZES[n.kind]
            if n.kind == "timer":
                continue
            cx = COL0 + n.col * COL_W
            cy = self.row_y[n.lane] + n.row * ROW_H
            n.x, n.y = cx - n.w / 2, cy - n.h / 2
        for n in self.nodes.values():
            if n.kind == "timer":
                host = self.nodes[n.opts["attached"]]
                slot = n.opts.get("slot", 0)
                cx = host.x + host.w - 20 - slot * 40
                n.x, n.y = cx - n.w / 2, host.y + host.h - n.h / 2
        right = max(n.x + n.w for n in self.nodes.values()) + RIGHT_PAD
        for n in self.nodes.values():
            self._place_label(n)
        right = max([right] + [n.label[0] + n.label[2] + 30 for n in self.nodes.values() if n.label])
        for box in self.lane_box.values():
            box[2] = right - box[0]
        self.pool = (POOL_X, POOL_Y, right - POOL_X, top - POOL_Y)
        for f in self.flows:
            self._route(f)

    def _place_label(self, n: Node) -> None:
        if not n.name or n.kind in ("user", "script"):
            return
        pos = n.opts.get("label", "above" if n.kind in GATEWAYS else "below")
        width = n.opts.get("label_width", 110 if n.kind in GATEWAYS else 100)
        w, h = text_box(n.name, width)
        if pos == "below":
            n.label = (n.cx - w / 2, n.y + n.h + 5, w, h)
        elif pos == "above":
            n.label = (n.cx - w / 2, n.y - 5 - h, w, h)
        elif pos == "right":
            n.label = (n.x + n.w + 8, n.cy - h / 2, w, h)
        elif pos == "left":
            n.label = (n.x - 8 - w, n.cy - h / 2, w, h)
        elif pos == "above-left":
            n.label = (n.x - w + 12, min(n.y - 2, n.cy - 46) - h, w, h)
        elif pos == "above-right":
            n.label = (n.x + n.w - 12, n.y - 2 - h, w, h)
        elif pos == "below-left":
            n.label = (n.x - w + 2, n.y + n.h + 2, w, h)
        elif pos == "below-right":
            n.label = (n.x + n.w - 4, n.y + n.h + 2, w, h)
        else:
            raise ValueError(pos)

    def col_x(self, col: float) -> float:
        return COL0 + col * COL_W

    def _route(self, f: Flow) -> None:
        s, t = self.nodes[f.src], self.nodes[f.tgt]
        exit, entry = f.exit, f.entry
        if exit is None:
            if s.kind == "timer":
                exit = "bottom"
            elif abs(s.cy - t.cy) < 1:
                exit = "right" if t.cx > s.cx else "bottom"
            elif s.kind in GATEWAYS and t.cx > s.cx and t.kind not in GATEWAYS:
                exit = "bottom" if t.cy > s.cy else "top"
                if f.via_x is not None:
                    exit = "right"
            else:
                exit = "right"
        if entry is None:
            if abs(s.cy - t.cy) < 1 and t.cx > s.cx:
                entry = "left"
            elif t.kind in GATEWAYS and exit in ("right",) and f.via_x is None and t.cx > s.cx:
                entry = "top" if s.cy < t.cy else "bottom"
            elif t.cx < s.cx or abs(t.cx - s.cx) < 1:
                entry = "top" if s.cy < t.cy else "bottom"
                if exit == "right" and t.cx < s.cx:
                    entry = "bottom" if s.cy >= t.cy else "top"
            else:
                entry = "left"
        p0, p1 = s.anchor(exit), t.anchor(entry)
        pts = [p0]
        if f.points:
            for col, lane, row in f.points:
                x = self.col_x(col) if col is not None else None
                y = self.row_y[lane] + row * ROW_H if row is not None else None
                prev = pts[-1]
                pts.append((x if x is not None else prev[0], y if y is not None else prev[1]))
            last = pts[-1]
            if entry in ("left", "right"):
                if abs(last[1] - p1[1]) > 0.5:
                    pts.append((last[0], p1[1]))
            else:
                if abs(last[0] - p1[0]) > 0.5:
                    pts.append((p1[0], last[1]))
        else:
            hor0, hor1 = exit in ("left", "right"), entry in ("left", "right")
            if hor0 and hor1:
                if abs(p0[1] - p1[1]) > 0.5:
                    mx = self.col_x(f.via_x) if f.via_x is not None else (p0[0] + p1[0]) / 2
                    pts += [(mx, p0[1]), (mx, p1[1])]
            elif not hor0 and hor1:
                pts.append((p0[0], p1[1]))
            elif hor0 and not hor1:
                pts.append((p1[0], p0[1]))
            else:
                if abs(p0[0] - p1[0]) > 0.5:
                    if f.via_y is not None:
                        my = self.row_y[s.lane] + f.via_y * ROW_H
                    else:
                        my = (p0[1] + p1[1]) / 2
                    pts += [(p0[0], my), (p1[0], my)]
        pts.append(p1)
        clean = [pts[0]]
        for p in pts[1:]:
            if abs(p[0] - clean[-1][0]) > 0.5 or abs(p[1] - clean[-1][1]) > 0.5:
                clean.append(p)
        f.waypoints = [(round(x, 1), round(y, 1)) for x, y in clean]
        if f.name:
            w, h = text_box(f.name, 90)
            (x0, y0), (x1, y1) = f.waypoints[0], f.waypoints[1]
            if f.label_on == "last":
                (x0, y0), (x1, y1) = f.waypoints[-2], f.waypoints[-1]
            if f.label_at:
                lx, ly = x0 + f.label_at[0], y0 + f.label_at[1]
            elif abs(x0 - x1) < 0.5:            # vertical first segment
                lx = x0 + 6
                ly = y0 + 6 if y1 > y0 else y0 - 6 - h
            else:
                lx = x0 + 6 if x1 > x0 else x0 - 6 - w
                ly = y0 - 4 - h
            f.label = (lx, ly, w, h)

    # -- self-check ----------------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        out = []
        shapes = [n for n in self.nodes.values()]

        def overlap(a, b, pad=0):
            return not (a[0] + a[2] <= b[0] - pad or b[0] + b[2] <= a[0] - pad or
                        a[1] + a[3] <= b[1] - pad or b[1] + b[3] <= a[1] - pad)

        box = {n.id: (n.x, n.y, n.w, n.h) for n in shapes}
        for i, a in enumerate(shapes):
            for b in shapes[i + 1:]:
                if a.opts.get("attached") == b.id or b.opts.get("attached") == a.id:
                    continue
                if overlap(box[a.id], box[b.id], pad=8):
                    out.append(f"shapes too close: {a.id} / {b.id}")
        for n in shapes:
            lane = self.lane_box[n.lane]
            if not (lane[0] + LANE_LABEL <= n.x and n.x + n.w <= lane[0] + lane[2]
                    and lane[1] <= n.y and n.y + n.h <= lane[1] + lane[3]):
                out.append(f"{n.id} outside its lane")
        labels = [(n.id, n.label) for n in shapes if n.label] + [(f.id, f.label) for f in self.flows if f.label]
        for lid, lb in labels:
            for n in shapes:
                if n.id == lid:
                    continue
                if overlap(lb, box[n.id]):
                    out.append(f"label of {lid} lies on {n.id}")
        for i, (aid, a) in enumerate(labels):
            for bid, b in labels[i + 1:]:
                if overlap(a, b):
                    out.append(f"labels of {aid} and {bid} overlap")
        for f in self.flows:
            ends = {f.src, f.tgt}
            for n in (self.nodes[f.src], self.nodes[f.tgt]):
                if n.opts.get("attached"):
                    ends.add(n.opts["attached"])
            for (x0, y0), (x1, y1) in zip(f.waypoints, f.waypoints[1:]):
                seg = (min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
                for n in shapes:
                    if n.id in ends or (n.kind == "timer" and n.opts["attached"] in ends and False):
                        continue
                    b = box[n.id]
                    inner = (b[0] + 1, b[1] + 1, b[2] - 2, b[3] - 2)
                    if overlap(seg, inner):
                        out.append(f"edge {f.id} crosses {n.id}")
                for lid, lb in labels:
                    if lid == f.id:
                        continue
                    if overlap(seg, (lb[0] + 1, lb[1] + 1, lb[2] - 2, lb[3] - 2)):
                        out.append(f"edge {f.id} crosses the label of {lid}")
        return out + self.link_problems + collaboration.problems(self)

    # -- XML -------------------------------------------------------------------------------------------
    def xml(self) -> bytes:
        E = etree.Element
        S = etree.SubElement
        root = E(q(BPMN, "definitions"), nsmap=NSMAP)
        root.set("id", f"Definitions_{self.process_id}")
        root.set("targetNamespace", TARGET_NS)
        root.set("exporter", "Qamqor tools/layout_bpmn.py")
        root.set("exporterVersion", "1")
        collab_id = f"Collaboration_{self.process_id}"
        collab = S(root, q(BPMN, "collaboration"), id=collab_id)
        part_id = f"Participant_{self.process_id}"
        S(collab, q(BPMN, "participant"), id=part_id, name=self.process_name, processRef=self.process_id)
        for agency in self.partners:
            el = S(collab, q(BPMN, "participant"), id=f"Participant_partner_{agency}", name=BY_CODE[agency].name_ru)
            S(el, q(BPMN, "documentation")).text = (
                "Орган, с которым глава обменивается сообщениями; его работа — в его собственной диаграмме.")
            _words_xml(el, None, BY_CODE[agency].name_ru)
        for link in self.links:
            pool, event = f"Participant_partner_{link.agency}", link.node
            S(collab, q(BPMN, "messageFlow"), id=link.id, sourceRef=event if link.outgoing else pool,
              targetRef=pool if link.outgoing else event)
        for m in sorted(self.messages.values(), key=lambda m: m.name):
            S(root, q(BPMN, "message"), id=m.id, name=m.name)
        proc = S(root, q(BPMN, "process"), id=self.process_id, name=self.process_name, isExecutable="true")
        S(proc, q(BPMN, "documentation")).text = self.doc
        _words_xml(proc, None, self.process_name)
        lane_set = S(proc, q(BPMN, "laneSet"), id=f"LaneSet_{self.process_id}")
        for code in self.lane_codes:
            lane = S(lane_set, q(BPMN, "lane"), id=f"Lane_{code}", name=BY_CODE[code].name_ru)
            _words_xml(lane, None, BY_CODE[code].name_ru)
            for n in self.nodes.values():
                if n.lane == code:
                    S(lane, q(BPMN, "flowNodeRef")).text = n.id
        for n in self.nodes.values():
            self._node_xml(proc, n)
        for f in self.flows:
            el = S(proc, q(BPMN, "sequenceFlow"), id=f.id, sourceRef=f.src, targetRef=f.tgt)
            if f.name:
                el.set("name", f.name)
                _words_xml(el, None, f.name)
            if f.cond:
                c = S(el, q(BPMN, "conditionExpression"))
                c.set(q(XSI, "type"), "bpmn:tFormalExpression")
                c.text = f.cond
        # DI
        diagram = S(root, q(BPMNDI, "BPMNDiagram"), id=f"BPMNDiagram_{self.process_id}")
        plane = S(diagram, q(BPMNDI, "BPMNPlane"), id=f"BPMNPlane_{self.process_id}", bpmnElement=collab_id)

        def bounds(parent, x, y, w, h):
            S(parent, q(DC, "Bounds"), x=_n(x), y=_n(y), width=_n(w), height=_n(h))

        sh = S(plane, q(BPMNDI, "BPMNShape"), id=f"{part_id}_di", bpmnElement=part_id, isHorizontal="true")
        bounds(sh, *self.pool)
        for agency, box in self.partners.items():
            sh = S(plane, q(BPMNDI, "BPMNShape"), id=f"Participant_partner_{agency}_di",
                   bpmnElement=f"Participant_partner_{agency}", isHorizontal="true")
            bounds(sh, *box)
        for code in self.lane_codes:
            sh = S(plane, q(BPMNDI, "BPMNShape"), id=f"Lane_{code}_di", bpmnElement=f"Lane_{code}",
                   isHorizontal="true")
            bounds(sh, *self.lane_box[code])
        for n in self.nodes.values():
            sh = S(plane, q(BPMNDI, "BPMNShape"), id=f"{n.id}_di", bpmnElement=n.id)
            if n.kind == "xgw":
                sh.set("isMarkerVisible", "true")
            bounds(sh, n.x, n.y, n.w, n.h)
            if n.label:
                bounds(S(sh, q(BPMNDI, "BPMNLabel")), *n.label)
        for f in self.flows:
            ed = S(plane, q(BPMNDI, "BPMNEdge"), id=f"{f.id}_di", bpmnElement=f.id)
            for x, y in f.waypoints:
                S(ed, q(DI, "waypoint"), x=_n(x), y=_n(y))
            if f.label:
                bounds(S(ed, q(BPMNDI, "BPMNLabel")), *f.label)
        for link in self.links:
            ed = S(plane, q(BPMNDI, "BPMNEdge"), id=f"{link.id}_di", bpmnElement=link.id)
            for x, y in link.waypoints:
                S(ed, q(DI, "waypoint"), x=_n(x), y=_n(y))
        etree.indent(root, space="  ")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _node_xml(self, proc, n: Node) -> None:
        S = etree.SubElement
        tag = {"user": "userTask", "script": "scriptTask", "start": "startEvent", "end": "endEvent",
               "throw": "intermediateThrowEvent", "catch": "intermediateCatchEvent", "timer": "boundaryEvent",
               "xgw": "exclusiveGateway", "pgw": "parallelGateway", "igw": "inclusiveGateway"}[n.kind]
        el = S(proc, q(BPMN, tag), id=n.id)
        if n.name:
            el.set("name", n.name)
        if n.kind == "timer":
            el.set("cancelActivity", "false")
            el.set("attachedToRef", n.opts["attached"])
        if n.kind == "script":
            el.set("scriptFormat", "python")
        defaults = [f.id for f in self.flows if f.src == n.id and f.default]
        if defaults:
            el.set("default", defaults[0])
        if n.doc:
            S(el, q(BPMN, "documentation")).text = n.doc
        if n.kind != "user" and n.name:
            _words_xml(el, None, n.name)
        if n.kind == "user":
            ext = S(el, q(BPMN, "extensionElements"))
            props = S(ext, q(SPIFF, "properties"))
            S(props, q(SPIFF, "property"), name="formJsonSchemaFilename", value=n.opts["form"])
            if n.opts.get("ui"):
                S(props, q(SPIFF, "property"), name="formUiSchemaFilename", value=n.opts["ui"])
            if n.opts.get("role"):
                S(props, q(SPIFF, "property"), name="requiredRole", value=n.opts["role"])
            _words_xml(el, props, n.name, n.opts.get("instructions"))
            if n.opts.get("instructions"):
                S(ext, q(SPIFF, "instructionsForEndUser")).text = n.opts["instructions"]
            if n.opts.get("post_script"):
                S(ext, q(SPIFF, "postScript")).text = n.opts["post_script"]
        for fid in n.incoming:
            S(el, q(BPMN, "incoming")).text = fid
        for fid in n.outgoing:
            S(el, q(BPMN, "outgoing")).text = fid
        if n.kind == "script":
            S(el, q(BPMN, "script")).text = n.opts["script"]
        if "message" in n.opts:
            md = S(el, q(BPMN, "messageEventDefinition"), id=f"{n.id}_message",
                   messageRef=self.messages[n.opts["message"]].id)
            if n.kind in ("throw", "end"):
                ext = S(md, q(BPMN, "extensionElements"))
                S(ext, q(SPIFF, "messagePayload")).text = payload_text(n.opts["payload"])
            else:
                ext = S(md, q(BPMN, "extensionElements"))
                S(ext, q(SPIFF, "messageVariable")).text = "msg"
        if n.opts.get("condition"):
            cd = S(el, q(BPMN, "conditionalEventDefinition"), id=f"{n.id}_condition")
            c = S(cd, q(BPMN, "condition"))
            c.set(q(XSI, "type"), "bpmn:tFormalExpression")
            c.text = n.opts["condition"]
        if n.opts.get("terminate"):
            S(el, q(BPMN, "terminateEventDefinition"), id=f"{n.id}_terminate")
        if n.kind == "timer":
            td = S(el, q(BPMN, "timerEventDefinition"), id=f"{n.id}_timer")
            t = S(td, q(BPMN, "timeDate"))
            t.set(q(XSI, "type"), "bpmn:tFormalExpression")
            t.text = n.opts["expr"]


def _words_xml(el, props, name: str | None, instructions: str | None = None) -> None:
    """The element's Kazakh and English words (tools/diagram_words.py) as spiffworkflow properties
    ``name:kk``, ``name:en``, ``instructions:kk``, ``instructions:en`` (app/engine/words.py reads them);
    into ``props`` when the element already has its properties, else a new extensionElements."""
    found = [(f"{field}:{lang}", text) for field, ru in (("name", name), ("instructions", instructions)) if ru
             for lang, text in translated(ru).items()]
    if not found:
        return
    if props is None:
        props = etree.SubElement(etree.SubElement(el, q(BPMN, "extensionElements")), q(SPIFF, "properties"))
    for key, text in found:
        etree.SubElement(props, q(SPIFF, "property"), name=key, value=text)


def _n(v: float) -> str:
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


def payload_text(payload: dict) -> str:
    """A payload as the Python dict expression SpiffWorkflow evaluates (values are expressions)."""
    inner = ",\n  ".join(f"{json.dumps(k)}: {v}" for k, v in payload.items())
    return "{\n  " + inner + "\n}"


# =====================================================================================================
# The Guide, as the diagrams need it
# =====================================================================================================
DETECTING = ("education_org", "police", "health", "social_protection", "local_executive")

# id: (chapter, agencies, summary in Russian, deadline or None)
CLAUSES: dict[str, tuple] = {
    "P1": (1, DETECTING, "Порядок применяется к любому лицу моложе 18 лет, пострадавшему от насилия "
           "или жестокого обращения на территории Республики Казахстан.", None),
    "P2": (1, DETECTING, "Факты выявляют при подворных обходах, посещениях, приёме граждан и рассмотрении "
           "обращений сотрудники органов образования, внутренних дел, здравоохранения, социальной защиты "
           "и других местных исполнительных органов.", None),
    "P3": (1, DETECTING, "Информация поступает устно или по любым видам связи (в том числе через интернет), "
           "письменным заявлением, через печатные и электронные СМИ, от других физических и юридических лиц.",
           None),
    "P4.a": (1, DETECTING, "Принявший информацию специалист формирует первичную информацию о ребёнке (семье): "
             "ФИО ребёнка и членов семьи (отчество — при наличии), место проживания, общая характеристика.",
             {"amount": 1, "unit": "working_days"}),
    "P4.b": (1, DETECTING + ("local_executive",), "Специалист выбирает приоритетный государственный орган "
             "для дальнейшей работы и передаёт информацию курирующему специалисту МИО населённого пункта.",
             {"amount": 2, "unit": "calendar_days"}),
    "P4.c": (1, DETECTING + ("police",), "При признаках уголовного или административного правонарушения — "
             "немедленное сообщение в ОВД для защиты ребёнка, в том числе для размещения в безопасной среде "
             "(центр адаптации, центр поддержки детей в ТЖС, кризисный центр НПО).",
             {"amount": None, "unit": "immediately"}),
    "P5": (1, DETECTING + ("education_authority",), "Информация о каждом факте насилия дублируется в орган "
           "опеки и попечительства.", {"amount": None, "unit": "immediately"}),
    "P6": (1, DETECTING, "Получивший информацию орган (организация) регистрирует обращение в установленном "
           "законом порядке.", None),
    "P7": (1, ("education_org", "mes_committee"), "О чрезвычайных происшествиях в сфере образования, в том "
           "числе о насилии, сообщается в Комитет по охране прав детей МОН РК (приказ № 541 от 26.12.2014).",
           {"amount": 1, "unit": "working_days"}),
    "P8.1": (2, ("education_org",), "Выявление фактов насилия и жестокого обращения.", None),
    "P8.2": (2, ("education_org",), "Психолого-педагогическое сопровождение: комплексная оценка ситуации, "
             "правовое просвещение, индивидуальный план работы.", None),
    "P8.3": (2, ("education_org",), "Информирование детей о специальных службах, куда можно обратиться.", None),
    "P8.4": (2, ("education_org", "police", "kdnzp", "education_authority"), "Незамедлительное "
             "информирование ОВД, КДНЗП и органа опеки; предоставление сведений заинтересованным органам.",
             {"amount": None, "unit": "immediately"}),
    "P8.5": (2, ("education_org",), "Мероприятия по профилактике насилия.", None),
    "P8.6": (2, ("education_org",), "Рассмотрение обращений о насилии или угрозе насилия, меры по пресечению.",
             None),
    "P8.7": (2, ("education_org", "health", "social_protection"), "Привлечение других органов и организаций "
             "в пределах их компетенции.", None),
    "P8.8": (2, ("education_org",), "Акт обследования жилищно-бытовых условий семьи совместно с "
             "представителями заинтересованных органов.", None),
    "P8.9": (2, ("education_org", "education_authority", "police", "kdnzp"), "Письменное уведомление "
             "органа управления образования, ОВД и КДНЗП о злоупотреблении родительскими правами.", None),
    "P8.10": (2, ("education_org",), "Решение о закрытии дела, когда причины устранены и основные "
              "потребности семьи удовлетворены.", None),
    "P9.1": (2, ("education_org",), "План работы с семьёй: регулярные посещения социальным педагогом, группа "
             "поддержки родителей, программа позитивного воспитания, социальная поддержка, содействие в "
             "трудоустройстве, материальной помощи и документировании.", None),
    "P9.2": (2, ("education_org",), "План работы с ребёнком: дополнительное образование по интересам, "
             "индивидуальная и групповая адаптация, консультации, коррекция, тренинги.", None),
    "P10.1": (3, ("kdnzp",), "Рекомендации органам опеки, здравоохранения, образования и ОВД по "
              "профилактике и пресечению насилия.", None),
    "P10.2": (3, ("kdnzp",), "Приём сообщений, анализ информации о семье (учреждении), при необходимости "
              "запрос сведений у других органов.", None),
    "P10.3": (3, ("kdnzp", "police", "health", "education_org"), "Передача сведений в ОВД, здравоохранение "
              "и образование для принятия мер реагирования.", None),
    "P10.4": (3, ("kdnzp",), "Решение по каждому случаю нарушения прав ребёнка, рекомендации органам, "
              "привлечение родителей (законных представителей) к ответственности.", None),
    "P10.5": (3, ("kdnzp", "social_protection"), "Координация социальных служб, сопровождающих ребёнка при "
              "выходе из кризиса.", None),
    "P10.6": (3, ("kdnzp",), "Мониторинг принятых мер и услуг, оценка потребностей ребёнка.", None),
    "P10.7": (3, ("kdnzp",), "Направление органам информации о необходимости индивидуальной "
              "профилактической работы с ребёнком.", None),
    "P10.8": (3, ("kdnzp",), "Организация восстановления здоровья и социальной реабилитации ребёнка.", None),
    "P10.9": (3, ("kdnzp",), "Установление родителей (законных представителей), не исполняющих обязанности "
              "или жестоко обращающихся с ребёнком.", None),
    "P10.10": (3, ("kdnzp", "center"), "Посещение центров для обследования условий воспитания, обучения, "
               "содержания, охраны здоровья и соблюдения прав детей.", None),
    "P11.1": (4, ("police",), "Постановка на учёт лиц, допускающих насилие, неблагополучных семей и детей в ТЖС; "
              "индивидуальная профилактическая работа; меры правового реагирования.", None),
    "P11.2": (4, ("police",), "Выявление насилия (в том числе сексуального), жестокого обращения и иных "
              "преступлений против детей.", None),
    "P11.3": (4, ("police",), "Уведомление других заинтересованных органов о факте насилия.", None),
    "P11.4": (4, ("police",), "Рассмотрение сообщений о насилии и о неисполнении родительских обязанностей.",
              None),
    "P11.5": (4, ("police",), "Досудебное расследование по УПК РК: неотложные следственные действия, фиксация "
              "следов, экспертизы.", None),
    "P11.6": (4, ("police",), "Следственные действия с ребёнком — в присутствии законного представителя, а при "
              "его отсутствии или противоречии интересам ребёнка — представителя органа опеки, педагога или "
              "психолога.", None),
    "P11.7": (4, ("police", "center", "health"), "Совместное с органами решение о доставке ребёнка в "
              "организацию по защите прав детей или к поставщику специальных социальных услуг, если "
              "устроить его по месту жительства нельзя.", None),
    "P11.8": (4, ("police",), "Разъяснение потерпевшему (представителю) права на адвоката; по письменному "
              "ходатайству — постановление об участии адвоката.", None),
    "P11.9": (4, ("police", "kdnzp", "education_authority"), "Информирование КДНЗП и органа опеки о "
              "необходимости сбора материалов на лиц, допускающих насилие, и направления дела в суд.", None),
    "P11.10": (4, ("police", "education_authority"), "Ходатайство перед органом опеки об ограничении или "
               "лишении родительских прав.", None),
    "P11.11": (4, ("police",), "Правовая помощь и консультации по документированию граждан РК и иностранцев.",
               None),
    "P12.1": (5, ("education_authority",), "Незамедлительные меры по защите прав ребёнка.",
              {"amount": None, "unit": "immediately"}),
    "P12.2": (5, ("education_authority", "prosecutor"), "При необходимости — отобрание ребёнка у родителей "
              "(законных представителей) и незамедлительное информирование прокурора.",
              {"amount": None, "unit": "immediately"}),
    "P12.3": (5, ("education_authority", "center", "health"), "Временное устройство ребёнка.", None),
    "P12.4": (5, ("education_authority",), "Сбор материалов на ограничение или лишение родительских прав, "
              "мотивированное заключение и обращение в суд.", {"amount": 7, "unit": "calendar_days"}),
    "P12.5": (5, ("education_authority",), "Участие в судебных разбирательствах по защите прав ребёнка.", None),
    "P12.6": (5, ("education_authority",), "Устройство ребёнка и контроль условий его проживания.", None),
    "P12.7": (5, ("education_authority", "police"), "Информирование ОВД о нарушениях прав ребёнка, насилии и "
              "жестоком обращении.", None),
    "P12.8": (5, ("education_authority",), "Организация дополнительного образования и досуга ребёнка.", None),
    "P13.1": (6, ("health",), "Выявление факта насилия и жестокого обращения.", None),
    "P13.2": (6, ("health",), "Визуальный осмотр ребёнка.", None),
    "P13.3": (6, ("health", "police", "kdnzp", "education_authority"), "Незамедлительное информирование ОВД, "
              "КДНЗП и органа опеки; предоставление сведений заинтересованным органам.",
              {"amount": None, "unit": "immediately"}),
    "P13.4": (6, ("health",), "Приём и содержание детей от 0 до 3 лет, отобранных при угрозе жизни или "
              "здоровью, и во всех иных случаях, когда этого требует защита их прав.", None),
    "P13.5": (6, ("health",), "Медицинская помощь по стандартизированным операционным процедурам.", None),
    "P13.6": (6, ("health",), "Специальные социальные услуги в установленном порядке.", None),
    "P14.1": (7, ("social_protection", "police", "kdnzp", "education_authority"), "Незамедлительное "
              "информирование ОВД, КДНЗП и органа опеки; предоставление сведений заинтересованным органам.",
              {"amount": None, "unit": "immediately"}),
    "P14.2": (7, ("social_protection",), "Совместная с органами оценка жестокого обращения, приведшего к "
              "социальной дезадаптации и депривации.", None),
    "P14.3": (7, ("social_protection",), "Специальные социальные услуги в установленном порядке.", None),
    "P15.1": (8, ("center",), "Приём и временное содержание детей, отобранных при непосредственной угрозе "
              "жизни или здоровью, и детей в ТЖС вследствие жестокого обращения.", None),
    "P15.2": (8, ("center",), "Оценка жестокого обращения, приведшего к социальной дезадаптации и депривации.",
              None),
    "P15.3": (8, ("center",), "Специальные социальные услуги в установленном порядке.", None),
    "P15.4": (8, ("center",), "Помощь законным представителям и детям в разрешении конфликтов и трудных "
              "жизненных ситуаций.", None),
    "P15.5": (8, ("center",), "Работа с семьями, находящимися в трудной жизненной ситуации.", None),
}

CHAPTERS = [
    (1, "Выявление фактов насилия и жестокого обращения в отношении несовершеннолетнего",
     "ch1-identification.bpmn", "ch1_identification"),
    (2, "Действия организаций образования", "ch2-education.bpmn", "ch2_education"),
    (3, "Действия КДНЗП", "ch3-kdnzp.bpmn", "ch3_kdnzp"),
    (4, "Действия ОВД", "ch4-police.bpmn", "ch4_police"),
    (5, "Действия органов управления образования (органа опеки и попечительства)",
     "ch5-guardianship.bpmn", "ch5_guardianship"),
    (6, "Действия организаций здравоохранения", "ch6-health.bpmn", "ch6_health"),
    (7, "Действия органов занятости и социальной защиты населения",
     "ch7-social-protection.bpmn", "ch7_social_protection"),
    (8, "Действия центров адаптации, поддержки детей в ТЖС и кризисных центров",
     "ch8-centres.bpmn", "ch8_centres"),
]

# Russian names of the agencies in flow labels ("to whom")
SHORT = {
    "education_org": "организация образования", "education_authority": "орган опеки и попечительства",
    "local_executive": "МИО", "police": "ОВД", "kdnzp": "КДНЗП", "health": "организация здравоохранения",
    "social_protection": "органы социальной защиты", "center": "центр", "mes_committee": "Комитет МОН РК",
    "prosecutor": "прокурор",
}
# "received in ..." for the start events of chapter 1
RECEIVED_IN = {
    "education_org": "Информация поступила в организацию образования",
    "police": "Информация поступила в ОВД",
    "health": "Информация поступила в организацию здравоохранения",
    "social_protection": "Информация поступила в органы занятости и социальной защиты",
    "local_executive": "Информация поступила в МИО (другой местный исполнительный орган)",
}

ACK_WINDOW = "окно подтверждения (настраивается, по умолчанию 1 час)"


def clause(cid: str, what: str | None = None) -> str:
    """One documentation line: the clause id and what this element does for it."""
    return f"{cid} — {what or CLAUSES[cid][2]}"


def docs(*lines: str) -> str:
    return "\n".join(lines)


def lit(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def payload(sender: str, clause_id: str, **extra: str) -> dict:
    """The standard notification payload (values are expressions over the sender's data)."""
    p = {
        "case_id": "case_id",
        "registration_number": "registration_number",
        "received_at": "now()",
        "notified_by": lit(sender),
        "notified_by_name": lit(BY_CODE[sender].name_ru),
        "clause": lit(clause_id),
        "child": "child",
        "case_summary": "case_summary",
    }
    p.update(extra)
    return p


ESC_INSTRUCTIONS = (
    "**Срок истёк.** {what}\n\n"
    "Дело № {{{{ registration_number }}}}. Выясните причину, примите меры (напомните исполнителю, "
    "передайте задачу другому сотруднику или возьмите на личный контроль) и отметьте их в форме. "
    "Просроченная задача остаётся в работе до её выполнения."
)


def deadline(d: Diagram, host: str, expr: str, timer_name: str, doc: str, what: str,
             esc_at: tuple, end_dx: float = 0.8, slot: int = 0, suffix: str = "") -> None:
    """A non-interrupting boundary timer on ``host`` leading to the supervisor's escalation task."""
    h = d.nodes[host]
    tid = f"deadline_{host}{suffix}"
    d.node("timer", tid, timer_name, h.lane, 0, 0, doc=doc, attached=host, expr=expr, slot=slot,
           label="below-left", label_width=92)
    eid = f"escalate_{host}{suffix}"
    d.node("user", eid, f"Контроль руководителя: {what[0]}", h.lane, esc_at[0], esc_at[1],
           doc=docs(doc.split("\n")[0], "Эскалация руководителю: срок пропущен, задача остаётся в работе."),
           form="escalation.schema.json", role="supervisor",
           instructions=ESC_INSTRUCTIONS.format(what=what[1]))
    nid = f"escalation_closed_{host}{suffix}"
    d.node("end", nid, "Меры по просрочке приняты", h.lane, esc_at[0] + end_dx, esc_at[1], label_width=90)
    d.flow(tid, eid)
    d.flow(eid, nid)


ACK_INSTRUCTIONS = (
    "Поступило уведомление по делу № {{ registration_number }} от **{{ notified_by_name }}** "
    "(основание: {{ clause }}).\n\n"
    "Ребёнок: {{ child.last_name }} {{ child.first_name }}. Краткое содержание: {{ case_summary }}\n\n"
    "Подтвердите получение незамедлительно: после подтверждения станут доступны задачи вашего органа по этому делу."
)


def ack_timer_doc(immediate: list[str], what: str = "уведомления") -> str:
    """Documentation of an acknowledgement timer; names only the clauses that require "immediately"."""
    lines = [f"Подтверждение получения {what} — срок: незамедлительно, {ACK_WINDOW}, с момента получения."]
    lines += [clause(c, "сообщается незамедлительно: получение подтверждается в окне подтверждения")
              for c in immediate]
    return docs(*lines)


INTAKE_OUT = "already_in_work_check"


def in_work_check(d: Diagram, lane: str, gw: str, end: str, ack: str, col: float, row: float,
                  end_row: float, what: str = "Уведомление приобщено") -> None:
    """After an acknowledgement: a case this agency already works on gets no second line of work."""
    d.node("xgw", gw, "Дело уже в работе?", lane, col, row, label="above-left", label_width=80,
           doc="Повторное уведомление по делу, которое орган уже ведёт (отметка already_in_work при "
               "подтверждении), приобщается к материалам: вторая линия работы не открывается.")
    d.node("end", end, f"{what} к материалам дела", lane, col, end_row, label="right",
           label_width=130)
    d.flow(ack, gw)
    d.flow(gw, end, "Да", cond="already_in_work == True", exit="top" if end_row < row else "bottom",
           entry="bottom" if end_row < row else "top")


def notified_intake(d: Diagram, lane: str, message: str, start_name: str, start_doc: str,
                    ack_doc: str, immediate: list[str]) -> None:
    """Start on a message, acknowledge it, and stop if the agency already works on the case.

    Columns 0-2 of row 0, the escalation under column 2; the main line continues from INTAKE_OUT
    (its "no" flow must be the gateway's default).
    """
    d.node("start", "notice_received", start_name, lane, 0, 0, doc=start_doc, message=message, label_width=95)
    d.node("user", "ack_notice", "Подтвердить получение уведомления", lane, 1, 0,
           doc=docs(ack_doc, "Получивший орган подтверждает каждое поступившее уведомление."),
           form="ack.schema.json", instructions=ACK_INSTRUCTIONS)
    deadline(d, "ack_notice", "ack_deadline(received_at)", "Незамедлительно", ack_timer_doc(immediate),
             ("не подтверждено уведомление", "Получение уведомления не подтверждено в установленный срок."), (2, 1))
    d.flow("notice_received", "ack_notice")
    in_work_check(d, lane, INTAKE_OUT, "notice_attached", "ack_notice", 2, 0, -0.9)


def main_line(d: Diagram, target: str) -> None:
    """The "not yet in work" flow from the intake gateway to the chapter's first step."""
    d.flow(INTAKE_OUT, target, "Нет", default=True)


def inform_fan(d: Diagram, lane: str, sender: str, col: float, clause_id: str, targets: list[tuple],
               gw_name: str, prefix: str, note: str, default_name: str = "Все уже уведомлены",
               join_dx: float = 2, payload_extra=None) -> str:
    """Inclusive split at ``col`` to message throws (rows -0.6, -1.2, ...) and the join at col+2.

    targets: (key, condition, message, event name, flow name). Returns the join's id.
    """
    split, join = f"{prefix}_split", f"{prefix}_join"
    d.node("igw", split, gw_name, lane, col, 0, label="above-left", label_width=100)
    d.node("igw", join, None, lane, col + join_dx, 0)
    for i, (key, cond, message, ev_name, flow_name) in enumerate(targets):
        tid = f"{prefix}_{key}"
        d.node("throw", tid, ev_name, lane, col + 1.25, -0.7 * (i + 1), message=message,
               payload=payload(sender, clause_id, note=note, **(payload_extra(key) if payload_extra else {})),
               label="above-right", label_width=120,
               doc=clause(clause_id, f"уведомление: {SHORT[key] if key in SHORT else key}"))
        d.flow(split, tid, flow_name, cond=cond, via_x=col + 0.42, label_on="last")
        d.flow(tid, join)
    d.flow(split, join, default_name, default=True, label_at=(10, 5))
    return join


# The clause under which each detecting agency tells КДНЗП (and the police) of a fact at intake.
INTAKE_CLAUSE = {"education_org": "P8.4", "health": "P13.3", "social_protection": "P14.1", "police": "P11.3",
                 "local_executive": "P10.2"}
# The reporting agency's own chapter: message, clause, name of the throw event.
OWN_CHAPTER = {
    "education_org": ("education_org_notified", "P8.1", "Сообщение передано в работу организации образования"),
    "health": ("health_notified", "P13.1", "Сообщение передано в работу организации здравоохранения"),
    "social_protection": ("social_protection_notified", "P14.1", "Сообщение передано в работу органов социальной защиты"),
}


def intake_payload(sender: str, clause_id: str, **extra: str) -> dict:
    """Chapter 1's notices also carry the moment the report was received: "immediately" counts from it."""
    return payload(sender, clause_id, report_received_at="received_at", **extra)


# P13.4's 0-3 years, judged by the birth date the case knows (child.birth_date or its ИИН); the typed
# child_age_years only when neither is known.
INFANT = "(child_age_years if child_age(child, now()) is None else child_age(child, now())) < 4"
# Issue 12 §13: the age a placement form asks for is filled in before staff see the form whenever the case
# knows the child's birth date (or ИИН); staff type it only when neither is known (integrations may send it).
# A post-script of the step before the form (the form opens with the case's data, the last completed step's).
# A notice posted by an integration may carry no child at all: then nothing is filled in (no NameError).
AGE_FROM_BIRTH = ("try:\n"
                  "    if child_age(child, now()) is not None:\n"
                  "        child_age_years = child_age(child, now())\n"
                  "except NameError:\n"
                  "    pass")


# -- chapter 1 ---------------------------------------------------------------------------------------------
def emergency_branch(d: Diagram, lane: str, tail: str) -> None:
    """P7 in the lane of the agency that registered the report, beside the МИО's P4.b work."""
    a = lane
    d.node("pgw", f"after_intake_split_{a}", None, lane, 11, 0,
           doc="Параллельно: передача информации специалисту МИО (п. 4) и сообщение о ЧП в сфере образования "
               "(п. 7) органом, зарегистрировавшим обращение.")
    d.flow(tail, f"after_intake_split_{a}")
    d.node("xgw", f"education_emergency_check_{a}", "ЧП в сфере образования?", lane, 12, -1.1, label="above-left",
           label_width=90, doc=clause("P7", "ветвление по отметке education_emergency первичной информации"))
    d.flow(f"after_intake_split_{a}", f"education_emergency_check_{a}", exit="top", entry="left")
    d.node("user", f"report_emergency_{a}", "Сообщить о чрезвычайном происшествии в Комитет по охране прав детей", lane, 13, -1.1,
           doc=clause("P7", "сообщает орган, зарегистрировавший обращение"), form="ch1-emergency-report.schema.json",
           instructions="Дело № {{ registration_number }} отмечено как чрезвычайное происшествие в сфере "
                        "образования. Направьте информацию в Комитет по охране прав детей МОН РК по приказу "
                        "№ 541 — в течение **одного рабочего дня** с момента получения информации "
                        "({{ received_at }}).")
    deadline(d, f"report_emergency_{a}", "add_working_days(received_at, 1)", "1 рабочий день",
             clause("P7", "срок: 1 рабочий день с момента получения информации"),
             ("сообщение о ЧП", "Информация о чрезвычайном происшествии в сфере образования не направлена в Комитет по охране прав "
                                "детей в течение одного рабочего дня (п. 7)."), (14, -2.2), end_dx=0.75)
    d.node("end", f"emergency_reported_{a}", "Информация о чрезвычайном происшествии направлена в Комитет", lane, 14, -1.1,
           message="mes_committee_notified", label="below", label_width=100,
           payload=payload(a, "P7", emergency_report="emergency_report"),
           doc=clause("P7", "сообщение в Комитет по охране прав детей МОН РК"))
    d.node("end", f"no_education_emergency_{a}", "Чрезвычайного происшествия нет", lane, 12, -2.1, label="left",
           label_width=60, doc=clause("P7", "сообщение в Комитет не требуется"))
    d.flow(f"education_emergency_check_{a}", f"report_emergency_{a}", "Да", cond="education_emergency == True")
    d.flow(f"education_emergency_check_{a}", f"no_education_emergency_{a}", "Нет", default=True, exit="top",
           entry="bottom")
    d.flow(f"report_emergency_{a}", f"emergency_reported_{a}")


def chapter1() -> Diagram:
    lanes = ["education_org", "police", "health", "social_protection", "local_executive"]
    d = Diagram("ch1-identification.bpmn", "ch1_identification",
                "Глава 1. Выявление фактов насилия и жестокого обращения в отношении несовершеннолетнего", lanes,
                docs(clause("P1"),
                     "Информация может поступить в любой из органов, перечисленных в п. 2: у каждого — своя "
                     "дорожка и своё стартовое событие. Сервис запускает главу 1 с данными reporting_agency "
                     "(код органа сотрудника, зарегистрировавшего сообщение), case_id, registration_number и "
                     "received_at; срабатывает стартовое событие дорожки этого органа. Сообщение, "
                     "зарегистрированное сотрудником другого местного исполнительного органа, ведёт дорожка МИО."))
    others = ", ".join(lit(a) for a in DETECTING if a != "local_executive")
    tails = []
    for lane in lanes:
        cond = (f"reporting_agency == {lit(lane)}" if lane != "local_executive"
                else f"reporting_agency not in ({others})")
        a = lane
        d.node("start", f"start_{a}", RECEIVED_IN[a], lane, 0, 0, condition=cond, label_width=96,
               doc=docs(clause("P2", "информацию выявил или получил этот орган (п. 2)"),
                        clause("P3", "информация поступила одним из способов п. 3")))
        d.node("user", f"register_{a}", "Зарегистрировать обращение", lane, 1, 0,
               doc=docs(clause("P6", "регистрация поступившего обращения"),
                        clause("P1", "ребёнок моложе 18 лет (проверяется по ИИН или дате рождения), событие на "
                                     "территории Республики Казахстан"),
                        clause("P2", "кто и в ходе чего выявил факт"),
                        clause("P3", "способ поступления информации"),
                        clause("P4.c", "отметка о признаках правонарушения")),
               form="ch1-registration.schema.json",
               instructions="Зарегистрируйте поступившую информацию о ребёнке, пострадавшем от насилия или "
                            "жестокого обращения (п. 6). Номер дела: **{{ registration_number }}**.\n\n"
                            "Отметьте признаки уголовного или административного правонарушения: ОВД будут "
                            "уведомлены незамедлительно после регистрации (п. 4). Орган опеки и попечительства "
                            "уведомляется о каждом факте (п. 5).")
        deadline(d, f"register_{a}", "ack_deadline(received_at)", "Незамедлительно",
                 docs(clause("P6", "срок регистрации: незамедлительно, " + ACK_WINDOW + ", с момента поступления "
                                   "информации (received_at)"),
                      clause("P5", "уведомления направляются при регистрации: незамедлительность исчисляется с момента "
                                   "поступления информации"),
                      *([clause(INTAKE_CLAUSE[a], "ОВД, КДНЗП и орган опеки уведомляются при регистрации")]
                        if INTAKE_CLAUSE[a] in ("P8.4", "P13.3", "P14.1") else []),
                      *([clause("P4.c", "сообщение в ОВД направляется при регистрации")] if a != "police" else [])),
                 ("регистрация обращения", "Обращение не зарегистрировано незамедлительно: ОВД, КДНЗП и орган "
                                           "опеки ещё не уведомлены (п. 4, 5, 6)."), (2, 1))
        d.node("throw", f"notify_guardianship_{a}", "Информация продублирована в орган опеки", lane, 2, 0,
               message="guardianship_notified", payload=intake_payload(a, "P5"), label_width=100,
               doc=clause("P5", "информация о факте дублируется в орган опеки и попечительства "
                                "незамедлительно после регистрации"))
        kdnzp_clause = INTAKE_CLAUSE[a]
        d.node("throw", f"notify_kdnzp_{a}", "КДНЗП уведомлена", lane, 3, 0, message="kdnzp_notified",
               payload=intake_payload(a, kdnzp_clause), label_width=80,
               doc=clause(kdnzp_clause, "КДНЗП уведомляется о каждом факте незамедлительно после регистрации"))
        d.flow(f"start_{a}", f"register_{a}")
        d.chain(f"register_{a}", f"notify_guardianship_{a}", f"notify_kdnzp_{a}")
        if a == "local_executive":
            d.node("xgw", f"offence_signs_{a}", "Есть признаки правонарушения?", lane, 4, 0, label="below",
                   doc=clause("P4.c", "ветвление по отметке offence_signs формы регистрации"))
            d.node("throw", f"notify_police_{a}", "Сообщение направлено в ОВД", lane, 5, 0,
                   message="police_notified", payload=intake_payload(a, "P4.c"), label_width=80,
                   doc=clause("P4.c", "немедленное сообщение в ОВД для защиты ребёнка, в том числе для "
                                      "размещения в безопасной среде"))
            d.node("xgw", f"offence_merge_{a}", None, lane, 6, 0)
            d.flow(f"notify_kdnzp_{a}", f"offence_signs_{a}")
            d.flow(f"offence_signs_{a}", f"notify_police_{a}", "Да", cond="offence_signs == True")
            d.flow(f"offence_signs_{a}", f"offence_merge_{a}", "Нет", default=True, exit="top", entry="top",
                   via_y=-0.48)
            d.flow(f"notify_police_{a}", f"offence_merge_{a}")
            last = f"offence_merge_{a}"
        elif a == "police":
            d.node("throw", f"own_chapter_{a}", "Сообщение передано в работу ОВД (глава 4)", lane, 5, 0,
                   message="police_notified", payload=intake_payload(a, "P11.4"), label_width=110,
                   doc=clause("P11.4", "ОВД, принявшие сообщение, рассматривают его сами: запускается глава 4"))
            d.flow(f"notify_kdnzp_{a}", f"own_chapter_{a}")
            last = f"own_chapter_{a}"
        else:
            d.node("throw", f"notify_police_{a}", "Сообщение направлено в ОВД", lane, 4, 0,
                   message="police_notified", payload=intake_payload(a, INTAKE_CLAUSE[a]), label_width=80,
                   doc=docs(clause(INTAKE_CLAUSE[a], "ОВД уведомляются о каждом факте насилия незамедлительно"),
                            clause("P4.c", "в том числе при признаках правонарушения (отметка offence_signs)")))
            own_message, own_clause, own_name = OWN_CHAPTER[a]
            d.node("throw", f"own_chapter_{a}", own_name, lane, 5, 0, message=own_message,
                   payload=intake_payload(a, own_clause), label_width=110,
                   doc=clause(own_clause, "орган, принявший сообщение, сам начинает работу по своей главе"))
            d.chain(f"notify_kdnzp_{a}", f"notify_police_{a}", f"own_chapter_{a}")
            last = f"own_chapter_{a}"
        d.node("user", f"primary_info_{a}", "Сформировать первичную информацию о ребёнке (семье)", lane, 7, 0,
               doc=docs(clause("P4.a"), clause("P4.b", "выбор приоритетного органа для дальнейшей работы")),
               form="ch1-primary-info.schema.json",
               instructions="Сформируйте первичную информацию о ребёнке и семье (п. 4): ФИО ребёнка и членов "
                            "семьи, место проживания, общая характеристика. Срок — **один рабочий день** с "
                            "момента поступления ({{ received_at }}).\n\n"
                            "Выберите приоритетный орган для дальнейшей работы: информация будет передана "
                            "курирующему специалисту МИО. Если признаки правонарушения выявлены на этом этапе, "
                            "отметьте их: ОВД будут уведомлены незамедлительно.")
        deadline(d, f"primary_info_{a}", "add_working_days(received_at, 1)", "1 рабочий день",
                 clause("P4.a", "срок: 1 рабочий день с момента поступления информации"),
                 ("первичная информация", "Первичная информация о ребёнке (семье) не сформирована в течение "
                                          "одного рабочего дня (п. 4)."), (8, 1))
        d.flow(last, f"primary_info_{a}")
        if a != "police":
            late = ("offence_signs_found == True" if a != "local_executive"
                    else "offence_signs_found == True and offence_signs == False")
            d.node("xgw", f"late_signs_{a}", "Признаки правонарушения выявлены позже?", lane, 8, 0,
                   label="below-right", label_width=110,
                   doc=clause("P4.c", "признаки правонарушения, выявленные при формировании первичной информации "
                                      "(offence_signs_found), тоже сообщаются в ОВД немедленно"))
            d.node("throw", f"notify_police_late_{a}", "Сообщение о признаках направлено в ОВД", lane, 9, -0.9,
                   message="police_notified", payload=intake_payload(a, "P4.c", note="general_description"),
                   label="above", label_width=120,
                   doc=clause("P4.c", "немедленное сообщение в ОВД о признаках, выявленных после регистрации"))
            d.node("xgw", f"late_signs_merge_{a}", None, lane, 10, 0)
            d.flow(f"primary_info_{a}", f"late_signs_{a}")
            d.flow(f"late_signs_{a}", f"notify_police_late_{a}", "Да", cond=late)
            d.flow(f"notify_police_late_{a}", f"late_signs_merge_{a}")
            d.flow(f"late_signs_{a}", f"late_signs_merge_{a}", "Нет", default=True)
            tail = f"late_signs_merge_{a}"
        else:
            tail = f"primary_info_{a}"
        emergency_branch(d, lane, tail)
        tails.append(f"after_intake_split_{lane}")

    mio = "local_executive"
    d.node("xgw", "intake_merge", None, mio, 15, 0)
    for tail in tails:
        d.flow(tail, "intake_merge", via_x=None if tail.endswith(mio) else 12.5,
               **({} if tail.endswith(mio) else {"exit": "right", "entry": "left"}))
    d.node("user", "mio_assign", "Принять информацию и поручить работу приоритетному органу", mio, 16, 0,
           doc=docs(clause("P4.b", "курирующий специалист МИО получает первичную информацию и поручает работу "
                                   "выбранному приоритетному органу")),
           form="ch1-mio-assignment.schema.json",
           instructions="Первичная информация по делу № {{ registration_number }} передана вам как курирующему "
                        "специалисту МИО (п. 4). Специалист, принявший обращение, предложил приоритетный орган. "
                        "Подтвердите его или выберите другой: ему будет направлено поручение.\n\n"
                        "Срок — **не позднее двух дней** с момента поступления обращения ({{ received_at }}).")
    deadline(d, "mio_assign", "add_days(received_at, 2)", "2 календарных дня",
             clause("P4.b", "срок: не позднее 2 календарных дней с момента поступления обращения"),
             ("передача в МИО", "Информация не передана курирующему специалисту МИО и не поручена приоритетному "
                                "органу в течение двух дней (п. 4)."), (17, 1))
    d.flow("intake_merge", "mio_assign")
    d.node("xgw", "route_priority", "Приоритетный орган", mio, 18.3, 0, label="above-left",
           doc=clause("P4.b", "поручение приоритетному органу: запускается его глава Порядка"))
    d.flow("mio_assign", "route_priority")
    extra = {"priority_agency": "priority_agency", "address": "address", "family_members": "family_members",
             "general_description": "general_description"}
    targets = [
        ("education_org", "education_org_notified", "Поручено организации образования"),
        ("police", "police_notified", "Поручено ОВД"),
        ("health", "health_notified", "Поручено организации здравоохранения"),
        ("social_protection", "social_protection_notified", "Поручено органам социальной защиты"),
    ]
    for i, (code, message, name) in enumerate(targets):
        nid = f"assign_{code}"
        d.node("end", nid, name, mio, 19.6, 0.65 * i, message=message, label="right", label_width=150,
               payload=payload(mio, "P4.b", **extra),
               doc=clause("P4.b", f"поручение приоритетному органу: {SHORT[code]}"))
        # P5, P8.4, P13.3, P14.1: an agency told at intake (or running its own chapter) is not told again
        cond = f"priority_agency == {lit(code)} and reporting_agency != {lit(code)}"
        if code == "police":
            cond = (f"priority_agency == {lit(code)} and reporting_agency not in ({others}) "
                    "and offence_signs == False and offence_signs_found == False")
        d.flow("route_priority", nid, {"education_org": "Организация образования", "police": "ОВД",
                                       "kdnzp": "КДНЗП", "health": "Здравоохранение",
                                       "social_protection": "Социальная защита"}[code],
               cond=cond, via_x=18.75, label_on="last")
    d.node("end", "priority_already_notified", "Приоритетный орган уже уведомлён или работает по своей главе "
           "(п. 4, 5, 8, 13, 14)", mio, 19.6, 0.65 * len(targets), label="right", label_width=150,
           doc=docs(clause("P5", "орган опеки уже получил информацию"),
                    clause("P4.c", "ОВД уже получили сообщение о признаках правонарушения"),
                    clause("P10.2", "КДНЗП уведомлена о каждом факте при регистрации")))
    d.flow("route_priority", "priority_already_notified", "Уже уведомлён", default=True, via_x=18.75,
           label_on="last")

    return d


def yes_no_branch(d: Diagram, lane: str, gw: str, gw_name: str, col: float, body: list[str], merge: str,
                  merge_col: float, cond: str, yes: str = "Да", no: str = "Нет", gw_doc: str | None = None,
                  row: float = -1.1) -> None:
    """Gateway at ``col`` whose "yes" path (``body``, already created at ``row``) rises above the main line."""
    d.node("xgw", gw, gw_name, lane, col, 0, label="above-left", label_width=120, doc=gw_doc)
    d.node("xgw", merge, None, lane, merge_col, 0)
    d.flow(gw, body[0], yes, cond=cond)
    d.chain(*body)
    d.flow(body[-1], merge)
    d.flow(gw, merge, no, default=True)


def plain_payload_fan(d: Diagram, lane: str, sender: str, clause_id: str, col: float, row: float,
                      targets: list[tuple], prefix: str, note: str) -> tuple[str, str]:
    """Parallel split to several message throws (rows row, row-0.6, ...) and the join at col+2."""
    split, join = f"{prefix}_split", f"{prefix}_join"
    d.node("pgw", split, None, lane, col, row)
    d.node("pgw", join, None, lane, col + 2, row)
    for i, (key, message, name) in enumerate(targets):
        tid = f"{prefix}_{key}"
        d.node("throw", tid, name, lane, col + 1, row - 0.7 * i, message=message,
               payload=payload(sender, clause_id, note=note), label="above-right",
               label_width=110, doc=clause(clause_id, f"уведомление: {SHORT[key]}"))
        d.flow(split, tid, via_x=col + 0.5 if i else None)
        d.flow(tid, join)
    return split, join


# P8.4, P13.3, P14.1: police, КДНЗП and guardianship are told of every fact. Whether one of them already
# heard of this case is the service's fact (case_notified_agencies: the agencies the case's messages went
# to, added to every completed task's data), never a tick staff must remember; the default flow is taken
# only when all three were told.
FAN3 = [
    ("police", '"police" not in case_notified_agencies', "police_notified", "ОВД уведомлены",
     "ОВД ещё не уведомлены"),
    ("kdnzp", '"kdnzp" not in case_notified_agencies', "kdnzp_notified", "КДНЗП уведомлена",
     "КДНЗП ещё не уведомлена"),
    ("guardianship", '"education_authority" not in case_notified_agencies', "guardianship_notified",
     "Орган опеки уведомлён", "Орган опеки ещё не уведомлён"),
]
SHORT["guardianship"] = "орган опеки и попечительства"
SHORT["education"] = "организация образования"
SHORT["social"] = "органы социальной защиты"
SHORT["infant"] = "организация здравоохранения (дети 0–3 лет)"
SHORT["centre"] = "центр"
SHORT["petition"] = "орган опеки и попечительства (ходатайство)"

INFORM_INSTRUCTIONS = (
    "Отметьте, кого требуется уведомить о ставших известными фактах насилия по делу № {{{{ registration_number }}}} "
    "({clause}). Орган, уже получивший информацию по этому делу, можно не отмечать: повторное уведомление "
    "он тоже подтвердит, но новой работы оно не откроет. Срок — **незамедлительно**."
)


# -- chapter 2 ---------------------------------------------------------------------------------------------
def chapter2() -> Diagram:
    L = "education_org"
    d = Diagram("ch2-education.bpmn", "ch2_education",
                "Глава 2. Действия организаций образования по факту насилия и жестокого обращения", [L],
                "Организация образования работает с делом, когда ей поручена работа (п. 4, приоритетный "
                "орган) или КДНЗП передала сведения для реагирования (п. 10). Глава запускается сообщением "
                "education_org_notified.")
    notified_intake(d, L, "education_org_notified", "Поступило поручение по делу",
                    docs(clause("P4.b", "поручение приоритетному органу"),
                         clause("P10.3", "сведения КДНЗП для принятия мер")),
                    clause("P4.b", "подтверждение получения поручения (а также сведений КДНЗП по P10.3)"), [])
    d.node("user", "review_report", "Рассмотреть обращение и принять меры по пресечению насилия", L, 7, 0,
           doc=docs(clause("P8.1"), clause("P8.6")), form="ch2-review.schema.json",
           instructions="Рассмотрите обращение по делу № {{ registration_number }}: что известно о насилии "
                        "или угрозе насилия, какие меры приняты для его пресечения (п. 8).")
    join = inform_fan(d, L, L, 4, "P8.4", FAN3, "Кто ещё не уведомлён?", "inform", "case_summary")
    d.nodes["inform_split"].doc = clause("P8.4", "ОВД, КДНЗП и орган опеки уведомляются незамедлительно после подтверждения "
                                                  "получения, если сообщения по делу им ещё не направлялись")
    main_line(d, "inform_split")
    d.flow(join, "review_report")
    d.node("user", "assess_situation", "Провести комплексную оценку ситуации", L, 8, 0,
           doc=docs(clause("P8.2", "комплексная оценка ситуации и правовое просвещение"), clause("P8.3")),
           form="ch2-assessment.schema.json",
           instructions="Проведите комплексную оценку ситуации ребёнка, правовое просвещение и разъясните ребёнку, "
                        "в какие специальные службы он может обратиться (п. 8).")
    d.node("user", "inspect_housing", "Обследовать жилищно-бытовые условия семьи", L, 9, 0,
           doc=clause("P8.8"), form="ch2-housing-inspection.schema.json",
           instructions="Составьте акт обследования жилищно-бытовых условий семьи совместно с представителями "
                        "заинтересованных органов (п. 8). Отметьте, выявлено ли злоупотребление родительскими "
                        "правами.")
    d.chain("review_report", "assess_situation", "inspect_housing")
    d.node("user", "parental_abuse_notice", "Направить уведомление о злоупотреблении родительскими правами",
           L, 11, -1.15, doc=clause("P8.9"), form="ch2-parental-abuse-notice.schema.json",
           instructions="Подготовьте письменное уведомление органу управления образования (органу опеки), ОВД "
                        "и КДНЗП о злоупотреблении родительскими правами (п. 8). После отправки формы "
                        "уведомления будут направлены всем трём органам.")
    split, pjoin = plain_payload_fan(d, L, L, "P8.9", 12, -1.15, [
        ("guardianship", "guardianship_notified", "Орган опеки уведомлён"),
        ("police", "police_notified", "ОВД уведомлены"),
        ("kdnzp", "kdnzp_notified", "КДНЗП уведомлена")], "abuse_notice", "abuse_description")
    d.node("xgw", "parental_abuse_check", "Злоупотребление родительскими правами?", L, 10, 0,
           label="above-left", label_width=120, doc=clause("P8.9", "ветвление по акту обследования"))
    d.node("xgw", "parental_abuse_merge", None, L, 15, 0)
    d.flow("inspect_housing", "parental_abuse_check")
    d.flow("parental_abuse_check", "parental_abuse_notice", "Да", cond="parental_rights_abuse == True")
    d.flow("parental_abuse_notice", split)
    d.flow(pjoin, "parental_abuse_merge")
    d.flow("parental_abuse_check", "parental_abuse_merge", "Нет", default=True)

    d.node("pgw", "plans_split", None, L, 16, 0, doc=clause("P8.2", "индивидуальный план работы"))
    d.node("user", "family_plan", "Разработать план работы с семьёй", L, 17, -0.8, doc=clause("P9.1"),
           form="ch2-family-plan.schema.json",
           instructions="Составьте план работы с семьёй (п. 9): посещения семьи социальным педагогом, группа "
                        "поддержки родителей, программа позитивного воспитания, социальная поддержка.")
    d.node("user", "child_plan", "Разработать план работы с ребёнком", L, 17, 0.8, doc=clause("P9.2"),
           form="ch2-child-plan.schema.json",
           instructions="Составьте план работы с ребёнком (п. 9): дополнительное образование по интересам, "
                        "адаптация, консультации, коррекция, тренинги.")
    d.node("pgw", "plans_join", None, L, 18, 0)
    d.flow("parental_abuse_merge", "plans_split")
    d.flow("plans_split", "family_plan")
    d.flow("plans_split", "child_plan")
    d.flow("family_plan", "plans_join")
    d.flow("child_plan", "plans_join")
    d.node("user", "involve_agencies", "Привлечь другие органы к оказанию помощи", L, 19, 0,
           doc=clause("P8.7"), form="ch2-involve-agencies.schema.json",
           instructions="Отметьте, чья помощь требуется ребёнку и семье по плану (п. 8): организации "
                        "здравоохранения, органов социальной защиты.")
    d.flow("plans_join", "involve_agencies")
    ijoin = inform_fan(d, L, L, 20, "P8.7", [
        ("health", "involve_health == True", "health_notified", "Организация здравоохранения привлечена",
         "Здравоохранение"),
        ("social_protection", "involve_social_protection == True", "social_protection_notified",
         "Органы социальной защиты привлечены", "Социальная защита")], "Чья помощь требуется?", "involve", "involve_note",
        default_name="Не требуется")
    d.flow("involve_agencies", "involve_split")
    d.node("xgw", "support_merge", None, L, 23, 0)
    d.node("user", "support_work", "Сопровождать ребёнка и семью по плану, проводить профилактику", L, 24, 0,
           doc=docs(clause("P8.2", "психолого-педагогическое сопровождение по плану"), clause("P8.5"),
                    clause("P9.1", "выполнение плана работы с семьёй"),
                    clause("P9.2", "выполнение плана работы с ребёнком")),
           form="ch2-support-report.schema.json",
           instructions="Представьте отчёт о выполнении индивидуального плана и профилактических мероприятиях за "
                        "период (п. 8, 9).")
    d.node("user", "closure_decision", "Принять решение о закрытии дела", L, 25, 0, doc=clause("P8.10"),
           form="ch2-closure.schema.json",
           instructions="Дело закрывается, когда устранены причины и условия нарушения прав ребёнка и "
                        "удовлетворены основные потребности семьи (п. 8). Иначе сопровождение продолжается.")
    d.node("xgw", "closure_check", "Закрыть дело?", L, 26, 0, label="above-left",
           doc=clause("P8.10", "ветвление по решению closure_decision"))
    d.node("end", "case_closed", "Дело закрыто", L, 27, 0, doc=clause("P8.10"))
    d.chain(ijoin, "support_merge", "support_work", "closure_decision", "closure_check")
    d.flow("closure_check", "case_closed", "Да", cond='closure_decision == "close"')
    d.flow("closure_check", "support_merge", "Нет, продолжить", default=True, exit="bottom", entry="bottom",
           via_y=0.72)
    return d


# -- chapter 3 ---------------------------------------------------------------------------------------------
def chapter3() -> Diagram:
    L = "kdnzp"
    d = Diagram("ch3-kdnzp.bpmn", "ch3_kdnzp",
                "Глава 3. Действия КДНЗП по факту насилия и жестокого обращения", [L],
                "КДНЗП получает сообщения о насилии от организаций образования, здравоохранения, социальной "
                "защиты, ОВД и МИО (сообщение kdnzp_notified) и принимает решение по каждому делу.")
    notified_intake(d, L, "kdnzp_notified", "Поступило сообщение о факте насилия",
                    docs(clause("P10.2", "приём сообщения о факте насилия"),
                         clause("P8.4", "сообщение организации образования"),
                         clause("P13.3", "сообщение организации здравоохранения"),
                         clause("P14.1", "сообщение органов социальной защиты"),
                         clause("P11.9", "информация ОВД о сборе материалов")),
                    clause("P10.2", "подтверждение получения сообщения (по P8.4, P8.9, P11.9, P13.3, P14.1, P4.b)"),
                    ["P8.4", "P13.3", "P14.1"])
    d.node("user", "analyse_information", "Проанализировать информацию о семье", L, 3, 0, doc=clause("P10.2"),
           form="ch3-analysis.schema.json",
           instructions="Проанализируйте имеющуюся информацию о семье (учреждении) по делу "
                        "№ {{ registration_number }}; при необходимости запросите сведения у других органов (п. 10).")
    d.node("user", "refer_for_response", "Направить сведения для принятия мер реагирования", L, 4, 0,
           doc=clause("P10.3"), form="ch3-referral.schema.json",
           instructions="Отметьте, куда направить сведения о факте насилия для принятия мер реагирования "
                        "(п. 10): ОВД, организации здравоохранения, организации образования.")
    join = inform_fan(d, L, L, 5, "P10.3", [
        ("police", "refer_police == True", "police_notified", "Сведения переданы в ОВД", "ОВД"),
        ("health", "refer_health == True", "health_notified", "Сведения переданы в организацию здравоохранения",
         "Здравоохранение"),
        ("education", "refer_education == True", "education_org_notified", "Сведения переданы в организацию образования",
         "Образование")], "Куда направить?", "referral", "referral_note", default_name="Не требуется")
    main_line(d, "analyse_information")
    d.chain("analyse_information", "refer_for_response", "referral_split")
    d.node("user", "commission_decision", "Рассмотреть дело на заседании и принять решение", L, 8, 0,
           doc=docs(clause("P10.4"), clause("P10.1"), clause("P10.7"), clause("P10.9")),
           form="ch3-decision.schema.json",
           instructions="Рассмотрите дело на заседании комиссии и примите решение (п. 10): нарушение прав "
                        "ребёнка, ответственность родителей (законных представителей), рекомендации органам, "
                        "индивидуальная профилактическая работа.")
    d.node("user", "coordinate_services", "Координировать сопровождение ребёнка социальными службами", L, 12, 0,
           doc=docs(clause("P10.5"), clause("P10.8")), form="ch3-coordination.schema.json",
           instructions="Определите, какие социальные службы сопровождают ребёнка при выходе из кризиса, и "
                        "организуйте восстановление здоровья и социальную реабилитацию (п. 10).")
    targets = [(a, f'{lit(a)} in directed_agencies', "kdnzp_direction", f"Поручение: {SHORT[a]}", SHORT_FLOW[a])
               for a in DIRECTED]
    djoin = inform_fan(d, L, L, 9, "P10.1", targets, "Кому направлено?", "direct", "direction_text",
                       default_name="Никому", payload_extra=lambda a: {
                           "to_agency": lit(a), "direction_kind": "direction_kind", "direction_text": "direction_text",
                           "direction_due": "add_working_days(now(), direction_due_days)",
                           "decision_number": "decision_number"})
    for a in DIRECTED:
        d.nodes[f"direct_{a}"].doc = docs(clause("P10.1", f"рекомендация органу: {SHORT[a]}"),
                                          clause("P10.2", "запрос сведений"), clause("P10.4", "решение по делу"),
                                          clause("P10.7", "индивидуальная профилактическая работа"))
    d.chain(join, "commission_decision", "direct_split")
    d.flow(djoin, "coordinate_services")
    d.node("throw", "social_protection_engaged", "Органы социальной защиты привлечены", L, 14, -1.1,
           message="social_protection_notified", label="above", label_width=120,
           payload=payload(L, "P10.5", note="services_plan"),
           doc=clause("P10.5", "поручение органам социальной защиты"))
    yes_no_branch(d, L, "social_services_check", "Требуются услуги органов социальной защиты?", 13,
                  ["social_protection_engaged"], "social_services_merge", 15, "social_services_needed == True",
                  gw_doc=clause("P10.5", "ветвление по social_services_needed"))
    d.flow("coordinate_services", "social_services_check")
    d.node("xgw", "monitoring_merge", None, L, 16, 0)
    d.node("user", "monitor_measures", "Провести мониторинг мер и оценку потребностей ребёнка", L, 17, 0,
           doc=clause("P10.6"), form="ch3-monitoring.schema.json",
           instructions="Оцените, как выполняются принятые меры и услуги и каковы потребности ребёнка (п. 10). "
                        "Отметьте, находится ли ребёнок в центре, и требуется ли продолжение мониторинга.")
    d.node("user", "visit_centre", "Посетить центр и обследовать условия содержания ребёнка", L, 19, -1.1,
           doc=clause("P10.10"), form="ch3-centre-visit.schema.json",
           instructions="Посетите центр, где находится ребёнок: условия воспитания, обучения, содержания, "
                        "охрана здоровья, соблюдение прав (п. 10).")
    yes_no_branch(d, L, "centre_check", "Ребёнок находится в центре?", 18, ["visit_centre"], "centre_merge", 20,
                  "child_in_centre == True", gw_doc=clause("P10.10", "ветвление по child_in_centre"))
    d.chain("social_services_merge", "monitoring_merge", "monitor_measures", "centre_check")
    d.node("xgw", "monitoring_check", "Закрыть дело?", L, 21, 0, label="above-left",
           doc=clause("P10.4", "решение по делу исполнено"))
    d.node("end", "case_closed", "Дело закрыто КДНЗП", L, 22, 0, doc=clause("P10.4"))
    d.flow("centre_merge", "monitoring_check")
    d.flow("monitoring_check", "case_closed", "Да", cond='monitoring_outcome == "close"')
    d.flow("monitoring_check", "monitoring_merge", "Нет, продолжить мониторинг", default=True, exit="bottom",
           entry="bottom", via_y=0.72)
    return d


# -- chapter 4 ---------------------------------------------------------------------------------------------
def chapter4() -> Diagram:
    L = "police"
    d = Diagram("ch4-police.bpmn", "ch4_police",
                "Глава 4. Действия ОВД по факту насилия и жестокого обращения", [L],
                "ОВД получают сообщения о насилии (police_notified): при признаках правонарушения (п. 4), от "
                "организаций образования, здравоохранения, социальной защиты, органа опеки, КДНЗП и МИО.")
    notified_intake(d, L, "police_notified", "Поступило сообщение о насилии",
                    docs(clause("P4.c", "сообщение о признаках правонарушения"),
                         clause("P11.4", "приём сообщения о насилии или неисполнении родительских обязанностей")),
                    clause("P4.c", "подтверждение получения сообщения (а также по P8.4, P8.9, P10.3, P12.7, P13.3, "
                                   "P14.1, P4.b)"), ["P4.c", "P8.4", "P13.3", "P14.1"])
    d.node("user", "review_report", "Рассмотреть и зарегистрировать сообщение", L, 3, 0,
           doc=docs(clause("P11.4"), clause("P11.2")), form="ch4-review.schema.json", post_script=AGE_FROM_BIRTH,
           instructions="Зарегистрируйте сообщение по делу № {{ registration_number }} и рассмотрите его "
                        "(п. 11): есть ли уголовное или административное правонарушение, безопасно ли ребёнку "
                        "по месту жительства, требуется ли помощь в документировании.")
    main_line(d, "review_report")
    d.node("user", "investigate", "Провести неотложные следственные действия", L, 5, -1.1,
           doc=docs(clause("P11.5"), clause("P11.6"), clause("P11.8")), form="ch4-investigation.schema.json",
           instructions="Досудебное расследование (п. 11): неотложные следственные действия, фиксация следов, "
                        "экспертизы. Действия с ребёнком — в присутствии законного представителя, а при его "
                        "отсутствии или конфликте интересов — представителя органа опеки, педагога или психолога. "
                        "Разъясните право на адвоката.")
    yes_no_branch(d, L, "criminal_check", "Уголовное правонарушение?", 4, ["investigate"], "criminal_merge", 6,
                  'offence_type == "criminal"', gw_doc=clause("P11.5", "ветвление по offence_type"))
    d.flow("review_report", "criminal_check")
    d.node("user", "decide_placement", "Решить совместно с органами вопрос о доставке ребёнка", L, 8, -1.1,
           doc=clause("P11.7"), form="ch4-placement.schema.json",
           instructions="Оставить ребёнка по месту жительства небезопасно. Совместно с заинтересованными органами "
                        "решите, куда его доставить (п. 11). Детей от 0 до 3 лет принимают организации "
                        "здравоохранения (п. 13), старше — центры (п. 15).")
    d.node("xgw", "infant_check", "Ребёнку от 0 до 3 лет?", L, 9, -1.1, label="above-left", label_width=90,
           doc=docs(clause("P11.7", "выбор организации по возрасту"),
                    clause("P13.4", "дети от 0 до 3 лет (полных лет < 4: по дате рождения или ИИН ребёнка, иначе "
                                           "по child_age_years)")))
    d.node("throw", "request_infant_placement", "Запрос в организацию здравоохранения", L, 10, -1.75,
           message="infant_placement_requested", label="above", label_width=120,
           payload=payload(L, "P11.7", child_age_years="child_age_years", placement_basis=lit("police_delivery"),
                           note="placement_reason"),
           doc=docs(clause("P11.7", "доставка ребёнка"), clause("P13.4", "приём ребёнка от 0 до 3 лет")))
    d.node("throw", "request_centre_placement", "Запрос в центр", L, 10, -1.1, message="centre_placement_requested",
           label="below", payload=payload(L, "P11.7", child_age_years="child_age_years",
                                          placement_basis=lit("police_delivery"), note="placement_reason"),
           doc=docs(clause("P11.7", "доставка ребёнка"), clause("P15.1", "приём и временное содержание")))
    d.node("xgw", "placement_merge", None, L, 11, -1.1)
    d.node("throw", "placement_to_guardianship", "Орган опеки уведомлён о доставке ребёнка", L, 11.6, -1.1,
           message="guardianship_notified", label="above", label_width=110,
           payload=payload(L, "P11.7", placement_basis=lit("police_delivery"), note="placement_reason"),
           doc=docs(clause("P11.7", "решение о доставке принимается совместно: орган опеки уведомляется о каждой "
                                    "доставке ребёнка"),
                    clause("P12.3", "временное устройство ребёнка — в ведении органа опеки")))
    d.node("xgw", "safety_check", "Ребёнок в безопасности по месту жительства?", L, 7, 0, label="above-left",
           label_width=120, doc=clause("P11.7", "ветвление по child_safe_at_home"))
    d.node("xgw", "safety_merge", None, L, 12, 0)
    d.flow("criminal_merge", "safety_check")
    d.flow("safety_check", "decide_placement", "Нет", cond="child_safe_at_home == False")
    d.flow("safety_check", "safety_merge", "Да", default=True)
    d.flow("decide_placement", "infant_check")
    d.flow("infant_check", "request_infant_placement", "Да", cond=INFANT)
    d.flow("infant_check", "request_centre_placement", "Нет", default=True)
    d.flow("request_infant_placement", "placement_merge")
    d.flow("request_centre_placement", "placement_merge")
    d.chain("placement_merge", "placement_to_guardianship", "safety_merge")
    d.node("user", "prevention_work", "Поставить на учёт и провести профилактическую работу", L, 13, 0,
           doc=clause("P11.1"), form="ch4-prevention.schema.json",
           instructions="Поставьте на учёт лиц, допускающих насилие, неблагополучную семью, ребёнка в трудной "
                        "жизненной ситуации; определите индивидуальную профилактическую работу и меры правового "
                        "реагирования (п. 11).")
    d.node("user", "notify_agencies", "Уведомить заинтересованные органы", L, 14, 0,
           doc=docs(clause("P11.3"), clause("P11.9")), form="ch4-notify.schema.json",
           instructions="Опишите для КДНЗП и органа опеки, что установлено по факту насилия (п. 11). Сведения будут "
                        "направлены автоматически: органам, которым сообщения по делу ещё не направлялись, и обоим органам — если "
                        "выявлено правонарушение (сбор материалов на лиц, допускающих насилие, и направление дела "
                        "в суд). Отметьте, требуется ли ходатайство об ограничении (лишении) родительских прав.")
    d.chain("safety_merge", "prevention_work", "notify_agencies")
    # P11.3 (the fact) to whoever has not heard of the case yet; P11.9 (materials for court) whenever an offence
    # was found: facts of the case (case_notified_agencies: the service's, offence_type: review_report), no tick
    offence = 'offence_type != "none"'
    join = inform_fan(d, L, L, 15, "P11.9", [
        ("kdnzp", f'{offence} or "kdnzp" not in case_notified_agencies', "kdnzp_notified", "КДНЗП уведомлена",
         "КДНЗП"),
        ("guardianship", f'{offence} or "education_authority" not in case_notified_agencies',
         "guardianship_notified", "Орган опеки уведомлён", "Орган опеки")],
        "Кого уведомить?", "notify", "notify_note", default_name="Уже уведомлены, правонарушения нет", join_dx=2.6,
        payload_extra=lambda key: {"offence_type": "offence_type"})
    d.nodes["notify_split"].doc = docs(
        clause("P11.3", "КДНЗП и орган опеки уведомляются о факте, если сообщения по делу им ещё не направлялись "
                        "(case_notified_agencies — сведения сервиса, не отметка сотрудника)"),
        clause("P11.9", "при выявленном правонарушении (offence_type) оба органа информируются о сборе материалов "
                        "и направлении дела в суд, даже если уже получали сведения по делу"))
    d.nodes["notify_kdnzp"].doc = docs(clause("P11.3", "уведомление КДНЗП о факте насилия"),
                                       clause("P11.9", "о необходимости сбора материалов и обращения в суд"))
    d.nodes["notify_guardianship"].doc = docs(clause("P11.3", "уведомление органа опеки о факте насилия"),
                                               clause("P11.9", "о необходимости сбора материалов и обращения в суд"))
    d.node("user", "petition_guardianship", "Подготовить ходатайство в орган опеки", L, 16.35, -2.4,
           doc=clause("P11.10"), form="ch4-petition.schema.json",
           instructions="Подготовьте ходатайство перед органом опеки и попечительства об ограничении или лишении "
                        "родительских прав (п. 11).")
    d.node("throw", "petition_sent", "Ходатайство направлено", L, 17.25, -2.4, message="parental_rights_petition",
           label="above", payload=payload(L, "P11.10", petition_measure="petition_measure",
                                          petition_grounds="petition_grounds", note="petition_grounds"),
           doc=clause("P11.10", "ходатайство направлено в орган опеки"))
    d.flow("notify_agencies", "notify_split")
    d.flow("notify_split", "petition_guardianship", "Ходатайство", cond="parental_rights_petition_needed == True",
           via_x=15.42, label_on="last")
    d.flow("petition_guardianship", "petition_sent")
    d.flow("petition_sent", join)
    d.node("user", "documents_help", "Оказать правовую помощь по документированию", L, 19.6, -1.1,
           doc=clause("P11.11"), form="ch4-documents-help.schema.json",
           instructions="Окажите правовую помощь и консультацию по документированию ребёнка и семьи (п. 11).")
    yes_no_branch(d, L, "documents_check", "Требуется помощь в документировании?", 18.6, ["documents_help"],
                  "documents_merge", 20.6, "documents_help_needed == True",
                  gw_doc=clause("P11.11", "ветвление по documents_help_needed"))
    d.flow(join, "documents_check")
    d.node("user", "close_police_work", "Подвести итог работы по материалу", L, 21.6, 0,
           doc=docs(clause("P11.1", "итоги профилактической работы и правового реагирования"),
                    clause("P11.5", "итог расследования")), form="ch4-closure.schema.json",
           instructions="Отметьте, чем завершилась работа ОВД по делу № {{ registration_number }}.")
    d.node("end", "police_work_done", "Работа ОВД по делу завершена", L, 22.6, 0)
    d.chain("documents_merge", "close_police_work", "police_work_done")
    return d


# -- chapter 5 ---------------------------------------------------------------------------------------------
def chapter5() -> Diagram:
    L = "education_authority"
    d = Diagram("ch5-guardianship.bpmn", "ch5_guardianship",
                "Глава 5. Действия органов управления образования (орган опеки и попечительства)", [L],
                "Орган опеки и попечительства получает информацию о каждом факте насилия "
                "(guardianship_notified: п. 5, 8, 11, 13, 14) и ходатайства ОВД об ограничении или лишении "
                "родительских прав (parental_rights_petition: п. 11). Ходатайство незамедлительно ведёт к сбору "
                "материалов для суда.")
    notified_intake(d, L, "guardianship_notified", "Поступила информация о факте насилия",
                    docs(clause("P5", "информация о факте дублируется в орган опеки"),
                         clause("P8.4", "сообщение организации образования"),
                         clause("P13.3", "сообщение организации здравоохранения"),
                         clause("P14.1", "сообщение органов социальной защиты"),
                         clause("P11.3", "уведомление ОВД")),
                    clause("P5", "подтверждение получения информации (а также по P8.4, P8.9, P11.3, P11.9, P13.3, "
                                 "P14.1)"), ["P5", "P8.4", "P13.3", "P14.1"])
    # the petition's own start, above the main line
    d.node("start", "petition_received", "Поступило ходатайство ОВД", L, 0, -2.75,
           message="parental_rights_petition", label="below", label_width=95,
           doc=docs(clause("P11.10", "ходатайство ОВД об ограничении или лишении родительских прав"),
                    clause("P11.9", "информация о необходимости сбора материалов и обращения в суд")))
    d.node("user", "ack_petition", "Подтвердить получение ходатайства", L, 1, -2.75,
           doc=clause("P11.10", "подтверждение получения ходатайства"), form="ack.schema.json",
           instructions=ACK_INSTRUCTIONS)
    deadline(d, "ack_petition", "ack_deadline(received_at)", "Незамедлительно", ack_timer_doc([], "ходатайства"),
             ("не подтверждено ходатайство", "Получение ходатайства ОВД не подтверждено в установленный срок."), (2, -1.75))
    d.flow("petition_received", "ack_petition")
    in_work_check(d, L, "petition_in_work_check", "petition_attached", "ack_petition", 2, -2.75, -3.55,
                  "Ходатайство приобщено")

    d.node("user", "protect_rights", "Принять незамедлительные меры по защите прав ребёнка", L, 4, 0,
           doc=docs(clause("P12.1"), clause("P12.7", "решение, требуется ли информировать ОВД")),
           form="ch5-measures.schema.json",
           instructions="Примите незамедлительные меры по защите прав ребёнка (п. 12) и отметьте, требуются ли "
                        "отобрание ребёнка и подготовка материалов на ограничение (лишение) родительских прав. ОВД, "
                        "если сообщения по делу им ещё не направлялись, будут проинформированы незамедлительно.")
    deadline(d, "protect_rights", "ack_deadline(received_at)", "Незамедлительно",
             clause("P12.1", "срок: незамедлительно, " + ACK_WINDOW + ", с момента получения информации"),
             ("меры защиты", "Незамедлительные меры по защите прав ребёнка не приняты (п. 12)."), (5, 1))
    main_line(d, "protect_rights")
    d.node("throw", "inform_police", "ОВД проинформированы", L, 6, -1.0, message="police_notified",
           label="above", payload=payload(L, "P12.7", note="measures_taken"), doc=clause("P12.7"))
    yes_no_branch(d, L, "police_check", "ОВД ещё не уведомлены?", 5, ["inform_police"], "police_merge", 7,
                  '"police" not in case_notified_agencies',
                  gw_doc=clause("P12.7", "ОВД информируются всегда, если сообщения по делу им ещё не направлялись "
                                         "(case_notified_agencies — сведения сервиса, не отметка сотрудника)"))
    d.flow("protect_rights", "police_check")

    d.node("throw", "notify_prosecutor", "Прокурор проинформирован", L, 9, -1.15, message="prosecutor_notified",
           label="above", payload=payload(L, "P12.2", note="measures_taken"),
           doc=clause("P12.2", "незамедлительное информирование прокурора об отобрании: как только принято решение "
                               "об отобрании, до оформления акта"))
    d.node("user", "remove_child", "Отобрать ребёнка у родителей (законных представителей)", L, 10, -1.15,
           doc=clause("P12.2", "отобрание ребёнка; акт отобрания"), form="ch5-removal.schema.json",
           post_script=AGE_FROM_BIRTH,
           instructions="Оформите акт отобрания ребёнка (п. 12). Прокурор уже проинформирован о решении.")
    deadline(d, "remove_child", "ack_deadline()", "Незамедлительно",
             clause("P12.2", "срок: незамедлительно, " + ACK_WINDOW + ", с момента решения об отобрании"),
             ("акт отобрания", "Акт отобрания ребёнка не оформлен незамедлительно (п. 12)."), (11, 0.85))
    d.node("user", "temporary_placement", "Обеспечить временное устройство ребёнка", L, 11, -1.15,
           doc=clause("P12.3"), form="ch5-temporary-placement.schema.json",
           instructions="Обеспечьте временное устройство ребёнка (п. 12). Детей от 0 до 3 лет принимают "
                        "организации здравоохранения (п. 13), старше — центры (п. 15).")
    d.node("xgw", "infant_check", "Ребёнку от 0 до 3 лет?", L, 12, -1.15, label="above-left", label_width=90,
           doc=docs(clause("P12.3", "выбор организации по возрасту"),
                    clause("P13.4", "дети от 0 до 3 лет (полных лет < 4: по дате рождения или ИИН ребёнка, иначе "
                                           "по child_age_years)")))
    d.node("throw", "request_infant_placement", "Запрос в организацию здравоохранения", L, 13, -1.8,
           message="infant_placement_requested", label="above", label_width=120,
           payload=payload(L, "P12.3", child_age_years="child_age_years", placement_basis=lit("removal"),
                           note="placement_note"),
           doc=docs(clause("P12.3", "временное устройство"), clause("P13.4", "приём ребёнка от 0 до 3 лет")))
    d.node("throw", "request_centre_placement", "Запрос в центр", L, 13, -1.15,
           message="centre_placement_requested", label="below",
           payload=payload(L, "P12.3", child_age_years="child_age_years", placement_basis=lit("removal"),
                           note="placement_note"),
           doc=docs(clause("P12.3", "временное устройство"), clause("P15.1", "приём отобранного ребёнка")))
    d.node("xgw", "placement_merge", None, L, 14, -1.15)
    d.node("xgw", "removal_check", "Требуется отобрание ребёнка?", L, 8, 0, label="above-left",
           label_width=110, doc=clause("P12.2", "ветвление по removal_needed"))
    d.node("xgw", "removal_merge", None, L, 15, 0)
    d.flow("police_merge", "removal_check")
    d.flow("removal_check", "notify_prosecutor", "Да", cond="removal_needed == True")
    d.chain("notify_prosecutor", "remove_child", "temporary_placement", "infant_check")
    d.flow("infant_check", "request_infant_placement", "Да", cond=INFANT)
    d.flow("infant_check", "request_centre_placement", "Нет", default=True)
    d.flow("request_infant_placement", "placement_merge")
    d.flow("request_centre_placement", "placement_merge")
    d.flow("placement_merge", "removal_merge")
    d.flow("removal_check", "removal_merge", "Нет", default=True)

    d.node("xgw", "parental_rights_check", "Ограничить или лишить родительских прав?", L, 16, 0,
           label="above-left", label_width=120, doc=clause("P12.4", "ветвление по parental_rights_case"))
    d.node("xgw", "court_case_merge", None, L, 17, 0, doc="Сюда же ведёт ходатайство ОВД (п. 11).")
    d.node("user", "court_materials", "Собрать материалы и обратиться в суд", L, 18, 0, doc=clause("P12.4"),
           form="ch5-court-materials.schema.json",
           instructions="Соберите материалы на ограничение или лишение родительских прав, составьте "
                        "мотивированное заключение и обратитесь в суд (п. 12). Срок — **семь календарных дней** "
                        "с момента получения информации ({{ received_at }}).")
    deadline(d, "court_materials", "add_days(received_at, 7)", "7 календарных дней",
             clause("P12.4", "срок: 7 календарных дней с момента получения информации (ходатайства)"),
             ("материалы в суд", "Материалы на ограничение (лишение) родительских прав не собраны и иск не "
                                 "подан в течение семи календарных дней (п. 12)."), (19, 1))
    d.node("user", "court_participation", "Участвовать в судебном разбирательстве", L, 20, 0,
           doc=clause("P12.5"), form="ch5-court.schema.json",
           instructions="Отметьте участие в судебном разбирательстве и решение суда (п. 12).")
    d.node("xgw", "parental_rights_merge", None, L, 21, 0)
    d.flow("removal_merge", "parental_rights_check")
    d.flow("parental_rights_check", "court_case_merge", "Да", cond="parental_rights_case == True")
    d.flow("parental_rights_check", "parental_rights_merge", "Нет", default=True, exit="bottom", entry="bottom",
           via_y=1.62)
    d.flow("petition_in_work_check", "court_case_merge", "Нет", default=True, exit="right", entry="top")
    d.chain("court_case_merge", "court_materials", "court_participation", "parental_rights_merge")
    d.node("user", "placement_control", "Обеспечить устройство ребёнка и контроль условий проживания", L, 22, 0,
           doc=clause("P12.6"), form="ch5-placement-control.schema.json",
           instructions="Определите устройство ребёнка и проверьте условия его проживания (п. 12).")
    d.node("user", "additional_education", "Организовать дополнительное образование и досуг ребёнка", L, 23, 0,
           doc=clause("P12.8"), form="ch5-additional-education.schema.json",
           instructions="Организуйте дополнительное образование и досуг ребёнка, пострадавшего от насилия (п. 12).")
    d.node("end", "guardianship_work_done", "Работа органа опеки по делу завершена", L, 24, 0)
    d.chain("parental_rights_merge", "placement_control", "additional_education", "guardianship_work_done")
    return d


# -- chapter 6 ---------------------------------------------------------------------------------------------
def chapter6() -> Diagram:
    L = "health"
    d = Diagram("ch6-health.bpmn", "ch6_health",
                "Глава 6. Действия организаций здравоохранения по факту насилия и жестокого обращения", [L],
                "Организация здравоохранения работает с делом по поручению (health_notified: п. 4, 8, 10) "
                "и принимает детей от 0 до 3 лет, которых нельзя оставить в семье "
                "(infant_placement_requested: п. 11, 12).")
    notified_intake(d, L, "health_notified", "Поступило поручение по делу",
                    docs(clause("P4.b", "поручение приоритетному органу"),
                         clause("P10.3", "сведения КДНЗП для принятия мер"),
                         clause("P8.7", "привлечение организацией образования")),
                    clause("P4.b", "подтверждение получения поручения (а также по P8.7, P10.3)"), [])
    d.node("start", "infant_request_received", "Поступил запрос о приёме ребёнка 0–3 лет", L, 0, -2.75,
           message="infant_placement_requested", label="below", label_width=95,
           doc=docs(clause("P13.4"), clause("P12.3", "временное устройство отобранного ребёнка"),
                    clause("P11.7", "доставка ребёнка ОВД")))
    d.node("user", "ack_infant_request", "Подтвердить получение запроса", L, 1, -2.75,
           doc=clause("P13.4", "подтверждение получения запроса о приёме"), form="ack.schema.json",
           instructions=ACK_INSTRUCTIONS)
    deadline(d, "ack_infant_request", "ack_deadline(received_at)", "Незамедлительно",
             ack_timer_doc([], "запроса о приёме ребёнка"),
             ("не подтверждён запрос о приёме", "Запрос о приёме ребёнка от 0 до 3 лет не подтверждён."),
             (2, -1.75))
    d.node("user", "admit_infant", "Принять ребёнка на содержание", L, 3, -2.75, doc=clause("P13.4"),
           form="ch6-infant-admission.schema.json",
           instructions="Примите ребёнка в возрасте от 0 до 3 лет на содержание (п. 13).")
    d.flow("infant_request_received", "ack_infant_request")
    in_work_check(d, L, "infant_in_work_check", "infant_request_attached", "ack_infant_request", 2, -2.75,
                  -3.55, "Запрос приобщён")
    d.flow("infant_in_work_check", "admit_infant", "Нет", default=True)
    d.node("xgw", "examination_merge", None, L, 5, 0)
    main_line(d, "examination_merge")
    d.flow("admit_infant", "examination_merge", exit="right", entry="top")
    d.node("user", "examine_child", "Провести визуальный осмотр ребёнка", L, 6, 0,
           doc=docs(clause("P13.1"), clause("P13.2")), form="ch6-examination.schema.json",
           instructions="Проведите визуальный осмотр ребёнка (п. 13) и отметьте, выявлены ли признаки насилия "
                        "или жестокого обращения.")
    d.node("xgw", "violence_check", "Выявлены признаки насилия?", L, 7, 0, label="above-left", label_width=100,
           doc=clause("P13.1", "ветвление по violence_signs"))
    join = inform_fan(d, L, L, 9, "P13.3", FAN3, "Кто ещё не уведомлён?", "inform", "case_summary")
    d.nodes["inform_split"].doc = clause("P13.3", "ОВД, КДНЗП и орган опеки уведомляются незамедлительно после осмотра, "
                                                   "если сообщения по делу им ещё не направлялись")
    d.node("xgw", "violence_merge", None, L, 12, 0)
    d.chain("examination_merge", "examine_child", "violence_check")
    d.flow("violence_check", "inform_split", "Да", cond="violence_signs == True")
    d.flow(join, "violence_merge")
    d.flow("violence_check", "violence_merge", "Нет", default=True, exit="top", entry="top", via_y=-2.75)
    d.node("user", "medical_care", "Оказать медицинскую помощь", L, 13, 0, doc=clause("P13.5"),
           form="ch6-medical-care.schema.json",
           instructions="Окажите медицинскую помощь по стандартизированным операционным процедурам (п. 13).")
    d.node("user", "special_services", "Предоставить специальные социальные услуги", L, 15, -1.1,
           doc=clause("P13.6"), form="special-social-services.schema.json",
           instructions="Отметьте предоставленные специальные социальные услуги (п. 13).")
    yes_no_branch(d, L, "services_check", "Требуются специальные социальные услуги?", 14, ["special_services"],
                  "services_merge", 16, "special_services_needed == True",
                  gw_doc=clause("P13.6", "ветвление по special_services_needed"))
    d.node("end", "health_work_done", "Работа организации здравоохранения завершена", L, 17, 0)
    d.chain("violence_merge", "medical_care", "services_check")
    d.flow("services_merge", "health_work_done")
    return d


# -- chapter 7 ---------------------------------------------------------------------------------------------
def chapter7() -> Diagram:
    L = "social_protection"
    d = Diagram("ch7-social-protection.bpmn", "ch7_social_protection",
                "Глава 7. Действия органов занятости и социальной защиты населения", [L],
                "Органы занятости и социальной защиты работают с делом по поручению МИО (п. 4), "
                "КДНЗП (п. 10) или организации образования (п. 8): сообщение social_protection_notified.")
    notified_intake(d, L, "social_protection_notified", "Поступило поручение по делу",
                    docs(clause("P4.b", "поручение приоритетному органу"),
                         clause("P10.5", "координация КДНЗП социальных служб"),
                         clause("P8.7", "привлечение организацией образования")),
                    clause("P4.b", "подтверждение получения поручения (а также по P8.7, P10.5)"), [])
    join = inform_fan(d, L, L, 4, "P14.1", FAN3, "Кто ещё не уведомлён?", "inform", "case_summary")
    d.nodes["inform_split"].doc = clause("P14.1", "ОВД, КДНЗП и орган опеки уведомляются незамедлительно после подтверждения "
                                                   "получения, если сообщения по делу им ещё не направлялись")
    main_line(d, "inform_split")
    d.node("user", "joint_assessment", "Провести совместную оценку жестокого обращения", L, 7, 0,
           doc=clause("P14.2"), form="maladjustment-assessment.schema.json",
           instructions="Совместно с заинтересованными органами оцените, привело ли жестокое обращение к "
                        "социальной дезадаптации и социальной депривации ребёнка (п. 14).")
    d.node("user", "special_services", "Предоставить специальные социальные услуги", L, 10, -1.1,
           doc=clause("P14.3"), form="special-social-services.schema.json",
           instructions="Отметьте предоставленные специальные социальные услуги (п. 14).")
    yes_no_branch(d, L, "services_check", "Требуются специальные социальные услуги?", 9, ["special_services"],
                  "services_merge", 11, "special_services_needed == True",
                  gw_doc=clause("P14.3", "ветвление по special_services_needed"))
    d.node("end", "social_work_done", "Работа органов социальной защиты завершена", L, 12, 0)
    d.chain(join, "joint_assessment", "services_check")
    d.flow("services_merge", "social_work_done")
    return d


# -- chapter 8 ---------------------------------------------------------------------------------------------
def chapter8() -> Diagram:
    L = "center"
    d = Diagram("ch8-centres.bpmn", "ch8_centres",
                "Глава 8. Действия центров адаптации, поддержки детей в ТЖС и кризисных центров", [L],
                "Центр принимает ребёнка по запросу ОВД (п. 11) или органа опеки (п. 12): сообщение "
                "centre_placement_requested.")
    notified_intake(d, L, "centre_placement_requested", "Поступил запрос о приёме ребёнка",
                    docs(clause("P15.1", "приём ребёнка"), clause("P11.7", "доставка ребёнка ОВД"),
                         clause("P12.3", "временное устройство отобранного ребёнка")),
                    clause("P15.1", "подтверждение получения запроса о приёме (по P11.7, P12.3)"), [])
    d.node("user", "admit_child", "Принять ребёнка на временное содержание", L, 3, 0, doc=clause("P15.1"),
           form="ch8-admission.schema.json",
           instructions="Примите ребёнка на временное содержание (п. 15) и отметьте основание приёма.")
    d.node("user", "assess_maladjustment", "Оценить жестокое обращение, дезадаптацию и депривацию", L, 4, 0,
           doc=clause("P15.2"), form="maladjustment-assessment.schema.json",
           instructions="Оцените, привело ли жестокое обращение к социальной дезадаптации и социальной "
                        "депривации ребёнка (п. 15).")
    d.node("pgw", "support_split", None, L, 5, 0)
    d.node("user", "special_services", "Оказать специальные социальные услуги", L, 6, -0.8, doc=clause("P15.3"),
           form="special-social-services.schema.json",
           instructions="Отметьте оказанные ребёнку специальные социальные услуги (п. 15).")
    d.node("user", "conflict_help", "Помочь в разрешении конфликтной ситуации", L, 6, 0.8, doc=clause("P15.4"),
           form="ch8-conflict-help.schema.json",
           instructions="Организуйте помощь законным представителям и ребёнку в разрешении конфликтной и трудной "
                        "жизненной ситуации (п. 15).")
    d.node("user", "family_work", "Организовать работу с семьёй", L, 7, 0.8, doc=clause("P15.5"),
           form="ch8-family-work.schema.json",
           instructions="Организуйте работу с семьёй, находящейся в трудной жизненной ситуации (п. 15).")
    d.node("pgw", "support_join", None, L, 8, 0)
    d.node("user", "discharge_child", "Завершить временное содержание ребёнка", L, 9, 0,
           doc=clause("P15.1", "окончание временного содержания"), form="ch8-discharge.schema.json",
           instructions="Отметьте, куда и на каком основании ребёнок выбывает из центра.")
    d.node("throw", "release_to_guardianship", "Орган опеки уведомлён о выбытии ребёнка", L, 10, 0,
           message="guardianship_notified", label_width=110,
           payload=payload(L, "P12.6", discharge_outcome="discharge_outcome", note="discharge_outcome"),
           doc=clause("P12.6", "устройство ребёнка и контроль условий его проживания: орган опеки узнаёт о каждом "
                               "выбытии ребёнка из центра"))
    d.node("end", "centre_work_done", "Работа центра завершена", L, 11, 0)
    main_line(d, "admit_child")
    d.chain("admit_child", "assess_maladjustment", "support_split")
    d.flow("support_split", "special_services")
    d.flow("support_split", "conflict_help")
    d.flow("conflict_help", "family_work")
    d.flow("special_services", "support_join")
    d.flow("family_work", "support_join")
    d.chain("support_join", "discharge_child", "release_to_guardianship", "centre_work_done")
    return d


# -- КДНЗП's directions (P10.1, P10.2, P10.4, P10.7) --------------------------------------------------------
DIRECTED = ["education_org", "education_authority", "police", "health", "social_protection"]
SHORT_FLOW = {"education_org": "Образование", "education_authority": "Орган опеки", "police": "ОВД",
              "health": "Здравоохранение", "social_protection": "Социальная защита"}


def kdnzp_direction() -> Diagram:
    """A direction of КДНЗП reaches the named agency: acknowledged at once, carried out by its date, answered."""
    lanes = ["kdnzp"] + DIRECTED
    d = Diagram("kdnzp-direction.bpmn", "kdnzp_direction", "Рекомендации, поручения и запросы КДНЗП органам",
                lanes, "КДНЗП направляет органу рекомендацию, поручение или запрос (п. 10): сообщение kdnzp_direction "
                       "с адресатом to_agency. Орган подтверждает получение незамедлительно, исполняет к сроку "
                       "direction_due и отвечает КДНЗП (kdnzp_direction_answered).")
    d.node("start", "direction_received", "Поручение КДНЗП направлено", "kdnzp", 0, 0, message="kdnzp_direction",
           label_width=100, doc=docs(clause("P10.1"), clause("P10.2", "запрос сведений у других органов"),
                                     clause("P10.7")))
    d.node("xgw", "route_direction", "Адресат", "kdnzp", 1, 0, label="above",
           doc=clause("P10.4", "рекомендация или поручение доходит до названного органа"))
    d.node("end", "direction_unaddressed", "Адресат не указан", "kdnzp", 1, 0.9, label="right",
           doc=clause("P10.4", "сообщение без адресата никому не открывает работу"))
    d.flow("direction_received", "route_direction")
    d.flow("route_direction", "direction_unaddressed", "Нет адресата", default=True, exit="bottom", entry="top")
    for a in DIRECTED:
        ack, work, done = f"ack_direction_{a}", f"carry_out_direction_{a}", f"direction_answered_{a}"
        d.node("user", ack, "Подтвердить получение поручения КДНЗП", a, 3, 0, form="ack.schema.json",
               doc=clause("P10.1", "подтверждение получения рекомендации (поручения, запроса) КДНЗП"),
               instructions=ACK_INSTRUCTIONS)
        deadline(d, ack, "ack_deadline(received_at)", "Незамедлительно",
                 ack_timer_doc([], "поручения КДНЗП"),
                 ("не подтверждено поручение КДНЗП", "Получение поручения КДНЗП не подтверждено в установленный срок."),
                 (4, 1))
        d.node("user", work, "Исполнить поручение КДНЗП и ответить", a, 5, 0,
               form="kdnzp-direction-report.schema.json",
               doc=docs(clause("P10.4", "исполнение решения КДНЗП"), clause("P10.2", "ответ на запрос сведений")),
               instructions="КДНЗП направила по делу № {{ registration_number }}: {{ direction_text }}\n\n"
                            "Исполните поручение и направьте ответ до **{{ direction_due }}** (п. 10).")
        deadline(d, work, "direction_due", "Срок КДНЗП",
                 clause("P10.4", "срок исполнения, установленный КДНЗП (direction_due_days рабочих дней)"),
                 ("поручение КДНЗП", "Поручение КДНЗП не исполнено в установленный срок (п. 10)."), (6, 1))
        d.node("end", done, "Ответ направлен в КДНЗП", a, 7, 0, message="kdnzp_direction_answered",
               label_width=90, payload=payload(a, "P10.2", to_agency=lit(a), direction_answer="direction_answer",
                                                direction_text="direction_text", note="direction_answer"),
               doc=clause("P10.2", "ответ органа КДНЗП"))
        d.flow("route_direction", ack, SHORT_FLOW[a], cond=f"to_agency == {lit(a)}", via_x=1.8, label_on="last")
        d.chain(ack, work, done)
    return d


def kdnzp_answer() -> Diagram:
    L = "kdnzp"
    d = Diagram("kdnzp-answer.bpmn", "kdnzp_answer", "Ответ органа на поручение КДНЗП", [L],
                "Орган ответил на рекомендацию, поручение или запрос КДНЗП (п. 10): КДНЗП получает ответ задачей.")
    d.node("start", "answer_received", "Поступил ответ на поручение", L, 0, 0, message="kdnzp_direction_answered",
           label_width=100, doc=clause("P10.2", "ответ органа на запрос (поручение) КДНЗП"))
    d.node("user", "ack_answer", "Ознакомиться с ответом на поручение", L, 1, 0, form="ack.schema.json",
           doc=clause("P10.6", "мониторинг принятых мер: ответ органа приобщается"), instructions=ACK_INSTRUCTIONS)
    deadline(d, "ack_answer", "ack_deadline(received_at)", "Незамедлительно", ack_timer_doc([], "ответа"),
             ("не принят ответ на поручение", "Ответ органа на поручение КДНЗП не принят."), (2, 1))
    d.node("end", "answer_attached", "Ответ приобщён", L, 2, 0)
    d.chain("answer_received", "ack_answer", "answer_attached")
    return d


# -- notifications to bodies without a chapter of their own -------------------------------------------------
def external_notice(lane: str, file: str, pid: str, title: str, message: str, start_name: str,
                    clause_id: str, what: str, immediate: list[str]) -> Diagram:
    d = Diagram(file, pid, title, [lane],
                f"{BY_CODE[lane].name_ru} не имеет своей главы в Порядке; уведомление ({message}) требуется "
                f"только подтвердить ({clause_id}).")
    d.node("start", "notice_received", start_name, lane, 0, 0, message=message, label_width=100,
           doc=clause(clause_id, what))
    d.node("user", "ack_notice", "Подтвердить получение уведомления", lane, 1, 0,
           doc=clause(clause_id, "подтверждение получения уведомления"), form="ack.schema.json",
           instructions=ACK_INSTRUCTIONS)
    deadline(d, "ack_notice", "ack_deadline(received_at)", "Незамедлительно", ack_timer_doc(immediate),
             ("не подтверждено уведомление", "Получение уведомления не подтверждено в установленный срок."), (2, 1))
    d.node("end", "notice_acknowledged", "Уведомление принято", lane, 2, 0)
    d.chain("notice_received", "ack_notice", "notice_acknowledged")
    return d


def prosecutor() -> Diagram:
    return external_notice("prosecutor", "notice-prosecutor.bpmn", "prosecutor_notice",
                           "Уведомление прокурора об отобрании ребёнка", "prosecutor_notified",
                           "Поступило уведомление об отобрании ребёнка", "P12.2",
                           "орган опеки незамедлительно информирует прокурора об отобрании ребёнка", ["P12.2"])


def mes_committee() -> Diagram:
    return external_notice("mes_committee", "notice-mes-committee.bpmn", "mes_committee_notice",
                           "Информация о чрезвычайном происшествии в сфере образования для Комитета по охране прав детей",
                           "mes_committee_notified", "Поступила информация о чрезвычайном происшествии в сфере образования", "P7",
                           "информация о чрезвычайном происшествии в сфере образования", [])


# Clauses whose notice must reach its agency whenever the Guide's own condition holds: the element that sends
# it may sit only behind facts (who reported, what was found, who already heard), never behind a choice.
INFORM_DUTIES = {"P4.c", "P5", "P8.4", "P10.1", "P10.2", "P11.3", "P11.4", "P11.7", "P11.9", "P12.2", "P12.6",
                 "P12.7", "P13.1", "P13.3", "P14.1", "P8.1"}
MESSAGE_TO = {"police_notified": "police", "kdnzp_notified": "kdnzp", "guardianship_notified": "education_authority",
              "parental_rights_petition": "education_authority", "education_org_notified": "education_org",
              "health_notified": "health", "infant_placement_requested": "health",
              "social_protection_notified": "social_protection", "centre_placement_requested": "center",
              "prosecutor_notified": "prosecutor", "mes_committee_notified": "mes_committee",
              "kdnzp_direction": "to_agency", "kdnzp_direction_answered": "kdnzp"}


def _titles(ru: str) -> dict:
    """A title's Kazakh and English (tools/diagram_words.py) as guide.yaml's title_kk, title_en."""
    return {f"title_{lang}": text for lang, text in translated(ru).items()}


def guide_yaml(diagrams: list[Diagram]) -> str:
    """processes/guide.yaml: the Guide's agencies, chapters, clauses and the messages between processes."""
    import yaml
    from app.agencies import AGENCIES

    def deadline_of(cid):
        dl = CLAUSES[cid][3]
        return dict(dl) if dl else None

    receivers: dict[str, list] = {}
    senders: dict[str, list] = {}
    for d in diagrams:
        for n in d.nodes.values():
            if "message" not in n.opts:
                continue
            if n.kind in ("throw", "end"):
                senders.setdefault(n.opts["message"], []).append({
                    "process": d.process_id, "element": n.id, "lane": n.lane,
                    "clause": json.loads(n.opts["payload"]["clause"]),
                    "payload": list(n.opts["payload"])})
            elif n.kind == "start":
                receivers.setdefault(n.opts["message"], []).append(
                    {"process": d.process_id, "element": n.id, "lane": n.lane, "starts": True})
            else:
                receivers.setdefault(n.opts["message"], []).append(
                    {"process": d.process_id, "element": n.id, "lane": n.lane, "starts": False})
    doc = {
        "title": "Руководство по межведомственному взаимодействию по выявлению и работе с фактами насилия и "
                 "жестокого обращения в отношении несовершеннолетнего",
        "generated_by": "tools/layout_bpmn.py",
        "term_rules": {
            "calendar_days": "Каждый день считается; срок, последний день которого приходится на нерабочий день, "
                             "истекает в конце ближайшего следующего рабочего дня (правило Гражданского кодекса РК "
                             "об окончании срока; app/calendar add_days). День поступления не считается.",
            "working_days": "Рабочие дни календаря Казахстана: выходные, праздники и перенесённые постановлениями "
                            "дни; срок истекает в конце n-го рабочего дня после дня поступления.",
            "immediately": "Окно подтверждения (QAMQOR_ACK_WINDOW_HOURS, по умолчанию 1 час) с момента поступления "
                           "информации."},
        "agencies": [{"code": a.code, "name_ru": a.name_ru} for a in AGENCIES],
        "chapters": [{"number": n, "title": t, **_titles(t), "file": f, "process": pid} for n, t, f, pid in CHAPTERS],
        "auxiliary_processes": [
            {"file": "notice-prosecutor.bpmn", "process": "prosecutor_notice",
             "title": "Уведомление прокурора об отобрании ребёнка (п. 12)", **_titles("Уведомление прокурора об отобрании ребёнка (п. 12)")},
            {"file": "notice-mes-committee.bpmn", "process": "mes_committee_notice",
             "title": "Информация о чрезвычайном происшествии в сфере образования для Комитета по охране прав детей (п. 7)", **_titles("Информация о чрезвычайном происшествии в сфере образования для Комитета по охране прав детей (п. 7)")},
            {"file": "kdnzp-direction.bpmn", "process": "kdnzp_direction",
             "title": "Рекомендации, поручения и запросы КДНЗП органам (п. 10)", **_titles("Рекомендации, поручения и запросы КДНЗП органам (п. 10)")},
            {"file": "kdnzp-answer.bpmn", "process": "kdnzp_answer",
             "title": "Ответ органа на поручение КДНЗП (п. 10)", **_titles("Ответ органа на поручение КДНЗП (п. 10)")}],
        "clauses": [{"id": cid, "chapter": ch, "agencies": sorted(set(ag), key=list(BY_CODE).index),
                     "text": text, **({"deadline": deadline_of(cid)} if dl else {})}
                    for cid, (ch, ag, text, dl) in CLAUSES.items()],
        "messages": [{"name": name, "sent_by": senders.get(name, []), "received_by": receivers.get(name, [])}
                     for name in sorted(set(senders) | set(receivers))],
        "inform_duties": [{"clause": s["clause"], "process": s["process"], "element": s["element"],
                           "message": name, "to": MESSAGE_TO[name]}
                          for name in sorted(senders) for s in senders[name] if s["clause"] in INFORM_DUTIES],
    }
    head = ("# The Guide, machine-readable: agencies, chapters, clauses (with deadlines) and the messages\n"
            "# between the processes. Generated by tools/layout_bpmn.py together with the diagrams.\n"
            "# deadline.unit: working_days | calendar_days | immediately (the acknowledgement window).\n"
            "# inform_duties: the notices that may not sit behind an optional choice (tests/processes checks it).\n")
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)


def build_all() -> list[Diagram]:
    """Every diagram, with its partners (which needs all of them) and its drawing."""
    built = [build() for build in BUILDERS]
    collaboration.connect(built)
    for d in built:
        d.layout()
    return built


def write_all(check_only: bool = False) -> int:
    problems = 0
    built = build_all()
    for d in built:
        found = d.problems()
        for p in found:
            print(f"{d.file}: {p}")
        problems += len(found)
        if not check_only:
            (ROOT / "processes").mkdir(exist_ok=True)
            (ROOT / "processes" / d.file).write_bytes(d.xml())
    if not check_only:
        (ROOT / "processes" / "guide.yaml").write_text(guide_yaml(built), encoding="utf-8")
    from tools.diagram_words import MISSING
    for text in sorted(MISSING):
        print(f"no Kazakh or English words for {text!r} (tools/diagram_words.py)")
    return problems + len(MISSING)


BUILDERS = [chapter1, chapter2, chapter3, chapter4, chapter5, chapter6, chapter7, chapter8, prosecutor, mes_committee,
            kdnzp_direction, kdnzp_answer]

if __name__ == "__main__":
    n = write_all(check_only="--check" in sys.argv)
    print(f"{n} drawing problem(s)")
