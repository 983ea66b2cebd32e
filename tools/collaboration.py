"""The partners of each generated diagram: a collapsed pool per agency it notifies or hears from, and a
message flow from every message it throws to the pool of the agency that catches it (and from the pool of
every agency that throws a message to each event of the diagram that catches it).

Why: a chapter's own pool shows one agency's work; whom it notifies and whom it waits for lives in the other
diagrams. The partner of a message is read off the other diagrams' lanes (the lane of the element that catches,
or throws, the same message), so the drawing cannot name a partner the processes do not have.

Placing: the pools stand in two rows, above and below the chapter's pool, each partner on the side nearer to the
events it is linked with (lanes in the lower half talk downwards), so the flows share two corridors instead of one
and cross fewer lanes.

Routing: each flow is found by A* on an orthogonal grid
through the gaps between shapes and labels (never along a sequence flow or a lane border, preferably crossing
few of them, never on another message flow's track), then the tracks between the pools and the chapter are
packed together.
"""
from __future__ import annotations

import bisect
import heapq
import json
from dataclasses import dataclass, field

POOL_H = 60                  # a collapsed partner pool
POOL_GAP = 40                # between two partner pools of the row
TRACK = 10                   # between two message flows running side by side
SHORT = 10                   # the most two flows may share: their common end under the arrowhead
NEAR = 9.5                   # two message flows side by side at least 10 apart
SHARED_END = 2               # flows that may meet at one point of an event (the last few pixels under the arrow)
PER_SIDE = 3                 # flows that may touch one side of an event, while it has another side free
CLEAR = 5                    # a flow keeps this far from shapes
BEND = 60                    # the price of a bend, in pixels of length
CROSS_SEQUENCE = 45          # the price of crossing a sequence flow or a lane border
CROSS_MESSAGE = 10           # the price of crossing another message flow
CHAR_W = 6.6
GREED = 1.2                  # how far A* trusts its estimate (2.5 left ch1 with 83 message crossings, 1.2 with 49)


@dataclass
class Link:
    """A message between an event of the diagram and a partner agency."""
    node: str
    agency: str
    message: str
    outgoing: bool                      # the event throws (event -> pool); else the pool -> the event
    id: str = ""
    waypoints: list = field(default_factory=list)


def _to_agency(node) -> str | None:
    value = node.opts.get("payload", {}).get("to_agency")
    return json.loads(value) if value and value.startswith('"') else None


def connect(diagrams: list) -> None:
    """Every diagram's links: for each message event, the agencies at the other end (by the other diagrams'
    lanes). A throw whose payload names its addressee (``to_agency``), caught by a process with a lane for
    that agency, reaches that agency (КДНЗП's directions: the process routes each to the addressee's lane)."""
    throwers: dict[str, list] = {}
    catchers: dict[str, list] = {}
    for d in diagrams:
        for n in d.nodes.values():
            if "message" in n.opts:
                side = throwers if n.kind in ("throw", "end") else catchers
                side.setdefault(n.opts["message"], []).append((d, n))
    for d in diagrams:
        d.links = []
        for n in d.nodes.values():
            if "message" not in n.opts:
                continue
            m = n.opts["message"]
            if n.kind in ("throw", "end"):
                caught = [(od, c) for od, c in catchers.get(m, []) if od is not d]
                addressed = _to_agency(n)
                if addressed and all(addressed in od.lane_codes for od, _c in caught):
                    agencies = {addressed}          # the catching process hands it to the addressee's lane
                else:
                    agencies = {c.lane for _od, c in caught}
                for a in sorted(agencies):
                    suffix = "" if len(agencies) == 1 else f"_to_{a}"
                    d.links.append(Link(n.id, a, m, True, f"Flow_msg_{n.id}{suffix}"))
            else:
                agencies = {t.lane for od, t in throwers.get(m, []) if od is not d}
                for a in sorted(agencies):
                    d.links.append(Link(n.id, a, m, False, f"Flow_msg_{a}_to_{n.id}"))
            assert agencies, f"{d.file}: nobody at the other end of {n.id} ({m})"


