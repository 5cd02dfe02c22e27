"""The due-time API: what the procedure page asks for every visitor ("if you submit now, due at …")."""

ENDPOINTS = [
    ("due time, same day (API)", "/api/procedures/2.000815/due/?received_at=2026-01-05T15:30:00%2B07:00"),
    ("due time, 17 days, unit (API)", "/api/procedures/1.001776/due/?received_at=2025-12-31T10:00:00Z&unit=H26.08.04"),
]


def load() -> None:
    """Nothing beyond the demo data (the shipped catalogue and Hoàng Liệt's office hours)."""
