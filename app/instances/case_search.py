"""Finding a case again: its number (also a part of it), an ИИН, or the names of the child and family.

Names are kept per case in one normalized text (``Case.search_names``: lower case, ё→е, letters only, each
word also with its Kazakh letters folded, see ``fold``),
filled where a step writes the case's data, so a search reads one column instead of every instance's JSON.
Typo tolerance is the database's own, the same on both: edit distance at most one per word, two for long
words. On PostgreSQL the query's words are compared (levenshtein, narrowed by the trigram index) with the
distinct words of all cases' names, which a trigger keeps (migration b16000000005), and the cases holding the
near words are read through a GIN index on each case's array of words; on SQLite a registered SQL function
``qamqor_near(text, word)`` is evaluated by SQLite row by row — no Python loop over cases.
Who may see a case is ``access.case_filter``; this module only narrows that set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, and_, column, func, or_, select, table, text, true

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


def pieces(word: str) -> list[str] | None:
    """``word`` cut into one more piece than its typo allowance, or None when a piece would be shorter than a
    trigram. A word within the allowance of ``word`` keeps at least one piece whole (each wrong, missing or extra
    letter spoils at most one piece), so "contains a piece" loses no match the edit distance would find, and
    a substring test is what the trigram index answers exactly: no similarity to recompute for every candidate
    row, which is what made ``%>`` slow at 100,000 cases (bench/bench_search.py)."""
    n = typo_allowance(word) + 1
    if len(word) < 3 * n:
        return None
    # from the start, leaving the last letters out when the word is long enough: endings (-ов, -ева, -ұлы)
    # are in every other surname, so a piece there would make most rows candidates
    size = max(3, (len(word) - 2) // n)
    return [word[i * size:(i + 1) * size] for i in range(n)]


# PostgreSQL: every word of some case's names (migration b16000000005 keeps it, by a trigger on ``cases``)
_WORDS = table("case_search_words", column("word", Text))


def _name_clause(dialect: str, word: str):
    if dialect == "postgresql":
        # the words near the query's, found among the distinct words of all names (a few thousand, not a row per
        # case): containing it, or within the same edit-distance allowance as SQLite's, so both databases find
        # the same cases; a piece of the query (or for short words %>, word similarity) lets the trigram index
        # narrow the words levenshtein reads. The cases are then those whose words include one of them: the GIN
        # index on the array of each case's words, exact, with no similarity to recompute per case
        words = _WORDS.c.word
        near = words.like(f"%{word}%")
        if len(word) >= 4:
            allowance, parts = typo_allowance(word), pieces(word)
            # normalized words are letters only: nothing in a piece is special to a regular expression
            candidate = words.op("~")("|".join(parts)) if parts else words.op("%>")(word)
            near = or_(near, and_(candidate, func.levenshtein_less_equal(words, word, allowance) <= allowance))
        found = func.array(select(words).where(near).scalar_subquery())
        return func.string_to_array(Case.search_names, " ").op("&&")(found)
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
        # for the query words too short to cut into trigram pieces (``pieces``): pg_trgm's default (0.6) misses
        # one wrong letter in a five-letter word, so the words' index prefilters at 0.3 and levenshtein decides
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
    # the page and the count in one pass: a separate COUNT would find the matches twice (bench/bench_search.py)
    page = session.execute(q.add_columns(func.count().over().label("total"))
                           .order_by(Case.created_at.desc(), Case.id).limit(query.limit).offset(query.offset)).all()
    if page:
        return [row[0] for row in page], page[0].total
    total = session.scalar(select(func.count()).select_from(q.subquery())) if query.offset else 0
    return [], total or 0
