"""The rule e-Perizinan's selectors carry (application_list_visible): the applicant
always; the permit office and the technical agency (within its scope) once the file is
sent, never another person's unsent draft; nobody else. The detail page 404s exactly for
what the list leaves out."""

from __future__ import annotations

import pytest
from django.http import Http404

from perizinan import selectors
from tests.perizinan import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(practice, citizen):
    return {
        "draft": factories.draft(practice, citizen),
        "sent": factories.submitted(practice, citizen),
    }


SEES = {
    "citizen": {"draft", "sent"},  # the applicant
    "permit_verifier": {"sent"},
    "head": {"sent"},
    "surveyor": {"sent"},
    "dinkes_officer": {"sent"},  # the technical agency of a practice permit
    "opd_officer": set(),  # another agency
    "moderator": set(),  # staff, not of the permit office
    "kelurahan_officer": set(),
}


@pytest.mark.parametrize("who", SEES)
def test_a_file_is_seen_by_its_applicant_and_once_sent_by_the_office_in_scope(who, request, files):
    user = request.getfixturevalue(who)
    listed = set(selectors.application_list_visible(user=user).values_list("pk", flat=True))
    assert listed == {files[name].pk for name in SEES[who]}
    for name, app in files.items():
        if name in SEES[who]:
            assert selectors.application_get_for_user(user=user, pk=app.pk) == app
        else:
            with pytest.raises(Http404):
                selectors.application_get_for_user(user=user, pk=app.pk)


def test_another_citizen_sees_no_file(make_citizen, files):
    """application_list_visible: a citizen sees only their own files."""
    stranger = make_citizen()
    assert not selectors.application_list_visible(user=stranger).exists()
