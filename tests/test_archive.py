"""The archive of clauses 3.1 and 3.2 on a real synced store (the tiny dataset, September
2025) and real files: entries on two destinations, verify, replay, the manual checks."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from auditor.archive import layout
from auditor.archive.entry import frame_dtypes
from auditor.archive.interface import ArchivedEntry
from auditor.archive.replay import replay_entry
from auditor.archive.service import archive_month, archive_pending
from auditor.archive.signing import generate_key, load_signer
from auditor.archive.tables import from_csv, to_csv
from auditor.archive.verify import verify_archive
from auditor.audit.runner import run
from auditor.cli import main
from auditor.config import ArchiveConfig, Config, config_from_mapping
from auditor.contract.frames import SPECS
from auditor.demo.replay import replay, simulator_config
from auditor.errors import ArchiveError, ConfigError, ExitCode
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import running_simulator
from auditor.store import SqlStore


@pytest.fixture(scope="module")
def synced(
    tiny_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SqlStore, Config]]:
    folder = tmp_path_factory.mktemp("archive-store")
    tz = tiny_dataset.institution.tz
    polls = [datetime(2025, 9, day, hour, 0, tzinfo=tz) for day, hour in
             ((5, 7), (8, 23), (15, 12), (16, 7), (23, 7), (30, 7), (2, 7))]  # fmt: skip
    polls[-1] = datetime(2025, 10, 2, 7, 0, tzinfo=tz)
    with running_simulator(tiny_dataset, polls[0]) as (url, sim):
        config, environ = simulator_config(url, tiny_dataset)
        with SqlStore.open_path(folder / "auditor.sqlite3") as store:
            replay(sim.clock.set, config, environ, store, polls)
            yield store, config


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    private, public = generate_key(tmp_path_factory.mktemp("key") / "archive-key.pem")
    assert (private.stat().st_mode & 0o777) == 0o600 and public.exists()
    return private


NOW = datetime.fromisoformat("2025-10-03T09:00:00+07:00")


def _config(base: Config, tmp: Path, key: Path) -> Config:
    dests = (tmp / "archive-1", tmp / "archive-2")
    for dest in dests:
        dest.mkdir()
    archive = ArchiveConfig(True, tuple(map(str, dests)), str(key))
    return dataclasses.replace(base, archive=archive)


@pytest.fixture
def archived(
    synced: tuple[SqlStore, Config], key: Path, tmp_path: Path
) -> tuple[Config, ArchivedEntry]:
    store, base = synced
    config = _config(base, tmp_path, key)
    return config, archive_month(store, config, "2025-09", NOW)


def _messages(config: Config) -> list[str]:
    return [str(problem) for problem in verify_archive(config)]


def test_an_entry_is_written_to_both_destinations_and_verifies(
    archived: tuple[Config, ArchivedEntry],
) -> None:
    config, entry = archived
    assert entry.name == "000001-month-2025-09" and len(entry.paths) == 2
    first, second = entry.paths
    assert sorted(p.name for p in first.iterdir()) == [
        "audit.json", "data", "findings.csv", "manifest.json", "manifest.sig",
    ]  # fmt: skip
    for path in first.rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["previous"] is None and manifest["entry"] == 1
    assert manifest["signature"]["scheme"] == "ed25519"
    assert layout.sha256((first / "manifest.json").read_bytes()) == entry.manifest_sha256
    assert _messages(config) == []


def test_frames_round_trip_with_exact_dtypes(synced: tuple[SqlStore, Config]) -> None:
    store, _ = synced
    frames = store.load_frames(datetime(2025, 9, 1).date(), datetime(2025, 9, 30).date())
    for name in SPECS:
        frame = getattr(frames, name)
        back = from_csv(to_csv(frame, frame_dtypes(name)), frame_dtypes(name))
        pd.testing.assert_frame_equal(back, frame.reset_index(drop=True), check_exact=True)


def test_a_flipped_byte_in_one_copy_is_named(archived: tuple[Config, ArchivedEntry]) -> None:
    config, entry = archived
    target = entry.paths[1] / "findings.csv"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    assert _messages(config) == [
        f"{entry.paths[1]}/findings.csv: SHA-256 differs from the manifest"
    ]


def test_a_deleted_copy_is_reported(archived: tuple[Config, ArchivedEntry]) -> None:
    config, entry = archived
    shutil.rmtree(entry.paths[0])
    dest = entry.paths[0].parent
    assert _messages(config) == [
        f"{dest}/{entry.name}: entry missing or unreadable in this copy "
        f"(present in {entry.paths[1].parent})"
    ]


def _next_entry(synced: tuple[SqlStore, Config], config: Config) -> ArchivedEntry:
    store, _ = synced
    return archive_month(store, config, "2025-10", datetime.fromisoformat("2025-11-02T09:00+07:00"))


def test_a_broken_chain_link_is_reported(
    synced: tuple[SqlStore, Config], archived: tuple[Config, ArchivedEntry], key: Path
) -> None:
    config, first = archived
    second = _next_entry(synced, config)
    assert second.name == "000002-month-2025-10"
    assert json.loads((second.paths[0] / "manifest.json").read_text())["previous"] == (
        first.manifest_sha256
    )
    assert _messages(config) == []
    # Edited and re-signed with the same key: the signature holds, the chain does not.
    path = second.paths[0]
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["previous"] = "0" * 64
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    (path / "manifest.json").write_bytes(data)
    (path / "manifest.sig").write_bytes(load_signer(key).sign(data))
    problems = _messages(config)
    dest = path.parent
    assert (
        f"{dest}: chain broken at 000002: previous is {'0' * 64}, expected "
        f"{first.manifest_sha256}" in problems
    )
    assert f"{dest}, {second.paths[1].parent}/{second.name}/manifest.json: the copies' " \
        "manifests differ" in problems  # fmt: skip
    assert len(problems) == 2
    # Edited without re-signing: the signature fails.
    (path / "manifest.json").write_bytes(data.replace(b'"entry": 2', b'"entry": 2 '))
    problems = _messages(config)
    assert f"{path}/manifest.sig: the signature of manifest.json is invalid" in problems


def test_a_wrong_key_is_reported(archived: tuple[Config, ArchivedEntry], tmp_path: Path) -> None:
    config, entry = archived
    other, _ = generate_key(tmp_path / "other-key.pem")
    wrong = dataclasses.replace(
        config, archive=dataclasses.replace(config.archive, key_path=str(other))
    )
    problems = _messages(wrong)
    assert len(problems) == 2 and all("not the configured ed25519 key" in p for p in problems)
    # A signature made by another key under the right fingerprint is invalid.
    sig = entry.paths[0] / "manifest.sig"
    sig.write_bytes(load_signer(other).sign((entry.paths[0] / "manifest.json").read_bytes()))
    assert _messages(config) == [f"{sig}: the signature of manifest.json is invalid"]


def test_replaying_an_archived_month_gives_its_findings(
    synced: tuple[SqlStore, Config], archived: tuple[Config, ArchivedEntry]
) -> None:
    store, base = synced
    _, entry = archived
    original = run(store, base, NOW, datetime(2025, 9, 1).date(), datetime(2025, 9, 30).date())
    assert len(original.findings) > 0
    result = replay_entry(entry.paths[0])
    assert result.identical, [str(d) for d in result.differences]
    assert result.archived == result.replayed == len(original.findings)


def test_a_changed_archived_finding_is_named_by_replay(
    archived: tuple[Config, ArchivedEntry],
) -> None:
    _, entry = archived
    path = entry.paths[0] / "findings.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.iloc[0]
    frame.loc[0, "status"] = "late" if row["status"] != "late" else "missing"
    frame.to_csv(path, index=False, lineterminator="\n")
    result = replay_entry(entry.paths[0])
    assert len(result.differences) == 1
    diff = result.differences[0]
    assert (diff.change, diff.rule_id, diff.group) == ("changed", row["rule_id"], row["group"])
    assert diff.lesson_date == row["lesson_date"]
    assert diff.fields == (f"status: {frame.loc[0, 'status']!r} → {row['status']!r}",)


def test_an_interrupted_write_leaves_no_visible_entry(
    synced: tuple[SqlStore, Config], key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, base = synced
    config = _config(base, tmp_path, key)
    real = layout.write_file
    written: list[Path] = []

    def failing(path: Path, data: bytes) -> None:
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(layout, "write_file", failing)
    with pytest.raises(ArchiveError, match="No space left"):
        archive_month(store, config, "2025-09", NOW)
    for dest in config.archive.destination_paths:
        assert list(dest.iterdir()) == []
    assert _messages(config) == []
    # A crash (no clean-up) leaves only a .tmp- directory: invisible, removed on the next write.
    leftover = config.archive.destination_paths[0] / ".tmp-000001-month-2025-09-x"
    leftover.mkdir()
    (leftover / "findings.csv").write_text("half")
    assert _messages(config) == []
    monkeypatch.setattr(layout, "write_file", real)
    entry = archive_month(store, config, "2025-09", NOW)
    assert not leftover.exists() and entry.number == 1
    assert _messages(config) == []


def test_destinations_that_disagree_are_refused(
    synced: tuple[SqlStore, Config], archived: tuple[Config, ArchivedEntry]
) -> None:
    config, entry = archived
    shutil.rmtree(entry.paths[1])
    with pytest.raises(ArchiveError, match="disagree on the newest entry") as err:
        _next_entry(synced, config)
    assert f"{entry.paths[1].parent}: empty" in str(err.value)


def test_pending_archives_closed_months_and_recorded_audits_once(
    synced: tuple[SqlStore, Config], key: Path, tmp_path: Path
) -> None:
    store, base = synced
    config = _config(base, tmp_path, key)
    day = datetime(2025, 9, 15).date()
    run(store, base, datetime.fromisoformat("2025-09-16T08:00+07:00"), day, day, record=True)
    written = archive_pending(store, config, NOW)
    names = [e.name for e in written]
    assert names[0] == "000001-month-2025-09"
    assert names[-1].startswith(f"{len(names):06d}-audit-20250915-20250915-a")
    assert archive_pending(store, config, NOW) == []
    for entry in written:
        if "-audit-" in entry.name:
            result = replay_entry(entry.paths[1])
            assert result.identical, [str(d) for d in result.differences]
    assert _messages(config) == []


@pytest.mark.skipif(not (shutil.which("openssl") and shutil.which("sha256sum")), reason="tools")
def test_the_readme_manual_checks_work(archived: tuple[Config, ArchivedEntry], key: Path) -> None:
    _, entry = archived
    path = entry.paths[0]
    if shutil.which("jq"):
        listing = """jq -r '.files[] | "\\(.sha256)  \\(.path)"' manifest.json"""
    else:
        listing = (
            'python3 -c \'import json; [print(f["sha256"] + "  " + f["path"]) '
            'for f in json.load(open("manifest.json"))["files"]]\''
        )
    check = subprocess.run(
        f"{listing} | sha256sum -c -", shell=True, cwd=path, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    public = key.with_name("archive-key.pub.pem")
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(public), "-rawin",
               "-in", "manifest.json", "-sigfile", "manifest.sig"]  # fmt: skip
    ok = subprocess.run(command, cwd=path, capture_output=True, text=True)
    assert ok.returncode == 0 and "Signature Verified Successfully" in ok.stdout, ok.stderr
    (path / "manifest.json").write_bytes((path / "manifest.json").read_bytes() + b" ")
    bad = subprocess.run(command, cwd=path, capture_output=True, text=True)
    assert bad.returncode != 0
    assert os.access(path, os.R_OK)


def test_the_config_needs_two_destinations_and_a_key() -> None:
    with pytest.raises(ConfigError) as err:
        config_from_mapping({"archive": {"enabled": True, "destinations": ["/mnt/a"]}})
    assert err.value.problems == [
        "archive.destinations: at least two directories on different media are required "
        "when archive.enabled = true (clause 3.1)",
        "archive.key_path: required when archive.enabled = true",
    ]


def test_the_cli_keygen_verify_and_replay(
    archived: tuple[Config, ArchivedEntry], tmp_path: Path
) -> None:
    config, entry = archived
    out = tmp_path / "keys" / "new-key.pem"
    result = CliRunner().invoke(main, ["archive", "keygen", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600 and (tmp_path / "keys/new-key.pub.pem").exists()
    again = CliRunner().invoke(main, ["archive", "keygen", "--out", str(out)])
    assert again.exit_code == ExitCode.ARCHIVE and "exists already" in again.output
    toml = tmp_path / "auditor.toml"
    dests = ", ".join(f'"{p.parent}"' for p in entry.paths)
    toml.write_text(
        f'[archive]\nenabled = true\ndestinations = [{dests}]\nkey_path = "{config.archive.key}"\n'
    )
    cli = ["--config", str(toml)]
    ok = CliRunner().invoke(main, [*cli, "archive", "verify"])
    assert (ok.exit_code, ok.output) == (0, "archive ok\n")
    same = CliRunner().invoke(main, [*cli, "replay", "1"])
    assert same.exit_code == 0 and "identical" in same.output, same.output
    (entry.paths[0] / "audit.json").write_bytes(b"{}")
    bad = CliRunner().invoke(main, [*cli, "archive", "verify"])
    assert bad.exit_code == ExitCode.ARCHIVE
    assert f"{entry.paths[0]}/audit.json: size 2 differs" in bad.output


def test_the_scheduler_archives_daily_and_mails_a_weekly_verification_problem(
    synced: tuple[SqlStore, Config], key: Path, tmp_path: Path
) -> None:
    """`auditor serve`'s archive jobs on a controllable clock. A closed month waits for its
    monthly reports, then is archived at 05:30 with them as they were mailed; a byte flipped
    in one copy is found by Monday's verification, which fails (so `auditor status` lists
    it) and mails the operator what is wrong, once."""
    from auditor.config import MailConfig, Person, ScheduleConfig
    from auditor.schedule.agenda import JobId, agenda
    from auditor.schedule.duties import Duties
    from auditor.schedule.runner import JobRunner
    from tests.smtp_server import smtp_server

    store, base = synced
    with smtp_server() as (handler, port):
        config = dataclasses.replace(
            _config(base, tmp_path, key),
            mail=MailConfig(enabled=True, host="127.0.0.1", port=port, security="none",
                            sender="auditor@example.org"),
            schedule=ScheduleConfig(monthly_day=2),
            directory=(Person("Оператор", "operator@example.org", "operator"),
                       Person("Заместитель", "zam@example.org", "deputy_director")),
        )  # fmt: skip
        tz = config.institution.tz
        moment = [datetime(2025, 10, 1, 5, 0, tzinfo=tz)]
        wanted = (JobId.ARCHIVE, JobId.ARCHIVE_VERIFY, JobId.DEPUTY_MONTHLY)
        jobs = [j for j in agenda(config) if j.id in wanted]
        duties = Duties(config, store, lambda: moment[0], {}, sleep=lambda _s: None)
        runner = JobRunner(jobs, store, duties, lambda: moment[0])

        def at(day: int, hour: int, minute: int, job: JobId) -> str:
            moment[0] = datetime(2025, 10, day, hour, minute, tzinfo=tz)
            (ran,) = runner.run_due(job)
            return f"{ran.state.value}: {ran.detail}"

        # 1 October: September is closed, but its справка (due on the 2nd) is not out yet
        # (an audit another test recorded in the shared store may be archived too)
        first = at(1, 5, 30, JobId.ARCHIVE)
        assert first.startswith("done: ") and "month-2025-09" not in first
        assert at(2, 9, 0, JobId.DEPUTY_MONTHLY).startswith("done: 2025-09: 1 report(s)")
        found = re.search(r"\d{6}-month-2025-09", at(3, 5, 30, JobId.ARCHIVE))
        assert found is not None
        name = found.group(0)
        entry = tmp_path / "archive-2" / name
        (mailed,) = (entry / "reports").glob("monthly-2025-09--zam_example.org.eml")
        assert mailed.read_bytes() == store.mail_message("monthly-2025-09|zam@example.org")
        copy = entry / "findings.csv"
        data = bytearray(copy.read_bytes())
        data[10] ^= 0x01
        copy.write_bytes(bytes(data))
        verified = at(6, 6, 0, JobId.ARCHIVE_VERIFY)  # Monday
        assert verified.startswith("failed: ArchiveError: 1 archive problem(s): ")
        assert f"archive-2/{name}/findings.csv" in verified
        assert runner.run_due(JobId.ARCHIVE_VERIFY) == []  # once per due moment
    mail = next(m for m in handler.received if m.recipients == ["operator@example.org"])
    text = str(mail.message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert "Проверка архива: нарушена целостность" in text
    assert f"archive-2/{name}/findings.csv: SHA-256 differs" in text
