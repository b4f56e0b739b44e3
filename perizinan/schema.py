"""Each permit type carries a small schema of its own form fields, stored as JSON.

    [{"name": "luas_tanah", "label": "Luas tanah (m²)", "kind": "decimal",
      "required": true, "min": 1, "max": 100000},
     {"name": "fungsi", "label": "Fungsi bangunan", "kind": "choice",
      "choices": ["hunian", "usaha"]},
     {"name": "kbli", "label": "Kode KBLI", "kind": "text", "pattern": "^[0-9]{5}$"}]

`schema_validate` refuses a malformed schema (admin input); `schema_form_fields`
builds the Django form fields an applicant fills in.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

KINDS = ("integer", "decimal", "text", "choice")
NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
ALLOWED_KEYS = {
    "name",
    "label",
    "kind",
    "required",
    "min",
    "max",
    "choices",
    "pattern",
    "help",
    "max_length",
    "label_en",  # English label and help, shown when the reader chose English
    "help_en",
}


def localized(item: dict, key: str) -> str:
    """The item's `key` in the active language: `<key>_en` in English when it is filled,
    else the Indonesian one."""
    if get_language() == "en" and isinstance(item.get(f"{key}_en"), str) and item[f"{key}_en"]:
        return item[f"{key}_en"]
    return item.get(key, "")


def schema_validate(schema) -> list[dict]:
    """Return the schema when it is well formed, else raise ValidationError."""
    if not isinstance(schema, list):
        raise ValidationError(_("Skema isian harus berupa daftar (list) JSON."))
    if len(schema) > 30:
        raise ValidationError(_("Paling banyak 30 isian per jenis izin."))
    seen = set()
    for i, item in enumerate(schema, start=1):
        if not isinstance(item, dict):
            raise ValidationError(_("Isian ke-%(n)s harus berupa objek JSON.") % {"n": i})
        unknown = set(item) - ALLOWED_KEYS
        if unknown:
            raise ValidationError(
                _("Isian ke-%(n)s memakai kunci tak dikenal: %(keys)s.")
                % {"n": i, "keys": ", ".join(sorted(unknown))}
            )
        name = item.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ValidationError(
                _("Isian ke-%(n)s: nama harus huruf kecil, angka dan garis bawah, diawali huruf.")
                % {"n": i}
            )
        if name in seen:
            raise ValidationError(_("Nama isian %(name)s dipakai dua kali.") % {"name": name})
        seen.add(name)
        if item.get("kind") not in KINDS:
            raise ValidationError(
                _("Isian %(name)s: jenis harus salah satu dari %(kinds)s.")
                % {"name": name, "kinds": ", ".join(KINDS)}
            )
        if not isinstance(item.get("label"), str) or not item["label"].strip():
            raise ValidationError(_("Isian %(name)s: label wajib diisi.") % {"name": name})
        for key in ("label_en", "help_en"):
            if key in item and not isinstance(item[key], str):
                raise ValidationError(
                    _("Isian %(name)s: %(key)s harus berupa teks.") % {"name": name, "key": key}
                )
        for bound in ("min", "max"):
            if bound in item and (
                isinstance(item[bound], bool) or not isinstance(item[bound], (int, float))
            ):
                raise ValidationError(
                    _("Isian %(name)s: %(b)s harus angka.") % {"name": name, "b": bound}
                )
        if item["kind"] == "choice":
            choices = item.get("choices")
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, str) and c for c in choices)
            ):
                raise ValidationError(
                    _("Isian %(name)s: pilihan wajib berupa daftar teks.") % {"name": name}
                )
        if "pattern" in item:
            try:
                re.compile(item["pattern"])
            except (re.error, TypeError):
                raise ValidationError(
                    _("Isian %(name)s: pola tidak sah.") % {"name": name}
                ) from None
    return schema


def numeric_names(schema: list[dict]) -> set[str]:
    return {f["name"] for f in schema if f.get("kind") in ("integer", "decimal")}


def schema_form_fields(schema: list[dict]) -> dict[str, forms.Field]:
    """Django form fields for the schema, keyed `f_<name>` (never clash with others)."""
    fields: dict[str, forms.Field] = {}
    for item in schema:
        common = {
            "label": localized(item, "label"),
            "required": bool(item.get("required", True)),
            "help_text": localized(item, "help"),
        }
        kind = item["kind"]
        if kind == "integer":
            field = forms.IntegerField(
                min_value=item.get("min"), max_value=item.get("max"), **common
            )
        elif kind == "decimal":
            field = forms.DecimalField(
                min_value=None if item.get("min") is None else Decimal(str(item["min"])),
                max_value=None if item.get("max") is None else Decimal(str(item["max"])),
                max_digits=14,
                decimal_places=2,
                **common,
            )
            field.localize = False
        elif kind == "choice":
            field = forms.ChoiceField(
                choices=[("", "—"), *[(c, c) for c in item["choices"]]], **common
            )
        else:
            validators = []
            if item.get("pattern"):
                validators.append(
                    RegexValidator(
                        item["pattern"],
                        _("Format %(label)s tidak sesuai.") % {"label": localized(item, "label")},
                    )
                )
            field = forms.CharField(
                max_length=int(item.get("max_length") or 200), validators=validators, **common
            )
        fields[f"f_{item['name']}"] = field
    return fields


def to_json_value(value):
    """Form value -> JSON-safe value (Decimal as string, exact)."""
    if isinstance(value, Decimal):
        return str(value)
    return value
