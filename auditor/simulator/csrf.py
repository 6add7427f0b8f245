"""Django-style CSRF tokens for the staff login (ASSUMED to behave like Django's).

The real staff side is a Django application (its login form has ``#id_username`` and
``#id_password``), so the simulator copies Django's CSRF scheme (Django >= 4.1): the
``csrftoken`` cookie holds a 32-character secret; each form carries a *masked* 64-character
token (a random mask followed by the secret shifted by the mask), so the form value differs
from the cookie on every render, and a client must send back both. A 32-character unmasked
form token is accepted too, as Django does.
"""

from __future__ import annotations

import secrets
import string

CHARS = string.ascii_letters + string.digits
SECRET_LENGTH = 32
TOKEN_LENGTH = 2 * SECRET_LENGTH


def new_secret() -> str:
    return "".join(secrets.choice(CHARS) for _ in range(SECRET_LENGTH))


def is_well_formed(value: str, length: int = SECRET_LENGTH) -> bool:
    return len(value) == length and all(c in CHARS for c in value)


def mask(secret: str) -> str:
    """A fresh form token for ``secret``."""
    mask_part = new_secret()
    shifted = (
        CHARS[(CHARS.index(s) + CHARS.index(m)) % len(CHARS)]
        for s, m in zip(secret, mask_part, strict=True)
    )
    return mask_part + "".join(shifted)


def unmask(token: str) -> str:
    mask_part, cipher = token[:SECRET_LENGTH], token[SECRET_LENGTH:]
    return "".join(
        CHARS[(CHARS.index(c) - CHARS.index(m)) % len(CHARS)]
        for c, m in zip(cipher, mask_part, strict=True)
    )


def matches(form_token: str, secret: str) -> bool:
    """Whether a submitted form token belongs to the cookie's secret."""
    if is_well_formed(form_token, TOKEN_LENGTH):
        form_token = unmask(form_token)
    elif not is_well_formed(form_token):
        return False
    return secrets.compare_digest(form_token.encode(), secret.encode())
