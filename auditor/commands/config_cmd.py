"""``auditor config``: check and show the configuration."""

from __future__ import annotations

import os
from dataclasses import asdict

import click

from auditor.commands.common import AppContext, handle_errors


@click.group("config")
def config_group() -> None:
    """Check or show the configuration file."""


@config_group.command("check")
@click.pass_obj
@handle_errors
def check(app: AppContext) -> None:
    """Load the config, report every problem at once, and check that secrets are set.

    Exit code 3 when the file is invalid. Secret values are never printed: only whether
    the environment variable that should hold each one is set.
    """
    config = app.config()
    click.echo(f"config ok: {app.config_path or 'auditor.toml'}")
    secrets = [("source.password_env", config.source.password_env)]
    secrets += [
        (f"source.mobile_accounts[{i}].password_env", acc.password_env)
        for i, acc in enumerate(config.source.mobile_accounts)
    ]
    for key, env in secrets:
        state = "set" if os.environ.get(env) else "NOT SET"
        click.echo(f"  {key} = {env}: {state}")


@config_group.command("show")
@click.pass_obj
@handle_errors
def show(app: AppContext) -> None:
    """Print the effective configuration (defaults filled in; secrets are only named)."""
    config = app.config()
    for section, values in asdict(config).items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            click.echo(f"{key} = {value!r}")
        click.echo()
