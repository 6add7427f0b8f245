"""``auditor rules``: what each rule checks, and under which clause."""

from __future__ import annotations

import dataclasses
import json

import click

from auditor.commands.common import handle_errors
from auditor.tomlwrite import toml_value
from rules.registry import ALL_RULES, rule_by_id


@click.group("rules")
def rules_group() -> None:
    """List the rules of the regulation, or explain one."""


@rules_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@handle_errors
def list_rules(fmt: str) -> None:
    """Every rule with its id, clause of the regulation, severity and title."""
    if fmt == "json":
        items = [
            {"id": r.id, "clause": r.clause, "severity": r.severity.value, "title": r.title}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(items, ensure_ascii=False, indent=1))
        return
    width = max(len(r.id) for r in ALL_RULES)
    for rule in ALL_RULES:
        click.echo(f"{rule.id:<{width}}  п. {rule.clause:<5} {rule.severity.value:<8} {rule.title}")


@rules_group.command("explain")
@click.argument("rule_id")
@handle_errors
def explain(rule_id: str) -> None:
    """The policy of one rule: clause, explanation, parameters and an example finding."""
    try:
        rule = rule_by_id(rule_id)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="RULE_ID") from None
    click.echo(f"{rule.id} — {rule.title}")
    click.echo(f"Пункт Положения: {rule.clause}; важность: {rule.severity.value}")
    click.echo(f"\n{rule.explanation}\n")
    params = dataclasses.fields(rule.params_type)
    if params:
        click.echo(f"Parameters ([rules.{rule.id}] in the config):")
        defaults = rule.default_params()
        for f in params:
            click.echo(f"  {f.name} = {toml_value(getattr(defaults, f.name))}")
    else:
        click.echo("Parameters: none (only `enabled`)")
    click.echo(f"\nExample: {rule.example}")
