"""locale/en must be complete for what ships (Indonesian is the source language)."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    blocks = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # skip the header
    for block in blocks:
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        yield block, lines


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for block, lines in entries():
        if "#, fuzzy" in block:
            fuzzy.append(block)
        strs = [m for line in lines for m in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', line)]
        continuation = any(
            line.startswith('"') and line != '""'
            for line in block.split("msgstr", 1)[1].splitlines()[1:]
        )
        if not continuation and all(s == "" for s in strs):
            untranslated.append(block)
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("Profil saya") == "My profile"
        assert translation.pgettext("plural", "pengguna") == "users"
