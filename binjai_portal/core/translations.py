"""Helpers for the English fields beside officer-entered names (django-modeltranslation).

modeltranslation keeps the Indonesian value in `<field>_ind` (it renames "id", which
would clash with the primary key) and the English one in `<field>_en`; `obj.name` reads
the active language's and falls back to Indonesian. Rows written without its descriptors
(data migrations use historical models, `bulk_create` of raw rows) have only the base
column: `fill_indonesian` copies it over, from each migration that adds the fields and
after every `migrate` (post_migrate), so no name ever reads as empty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


def _copy(model, fields) -> None:
    for name in fields:
        target = f"{name}_ind"
        manager = model._base_manager
        qs = manager.rewrite(False) if hasattr(manager, "rewrite") else manager.all()
        qs.filter(Q(**{f"{target}__isnull": True}) | Q(**{target: ""})).update(**{target: F(name)})


def fill_indonesian(app_label: str, model_name: str, fields: tuple[str, ...]):
    """A RunPython operation: copy the base column into `<field>_ind` where empty."""

    def forwards(apps, schema_editor):
        _copy(apps.get_model(app_label, model_name), fields)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def fill_indonesian_everywhere(using: str = "default", **kwargs) -> None:
    """post_migrate: the same for every registered model (rows a later data migration
    wrote through a historical model). Skips a table migrated back to before its fields
    (a migration test runs old schemas)."""
    from django.db import connections
    from modeltranslation.translator import translator

    connection = connections[using]
    with connection.cursor() as cursor:
        for model in translator.get_registered_models(abstract=False):
            table = model._meta.db_table
            if table not in connection.introspection.table_names(cursor):
                continue
            columns = {
                c.name for c in connection.introspection.get_table_description(cursor, table)
            }
            fields = tuple(f for f in translator.get_options_for_model(model).fields)
            if all(f"{f}_ind" in columns for f in fields):
                _copy(model, fields)


def english_set(model, key_field: str, names: dict, field: str = "name") -> int:
    """Set English names of reference rows by key (demo/seed data); returns how many."""
    done = 0
    for key, english in names.items():
        done += model._base_manager.filter(**{key_field: key}).update(**{f"{field}_en": english})
    return done


def localized(path: str):
    """An expression for a translated field reached through a relation, in the active
    language with the Indonesian fallback: `.values(facility=localized("facility__unit__name"))`.
    modeltranslation rewrites lookups on its own models' querysets only; a query on another
    model (bookings grouped by facility) reads the base column, the Indonesian name."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.LANGUAGE_CODE.split("-")[0]:
        return Coalesce(NullIf(F(f"{path}_ind"), Value("")), F(path))
    return Coalesce(NullIf(F(f"{path}_{language}"), Value("")), F(path))
