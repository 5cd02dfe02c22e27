"""Fill locale/<lang>/LC_MESSAGES/django.po from the JSON files in locale/translations/<lang>/.

Each area of the code keeps its own JSON file (msgid → msgstr, or msgid → [singular, plural]),
so people working in parallel never edit the same file; `make messages` merges them here.
Prints the msgids still untranslated so they can be added.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def load(lang: str) -> dict:
    merged: dict = {}
    for path in sorted((ROOT / "locale" / "translations" / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def fill(lang: str) -> list[str]:
    table = load(lang)
    po_path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        value = table.get(entry.msgid)
        if value is None:
            if "fuzzy" in entry.flags:
                # makemessages' guess from a similar msgid is usually wrong; it is not a translation.
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = {0: forms[0]} if lang == "vi" else {0: forms[0], 1: forms[-1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = lang
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if lang == "vi":
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save()
    return missing


if __name__ == "__main__":
    missing = fill("vi")
    for msgid in missing:
        print(f"untranslated (vi): {msgid!r}")
    sys.exit(1 if missing else 0)
