"""Pages every visitor hits: the public home page and the login form."""

ENDPOINTS = [
    ("home (public)", "/"),
    ("login form", "/accounts/login/"),
]


def load() -> None:
    """Nothing beyond the demo data."""
