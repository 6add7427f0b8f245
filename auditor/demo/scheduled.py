"""The demo's month as ``auditor serve`` runs it: the scheduler's jobs on a simulated clock.

The jobs are the configured ones (:func:`auditor.schedule.agenda.agenda`), run by the same
runner as ``serve`` (:class:`auditor.schedule.runner.JobRunner`); only the clock differs:
the demo moves it from fire to fire, and the simulator's clock with it. The syncs run all
month at the two polls that prove same-day entry. The mail jobs (the teachers' evening
reminders and the department heads' digests) are switched on for the month's last days
(``mail_from``): a digest is a judgement of the whole month so far, and the demo keeps to
its minute. Mail goes to the demo's own SMTP server (:mod:`auditor.demo.mailbox`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from auditor.config import Config, MailConfig, Person, ScheduleConfig
from auditor.domain import Role
from auditor.schedule.agenda import JobId, agenda
from auditor.schedule.duties import Duties, SchedulerStore
from auditor.schedule.runner import JobRunner, Ran, timeline
from auditor.simulator.dataset import Dataset
from auditor.sync.run import SyncOutcome

DEMO_SENDER = "auditor@demo.invalid"


class SimulatedClock:
    """The scheduler's clock, moved by the demo together with the simulator's."""

    def __init__(self, moment: datetime, move_site: Callable[[datetime], None]) -> None:
        self.moment = moment
        self.move_site = move_site

    def set(self, moment: datetime) -> None:
        self.moment = moment
        self.move_site(moment)

    def __call__(self) -> datetime:
        return self.moment


def demo_directory(dataset: Dataset) -> tuple[Person, ...]:
    """The demo institution's staff directory: its deputy director, operator, department
    heads and teachers, at their (fictitious) addresses from the dataset."""
    heads = {d.head_id: d.id for d in dataset.departments if d.head_id is not None}
    people = []
    for member in dataset.staff:
        if not member.email:
            continue
        if Role.DEPUTY_DIRECTOR in member.roles:
            people.append(Person(member.full_name, member.email, "deputy_director"))
        elif Role.OPERATOR in member.roles:
            people.append(Person(member.full_name, member.email, "operator"))
        elif member.id in heads:
            people.append(Person(member.full_name, member.email, "head",
                                 department_id=heads[member.id]))  # fmt: skip
        elif Role.TEACHER in member.roles:
            people.append(Person(member.full_name, member.email, "teacher", staff_id=member.id))
    return tuple(people)


def demo_schedule_config(config: Config, dataset: Dataset, port: int) -> Config:
    """``config`` (pointing at the simulator) with the demo's mail, directory and jobs."""
    return replace(
        config,
        mail=MailConfig(enabled=True, host="127.0.0.1", port=port, security="none",
                        sender=DEMO_SENDER, max_attempts=2, retry_base_s=0.0),
        schedule=ScheduleConfig(sync_times=("07:00", "23:50"), reminder_enabled=True,
                                monthly_enabled=False, setup_enabled=False),
        directory=demo_directory(dataset),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScheduledMonth:
    syncs: list[SyncOutcome]
    runs: list[Ran]


def run_scheduled(
    config: Config,
    environ: Mapping[str, str],
    store: SchedulerStore,
    clock: SimulatedClock,
    end: datetime,
    mail_from: datetime,
    on_sync: Callable[[SyncOutcome], None],
) -> ScheduledMonth:
    """Fire every job from the clock's moment to ``end``; the mail jobs from ``mail_from``."""
    syncs: list[SyncOutcome] = []

    def heard(outcome: SyncOutcome) -> None:
        syncs.append(outcome)
        on_sync(outcome)

    duties = Duties(config, store, clock, environ, sleep=lambda _s: None, on_sync=heard)
    jobs = agenda(config)
    sync_jobs = [job for job in jobs if job.id is JobId.SYNC]
    mail_jobs = [job for job in jobs if job.id is not JobId.SYNC]
    runners: dict[bool, JobRunner] = {False: JobRunner(sync_jobs, store, duties, clock)}
    runs: list[Ran] = []
    for moment, job in timeline(jobs, clock() - timedelta(microseconds=1), end):
        mails = job.id is not JobId.SYNC
        if mails and moment < mail_from:
            continue
        clock.set(moment)
        if mails and True not in runners:  # the operator switched the mail on
            clock.set(mail_from)
            runners[True] = JobRunner(mail_jobs, store, duties, clock)
            clock.set(moment)
        runs += runners[mails].run_due(job.id)
    return ScheduledMonth(syncs, runs)
