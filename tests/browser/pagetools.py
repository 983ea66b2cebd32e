"""Helpers the browser tests share (fixtures live in conftest.py)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "browser-test-password"


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
