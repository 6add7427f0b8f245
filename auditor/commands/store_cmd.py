"""``auditor store``: what the local store holds."""

from __future__ import annotations

import click

from auditor.commands.common import AppContext, handle_errors


@click.group("store")
def store_group() -> None:
    """Inspect the local store (observations of ЭШ 2.0 and recorded audits)."""


@store_group.command("info")
@click.pass_obj
@handle_errors
def info(app: AppContext) -> None:
    """Size, schema version, observation runs, lessons and recorded audits of the store."""
    from auditor.store.sqlstore import open_store

    config = app.config()
    tz = config.institution.tz
    with open_store(config.store, create=False) as store:
        facts = store.info()

    def when(moment: object) -> str:
        return "—" if moment is None else f"{moment.astimezone(tz):%d.%m.%Y %H:%M}"  # type: ignore[attr-defined]

    size = "?" if facts.bytes is None else f"{facts.bytes / 1e6:.1f} MB"
    click.echo(f"store: {store.where} ({size}, schema version {facts.schema_version})")
    click.echo(
        f"observation runs: {facts.runs} "
        f"(first {when(facts.first_observation)}, last {when(facts.last_observation)})"
    )
    click.echo(f"lessons observed: {facts.lessons}")
    click.echo(
        f"recorded audits: {facts.audits} (oldest {when(facts.first_audit)}, newest "
        f"{when(facts.last_audit)}; store.keep_audits = {config.store.keep_audits})"
    )
