"""The typed configuration: one TOML file loaded once into frozen dataclasses.

Every problem in the file is reported at once, each with its key path
(``source.concurrency: expected an integer ≥ 1, got 0``). Secrets are never written in the
file: a key ending in ``_env`` names the environment variable that holds the secret, and
:class:`Secret` reads it only when it is needed, never printing its value.

``config.example.toml`` documents every key and is loaded by a test.
"""

from __future__ import annotations

import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from datetime import date, time
from pathlib import Path
from typing import Any, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from auditor.domain import DEFAULT_TIMEZONE
from auditor.errors import ConfigError

DEFAULT_CONFIG_FILE = "auditor.toml"
CONFIG_ENV = "AUDITOR_CONFIG"
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
SECRET_KEY_NAMES = ("password", "passwd", "secret", "token", "smtp_password")


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret named by an environment variable; ``repr`` never shows the value."""

    env: str

    def reveal(self, environ: Mapping[str, str] | None = None) -> str:
        env = os.environ if environ is None else environ
        value = env.get(self.env)
        if not value:
            raise ConfigError(
                [f"environment variable {self.env} is not set"],
                source="secret",
                hint=f"export {self.env}=... in the environment that runs the auditor",
            )
        return value

    def __repr__(self) -> str:
        return f"Secret(env={self.env!r})"


@dataclass(frozen=True, slots=True)
class InstitutionConfig:
    name: str = ""
    timezone: str = DEFAULT_TIMEZONE
    # Clause 2.2: the journal is set up "на 8 сентября"; judged at the end of that local day.
    setup_deadline_month: int = 9
    setup_deadline_day: int = 8
    # The institution's own days off beyond the federal production calendar (YYYY-MM-DD).
    extra_holidays: tuple[str, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class MobileAccountConfig:
    """A pupil or parent account of the mobile API, for institutions that only have those."""

    username: str
    password_env: str

    @property
    def password(self) -> Secret:
        return Secret(self.password_env)


@dataclass(frozen=True, slots=True)
class SourceConfig:
    base_url: str = "https://ruobr.ru"
    mobile_base_url: str = "https://api3d.ruobr.ru"
    username: str = ""
    password_env: str = "RUOBR_PASSWORD"
    timeout_s: float = 30.0
    concurrency: int = 2
    min_interval_s: float = 1.0
    max_retries: int = 4
    # Every same-day judgement rests on the auditor's clock: a sync stops when a server's
    # Date header differs from it by more than this many seconds.
    max_clock_skew_s: float = 120.0
    user_agent: str = BROWSER_USER_AGENT
    mobile_accounts: tuple[MobileAccountConfig, ...] = ()

    @property
    def password(self) -> Secret:
        return Secret(self.password_env)


@dataclass(frozen=True, slots=True)
class StoreConfig:
    data_dir: str = "~/.local/share/ruobr-auditor"
    url: str = ""  # any SQLAlchemy URL; empty means an SQLite file in data_dir
    # Recorded audits kept (the newest; older ones and their findings are deleted when a new
    # one is recorded); 0 keeps every one. Observations are never deleted.
    keep_audits: int = 100

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser()


@dataclass(frozen=True, slots=True)
class ReportsConfig:
    # The department heads' daily digest is prepared as of this local time (HH:MM) of each
    # working day, and compares with the previous working day's at the same time.
    digest_time: str = "07:30"
    # Rows of a list shown in a mail body; the full list is in the XLSX attachment.
    mail_rows: int = 15
    # Who signs the deputy director's справка and certifies copies (clause 3.2); empty:
    # the deputy director seen in ЭШ 2.0.
    signer_position: str = ""
    signer_name: str = ""

    @property
    def digest_clock(self) -> time:
        return time.fromisoformat(self.digest_time)


MAIL_SECURITY = ("ssl", "starttls", "none")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROLES = ("deputy_director", "head", "operator", "teacher")


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The SMTP server the reports are sent through (``[mail]``)."""

    enabled: bool = False  # off: reports are only written as files
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"  # ssl (port 465), starttls (587), none (a local relay)
    username: str = ""  # empty: no login (a relay that trusts this host)
    password_env: str = "AUDITOR_SMTP_PASSWORD"
    sender: str = ""  # the From address (required when enabled)
    sender_name: str = "Контроль электронного журнала"
    timeout_s: float = 30.0
    # One delivery run tries a mail this many times, waiting retry_base_s, ×2, ×4 … between
    # tries; then it stays failed until the next run (or `auditor send`), and the operator
    # is told.
    max_attempts: int = 3
    retry_base_s: float = 2.0
    # A mail left "sending" by a process that died is tried again after this long, or at
    # once when that process is known to be gone (same host, no such pid).
    stale_after_s: float = 600.0

    @property
    def password(self) -> Secret:
        return Secret(self.password_env)


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """What ``auditor serve`` runs and when (``[schedule]``), in the institution's time zone.

    Times are local HH:MM. The syncs prove same-day entry (shared/DESIGN.md): one close to
    midnight and one early in the morning are the two that matter; the others only tell
    more exactly when an entry was first made."""

    sync_times: tuple[str, ...] = ("07:00", "12:00", "18:00", "23:50")
    # The teachers' reminder on working days, after a sync of its own (off by default: an
    # institution decides whether its teachers get it).
    reminder_enabled: bool = False
    reminder_time: str = "20:00"
    # The department heads' daily digests, on working days at reports.digest_time.
    digests_enabled: bool = True
    # The heads' monthly reports (clause 2.4: "на 10 число") and the deputy director's
    # справка, on that day of the month (moved to the previous working day when it is not
    # one, unless monthly_move_back = false).
    monthly_enabled: bool = True
    monthly_day: int = 10
    monthly_move_back: bool = True
    heads_monthly_time: str = "08:00"
    deputy_monthly_time: str = "09:00"
    # The setup readiness report (clause 2.2) every working day from setup_from (MM-DD)
    # to the setup deadline.
    setup_enabled: bool = True
    setup_from: str = "08-25"
    setup_time: str = "08:30"
    # With [archive] enabled: closed months and recorded audits into the archive every day
    # at archive_time; every copy verified weekly (verify_weekday, verify_time), problems
    # mailed to the operator.
    archive_time: str = "05:30"
    verify_weekday: str = "mon"
    verify_time: str = "06:00"
    # How late after its time a run still counts as on time (a sync before it, a slow
    # server); later runs are marked late, and their mails say so.
    late_after_s: float = 3600.0
    # A scheduler that stopped renewing its lease for this long is taken to be dead, and
    # another may start (a crashed one on this host is recognised at once).
    lease_stale_s: float = 300.0


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    """The archive of clause 3.1 (``[archive]``): signed entries kept on two media at least."""

    enabled: bool = False
    # Directories on different media (two mounted drives kept in different rooms); each
    # must exist: a drive that is not mounted is refused, never written under the mount point.
    destinations: tuple[str, ...] = ()
    # The Ed25519 private key (PEM, PKCS8) that signs each entry's manifest; keep it off the
    # archive media. `auditor archive keygen --out PATH` writes one, its public key beside it.
    key_path: str = ""

    @property
    def destination_paths(self) -> tuple[Path, ...]:
        return tuple(Path(d).expanduser() for d in self.destinations)

    @property
    def key(self) -> Path:
        return Path(self.key_path).expanduser()


