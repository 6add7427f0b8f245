"""Replace personal data in saved pages and API answers with placeholders (for capture).

Two passes, because capture matters most when the parsers no longer understand the site:

1. **known values**: names, contacts and logins read at the places the parsers know
   (:func:`staff_pages.personal_values`), replaced wherever they occur, each by the same
   placeholder everywhere (so "the same teacher in two rows" survives);
2. **patterns**, which need no knowledge of the markup: e-mail addresses, phone numbers,
   Russian full names (a patronymic ending the name), addresses (street words), dates of
   birth (any date more than a year before the capture's year), and long tokens in
   ``value="…"`` (CSRF tokens).

Markup, ids, lesson dates, topics and group names stay as they were: they are what the
parsers must be adapted to.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

_NAME_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_PATRONYMIC = r"[А-ЯЁ][а-яё]*(?:ович|евич|ёвич|ич|овна|евна|ична|инична)"
FULL_NAME = re.compile(rf"(?<![\w-]){_NAME_WORD}(?:\s+{_NAME_WORD})?\s+{_PATRONYMIC}(?![\w-])")
INITIALS_NAME = re.compile(rf"(?<![\w-]){_NAME_WORD}\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")
ADDRESS = re.compile(
    r"(?:\bг\.\s*[А-ЯЁ]|\bул\.|\bулица\b|\bпр-т\b|\bпроспект\b|\bпер\.|\bпереулок\b"
    r"|\bбульвар\b|\bшоссе\b|\bмкр\.|\bд\.\s*\d|\bкв\.\s*\d)"
)
RU_DATE = re.compile(r"(?<!\d)(\d{2})\.(\d{2})\.(\d{4})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
TEXT_NODE = re.compile(r">([^<]+)<")
ATTRIBUTE = re.compile(r"""(\s[\w:-]+=")([^"<>]*)(")""")  # a title="…" or value="…" may hold a name
TOKEN_VALUE = re.compile(r'(value=")([A-Za-z0-9]{32,})(")')

# Keys of the mobile API's JSON that hold a person's name or contact (api-facts §4).
PERSONAL_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "middle_name",
        "birth_date",
        "staff",
        "person_str",
        "verbose_name",
        "author",
        "fio",
        "phone",
        "email",
        "tel_rec",
        "post_adress",
        "address",
        "user_img",
        "avatar",
        "author_img",
    }
)
EMAIL_PLACEHOLDER = "redacted@example.invalid"
MIN_FREE_LENGTH = 5  # shorter known values are replaced only as a whole text node


def any_of(values: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``values`` (longest first), built as a trie: thousands of
    names are then one pass over a page instead of thousands."""
    trie: dict[str, Any] = {}
    for value in values:
        node = trie
        for char in value:
            node = node.setdefault(char, {})
        node[""] = {}  # a value ends here

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a shorter value ends here: the rest is optional (greedy: longest)
            return f"(?:{body})?"
        return body

    return re.compile(build(trie)) if trie else None


class Redactor:
    """Consistent placeholders for one capture: a value gets the same one in every file."""

    def __init__(self, capture_year: int) -> None:
        self._birth_before = capture_year - 1  # dates in years before this are not lessons
        self._free: dict[str, str] = {}  # replaced wherever they occur
        self._whole: dict[str, str] = {}  # replaced only as a whole text node
        self._pattern: re.Pattern[str] | None = None  # of _free and their escaped forms
        self._forms: dict[str, str] = {}  # each form of a free value -> its placeholder

    def learn(self, texts: Iterable[str], whole_nodes: Iterable[str] = ()) -> None:
        for value in sorted(set(texts)):
            if len(value) >= MIN_FREE_LENGTH:
                self._free.setdefault(value, self._placeholder(value))
            else:
                self._whole.setdefault(value, self._placeholder(value))
        for value in sorted(set(whole_nodes)):
            self._whole.setdefault(value, f"login-{len(self._whole) + 1}")
        self._pattern = None  # rebuilt when next needed: learning comes page by page

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._free:
            self._forms = {
                form: placeholder
                for value, placeholder in self._free.items()
                for form in (value, html.escape(value))
            }
            self._pattern = any_of(self._forms)
        return self._pattern

    def _placeholder(self, value: str) -> str:
        if EMAIL.fullmatch(value):
            return EMAIL_PLACEHOLDER
        if PHONE.fullmatch(value) or RU_DATE.fullmatch(value):
            return "+7 000 000-00-00" if PHONE.fullmatch(value) else "01.01.1900"
        if ADDRESS.search(value):
            return "[адрес]"
        return f"Персона {len(self._free) + len(self._whole) + 1}"

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self._free) | frozenset(self._whole)

    def leftovers(self, text: str) -> list[str]:
        """Known values still in a redacted text (there should be none)."""
        pattern = self._compiled()
        left = pattern.findall(text) if pattern is not None else []
        for node in TEXT_NODE.findall(text):
            if node.strip() in self._whole:
                left.append(node.strip())
        return left

    def page(self, text: str) -> str:
        """An HTML page with personal data replaced."""
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub(lambda m: self._forms[m[0]], text)
        text = TOKEN_VALUE.sub(lambda m: m[1] + "A" * len(m[2]) + m[3], text)
        text = TEXT_NODE.sub(lambda m: ">" + self._node(m[1]) + "<", text)
        return ATTRIBUTE.sub(lambda m: m[1] + self._attribute(m[2]) + m[3], text)

    def _attribute(self, value: str) -> str:
        # Only values that could hold personal data: plain ids, classes and paths cannot.
        return self.text(value) if re.search(r"[^\x00-\x7f]|@|\d{2}\.", value) else value

    def _node(self, text: str) -> str:
        stripped = text.strip()
        if stripped in self._whole:
            return text.replace(stripped, self._whole[stripped])
        return self.text(text)

    def text(self, text: str) -> str:
        """Free text with the pattern pass applied."""
        if ADDRESS.search(text):
            return "[адрес]"
        text = EMAIL.sub(EMAIL_PLACEHOLDER, text)
        text = PHONE.sub("+7 000 000-00-00", text)
        text = FULL_NAME.sub("Персона", text)
        text = INITIALS_NAME.sub("Персона", text)
        text = RU_DATE.sub(lambda m: self._date(m, "01.01.1900"), text)
        return ISO_DATE.sub(lambda m: self._date(m, "1900-01-01"), text)

    def _date(self, match: re.Match[str], placeholder: str) -> str:
        year = int(match[3] if placeholder[2] == "." else match[1])
        return placeholder if year < self._birth_before else match[0]

    def answer(self, text: str) -> str:
        """A JSON answer of the mobile API with personal data replaced (or as text if broken)."""
        try:
            body = json.loads(text)
        except ValueError:
            return self.page(text)
        return json.dumps(self._json(body), ensure_ascii=False, indent=1)

    def _json(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self._json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self._json(v, key) for v in value]
        if isinstance(value, str):
            if key in PERSONAL_KEYS and value:
                return self._free.get(value) or self._whole.get(value) or f"[{key}]"
            return self.text(self._free.get(value, value))
        return value
