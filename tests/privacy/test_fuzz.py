"""Crafted values into the privacy forms: never a 5xx; refused input writes nothing."""

import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binjai_portal.core.privacy.models import AccessLog, Incident, RightsRequest

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\x00", "²", "١٢٣", "=HYPERLINK(1)", "9" * 400, "2026-02-30T25:61", "-1"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=NASTY, dependant=NASTY, about=NASTY, details=NASTY, reason=NASTY, when=NASTY)
def test_privacy_forms_never_fail(citizen, dpo, kind, dependant, about, details, reason, when):
    c = Client(raise_request_exception=False)
    c.force_login(citizen)
    before = RightsRequest.objects.count()
    r = c.post(
        reverse("privacy:request-new"),
        {"kind": kind, "dependant": dependant, "about": about, "details": details},
    )
    assert r.status_code < 500
    if r.status_code != 302:
        assert RightsRequest.objects.count() == before
    # any text as the token, quoted as a browser would send it ("/" included)
    token = urllib.parse.quote(reason or "x", safe="")
    r = c.get(reverse("privacy:nik-reveal", args=["TOKEN"]).replace("TOKEN", token))
    assert r.status_code in (400, 404)  # the request guard refuses control characters
    d = Client(raise_request_exception=False)
    d.force_login(dpo)
    before = Incident.objects.count()
    r = d.post(
        reverse("privacy:incident-new"),
        {
            "title": about,
            "description": details,
            "data_disclosed": reason,
            "discovered_at": when,
            "suspect_nik": dependant,
            "window_start": when,
        },
    )
    assert r.status_code < 500
    if r.status_code != 302:
        assert Incident.objects.count() == before
    assert d.get(reverse("privacy:access-log"), {"kind": kind}).status_code in (200, 400)
    assert not AccessLog.objects.exists()
