"""Finding a case again: its number (also a part of it), an ИИН, or the names of the child and family.

Names are kept per case in one normalized text (``Case.search_names``: lower case, ё→е, letters only, each
word also with its Kazakh letters folded, see ``fold``),
filled where a step writes the case's data, so a search reads one column instead of every instance's JSON.
Typo tolerance is the database's own: ``pg_trgm`` word similarity on PostgreSQL (GIN trigram index,
migration a13100000001), and on SQLite a registered SQL function ``qamqor_near(text, word)`` (edit distance
at most one per word, two for long words), evaluated by SQLite row by row — no Python loop over cases.
Who may see a case is ``access.case_filter``; this module only narrows that set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, text, true

from .. import access
from ..timeutil import utcnow
from .models import Case, ProcessInstance, Task

_NOT_LETTER = re.compile(r"[^\w]+|[\d_]+")
NAME_PARTS = ("last_name", "first_name", "patronymic", "full_name")
MAX_TEXT = 2000
WORD_SIMILARITY = 0.3


def normalize(text: str | None) -> str:
    """«Ёлкина-Сәрсенова  Анна» → «елкина сәрсенова анна»: Russian and Kazakh letters, no case, ё=е."""
    return " ".join(_NOT_LETTER.sub(" ", (text or "").lower().replace("ё", "е")).split())


# Kazakh letters and the Russian ones people type for them on a Russian keyboard, as Russian-language documents
# spell Kazakh names (Құрманғалиқызы / Курмангаликызы, Әсел / Асел). Both spellings find the same child: the
# case keeps each name as written and folded, and a query is matched as typed or folded. What is shown is
# never folded; ё=е is the same idea for Russian.
_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")


def fold(word: str) -> str:
    """«құрманғалиқызы» → «курмангаликызы» (an already normalized word)."""
    return word.translate(_FOLD)


def _people(data: dict) -> list[dict]:
    child = data.get("child")
    family = data.get("family_members")
    people = [child] if isinstance(child, dict) else []
    people += [p for p in family if isinstance(p, dict)] if isinstance(family, list) else []
    return people


def note_search_text(case: Case | None, data: dict | None) -> None:
    """Add the child's and family members' names and ИИН from ``data`` to the case's search text.

    Names only accumulate: a name once written (even corrected later) still finds the case."""
    if case is None or not isinstance(data, dict):
        return
    people = _people(data)
    names = set((case.search_names or "").split())
    iins = set((case.search_iins or "").split())
    for person in people:
        for key in NAME_PARTS:
            if isinstance(person.get(key), str):
                words = normalize(person[key]).split()
                names.update(words)
                names.update(fold(w) for w in words)
        iin = person.get("iin")
        if isinstance(iin, str) and re.fullmatch(r"\d{12}", iin.strip()):
            iins.add(iin.strip())
    text, ids = " ".join(sorted(names))[:MAX_TEXT], " ".join(sorted(iins))[:MAX_TEXT]
    if text != (case.search_names or "") and text:
        case.search_names = text
    if ids != (case.search_iins or "") and ids:
        case.search_iins = ids


def reindex(session, *, everything: bool = False, batch: int = 500, say=lambda text: None) -> int:
    """Fill the search columns of cases from their instances' data: the upgrade step for cases created before
    the columns existed (migration a13100000001 left them NULL), and, with ``everything``, for every case after
    ``normalize``/``fold`` changed. Not a data migration: it must run the normalisation code of the release
    installed, which a migration frozen in time would not.

    Idempotent (names only accumulate, as in ``note_search_text``), in batches of ``batch`` cases by id, each
    committed, so a long run can be stopped and run again. Returns how many cases were read."""
    done, after = 0, ""
    while True:
        q = select(Case).where(Case.id > after).order_by(Case.id).limit(batch)
        if not everything:
            q = q.where(Case.search_names.is_(None), Case.search_iins.is_(None))
        cases = list(session.scalars(q))
        if not cases:
            return done
        by_id = {c.id: c for c in cases}
        for case_id, data in session.execute(select(ProcessInstance.case_id, ProcessInstance.data)
                                             .where(ProcessInstance.case_id.in_(by_id))
                                             .order_by(ProcessInstance.created_at)):
            note_search_text(by_id[case_id], data)
        session.commit()
        done, after = done + len(cases), cases[-1].id
        say(f"{done} case(s) read")


# -- SQLite's stand-in for pg_trgm ----------------------------------------------------------------------------
def _within(a: str, b: str, limit: int) -> bool:
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


def typo_allowance(word: str) -> int:
    """Letters that may be wrong: one, two in a long word (8 letters or more)."""
    return 1 if len(word) < 8 else 2


def near(text: str | None, word: str | None) -> int:
    """1 when a word of ``text`` contains ``word`` or is within its typo allowance (SQLite function)."""
    if not text or not word:
        return 0
    limit = typo_allowance(word)
    for token in text.split():
        if word in token or (len(word) >= 4 and _within(token, word, limit)):
            return 1
    return 0


def register_sqlite(dbapi_connection) -> None:
    dbapi_connection.create_function("qamqor_near", 2, near, deterministic=True)


# -- the search ---------------------------------------------------------------------------------------------
@dataclass
class CaseQuery:
    q: str = ""
    state: str | None = None          # open | closed
    chapter: str | None = None        # a process id
    mine: bool = False                # my organisation (or agency) holds open work in it
    overdue: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 20
    offset: int = 0


def query_kind(q: str) -> str:
    """What the query looks like — recorded in the access log instead of the query itself."""
    q = q.strip()
    if not q:
        return "none"
    if re.fullmatch(r"\d{12}", q):
        return "iin"
    return "number" if any(c.isdigit() for c in q) else "name"


def _name_clause(dialect: str, word: str):
    if dialect == "postgresql":
        # %> : word similarity with some word of the text (pg_trgm, served by the GIN trigram index), then
        # the same edit-distance allowance as SQLite's, so both databases find the same cases
        if len(word) < 4:
            return Case.search_names.like(f"%{word}%")
        tokens = func.unnest(func.string_to_array(Case.search_names, " ")).table_valued(
            "token").render_derived()
        close = select(1).select_from(tokens).where(func.levenshtein(tokens.c.token, word) <= typo_allowance(word))
        return or_(Case.search_names.like(f"%{word}%"),
                   and_(Case.search_names.op("%>")(word), close.exists()))
    return func.qamqor_near(Case.search_names, word) == 1


def _text_clause(dialect: str, q: str):
    q = q.strip()
    if not q:
        return true()
    kind = query_kind(q)
    number = Case.registration_number.ilike(f"%{q.replace('%', '').replace('_', '')}%")
    if kind == "iin":
        return or_(number, Case.search_iins.like(f"%{q}%"))
    if kind == "number":
        return number
    words = normalize(q).split()
    if not words:
        return number
    return and_(*(_name_clause(dialect, w) if fold(w) == w else or_(_name_clause(dialect, w),
                                                                    _name_clause(dialect, fold(w)))
                  for w in words[:5]))


def search(session, user, query: CaseQuery) -> tuple[list[Case], int]:
    """The cases the user may see that match, newest first, and how many there are."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and query.q:
        # pg_trgm's default (0.6) misses one wrong letter in a six-letter surname (0.43): the index prefilters
        # at 0.3 and levenshtein decides
        session.execute(text(f"SET LOCAL pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}"))
    now = utcnow()
    q = select(Case).where(access.case_filter(user), _text_clause(dialect, query.q))
    if query.state:
        live = select(ProcessInstance.case_id).where(ProcessInstance.status.in_(("running", "waiting")))
        q = q.where(Case.id.in_(live) if query.state == "open" else Case.id.not_in(
            live.where(ProcessInstance.case_id.is_not(None))))
    if query.chapter:
        q = q.where(Case.id.in_(select(ProcessInstance.case_id).where(ProcessInstance.process_id == query.chapter)))
    if query.mine or query.overdue:
        tasks = select(Task.case_id).where(Task.state == "ready", access.task_filter(user))
        if query.overdue:
            tasks = tasks.where(or_(Task.overdue_since.is_not(None), and_(Task.due_at.is_not(None),
                                                                          Task.due_at < now)))
        q = q.where(Case.id.in_(tasks))
    if query.since:
        q = q.where(Case.created_at >= query.since)
    if query.until:
        q = q.where(Case.created_at < query.until)
    # the page and the count in one pass: a name's typo-tolerant match is the expensive part (the trigram
    # index's recheck), and a separate COUNT would pay it twice (bench/bench_search.py)
    page = session.execute(q.add_columns(func.count().over().label("total"))
                           .order_by(Case.created_at.desc(), Case.id).limit(query.limit).offset(query.offset)).all()
    if page:
        return [row[0] for row in page], page[0].total
    total = session.scalar(select(func.count()).select_from(q.subquery())) if query.offset else 0
    return [], total or 0