def pool_width(name: str) -> float:
    """Wide enough for the agency's name on two lines."""
    return max(220.0, min(440.0, len(name) * CHAR_W / 2 + 60))


def side_of(d, agency: str) -> str:
    """Above or below the chapter's pool: the side nearer to the events linked with the agency (the sum of their
    distances to the pool's top edge against that to its bottom edge), so the lanes of the upper half talk upwards
    and those of the lower half downwards, and the flows need not cross the other lanes; above on a tie."""
    _px, py, _pw, ph = d.pool
    ys = [d.nodes[link.node].cy for link in d.links if link.agency == agency]
    up = sum(y - py for y in ys)
    down = sum(py + ph - y for y in ys)
    return "below" if down < up else "above"


def place(d, names: dict[str, str], sides: dict[str, str]) -> None:
    """Partner pools in two rows, above and below the chapter's pool (``sides``: each partner's, by
    ``side_of``), each as near as its row allows to the events it is linked with (left to right in that order)."""
    d.partners, d.partner_side = {}, {}
    for side in ("above", "below"):
        row = [a for a in sorted(sides) if sides[a] == side]
        if row:
            _place_row(d, row, side, names)


def _place_row(d, agencies: list[str], side: str, names: dict[str, str]) -> None:
    px, py, pw, ph = d.pool
    wanted = {}
    for link in d.links:
        if link.agency in agencies:
            wanted.setdefault(link.agency, []).append(d.nodes[link.node].cx)
    order = sorted(wanted, key=lambda a: (sum(wanted[a]) / len(wanted[a]), a))
    widths = {a: pool_width(names[a]) for a in order}
    xs, right = [], px
    for a in order:                                   # as wanted, pushed right where they would overlap
        x = max(right, sum(wanted[a]) / len(wanted[a]) - widths[a] / 2, px)
        xs.append(x)
        right = x + widths[a] + POOL_GAP
    limit = px + pw                                   # then pulled back left of the chapter's right edge
    for i in range(len(order) - 1, -1, -1):
        a = order[i]
        xs[i] = min(xs[i], limit - widths[a])
        limit = xs[i] - POOL_GAP
    if xs and xs[0] < px:                             # too many to fit: the row grows past the pool's right
        shift = px - xs[0]
        xs = [x + shift for x in xs]
    tracks = TRACK * (sum(1 for link in d.links if link.agency in agencies) + 2)
    y = py - 40 - tracks - POOL_H if side == "above" else py + ph + 40 + tracks
    for a, x in zip(order, xs):
        d.partners[a] = [x, y, widths[a], POOL_H]
        d.partner_side[a] = side


