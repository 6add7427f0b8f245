"""The connector: HTTP layer, staff web session, page parsers, mobile API client, capture."""
