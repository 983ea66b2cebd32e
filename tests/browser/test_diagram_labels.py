"""A diagram's labels in Kazakh and English keep their words whole (app/static/js/labels.js): the label boxes of the
diagrams are sized for the Russian names, and bpmn-js cut a longer Kazakh or English word mid-word to fit them
(«КТІҚҚ / ЖК» on chapter 4's flow to the commission, "Polic / e", "Guardia / nship" elsewhere). Read on the case page
of a real chapter 4 in Kazakh and English; screenshots in tests/artifacts/diagram-labels-*.png."""
from __future__ import annotations

from pagetools import case_told_to_the_police, screenshot, sign_in
from playwright.sync_api import expect

# every drawn name's lines against the words of the name: a line holding a piece of a word is a cut word (a word
# broken after its own hyphen, «КТІҚҚЖК- / ға», is a line break, not a cut)
CUT_WORDS = r"""el => {
  const registry = el.bpmnViewer.get('elementRegistry');
  const cut = [];
  el.querySelectorAll('g.djs-element').forEach(g => {
    const text = g.querySelector(':scope > .djs-visual > text');
    const e = registry.get(g.getAttribute('data-element-id'));
    if (!text || !e || !e.businessObject || !e.businessObject.name) return;
    const words = e.businessObject.name.split(/\s+/);
    const lines = [...text.querySelectorAll('tspan')].map(t => t.textContent.trim());
    const pieces = lines.join(' ').replace(/- /g, '-').split(/\s+/).filter(Boolean);
    if (pieces.some(w => !words.includes(w))) cut.push(e.id + ': ' + lines.join(' | '));
  });
  return cut;
}"""


def test_chapter_4_labels_keep_whole_words_in_kazakh_and_english(app, new_page, make_user, run_due):
    _school, case = case_told_to_the_police(app, make_user, run_due)

    page = new_page()
    sign_in(page, "pedagogue")
    for button, lang in (("Қаз", "kk"), ("Eng", "en")):
        page.get_by_role("button", name=button).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.goto(f"/cases/{case['case_id']}")
        chapter4 = page.locator(".diagram").nth(1)
        expect(chapter4).to_have_attribute("data-ready", "true")
        assert chapter4.evaluate(CUT_WORDS) == [], lang
        if lang == "kk":        # the flow to the commission: «КТІҚҚЖК» on one line, not «КТІҚҚ / ЖК»
            flow = chapter4.locator('g.djs-element[data-element-id="flow_notify_split_to_notify_kdnzp_label"] text')
            expect(flow).to_have_text("КТІҚҚЖК")
        screenshot(page, f"diagram-labels-{lang}")
