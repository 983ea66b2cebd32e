"""Login throttling holds across processes: failures spread over two separate web servers add up."""
import requests

from fleet import fleet, pg  # noqa: F401  (fixtures)
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "security"))
from test_login_throttle import _login  # noqa: E402


def test_failures_on_two_servers_are_counted_together(make_user, fleet):
    from app.security.throttle import DEFAULT
    make_user("police.staff", "police", "staff", password="right-password")
    first, _ = fleet.web(workers=1)
    second, _ = fleet.web(workers=1)
    for i in range(DEFAULT.per_user):
        assert _login(requests.Session(), (first, second)[i % 2], "police.staff", "wrong").status_code == 401
    for base in (first, second):
        assert _login(requests.Session(), base, "police.staff", "right-password").status_code == 429