# -- routing -------------------------------------------------------------------------------------------------
class Grid:
    """An orthogonal grid through the free space of a diagram: candidate lines at every obstacle's edge
    (kept clear), edges blocked where they cross an obstacle or run along a line that must stay readable."""

    def __init__(self, xs, ys, obstacles, along, across):
        self.xs = sorted({round(x, 1) for x in xs})
        self.ys = sorted({round(y, 1) for y in ys})
        nx, ny = len(self.xs), len(self.ys)
        self.nx, self.ny = nx, ny
        self.block_h = bytearray(nx * ny)      # edge (i, j) -> (i + 1, j)
        self.block_v = bytearray(nx * ny)      # edge (i, j) -> (i, j + 1)
        self.cost_h = [0.0] * (nx * ny)
        self.cost_v = [0.0] * (nx * ny)
        for x0, y0, x1, y1 in obstacles:       # open rectangles
            self._block_rect(x0, y0, x1, y1)
        for (ax, ay), (bx, by) in along:       # segments no flow may run along
            if abs(ay - by) < 0.5:
                self._block_along_h(min(ax, bx), max(ax, bx), ay)
            else:
                self._block_along_v(min(ay, by), max(ay, by), ax)
        for (ax, ay), (bx, by), price in across:   # segments that cost to cross
            if abs(ay - by) < 0.5:
                self._price_across_h(min(ax, bx), max(ax, bx), ay, price)
            else:
                self._price_across_v(min(ay, by), max(ay, by), ax, price)

    def _range(self, values, lo, hi):
        return bisect.bisect_right(values, lo), bisect.bisect_left(values, hi)

    def _block_rect(self, x0, y0, x1, y1):
        i0, i1 = self._range(self.xs, x0, x1)          # lines strictly inside
        j0, j1 = self._range(self.ys, y0, y1)
        ei0 = max(0, bisect.bisect_right(self.xs, x0) - 1)   # edges overlapping (x0, x1)
        ei1 = bisect.bisect_left(self.xs, x1)
        ej0 = max(0, bisect.bisect_right(self.ys, y0) - 1)
        ej1 = bisect.bisect_left(self.ys, y1)
        for j in range(j0, j1):
            for i in range(ei0, min(ei1, self.nx - 1)):
                self.block_h[j * self.nx + i] = 1
        for i in range(i0, i1):
            for j in range(ej0, min(ej1, self.ny - 1)):
                self.block_v[j * self.nx + i] = 1

    def _block_along_h(self, x0, x1, y, near=4):
        j0, j1 = self._range(self.ys, y - near, y + near)
        ei0 = max(0, bisect.bisect_right(self.xs, x0) - 1)
        ei1 = bisect.bisect_left(self.xs, x1)
        for j in range(j0, j1):
            for i in range(ei0, min(ei1, self.nx - 1)):
                self.block_h[j * self.nx + i] = 1

    def _block_along_v(self, y0, y1, x, near=4):
        i0, i1 = self._range(self.xs, x - near, x + near)
        ej0 = max(0, bisect.bisect_right(self.ys, y0) - 1)
        ej1 = bisect.bisect_left(self.ys, y1)
        for i in range(i0, i1):
            for j in range(ej0, min(ej1, self.ny - 1)):
                self.block_v[j * self.nx + i] = 1

    def _price_across_h(self, x0, x1, y, price):
        """Vertical edges crossing the horizontal segment (x0..x1, y)."""
        i0, i1 = self._range(self.xs, x0, x1)
        j = bisect.bisect_right(self.ys, y) - 1
        if 0 <= j < self.ny - 1 and self.ys[j] < y < self.ys[j + 1]:
            for i in range(i0, i1):
                self.cost_v[j * self.nx + i] += price

    def _price_across_v(self, y0, y1, x, price):
        j0, j1 = self._range(self.ys, y0, y1)
        i = bisect.bisect_right(self.xs, x) - 1
        if 0 <= i < self.nx - 1 and self.xs[i] < x < self.xs[i + 1]:
            for j in range(j0, j1):
                self.cost_h[j * self.nx + i] += price

    def taken(self, pts) -> None:
        """A routed flow: the next ones may cross it (at a price) but not run along it."""
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            if abs(ay - by) < 0.5:
                self._block_along_h(min(ax, bx), max(ax, bx), ay, NEAR)
                self._price_across_h(min(ax, bx), max(ax, bx), ay, CROSS_MESSAGE)
            else:
                self._block_along_v(min(ay, by), max(ay, by), ax, NEAR)
                self._price_across_v(min(ay, by), max(ay, by), ax, CROSS_MESSAGE)

    def index(self, x, y):
        i = bisect.bisect_left(self.xs, round(x, 1))
        j = bisect.bisect_left(self.ys, round(y, 1))
        assert self.xs[i] == round(x, 1) and self.ys[j] == round(y, 1), (x, y)
        return i, j

    def route(self, starts, goals, heuristic):
        """Cheapest path from any of ``starts`` ((i, j, direction)) to any of ``goals`` ({(i, j): direction});
        directions 0 right, 1 down, 2 left, 3 up. Returns the grid points or None."""
        nx = self.nx
        best = {}
        heap = []
        for i, j, d in starts:
            heapq.heappush(heap, (GREED * heuristic(i, j), 0.0, i, j, d, None))
        came = {}
        while heap:
            _f, g, i, j, d, prev = heapq.heappop(heap)
            key = (i, j, d)
            if key in best:
                continue
            best[key] = g
            came[key] = prev
            if (i, j) in goals and goals[(i, j)] in (None, d):
                path, k = [], key
                while k is not None:
                    path.append((self.xs[k[0]], self.ys[k[1]]))
                    k = came[k]
                return path[::-1]
            for nd, di, dj in ((0, 1, 0), (1, 0, 1), (2, -1, 0), (3, 0, -1)):
                if (nd + 2) % 4 == d:
                    continue
                ni, nj = i + di, j + dj
                if not (0 <= ni < nx and 0 <= nj < self.ny):
                    continue
                if di:
                    e = j * nx + min(i, ni)
                    if self.block_h[e]:
                        continue
                    step = abs(self.xs[ni] - self.xs[i]) + self.cost_h[e]
                else:
                    e = min(j, nj) * nx + i
                    if self.block_v[e]:
                        continue
                    step = abs(self.ys[nj] - self.ys[j]) + self.cost_v[e]
                ng = g + step + (BEND if nd != d else 0)
                nkey = (ni, nj, nd)
                if nkey not in best:
                    heapq.heappush(heap, (ng + GREED * heuristic(ni, nj), ng, ni, nj, nd, key))
        return None


