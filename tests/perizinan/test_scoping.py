"""The documents of an application follow the application's own rule
(`application_list_visible`): an unsent draft's files reach only the applicant."""

import pytest
from django.urls import reverse

from .factories import building_type, draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(permit_verifier, surveyor, head, opd_officer):
    return [permit_verifier, surveyor, head, opd_officer]  # opd_officer: DPUPR, technical


def _doc_url(app):
    return reverse("core:upload", args=[app.documents.first().upload.token])


def test_draft_documents_reach_only_the_applicant(client, regions, citizen, staff):
    app = draft(building_type(), citizen)
    for user in staff:
        client.force_login(user)
        assert client.get(app.get_absolute_url()).status_code == 404
        assert client.get(_doc_url(app)).status_code == 404, user
    client.force_login(citizen)
    assert client.get(_doc_url(app)).status_code == 200


def test_sent_documents_reach_the_office_and_the_technical_agency(
    client, regions, citizen, staff, make_citizen
):
    app = submitted(building_type(), citizen)
    for user in staff:
        client.force_login(user)
        assert client.get(_doc_url(app)).status_code == 200, user
    client.force_login(make_citizen())
    assert client.get(_doc_url(app)).status_code == 404
