"""The judging stage: the production calendar, the clause catalogue, the same-day judge, the
topic helpers, the rule engine and the audit runner.

Rules (the top-level ``rules`` package) import the judge's modules here (``calendar``,
``deadlines``, ``topics``, ``clauses``) and the shapes of :mod:`auditor.contract`; none of them
loads the store or SQLAlchemy. Nothing is imported in this ``__init__`` so that loading one
module stays cheap.
"""
