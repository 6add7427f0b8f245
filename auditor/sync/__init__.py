"""Sync: read ЭШ 2.0 (staff web app or mobile API) into the store, one complete run at a time.

``plan`` decides what to read, ``staff`` and ``mobile`` read it (through
:mod:`auditor.source`), ``run`` hands the finished snapshot to the store, ``report`` says
what a run saw. ``connect`` builds the clients from the configuration.
"""
