"""The dashboard's map of cases per oblast: a choropleth of the 20 oblasts and cities of republican significance
drawn server-side as inline SVG, beside the ranked table it repeats; and the boundary file's features each
matched to a top-level KATO code."""
import csv
import re
from datetime import timedelta
from pathlib import Path

from support import deploy_fixture, signed_in

from app.dashboard import charts

from test_dashboard import PASSWORD, _place, _reports

KATO = Path(__file__).resolve().parents[2] / "app" / "territories" / "kato.csv"


def _top_level_codes() -> set[str]:
    rows = csv.DictReader(line for line in KATO.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {r["code"] for r in rows if r["level"] == "1"}


def test_every_boundary_feature_is_matched_to_its_own_top_level_kato_code():
    shapes = charts.oblast_shapes()
    codes = [code for _name, code, _polygons in shapes]
    assert len(shapes) == 20 and len(set(codes)) == 20
    assert set(codes) == _top_level_codes()                  # all 20, the three oblasts of 2022 among them
    assert set(charts.OBLAST_KATO) == {name for name, _c, _p in shapes}
    assert charts.BOUNDARIES.stat().st_size < 300_000


def test_classes_put_the_largest_count_in_the_darkest_class_and_small_counts_apart():
    assert charts.count_classes([3, 4]) == []                 # nothing at 5 or more: no blue class at all
    classes = charts.count_classes([6, 40, 2])
    assert classes[0][0] == 5 and classes[-1][1] == 40 and len(classes) == 4
    assert charts._colour(40, classes) == charts.CLASS_COLOURS[-1]
    assert charts._colour(4, classes) == charts.SMALL_COLOUR and charts._colour(0, classes) == charts.NONE_COLOUR
    assert charts._colour(5, charts.count_classes([5])) == charts.CLASS_COLOURS[-1]


def _fill(svg: str, code: str) -> str:
    group = svg.split(f'<g id="oblast-{code}">', 1)[1].split("</g>", 1)[0]
    return re.search(r"fill: (#[0-9a-f]{6})", group).group(1)


def test_the_dashboard_page_shows_the_map_beside_the_ranked_table(owner, make_user, server, clock, app):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    make_user("chief", "police", "supervisor", password=PASSWORD)
    _reports(police, 9)
    _place(app, 6, "196200000")                       # Талгарский район → Алматинская область
    _place(app, 2, "750000000")                       # г. Алматы: fewer than 5
    _place(app, 1, "620000000")                       # область Ұлытау (2022): fewer than 5
    clock.shift(timedelta(minutes=5))

    page = signed_in(server, "chief", PASSWORD).get(server + "/dashboard").text
    section = page.split('id="fig-territories"', 1)[1].split("</section>", 1)[0]
    svg = section.split('id="oblast-map">', 1)[1].split("</svg>", 1)[0]
    assert svg.startswith('<svg role="img"') and "<title>Дела по областям, карта</title>" in svg
    groups = re.findall(r'<g id="oblast-(\d{9})">\s*<title>([^<]*)</title>\s*<path d=', svg)
    assert sorted(code for code, _t in groups) == sorted(_top_level_codes())   # one path per oblast, all 20
    assert dict(groups)["190000000"] == "Алматинская область: 6"
    assert _fill(svg, "190000000") == charts.CLASS_COLOURS[-1]                  # the most cases: darkest
    assert _fill(svg, "750000000") == _fill(svg, "620000000") == charts.SMALL_COLOUR
    assert _fill(svg, "470000000") == charts.NONE_COLOUR
    assert "меньше 5" in svg and "нет дел" in svg                            # the legend, in Russian
    assert section.index("<td>Алматинская область</td><td>6</td>") < section.index("<td>г.Алматы</td><td>2</td>")
    assert "<td>область Ұлытау</td><td>1</td>" in section                      # the table keeps exact counts

    from app.extensions import db
    from app.users.models import User
    with app.app_context():                           # the chief reads Kazakh: names and legend follow
        db.session.query(User).filter_by(username="chief").one().language = "kk"
        db.session.commit()
        db.session.remove()
    kk_svg = signed_in(server, "chief", PASSWORD).get(server + "/dashboard").text.split('id="oblast-map">', 1)[1]
    assert "<title>Алматы облысы: 6</title>" in kk_svg and "<title>Ұлытау облысы: 1</title>" in kk_svg
    assert "5-тен аз" in kk_svg.split("</svg>", 1)[0]
