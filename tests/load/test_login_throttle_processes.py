"""Login throttling holds across processes: failures spread over two separate web servers add up."""
import pytest
import requests

from fleet import fleet, pg  # noqa: F401  (fixtures)
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "security"))
from test_login_throttle import _login  # noqa: E402

# Other processes (web servers, workers) run here on the machine's clock: instants are built from now.
pytestmark = pytest.mark.real_clock


def test_failures_on_two_servers_are_counted_together(make_user, fleet):
    """Five free attempts in all, not five per server; the sixth, on either, waits out the back-off."""
    from app.security.throttle import DEFAULT
    make_user("police.staff", "police", "staff", password="right-password")
    first, _ = fleet.web(workers=1)
    second, _ = fleet.web(workers=1)
    for i in range(DEFAULT.free_attempts):
        assert _login(requests.Session(), (first, second)[i % 2], "police.staff", "wrong").status_code == 401
    for base in (first, second):      # within the first back-off second (each refusal takes milliseconds)
        refused = _login(requests.Session(), base, "police.staff", "right-password")
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 2
