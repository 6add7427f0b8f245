"""What counts as a real lesson topic (clause 5.3: topics are entered, not placeholders).

Shared by the rules that judge topics and by the demo generator that plants placeholders, so
that both mean the same thing by "placeholder".
"""

from __future__ import annotations

# Topics that say nothing: judged empty by the deadline rules, flagged by topic-quality.
PLACEHOLDER_WORDS = frozenset({"тема", "занятие", "урок", "нет", "тест"})


def is_placeholder_topic(text: str, words: frozenset[str] = PLACEHOLDER_WORDS) -> bool:
    """A topic with no letters at all ("-", ".", "...") or a bare word such as "тема"."""
    stripped = text.strip().strip(".,;:!?-—– ").casefold()
    return not any(ch.isalpha() for ch in stripped) or stripped in words


def is_real_topic(text: str, words: frozenset[str] = PLACEHOLDER_WORDS) -> bool:
    """Not blank and not a placeholder."""
    return bool(text.strip()) and not is_placeholder_topic(text, words)
