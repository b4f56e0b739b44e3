"""Scale data sets for the benchmarks: PostgreSQL's fast path, shared by every app.

Each app's `scale.py` registers a `kpi.scale_generator` that calls `scale_insert`
with SQL expressions for the columns it sets; `manage.py generate_scale_data` runs them.
"""

from __future__ import annotations


def scale_insert(
    model, exprs: dict[str, str], from_sql: str, params: dict, with_sql: str = ""
) -> int:
    """One `[WITH ...] INSERT INTO <table> SELECT ... FROM ...` for the model.

    exprs holds the SQL of a column (by attname); every other column gets its field's
    default as a parameter, so a new NOT NULL column without a default fails loudly.
    """
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    cols, sels, params = [], [], dict(params)
    for f in model._meta.concrete_fields:
        if f.primary_key and f.attname not in exprs:
            continue
        cols.append(connection.ops.quote_name(f.column))
        if f.attname in exprs:
            sels.append(exprs[f.attname])
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif f.empty_strings_allowed and f.blank:
            value = ""
        else:
            raise ImproperlyConfigured(f"scale data: no value for {model.__name__}.{f.name}")
        name = f"default_{f.attname}"
        params[name] = f.get_db_prep_save(value, connection)
        sels.append(f"%({name})s")
    sql = (
        f"{with_sql} INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "
        f"({', '.join(cols)}) SELECT {', '.join(sels)} {from_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
