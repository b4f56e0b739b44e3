"""The alert list and the alert page come from one selector (`alert_list_visible`)."""

import pytest
from django.urls import reverse

from binjai_portal.core.kpi import AlertCause
from command_center import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(regions):
    return services.alert_raise(
        cause=AlertCause(
            key="uji:1", title="Peringatan ZQXALERT", body="", url="", unit_codes=("dpupr",)
        ),
        app="masyarakat",
        rule="uji",
    )


@pytest.mark.parametrize(
    "role,unit",
    [
        ("tapd", "bpkad"),
        ("bappeda", "bappeda"),
        ("dpmptsp_verifikator", "dpmptsp"),
        ("moderator_pengaduan", None),
        ("petugas_opd", "dinkes"),
    ],
)
def test_who_may_not_open_an_alert_does_not_see_it_listed(client, make_staff, alert, role, unit):
    client.force_login(make_staff(role, unit))
    assert client.get(alert.get_absolute_url()).status_code == 404
    response = client.get(reverse("command_center:alert-list"))
    assert "ZQXALERT" not in response.content.decode()


@pytest.mark.parametrize(
    "role,unit",
    [("wallboard", None), ("pengamat", None), ("pimpinan", None), ("petugas_opd", "dpupr")],
)
def test_who_sees_an_alert_listed_may_open_it(client, make_staff, alert, role, unit):
    client.force_login(make_staff(role, unit))
    assert "ZQXALERT" in client.get(reverse("command_center:alert-list")).content.decode()
    assert client.get(alert.get_absolute_url()).status_code == 200


def test_an_empty_post_to_an_alert_is_a_form_error_not_a_500(client, leader, alert):
    client.force_login(leader)
    assert client.post(alert.get_absolute_url(), {}).status_code == 400
