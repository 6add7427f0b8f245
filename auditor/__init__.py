"""ruobr-auditor: compliance auditor over the ЭШ 2.0 (ruobr.ru) e-journal."""

__version__ = "0.1.0"
