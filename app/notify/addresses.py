"""What counts as an e-mail address here: one ``@``, a dotted domain, nothing a header could be split on."""


def valid_address(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain.strip(".") and len(text) <= 254 and "@" not in domain
                and not any(c.isspace() or c in "<>,;\"" for c in text))
