"""The agencies of the Guide, the one place that names them.

A BPMN lane is bound to an agency by its code or by its Russian name (as printed in the
Guide's index); process owners write lane names in Russian (the Kazakh official name is accepted too),
the code is what the rest of the service stores. Short forms staff actually use (ОВД, КДНЗП, МИО, ІІО) are
accepted too. People read an agency by ``agency_title(code, lang)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import current_language, normalize, pick


@dataclass(frozen=True)
class Agency:
    code: str
    name_ru: str
    name_en: str
    name_kk: str
    aliases: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("education_org", "Организация образования", "Education organisation", "Білім беру ұйымы",
           ("школа", "организация образования (школа)", "мектеп")),
    Agency("education_authority", "Орган управления образования; орган опеки и попечительства",
           "Education authority (guardianship)",
           "Білім беруді басқару органы; қорғаншылық және қамқоршылық органы",
           ("орган опеки и попечительства", "орган управления образования", "опека",
            "орган управления образования (опека)", "қорғаншылық және қамқоршылық органы")),
    Agency("local_executive", "Местный исполнительный орган (МИО)", "Local executive body (MIO)",
           "Жергілікті атқарушы орган (ЖАО)",
           ("мио", "местный исполнительный орган", "жао", "жергілікті атқарушы орган")),
    Agency("police", "Органы внутренних дел (ОВД)", "Police", "Ішкі істер органдары (ІІО)",
           ("овд", "органы внутренних дел", "полиция", "ііо")),
    Agency("kdnzp", "Комиссия по делам несовершеннолетних и защите их прав (КДНЗП)",
           "Commission for minors' affairs (KDNZP)",
           "Кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия (КТІҚҚЖК)",
           ("кднзп", "комиссия по делам несовершеннолетних и защите их прав", "ктіққжк",
            "кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия")),
    Agency("health", "Организации здравоохранения", "Health organisations",
           "Денсаулық сақтау ұйымдары",
           ("здравоохранение", "организация здравоохранения", "денсаулық сақтау ұйымы")),
    Agency("social_protection", "Органы занятости и социальной защиты населения",
           "Employment and social protection", "Халықты жұмыспен қамту және әлеуметтік қорғау органдары",
           ("социальная защита", "органы социальной защиты", "халықты әлеуметтік қорғау органы")),
    Agency("center", "Центры адаптации несовершеннолетних, поддержки детей в ТЖС, кризисные центры",
           "Adaptation, support and crisis centres",
           "Кәмелетке толмағандарды бейімдеу орталықтары, өмірлік қиын жағдайдағы балаларды қолдау орталықтары, "
           "дағдарыс орталықтары", ("центры", "кризисный центр", "центр", "дағдарыс орталығы")),
    Agency("mes_committee", "Комитет по охране прав детей МОН РК", "Committee for the Protection of Children's Rights",
           "ҚР Білім және ғылым министрлігінің Балалардың құқықтарын қорғау комитеті",
           ("комитет по охране прав детей", "балалардың құқықтарын қорғау комитеті")),
    Agency("prosecutor", "Прокурор", "Prosecutor", "Прокурор", ("прокуратура",)),
)

BY_CODE: dict[str, Agency] = {a.code: a for a in AGENCIES}


def _norm(text: str) -> str:
    return " ".join(text.replace("ё", "е").lower().split())


_LOOKUP: dict[str, str] = {}
for _a in AGENCIES:
    for _key in (_a.code, _a.name_ru, _a.name_kk, *_a.aliases):
        _LOOKUP[_norm(_key)] = _a.code


def agency_for_lane(lane_name: str | None) -> str | None:
    """The agency code a lane name stands for, or None when it names no agency."""
    if not lane_name:
        return None
    return _LOOKUP.get(_norm(lane_name))


def agency_title(code: str | None, lang: str | None = None) -> str:
    """The agency's name in ``lang`` (the request's language when omitted); the code itself when unknown. A lane's
    name (what the event log keeps: «Органы внутренних дел (ОВД)») is taken for its agency's code."""
    agency = BY_CODE.get(code or "") or BY_CODE.get(agency_for_lane(code) or "")
    if agency is None:
        return code or "—"
    return pick({"ru": agency.name_ru, "kk": agency.name_kk, "en": agency.name_en}, lang) or agency.name_ru


#: Who a notice is from, in Russian: «от организации образования», not «от Организация образования» (a name
#: put after «от» must be in the genitive, and is no longer at the start of a sentence). Kazakh and English
#: instructions put the sender where its plain name reads well.
FROM_RU: dict[str, str] = {
    "education_org": "организации образования",
    "education_authority": "органа управления образования (органа опеки и попечительства)",
    "local_executive": "местного исполнительного органа (МИО)",
    "police": "органов внутренних дел (ОВД)",
    "kdnzp": "комиссии по делам несовершеннолетних и защите их прав (КДНЗП)",
    "health": "организации здравоохранения",
    "social_protection": "органа занятости и социальной защиты населения",
    "center": "центра адаптации несовершеннолетних (центра поддержки детей в ТЖС, кризисного центра)",
    "mes_committee": "Комитета по охране прав детей МОН РК",
    "prosecutor": "прокурора",
}


def agency_sender(code: str | None, lang: str | None = None) -> str:
    """The agency as the sender of a notice reads in ``lang`` (the Russian after «от»)."""
    agency = BY_CODE.get(code or "") or BY_CODE.get(agency_for_lane(code) or "")
    if agency is not None and normalize(lang or current_language()) == "ru":
        return FROM_RU[agency.code]
    return agency_title(code, lang)
