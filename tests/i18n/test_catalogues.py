"""Vietnamese is complete: every message has a translation, and the compiled catalogue is current."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalogue_has_no_fuzzy_entries_and_mo_matches_po(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    assert not po.fuzzy_entries()
    compiled = {e.msgid: (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        assert entry.msgid in compiled, f"{entry.msgid!r} missing from {lang} .mo: run `make messages`"


def test_every_vietnamese_message_is_translated():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    assert untranslated == [], f"untranslated: {untranslated[:10]} (add them to locale/translations/vi/)"
