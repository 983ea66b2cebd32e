"""The password policy: long enough to resist guessing, and not one of the passwords guessed first.

Length is what makes a password strong (a passphrase of a few words beats a short jumble); the
short list below is what attackers try before anything else, and no list of 12+ characters is
complete, so the rule is mainly the length. Each fault has a code that pages word in the reader's
language and a message the API sends as it is.
"""
from __future__ import annotations

from ..errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 200          # hashing a megabyte on every sign-in attempt would be a denial of service

# The commonest passwords of 12+ characters in public breach lists, and the obvious local ones.
COMMON = frozenset("""
123456789012 1234567890123 12345678901234 123456789123 098765432109 111111111111 000000000000
123123123123 121212121212 qwertyuiop12 qwertyuiopas qwertyuiop[] qwerty123456 1q2w3e4r5t6y
1qaz2wsx3edc zaq12wsxcde3 qazwsxedcrfv asdfghjkl123 password1234 password123! passwordpassword
password12345 p@ssw0rd1234 iloveyou1234 welcome12345 letmein12345 changeme1234 administrator
administrator1 admin1234567 adminadmin123 trustno1trustno1 monkey123456 dragon123456 football1234
baseball1234 sunshine1234 princess1234 superman1234 starwars1234 whatever1234 qamqor123456
qamqor-password qamqorqamqor йцукенгшщзхъ йцукен123456 пароль123456 парольпароль 1234567890qwe
""".split())


def password_faults(password: str, *, username: str | None = None) -> list[tuple[str, str]]:
    """(code, message) for each rule the password breaks; empty when it may be used."""
    faults = []
    if len(password) < MIN_LENGTH:
        faults.append(("too_short", f"at least {MIN_LENGTH} characters (a few words make a good one)"))
    elif len(password) > MAX_LENGTH:
        faults.append(("too_long", f"at most {MAX_LENGTH} characters"))
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        faults.append(("too_common", "one of the passwords guessed first; choose another"))
    name = (username or "").strip().lower()
    if name and len(name) >= 3 and name in lowered:
        faults.append(("contains_username", "must not contain the user name"))
    return faults


def check_password(password: str, *, username: str | None = None, field: str = "password") -> None:
    """Raise Invalid (422) naming ``field`` when the password breaks the policy."""
    faults = password_faults(password, username=username)
    if faults:
        raise Invalid("password_policy",
                      errors=[{"field": field, "code": code, "message": message} for code, message in faults])
