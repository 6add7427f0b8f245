"""The connector: HTTP layer, staff web session, page parsers, mobile API client."""

from __future__ import annotations

from auditor.errors import AuthError


class LoginRefusedError(AuthError):
    """The site refused the configured login and password (not just one page)."""
