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


def _catalogue(text: str) -> set[tuple[str, str]]:
    """(context, msgid) of every entry of a .po/.pot text (comments and obsolete entries
    left out); entries are separated by blank lines, strings may continue on more lines."""
    found = set()
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if m:
                key, fields[m.group(1)] = m.group(1), m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            found.add((fields.get("msgctxt", ""), fields["msgid"]))
    return found


def test_every_string_the_code_and_templates_mark_is_in_the_catalogue(tmp_path):
    """xgettext with the keywords of our `makemessages` (binjai_portal/core/management/
    commands/makemessages.py) over the shipped Python code and templates (turned into
    Python by Django's `templatize`, as makemessages does): each marked string must be in
    locale/en. A string marked through a name xgettext does not know (the figures' `_l`
    once) never reaches the catalogue and stays Indonesian in English; so does a
    template string added without its translation (the tiles' "turun … dari periode
    sebelumnya" once)."""
    import subprocess

    from django.core.management.commands import makemessages as django_makemessages
    from django.utils.translation.template import templatize

    from binjai_portal.core.management.commands.makemessages import Command

    root = PO.parents[3]
    skip = {".venv", "tests", "bench", "node_modules", "static", "migrations", ".git"}
    files = [
        str(p)
        for p in root.rglob("*.py")
        if not skip.intersection(p.relative_to(root).parts)
        and "var" != p.relative_to(root).parts[0]
    ]
    templates = [
        p
        for p in root.rglob("templates/**/*")
        if p.suffix in (".html", ".txt") and not skip.intersection(p.relative_to(root).parts)
    ]
    for n, template in enumerate(templates):
        converted = tmp_path / f"template_{n}.py"
        converted.write_text(templatize(template.read_text(encoding="utf-8"), origin=str(template)))
        files.append(str(converted))
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(files))
    keywords = [
        "--keyword=gettext_noop",
        "--keyword=gettext_lazy",
        "--keyword=ngettext_lazy:1,2",
        "--keyword=pgettext:1c,2",
        "--keyword=npgettext:1c,2,3",
        "--keyword=pgettext_lazy:1c,2",
        "--keyword=npgettext_lazy:1c,2,3",
    ]
    assert Command.xgettext_options != django_makemessages.Command.xgettext_options
    pot = subprocess.run(
        [
            "xgettext",
            "--language=Python",
            *keywords,
            *Command.xgettext_options,
            "--output=-",
            "--files-from",
            str(listing),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    marked = _catalogue(pot)
    shipped = _catalogue(PO.read_text(encoding="utf-8"))
    assert len(marked) > 1000  # the scan saw the code
    missing = sorted(m for c, m in marked - shipped)
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])
