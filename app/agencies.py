"""The agencies of the Guide, the one place that names them.

A BPMN lane is bound to an agency by its code or by its Russian name (as printed in the
Guide's index); process owners write lane names in Russian, the code is what the rest of the
service stores. Short forms staff actually use (ОВД, КДНЗП, МИО) are accepted too.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    code: str
    name_ru: str
    name_en: str
    aliases: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("education_org", "Организация образования", "Education organisation",
           ("школа", "организация образования (школа)")),
    Agency("education_authority", "Орган управления образования; орган опеки и попечительства",
           "Education authority (guardianship)",
           ("орган опеки и попечительства", "орган управления образования", "опека",
            "орган управления образования (опека)")),
    Agency("local_executive", "Местный исполнительный орган (МИО)", "Local executive body (MIO)",
           ("мио", "местный исполнительный орган")),
    Agency("police", "Органы внутренних дел (ОВД)", "Police", ("овд", "органы внутренних дел", "полиция")),
    Agency("kdnzp", "Комиссия по делам несовершеннолетних и защите их прав (КДНЗП)",
           "Commission for minors' affairs (KDNZP)",
           ("кднзп", "комиссия по делам несовершеннолетних и защите их прав")),
    Agency("health", "Организации здравоохранения", "Health organisations",
           ("здравоохранение", "организация здравоохранения")),
    Agency("social_protection", "Органы занятости и социальной защиты населения",
           "Employment and social protection", ("социальная защита", "органы социальной защиты")),
    Agency("center", "Центры адаптации несовершеннолетних, поддержки детей в ТЖС, кризисные центры",
           "Adaptation, support and crisis centres", ("центры", "кризисный центр", "центр")),
    Agency("mes_committee", "Комитет по охране прав детей МОН РК", "Committee for the Protection of Children's Rights",
           ("комитет по охране прав детей",)),
    Agency("prosecutor", "Прокурор", "Prosecutor", ("прокуратура",)),
)

BY_CODE: dict[str, Agency] = {a.code: a for a in AGENCIES}


def _norm(text: str) -> str:
    return " ".join(text.replace("ё", "е").lower().split())


_LOOKUP: dict[str, str] = {}
for _a in AGENCIES:
    for _key in (_a.code, _a.name_ru, *_a.aliases):
        _LOOKUP[_norm(_key)] = _a.code


def agency_for_lane(lane_name: str | None) -> str | None:
    """The agency code a lane name stands for, or None when it names no agency."""
    if not lane_name:
        return None
    return _LOOKUP.get(_norm(lane_name))
