"""Field work where the connection drops (issue 13 §4): a task form filled offline says so, keeps what was typed on
the device — encrypted (the stored bytes hold none of it) — and sends it as a draft when the connection returns;
nothing is left on the device after that, and signing out tells the browser to clear the site's storage."""
from __future__ import annotations

from playwright.sync_api import expect

from pagetools import PASSWORD, sign_in
from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
TYPED = "Дома холодно, ребёнок один"

STORED = """() => new Promise(resolve => {
  const req = indexedDB.open('qamqor-drafts', 1);
  req.onsuccess = () => {
    const d = req.result;
    if (!d.objectStoreNames.contains('drafts')) { resolve([]); return; }
    const all = d.transaction('drafts').objectStore('drafts').getAll();
    all.onsuccess = () => resolve(all.result.map(r => Array.from(new Uint8Array(r.sealed))));
  };
})"""


def test_a_form_filled_offline_is_kept_encrypted_and_sent_as_a_draft_when_the_connection_returns(owner, make_user,
                                                                                                  new_page):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task = police.get("/tasks", params={"instance": started.json()["id"]}).json()["items"][0]

    page = new_page()
    sign_in(page, "inspector")
    page.goto(f"/tasks/{task['id']}")
    page.context.set_offline(True)
    expect(page.locator("#offline-status")).to_contain_text("Нет связи")
    page.get_by_label("Кратко").fill(TYPED)
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator("#offline-status")).to_contain_text("форма сохранена на этом устройстве")
    assert page.url.endswith(f"/tasks/{task['id']}")                        # nothing was sent: no connection
    stored = page.evaluate(STORED)
    assert len(stored) == 1 and TYPED.encode() not in bytes(stored[0]) and "Дома".encode() not in bytes(stored[0])
    assert police.get(f"/tasks/{task['id']}").json().get("data", {}).get("summary") != TYPED

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("Связь восстановлена")
    assert police.get(f"/tasks/{task['id']}").json()["data"]["summary"] == TYPED         # the server has the draft
    assert page.evaluate(STORED) == []                                                    # and the device nothing
