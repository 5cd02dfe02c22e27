"""Text folding for search: Vietnamese without diacritics, lowercase, single spaces."""

from unidecode import unidecode


def fold(text: str) -> str:
    """'Chứng thực  Bản sao' → 'chung thuc ban sao'; 'Đăng ký' → 'dang ky'.

    Citizens often type without diacritics (or with a keyboard that mangles them), so both the
    stored search column and the query are folded the same way before comparing.
    """
    return " ".join(unidecode(text or "").lower().split())


def search_terms(query: str, *, max_terms: int = 8) -> list[str]:
    """The folded words of a query, deduplicated, at most `max_terms` (a guard against abuse)."""
    seen: list[str] = []
    for word in fold(query).split():
        if word not in seen:
            seen.append(word)
    return seen[:max_terms]


def thousands(amount: int, separator: str) -> str:
    """200000 → '200.000' (Vietnamese) or '200,000' (English); Django's vi format sets no grouping."""
    return f"{amount:,}".replace(",", separator)
