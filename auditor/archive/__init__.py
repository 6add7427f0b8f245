"""The archive of clauses 3.1 and 3.2: signed, chained entries on two media, verify, replay.

docs/archive.md describes the design. The public API:

- :func:`~auditor.archive.service.archive_month`, :func:`~auditor.archive.service.archive_pending`
- :func:`~auditor.archive.verify.verify_archive`
- :func:`~auditor.archive.replay.replay_entry`
"""
