"""core.actions: an action names its form and service; the engine says who may take it.

Exercised on a real workflow (the command center's alert: open → acknowledged → closed,
a note required to close) with the real PostgreSQL rows; the forms and services are the
alert's own, only the Actions set is declared here."""

import pytest
from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from binjai_portal.core.actions import FORM, MESSAGE, Action, Actions, action_outcome, run_action
from binjai_portal.core.models import StatusChange
from binjai_portal.core.workflow import TransitionRefused, refused_message

pytestmark = pytest.mark.django_db


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=20)


def _close(alert, user, form):
    from command_center import services

    return services.alert_close(alert=alert, actor=user, note=form.cleaned_data["note"])


def _acknowledge(alert, user, form):
    from command_center import services

    return services.alert_acknowledge(alert=alert, actor=user, note=form.cleaned_data["note"])


def _actions(**kwargs):
    from command_center import workflows as wf

    return Actions(
        wf.ALERT,
        Action("acknowledge", "Tandai diketahui", NoteForm, _acknowledge),
        Action(
            "close",
            "Tutup",
            NoteForm,
            _close,
            confirm="Tutup? Tidak dapat dibuka lagi.",
            danger=True,
        ),
        **kwargs,
    )


@pytest.fixture
def alert(regions):
    from binjai_portal.accounts.models import Unit
    from binjai_portal.core.workflow import workflow_start
    from command_center import workflows as wf
    from command_center.models import Alert

    a = Alert.objects.create(
        cause_key="uji:actions",
        app="masyarakat",
        rule="overdue",
        title="Pengaduan lewat batas",
        unit=Unit.objects.get(code="dpupr"),
    )
    workflow_start(a, workflow=wf.ALERT, state="open", actor=None)
    return a


def _post(user, data):
    request = RequestFactory().post("/x/", data)
    request.user = user
    request._messages = CookieStorage(request)
    return request


def _messages(request) -> list[str]:
    return [str(m) for m in request._messages]


def _history(alert) -> int:
    return StatusChange.objects.filter(
        object_id=str(alert.pk), workflow="command_center.alert"
    ).count()


def _form_page(outcome):
    return HttpResponse(outcome.form.as_div(), status=400)


def test_a_refusal_is_a_validation_error_with_one_message():
    exc = TransitionRefused("Catatan wajib diisi.", code="note")
    assert isinstance(exc, ValidationError)
    assert (exc.message, exc.code, exc.messages, str(exc)) == (
        "Catatan wajib diisi.",
        "note",
        ["Catatan wajib diisi."],
        "Catatan wajib diisi.",
    )
    assert refused_message(exc) == "Catatan wajib diisi."
    assert refused_message(ValidationError(["Satu.", "Dua."])) == "Satu. Dua."
    assert refused_message(PermissionDenied("Bukan urusan Anda.")) == "Bukan urusan Anda."


def test_only_the_allowed_actions_are_rendered_with_their_confirmation(alert, leader, citizen):
    actions = _actions()
    assert actions.available(citizen, alert) == []
    items = actions.items(leader, alert, url=lambda a: f"/alert/{a.name}/")
    assert [i.name for i in items] == ["acknowledge", "close"]
    html = render_to_string("core/_actions.html", {"items": items, "action_field": "action"})
    assert html.count("<form") == 2
    assert 'action="/alert/close/"' in html and 'value="close"' in html
    assert 'data-confirm="Tutup? Tidak dapat dibuka lagi."' in html
    assert html.count("data-confirm") == 1  # acknowledging is reversible enough: not asked
    assert "btn-outline-danger" in html and ">Tutup</button>" in html
    assert (
        render_to_string("core/_actions.html", {"items": actions.items(citizen, alert)}).strip()
        == ""
    )


def test_a_refused_transition_shows_the_message_and_changes_nothing(alert, leader):
    before = _history(alert)
    request = _post(leader, {"close-note": ""})  # the workflow requires a note to close
    response = run_action(request, alert, _actions(refused=MESSAGE), "close")
    assert response.status_code == 302
    assert any("Catatan wajib diisi" in m for m in _messages(request))
    alert.refresh_from_db()
    assert alert.status == "open" and _history(alert) == before

    request = _post(leader, {"close-note": ""})
    response = run_action(request, alert, _actions(refused=FORM), "close", render_form=_form_page)
    assert response.status_code == 400
    assert "Catatan wajib diisi" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open" and _history(alert) == before


def test_a_form_error_re_renders_the_form_and_runs_nothing(alert, leader):
    before = _history(alert)
    request = _post(leader, {"close-note": "x" * 21})  # longer than the form allows
    response = run_action(request, alert, _actions(), "close", render_form=_form_page)
    assert response.status_code == 400
    assert "close-note" in response.content.decode()
    outcome = action_outcome(_post(leader, {"close-note": "x" * 21}), alert, _actions(), "close")
    assert not outcome.ok and outcome.to_form and "note" in outcome.form.errors
    alert.refresh_from_db()
    assert alert.status == "open" and _history(alert) == before


def test_an_action_not_allowed_is_refused_on_post(alert, citizen, leader):
    before = _history(alert)
    with pytest.raises(PermissionDenied):  # the view answers 403
        run_action(_post(citizen, {"close-note": "selesai"}), alert, _actions(), "close")
    request = _post(citizen, {"close-note": "selesai"})
    response = run_action(request, alert, _actions(unavailable=MESSAGE), "close")
    assert response.status_code == 302
    assert _messages(request) == ["Anda tidak berwenang melakukan tindakan ini."]
    with pytest.raises(Http404):
        run_action(_post(leader, {}), alert, _actions(), "delete")
    alert.refresh_from_db()
    assert alert.status == "open" and _history(alert) == before


def test_an_allowed_action_runs_its_service_and_says_so(alert, leader):
    request = _post(leader, {"close-note": "Sudah diperbaiki"})
    response = run_action(request, alert, _actions(success="Ditutup."), "close")
    assert response.status_code == 302 and response.url == alert.get_absolute_url()
    assert _messages(request) == ["Ditutup."]
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert _actions().available(leader, alert) == []  # nothing left to do on a closed alert