@dataclass(frozen=True, slots=True)
class Person:
    """One entry of the staff directory (``[[directory]]``): mail goes only to these."""

    name: str
    email: str
    role: str  # deputy_director, head, operator, teacher
    department_id: int = 0  # a head's department (its ЭШ 2.0 id)
    staff_id: int = 0  # the person's ЭШ 2.0 staff id (a teacher's reminders need it)


@dataclass(frozen=True, slots=True)
class Config:
    institution: InstitutionConfig = field(default_factory=InstitutionConfig)
    source: SourceConfig = field(default_factory=SourceConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    archive: ArchiveConfig = field(default_factory=ArchiveConfig)
    directory: tuple[Person, ...] = ()
    # [rules.<rule-id>]: `enabled = false` and overrides of the rule's parameters. Checked
    # against the rule registry by auditor.audit.rule_settings (config cannot import rules).
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Validation of individual values, beyond their types.


def _check_values(config: Config, problems: list[str]) -> None:
    inst = config.institution
    try:
        ZoneInfo(inst.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"institution.timezone: unknown time zone {inst.timezone!r}")
    if not 1 <= inst.setup_deadline_month <= 12:
        problems.append("institution.setup_deadline_month: expected 1..12")
    if not 1 <= inst.setup_deadline_day <= 31:
        problems.append("institution.setup_deadline_day: expected 1..31")
    for i, text in enumerate(inst.extra_holidays):
        try:
            date.fromisoformat(text)
        except ValueError:
            problems.append(f"institution.extra_holidays[{i}]: expected YYYY-MM-DD, got {text!r}")
    src = config.source
    for key in ("base_url", "mobile_base_url"):
        url = getattr(src, key)
        if not url.startswith(("http://", "https://")):
            problems.append(f"source.{key}: expected an http(s) URL, got {url!r}")
    if src.timeout_s <= 0:
        problems.append("source.timeout_s: expected a positive number of seconds")
    if src.concurrency < 1:
        problems.append(f"source.concurrency: expected an integer ≥ 1, got {src.concurrency}")
    if src.min_interval_s < 0:
        problems.append("source.min_interval_s: expected ≥ 0")
    if src.max_retries < 0:
        problems.append("source.max_retries: expected ≥ 0")
    try:
        time.fromisoformat(config.reports.digest_time)
    except ValueError:
        problems.append(
            f"reports.digest_time: expected a local time HH:MM, got {config.reports.digest_time!r}"
        )
    if config.reports.mail_rows < 1:
        problems.append("reports.mail_rows: expected an integer ≥ 1")
    _check_mail(config, problems)
    _check_schedule(config.schedule, problems)
    _check_archive(config.archive, problems)
    if config.store.keep_audits < 0:
        problems.append("store.keep_audits: expected 0 (keep all) or a positive number")
    if src.max_clock_skew_s <= 0:
        problems.append("source.max_clock_skew_s: expected a positive number of seconds")
    for i, acc in enumerate(src.mobile_accounts):
        if not acc.username:
            problems.append(f"source.mobile_accounts[{i}].username: must not be empty")


def _check_mail(config: Config, problems: list[str]) -> None:
    mail = config.mail
    if mail.security not in MAIL_SECURITY:
        problems.append(f"mail.security: expected one of {', '.join(MAIL_SECURITY)}")
    if not 0 < mail.port < 65536:
        problems.append(f"mail.port: expected 1..65535, got {mail.port}")
    if mail.enabled and "@" not in mail.sender:
        problems.append("mail.sender: an e-mail address is required when mail.enabled = true")
    if mail.max_attempts < 1:
        problems.append("mail.max_attempts: expected an integer ≥ 1")
    if mail.retry_base_s < 0 or mail.stale_after_s <= 0 or mail.timeout_s <= 0:
        problems.append("mail: retry_base_s ≥ 0, stale_after_s > 0 and timeout_s > 0 expected")
    for i, person in enumerate(config.directory):
        where = f"directory[{i}]"
        if person.role not in ROLES:
            problems.append(f"{where}.role: expected one of {', '.join(ROLES)}")
        if "@" not in person.email or any(c.isspace() for c in person.email):
            problems.append(f"{where}.email: not an e-mail address: {person.email!r}")
        if person.role == "head" and person.department_id <= 0:
            problems.append(f"{where}.department_id: a head needs their department's id")
        if person.role == "teacher" and person.staff_id <= 0:
            problems.append(f"{where}.staff_id: a teacher needs their ЭШ 2.0 staff id")


def _check_archive(archive: ArchiveConfig, problems: list[str]) -> None:
    paths = archive.destination_paths
    if any(not d.strip() for d in archive.destinations):
        problems.append("archive.destinations: an empty path")
    if len({p.resolve() for p in paths}) != len(paths):
        problems.append("archive.destinations: the same directory twice")
    if archive.enabled:
        if len(paths) < 2:
            problems.append(
                "archive.destinations: at least two directories on different media are "
                "required when archive.enabled = true (clause 3.1)"
            )
        if not archive.key_path:
            problems.append("archive.key_path: required when archive.enabled = true")


def _check_schedule(schedule: ScheduleConfig, problems: list[str]) -> None:
    clocks = [(f"sync_times[{i}]", t) for i, t in enumerate(schedule.sync_times)]
    clocks += [
        (k, getattr(schedule, k))
        for k in ("reminder_time", "heads_monthly_time", "deputy_monthly_time", "setup_time")
    ]
    for key, text in clocks:
        try:
            time.fromisoformat(text)
        except ValueError:
            problems.append(f"schedule.{key}: expected a local time HH:MM, got {text!r}")
    if schedule.verify_weekday not in WEEKDAYS:
        problems.append(f"schedule.verify_weekday: expected one of {', '.join(WEEKDAYS)}")
    if not 1 <= schedule.monthly_day <= 28:
        problems.append("schedule.monthly_day: expected 1..28 (a day every month has)")
    try:
        date.fromisoformat(f"2000-{schedule.setup_from}")
    except ValueError:
        problems.append(f"schedule.setup_from: expected MM-DD, got {schedule.setup_from!r}")
    if schedule.late_after_s < 0 or schedule.lease_stale_s <= 0:
        problems.append("schedule: late_after_s ≥ 0 and lease_stale_s > 0 expected")


# ---------------------------------------------------------------------------
# A small typed decoder from TOML tables to the dataclasses above.


def _decode(tp: Any, raw: Any, path: str, problems: list[str]) -> Any:
    origin = get_origin(tp)
    if origin is tuple:
        inner = get_args(tp)[0]
        if not isinstance(raw, list):
            problems.append(f"{path}: expected an array")
            return ()
        items = (_decode(inner, v, f"{path}[{i}]", problems) for i, v in enumerate(raw))
        return tuple(item for item in items if item is not None)  # bad items are reported
    if isinstance(tp, type) and is_dataclass(tp):
        return _decode_table(tp, raw, path, problems)
    if origin is dict:
        if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
            problems.append(f"{path}: expected a table of tables, e.g. [{path}.some-id]")
            return None
        return {str(k): dict(v) for k, v in raw.items()}
    if tp is bool:
        if isinstance(raw, bool):
            return raw
        problems.append(f"{path}: expected true or false, got {raw!r}")
    elif tp is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        problems.append(f"{path}: expected an integer, got {raw!r}")
    elif tp is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        problems.append(f"{path}: expected a number, got {raw!r}")
    elif tp is str:
        if isinstance(raw, str):
            return raw
        problems.append(f"{path}: expected a string, got {raw!r}")
    else:  # pragma: no cover - a programming error in the dataclasses above
        raise TypeError(f"no decoder for {tp!r}")
    return None


def _decode_table(cls: type, raw: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(raw, dict):
        problems.append(f"{path or 'config'}: expected a table")
        return cls() if all(_has_default(f) for f in fields(cls)) else None
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    for key in sorted(set(raw) - known):
        where = f"{path}.{key}" if path else key
        if key.lower() in SECRET_KEY_NAMES:
            problems.append(
                f"{where}: secrets must not be written in the config file; "
                f"name an environment variable with {key}_env instead"
            )
        else:
            problems.append(f"{where}: unknown key")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        where = f"{path}.{f.name}" if path else f.name
        if f.name not in raw:
            if not _has_default(f):
                problems.append(f"{where}: required key is missing")
            continue
        value = _decode(hints[f.name], raw[f.name], where, problems)
        if value is not None:
            kwargs[f.name] = value
    try:
        return cls(**kwargs)
    except TypeError:
        return None  # a required key was missing: already reported


def _has_default(f: Any) -> bool:
    return f.default is not MISSING or f.default_factory is not MISSING


def config_from_mapping(raw: Mapping[str, Any], *, source: str = "config") -> Config:
    problems: list[str] = []
    config = _decode_table(Config, dict(raw), "", problems)
    if config is not None:
        # Checked even when some keys failed to decode (they fell back to defaults), so
        # that one run reports every problem of the file.
        _check_values(config, problems)
    if problems:
        raise ConfigError(problems, source=source)
    return typing.cast(Config, config)


def load_config(path: Path) -> Config:
    """Load and validate ``path``; raise :class:`ConfigError` with every problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"config file {path} does not exist"],
            source=str(path),
            hint="copy config.example.toml to auditor.toml and edit it, or pass --config",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read {path}: {exc}"], source=str(path)) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], source=str(path)) from None
    return config_from_mapping(raw, source=str(path))
