"""Translated labels of a choices class, looked up once per language.

`instance.get_status_display()` translates every label of the field's choices on each
call (it builds a dict of all of them); on a page of 500 cards that was a third of the
request. Translations do not change while the process runs, so the map per language is
built once and kept.
"""

from __future__ import annotations

from django.db.models import Choices
from django.utils.translation import get_language

_maps: dict[tuple[type[Choices], str | None], dict[str, str]] = {}


def choice_labels(choices: type[Choices]) -> dict[str, str]:
    """{stored value: label in the active language} for a TextChoices/IntegerChoices."""
    key = (choices, get_language())
    found = _maps.get(key)
    if found is None:
        found = _maps[key] = {value: str(label) for value, label in choices.choices}
    return found


def choice_label(choices: type[Choices], value) -> str:
    return choice_labels(choices).get(value, value)
