"""What the readers receive: findings as terminal tables and files (XLSX, CSV, JSON)."""
