"""The alert page offers exactly the steps the workflow engine allows (core/_actions.html),
a form each with its note; an observer is offered none."""

import pytest

from binjai_portal.accounts.models import Unit
from binjai_portal.core.workflow import workflow_start
from command_center import services
from command_center import workflows as wf
from command_center.models import Alert
from tests.offered import offered, offered_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(test_registry, regions):
    a = Alert.objects.create(
        cause_key="x:actions",
        app="masyarakat",
        rule="overdue",
        title="Pengaduan lewat batas",
        unit=Unit.objects.get(code="dpupr"),
    )
    workflow_start(a, workflow=wf.ALERT, state="open", actor=None)
    return a


def _page(client, user, alert):
    client.force_login(user)
    response = client.get(alert.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_may_acknowledge_and_close_an_open_alert(client, leader, alert):
    url = alert.get_absolute_url()
    html = _page(client, leader, alert)
    assert offered(html, url) == ["acknowledge", "close"]
    forms = {f.steps[0]: f for f in offered_forms(html, url)}
    assert forms["acknowledge"].buttons == [("Tandai diketahui", "btn btn-outline-primary mt-2")]
    assert forms["close"].buttons == [("Tutup peringatan", "btn btn-primary mt-2")]
    assert all(f.fields == ["note"] for f in forms.values())
    assert "Wajib diisi saat menutup peringatan." in html
    assert 'id="note-acknowledge"' in html and 'id="note-close"' in html
    services.alert_acknowledge(alert=alert, actor=leader)
    assert offered(_page(client, leader, alert), url) == ["close"]


def test_the_observer_is_offered_nothing_and_is_told_why_a_post_is_refused(client, pengamat, alert):
    url = alert.get_absolute_url()
    assert offered(_page(client, pengamat, alert), url) == []
    response = client.post(url, {"action": "close", "note": "x"})
    assert response.status_code == 400
    assert "tidak berwenang" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"


def test_a_refused_close_shows_the_note_form_with_its_error(client, leader, alert):
    url = alert.get_absolute_url()
    client.force_login(leader)
    response = client.post(url, {"action": "close", "note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert offered(html, url) == ["acknowledge", "close"]
    assert "Catatan wajib diisi" in html
    response = client.post(url, {"action": "hapus"})
    assert response.status_code == 400 and "Tindakan tidak dikenal." in response.content.decode()
