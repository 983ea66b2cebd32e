"""Alphabetical order with Kazakh letters (issue 14 §6): ICU's collation puts each Kazakh letter after its
neighbour (а ә б в г ғ … к қ … н ң о ө … у ұ ү … х һ … ы і ь …), not after я as code points would; case does
not count. The organisations list and the colleagues a task can be handed to use it."""
from __future__ import annotations

from app.collation import sort_key, sorted_by

KAZAKH_ALPHABET = "а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я".split()


def test_the_kazakh_alphabet_is_in_its_own_order():
    shuffled = sorted(KAZAKH_ALPHABET, key=lambda letter: (hash(letter) % 7, letter))
    assert sorted_by(shuffled, str, "kk") == KAZAKH_ALPHABET
    assert sorted(KAZAKH_ALPHABET) != KAZAKH_ALPHABET                  # code points would put ә … і after я


def test_names_sort_as_a_kazakh_reader_expects_whatever_the_case():
    names = ["Ыбырай", "Іңкәр", "Үмит", "Ұлан", "Улан", "Әсел", "асель", "Ғани", "Гани", "Қайрат", "Яна", "Өмір"]
    assert sorted_by(names, str, "kk") == ["асель", "Әсел", "Гани", "Ғани", "Қайрат", "Өмір", "Улан", "Ұлан",
                                           "Үмит", "Ыбырай", "Іңкәр", "Яна"]
    key = sort_key("kk")
    assert key("әсел") < key("Әсела") < key("Бек")                    # case is not a letter


def test_russian_order_reads_yo_as_ye_as_dictionaries_do():
    words = ["Ель", "ёлка", "ежевика", "Жук", "яблоко", "Арбуз"]
    assert sorted_by(words, str, "ru") == ["Арбуз", "ежевика", "ёлка", "Ель", "Жук", "яблоко"]


def test_the_organisations_page_lists_them_in_the_readers_alphabet(app, make_user, server):
    from app.extensions import db
    from app.organisations.service import create
    from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in
    with app.app_context():
        for code, ru, kk in (("u1", "Школа Ясная", "Ясауи мектебі"), ("u2", "Школа Абая", "Абай мектебі"),
                             ("u3", "Школа Өмір", "Өмір мектебі"), ("u4", "Школа Орион", "Орион мектебі")):
            create(db.session, code=code, agency="education_org", name_ru=ru, name_kk=kk, serves=["196200000"])
        db.session.remove()
    make_user("root", None, "admin", password=PASSWORD)
    s = _signed_in(server, "root")
    html = s.get(server + "/admin/organisations").text
    s.post(server + "/lang", data={"lang": "kk", "next": "/inbox", "csrf_token": _csrf(html)})
    page = s.get(server + "/admin/organisations").text
    order = [page.index(n) for n in ("Абай мектебі", "Орион мектебі", "Өмір мектебі", "Ясауи мектебі")]
    assert order == sorted(order) and "Школа Абая" not in page