def _anchors(n, seq_ends: set[str], incoming: bool):
    """Where a message flow may touch an event: the middle of a free side, or a little beside it."""
    out = []
    for side in ("top", "bottom", "left", "right"):
        if side in seq_ends:
            continue
        if side in ("left", "right") and not (incoming and n.kind == "start"):
            continue
        for k in (0, -10, 10):
            if side == "top":
                out.append((n.cx + k, n.y, 3, (0, -1)))
            elif side == "bottom":
                out.append((n.cx + k, n.y + n.h, 1, (0, 1)))
            elif side == "left":
                out.append((n.x, n.cy + k, 2, (-1, 0)))
    return out


def route(d) -> list[str]:
    """Route every link of ``d`` (its pools placed); returns what could not be routed."""
    inf = CLEAR
    px, py, pw, ph = d.pool
    obstacles, xs, ys = [], [], []
    for n in d.nodes.values():
        obstacles.append((n.x - inf, n.y - inf, n.x + n.w + inf, n.y + n.h + inf))
    labels = [n.label for n in d.nodes.values() if n.label] + [f.label for f in d.flows if f.label]
    for x, y, w, h in labels:
        obstacles.append((x - 3, y - 3, x + w + 3, y + h + 3))
    band = px + 30 + (30 if len(d.lane_codes) else 0)
    obstacles.append((px - 1, py - 1, band + inf, py + ph + 1))        # the pool's and lanes' name bands
    for x, y, w, h in d.partners.values():
        obstacles.append((x - inf, y - inf, x + w + inf, y + h + inf))
    for x0, y0, x1, y1 in obstacles:
        xs += [x0 - 1, x1 + 1, x0 - 1 - TRACK, x1 + 1 + TRACK]
        ys += [y0 - 1, y1 + 1, y0 - 1 - TRACK, y1 + 1 + TRACK]
    for c in range(-1, 40):                                            # between the columns and rows
        xs += [d.col_x(c + 0.5) + k * TRACK for k in (-1, 0, 1)]
    for lane in d.lane_codes:
        _lx, top, _lw, height = d.lane_box[lane]
        ys += [top + 12, top + height - 12]
    top_row = min((b[1] for b in d.partners.values()), default=py)
    bottom_row = max((b[1] + b[3] for b in d.partners.values()), default=py + ph)
    for k in range(len(d.links) + 3):                                  # the tracks above and below the pool
        ys += [py - 20 - k * TRACK, py + ph + 20 + k * TRACK]
    along, across = [], []
    for f in d.flows:
        for a, b in zip(f.waypoints, f.waypoints[1:]):
            along.append((a, b))
            across.append((a, b, CROSS_SEQUENCE))
    right = px + pw
    for lane in d.lane_codes:
        _lx, top, _lw, height = d.lane_box[lane]
        for y in (top, top + height):
            along.append(((band, y), (right, y)))
            if y not in (py, py + ph):
                across.append(((band, y), (right, y), CROSS_SEQUENCE))
    along += [((px, py), (px + pw, py)), ((px, py + ph), (px + pw, py + ph))]
    for a, (x, y, w, h) in d.partners.items():
        edge = y + h if d.partner_side[a] == "above" else y
        along.append(((x, edge), (x + w, edge)))
    seq_sides: dict[str, set] = {}
    for f in d.flows:
        for nid, pt in ((f.src, f.waypoints[0]), (f.tgt, f.waypoints[-1])):
            n = d.nodes[nid]
            side = ("top" if abs(pt[1] - n.y) < 1 else "bottom" if abs(pt[1] - n.y - n.h) < 1
                    else "left" if abs(pt[0] - n.x) < 1 else "right")
            seq_sides.setdefault(nid, set()).add(side)
    launches = {}
    for link in d.links:
        n = d.nodes[link.node]
        for ax, ay, dirn, (ux, uy) in _anchors(n, seq_sides.get(n.id, set()), not link.outgoing):
            lx, ly = ax + ux * (inf + 3), ay + uy * (inf + 3)
            launches.setdefault(link.node, []).append((ax, ay, lx, ly, dirn))
            xs.append(lx)
            ys.append(ly)
            xs.append(ax)
    for a, (x, y, w, h) in d.partners.items():
        ys.append(y + h + inf + 3 if d.partner_side[a] == "above" else y - inf - 3)
        xs += [x + 20 + k * TRACK for k in range(int((w - 40) / TRACK) + 1)]
    lo_y, hi_y = min(top_row, py) - 20, max(bottom_row, py + ph) + 20
    lo_x, hi_x = px - 40, max([px + pw] + [b[0] + b[2] for b in d.partners.values()]) + 40
    xs = [x for x in xs if lo_x <= x <= hi_x] + [lo_x, hi_x]
    ys = [y for y in ys if lo_y <= y <= hi_y] + [lo_y, hi_y]
    failed = []
    grid = Grid(xs, ys, obstacles, along, across)
    touched: dict = {}                                                 # anchor -> flows touching the event there
    sided: dict = {}                                                   # (event, direction) -> flows on that side
    cap = {}                                                           # event -> the most flows on one of its sides
    for nid, ls in launches.items():
        free = {dirn for _ax, _ay, lx, ly, dirn in ls
                if not any(o[0] < lx < o[2] and o[1] < ly < o[3] for o in obstacles)}
        count = sum(1 for link in d.links if link.node == nid)
        cap[nid] = max(PER_SIDE, -(-count // max(1, len(free))))
    taken: list = []                                                   # segments of the routed flows
    landed: set = set()                                                # (pool, x) where a flow arrives
    for link in sorted(d.links, key=lambda k: (d.nodes[k.node].cx, k.id)):
        pool = d.partners[link.agency]
        above = d.partner_side[link.agency] == "above"
        gy = pool[1] + pool[3] + inf + 3 if above else pool[1] - inf - 3
        goals = {(i, grid.index(x, gy)[1]): 3 if above else 1 for i, x in enumerate(grid.xs)
                 if pool[0] + 12 <= x <= pool[0] + pool[2] - 12 and (link.agency, x) not in landed}
        starts, first = [], {}
        for ax, ay, lx, ly, dirn in launches[link.node]:
            if touched.get((ax, ay), 0) >= SHARED_END or sided.get((link.node, dirn), 0) >= cap[link.node] \
                    or any(o[0] < lx < o[2] and o[1] < ly < o[3] for o in obstacles):
                continue
            i, j = grid.index(lx, ly)
            starts.append((i, j, dirn))
            first[(i, j)] = (ax, ay, dirn)
        j_goal = grid.index(pool[0] + 20, gy)[1]

        def heuristic(i, j, pool=pool, j_goal=j_goal, grid=grid):
            x = grid.xs[i]
            dx = max(0, pool[0] + 12 - x, x - (pool[0] + pool[2] - 12))
            return dx + abs(grid.ys[j] - grid.ys[j_goal])

        path = grid.route(starts, goals, heuristic) if starts else None
        if path is None:
            failed.append(f"message flow {link.id} cannot be routed")
            continue
        *anchor, dirn = first[grid.index(*path[0])]
        anchor = tuple(anchor)
        sided[(link.node, dirn)] = sided.get((link.node, dirn), 0) + 1
        path = _straighten(_clean(path), lambda a, b, blocking=along + taken: _free(a, b, obstacles, blocking),
                           lambda a, b, priced=list(across): _crossings(a, b, priced))
        edge = pool[1] + pool[3] if above else pool[1]
        pts = _clean([anchor] + path + [(path[-1][0], edge)])                    # event first, pool last
        touched[anchor] = touched.get(anchor, 0) + 1
        landed.add((link.agency, pts[-1][0]))
        grid.taken(pts)
        taken += list(zip(pts, pts[1:]))
        across += [(p, q, CROSS_MESSAGE) for p, q in zip(pts, pts[1:])]
        link.waypoints = pts if link.outgoing else pts[::-1]
    _pack_tracks(d)
    return failed


def _free(a, b, obstacles, along) -> bool:
    """May a flow run straight from a to b: through no obstacle, along no line that must stay readable?"""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    for ox0, oy0, ox1, oy1 in obstacles:
        if x0 < ox1 and x1 > ox0 and y0 < oy1 and y1 > oy0:
            return False
        if x0 == x1 and ox0 < x0 < ox1 and y0 < oy1 and y1 > oy0:
            return False
        if y0 == y1 and oy0 < y0 < oy1 and x0 < ox1 and x1 > ox0:
            return False
    horizontal = abs(a[1] - b[1]) < 0.5
    for (sx, sy), (tx, ty) in along:
        if horizontal and abs(sy - ty) < 0.5 and abs(sy - a[1]) < 4:
            if min(x1, max(sx, tx)) - max(x0, min(sx, tx)) > 0:
                return False
        if not horizontal and abs(sx - tx) < 0.5 and abs(sx - a[0]) < 4:
            if min(y1, max(sy, ty)) - max(y0, min(sy, ty)) > 0:
                return False
    return True


def _crossings(a, b, across) -> float:
    """The price of the sequence flows, lane borders and message flows the segment a-b crosses."""
    total = 0.0
    horizontal = abs(a[1] - b[1]) < 0.5
    lo, hi = sorted((a[0], b[0])) if horizontal else sorted((a[1], b[1]))
    for (sx, sy), (tx, ty), price in across:
        if horizontal and abs(sx - tx) < 0.5 and lo < sx < hi and min(sy, ty) < a[1] < max(sy, ty):
            total += price
        elif not horizontal and abs(sy - ty) < 0.5 and lo < sy < hi and min(sx, tx) < a[0] < max(sx, tx):
            total += price
    return total


def _straighten(pts, free, crossings):
    """Replace detours by the straight or one-bend way between two points of the route wherever it is free
    (a greedy search leaves small jogs); the first and the last point stay."""
    out, i = [pts[0]], 0
    while i < len(pts) - 1:
        a = pts[i]
        for k in range(len(pts) - 1, i, -1):
            b = pts[k]
            if k == i + 1:
                out.append(b)
                i = k
                break
            ways = [[b]] if abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5 else \
                [[(a[0], b[1]), b], [(b[0], a[1]), b]]
            before = sum(crossings(p, q) for p, q in zip(pts[i:k], pts[i + 1:k + 1]))
            way = next((w for w in ways if all(free(p, q) for p, q in zip([a] + w, w))
                        and sum(crossings(p, q) for p, q in zip([a] + w, w)) <= before), None)
            if way is not None and len(way) < k - i:
                out += way
                i = k
                break
    return _clean(out)


def _clean(pts):
    """Without repeated or collinear points; a coordinate within half a pixel of the previous point's is
    taken as the same (the grid may hold two lines that close), so every segment stays orthogonal."""
    out = [pts[0]]
    for p in pts[1:]:
        last = out[-1]
        p = (last[0] if abs(p[0] - last[0]) < 0.5 else p[0], last[1] if abs(p[1] - last[1]) < 0.5 else p[1])
        if abs(p[0] - out[-1][0]) < 0.5 and abs(p[1] - out[-1][1]) < 0.5:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (abs(a[0] - b[0]) < 0.5 and abs(b[0] - p[0]) < 0.5) or (abs(a[1] - b[1]) < 0.5 and abs(b[1] - p[1]) < 0.5):
                out[-1] = p
                continue
        out.append(p)
    return [(round(x, 1), round(y, 1)) for x, y in out]


def _pack_tracks(d) -> None:
    """Bring each row of pools onto the tracks the flows use between it and the chapter's pool (one TRACK
    apart), above and below alike."""
    _px, py, _pw, ph = d.pool
    for side, sign, edge in (("above", -1, py), ("below", 1, py + ph)):
        boxes = [b for a, b in d.partners.items() if d.partner_side[a] == side]
        if not boxes:
            continue
        pool_edge = boxes[0][1] + boxes[0][3] if side == "above" else boxes[0][1]
        lo, hi = sorted((pool_edge, edge))
        used = sorted({y for link in d.links for _x, y in link.waypoints if lo < y < hi}, key=lambda y: sign * y)
        new = {y: edge + sign * (20 + k * TRACK) for k, y in enumerate(used)}
        near = (new[used[-1]] if used else edge + sign * 20) + sign * (CLEAR + 3)
        for box in boxes:
            box[1] = near - POOL_H if side == "above" else near
        for link in d.links:
            ends_here = d.partner_side[link.agency] == side
            link.waypoints = [(x, new.get(y, near if ends_here and abs(y - pool_edge) < 0.5 else y))
                              for x, y in link.waypoints]


def problems(d) -> list[str]:
    """What the drawing of the links gets wrong: a flow through a shape, a label or another pool, or two
    flows on one track."""
    out = []
    boxes = [(n.id, (n.x, n.y, n.x + n.w, n.y + n.h)) for n in d.nodes.values()]
    boxes += [(n.id + " label", (n.label[0], n.label[1], n.label[0] + n.label[2], n.label[1] + n.label[3]))
              for n in d.nodes.values() if n.label]
    boxes += [(f.id + " label", (f.label[0], f.label[1], f.label[0] + f.label[2], f.label[1] + f.label[3]))
              for f in d.flows if f.label]
    for a, (x, y, w, h) in d.partners.items():
        boxes.append((f"pool {a}", (x, y, x + w, y + h)))
    for link in d.links:
        ends = {link.node, f"pool {link.agency}"}
        for (x0, y0), (x1, y1) in zip(link.waypoints, link.waypoints[1:]):
            for bid, (bx0, by0, bx1, by1) in boxes:
                if bid in ends:
                    continue
                if min(x0, x1) < bx1 - 1 and max(x0, x1) > bx0 + 1 and min(y0, y1) < by1 - 1 and max(y0, y1) > by0 + 1:
                    out.append(f"message flow {link.id} crosses {bid}")
    segs = [(link.id, a, b) for link in d.links for a, b in zip(link.waypoints, link.waypoints[1:])]
    for k, (ida, a0, a1) in enumerate(segs):
        for idb, b0, b1 in segs[k + 1:]:
            if ida == idb:
                continue
            if abs(a0[1] - a1[1]) < 0.5 and abs(b0[1] - b1[1]) < 0.5 and abs(a0[1] - b0[1]) < 0.5:
                if min(max(a0[0], a1[0]), max(b0[0], b1[0])) - max(min(a0[0], a1[0]), min(b0[0], b1[0])) > SHORT:
                    out.append(f"message flows {ida} and {idb} share a track")
            if abs(a0[0] - a1[0]) < 0.5 and abs(b0[0] - b1[0]) < 0.5 and abs(a0[0] - b0[0]) < 0.5:
                if min(max(a0[1], a1[1]), max(b0[1], b1[1])) - max(min(a0[1], a1[1]), min(b0[1], b1[1])) > SHORT:
                    out.append(f"message flows {ida} and {idb} share a track")
    return out
