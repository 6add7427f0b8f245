"""``auditor serve``: the jobs that sync, audit and mail on time (see docs/scheduler.md)."""
