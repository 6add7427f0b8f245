"""``auditor config``: check and show the configuration."""

from __future__ import annotations

import os
from dataclasses import asdict

import click

from auditor.commands.common import AppContext, handle_errors
from auditor.errors import ConfigError
from auditor.tomlwrite import toml_table


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
    from auditor.audit.runner import rule_settings

    config = app.config()
    rule_settings(config)  # [rules.<id>] checked exactly as an audit checks it
    click.echo(f"config ok: {app.config_path or 'auditor.toml'}")
    # (key, variable, needed): the staff password is needed once source.username is set
    secrets = [("source.password_env", config.source.password_env, bool(config.source.username))]
    secrets += [
        (f"source.mobile_accounts[{i}].password_env", acc.password_env, True)
        for i, acc in enumerate(config.source.mobile_accounts)
    ]
    unset = []
    for key, env, needed in secrets:
        state = "set" if os.environ.get(env) else "NOT SET"
        click.echo(f"  {key} = {env}: {state}" + ("" if needed else " (not used yet)"))
        if needed and state != "set":
            unset.append(f"{key}: the environment variable {env} is not set")
    if unset:
        raise ConfigError(
            unset, source="secrets", hint="export each named variable where the auditor runs"
        )


@config_group.command("show")
@click.pass_obj
@handle_errors
def show(app: AppContext) -> None:
    """Print the effective configuration as TOML (defaults filled in; secrets only named).

    The output is a valid configuration file: it loads back to the same settings.
    """
    config = app.config()
    lines: list[str] = []
    for section, values in asdict(config).items():
        if isinstance(values, list | tuple):  # an array of tables: [[directory]]
            for item in values:
                lines += [*toml_table(f"[{section}]", item), ""]
        else:
            lines += [*toml_table(section, values), ""]
    click.echo("\n".join(lines).rstrip())
