"""The hand-written list of every rule. A test checks that each rule module is here once."""

from __future__ import annotations

from rules import (
    lesson_attendance_same_day,
    lesson_topic_same_day,
    scheduled_lesson_entered,
    setup_academic_year,
    setup_access_rights,
    setup_groups_listed,
    setup_notification_schedule,
    setup_parent_accounts,
    setup_schedule_template,
    setup_student_data,
    setup_user_accounts,
    student_data_current,
    substitution_marked,
    topic_quality,
)
from rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    lesson_topic_same_day.RULE,
    lesson_attendance_same_day.RULE,
    substitution_marked.RULE,
    scheduled_lesson_entered.RULE,
    topic_quality.RULE,
    setup_academic_year.RULE,
    setup_notification_schedule.RULE,
    setup_parent_accounts.RULE,
    setup_user_accounts.RULE,
    setup_access_rights.RULE,
    setup_groups_listed.RULE,
    setup_schedule_template.RULE,
    setup_student_data.RULE,
    student_data_current.RULE,
)


def rule_by_id(rule_id: str) -> Rule:
    for rule in ALL_RULES:
        if rule.id == rule_id:
            return rule
    known = ", ".join(r.id for r in ALL_RULES)
    raise KeyError(f"unknown rule {rule_id!r}; known rules: {known}")
