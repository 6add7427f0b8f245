"""The judging stage: the frames contract, the production calendar, the same-day judge, the
rule engine and the audit runner.

Rules (the top-level ``rules`` package) import the contract modules here (``frames``,
``values``, ``findings``, ``calendar``, ``deadlines``, ``topics``); none of them loads the store
or SQLAlchemy. Nothing is imported in this ``__init__`` so that loading one contract module
stays cheap.
"""
