"""Each app's states are declared once, in its workflow (`<app>/workflows.py`): the model's
field offers exactly the workflow's states (codes, labels, order), its migrations say the
same, and no model keeps a second list. A state added in one place only fails here."""

from __future__ import annotations

import importlib
import pickle

import pytest
from django.apps import apps
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from binjai_portal.core.workflow import DECLARED, Action, State, Workflow


def _workflow_modules():
    """Every installed app's `workflows` module."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.workflows"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return found


def _app_workflows() -> list[Workflow]:
    return [
        value
        for module in _workflow_modules()
        for value in vars(module).values()
        if isinstance(value, Workflow)
    ]


def _differences(workflow: Workflow, choices) -> list[str]:
    """What a field's choices say that the workflow does not (or the other way round)."""
    with translation.override("id"):
        declared = [(s.name, str(s.label)) for s in workflow.states]
        offered = [(value, str(label)) for value, label in choices]
    if declared == offered:
        return []
    extra = [c for c in offered if c not in declared]
    missing = [c for c in declared if c not in offered]
    if not extra and not missing:
        return [f"{workflow.name}: the states are in another order: {offered}"]
    return [f"{workflow.name}: not declared {extra}, not offered {missing}"]


WORKFLOWS = _app_workflows()


def test_every_app_declares_workflows_and_each_names_its_model():
    names = {w.name for w in WORKFLOWS}
    assert {
        "dokter.booking",
        "masyarakat.ticket",
        "musrenbang.proposal",
        "perizinan.application",
        "budgeting.budget",
        "budgeting.price_list",
        "budgeting.fiscal_year",
        "command_center.alert",
        "privacy.rights_request",
        "privacy.incident",
        "billing.bill",
    } <= names
    assert [w.name for w in WORKFLOWS if not w.model] == []
    assert {w.name for w in WORKFLOWS} <= set(DECLARED)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_the_model_field_offers_exactly_the_workflow_states(workflow):
    model = apps.get_model(workflow.model)
    field = model._meta.get_field(workflow.state_field)
    assert _differences(workflow, field.choices) == []
    names = [s.name for s in workflow.states]
    assert field.default in names
    assert field.max_length >= max(len(n) for n in names)
    history = getattr(model, "history", None)
    if history is not None:  # simple_history's copy keeps the same choices
        copy = history.model._meta.get_field(workflow.state_field)
        assert _differences(workflow, copy.choices) == []


@pytest.fixture(scope="module")
def migrated_state():
    return MigrationLoader(None, ignore_no_migrations=True).project_state()


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_the_migrations_say_the_same_states(workflow, migrated_state):
    """A state added to the workflow without its (AlterField) migration fails here."""
    app_label, model_name = workflow.model.split(".")
    fields = migrated_state.models[app_label, model_name.lower()].fields
    assert _differences(workflow, fields[workflow.state_field].choices) == []


def test_a_second_copy_of_the_states_is_caught():
    """The guard above fails for a model that keeps its own list with one state more."""
    workflow = Workflow(
        name="test.copy",
        states=(State("draft", "Draf"), State("sent", "Terkirim")),
        actions=(Action("send", ("draft",), "sent", roles=()),),
    )

    class Copy(models.TextChoices):
        DRAFT = "draft", "Draf"
        SENT = "sent", "Terkirim"
        ARCHIVED = "archived", "Diarsipkan"

    assert _differences(workflow, workflow.text_choices().choices) == []
    assert _differences(workflow, Copy.choices) == [
        "test.copy: not declared [('archived', 'Diarsipkan')], not offered []"
    ]


def test_text_choices_are_the_states_as_members_that_pickle():
    from dokter.models import Booking

    status = Booking.Status
    assert status.__qualname__ == "Booking.Status"
    assert status.__module__ == "dokter.models"
    assert status.CHECKED_IN == "checked_in"
    assert status.CHECKED_IN.label == "Hadir, menunggu"
    assert pickle.loads(pickle.dumps(status.CHECKED_IN)) is status.CHECKED_IN
    with translation.override("en"):
        assert str(status.CHECKED_IN.label) == "Arrived, waiting"


def test_a_state_declared_twice_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(name="x", states=(State("a", "A"), State("a", "B")), actions=())
