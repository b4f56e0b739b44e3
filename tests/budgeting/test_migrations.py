"""The data migration to English state codes moves every stored state, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from budgeting import services

from .test_services import add_pen

STATES = {
    "budget": "SELECT status FROM budgeting_budget",
    "budget history": "SELECT status FROM budgeting_historicalbudget",
    "price list": "SELECT status FROM budgeting_pricelist",
    "fiscal year": "SELECT phase FROM budgeting_fiscalyear",
    "line": "SELECT standard FROM budgeting_line",
    "line history": "SELECT standard FROM budgeting_historicalline",
    "workflow history": "SELECT workflow || ':' || from_state || '>' || to_state "
    "FROM core_statuschange WHERE workflow LIKE 'budgeting.%%'",
}


def stored() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        out = {}
        for name, sql in STATES.items():
            cursor.execute(sql)
            out[name] = {row[0] for row in cursor.fetchall()}
    return out


@pytest.mark.django_db(transaction=True)
def test_state_codes_migrate_backwards_and_forwards(activity, opd_officer, atk, items, budget):
    add_pen(activity, opd_officer, atk, items)
    services.budget_act(budget=budget, action="submit", actor=opd_officer)
    english = stored()
    assert english["budget"] == {"submitted"} and english["price list"] == {"published"}

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("budgeting", "0002_load_accounts")])
        assert stored() == {
            "budget": {"diajukan"},
            "budget history": {"draf", "diajukan"},
            "price list": {"terbit"},
            "fiscal year": {"penyusunan"},
            "line": {"standar"},
            "line history": {"standar"},
            "workflow history": {
                "budgeting.budget:>draf",
                "budgeting.budget:draf>diajukan",
                "budgeting.price_list:>draf",
                "budgeting.price_list:draf>terbit",
                "budgeting.fiscal_year:>penyusunan",
            },
        }
    finally:
        # Forward to the newest migration again, whatever happened: later tests need it.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("budgeting"))
    assert stored() == english
