"""The Jinja2 templates of the reports for people (HTML mail, printable pages, CSS).

A package only so that a plain ``pip install .`` installs the templates with the code; the
templates render a prepared context (``auditor.report.contexts``) and compute nothing.
"""
