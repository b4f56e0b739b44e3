"""Who may work on permits and sign them (perizinan/rules.py), persona × permit state."""

from __future__ import annotations

import pytest
import rules

from perizinan import workflows as wf
from perizinan.models import Application
from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

VERIFIER, SURVEYOR, HEAD = "dpmptsp_verifikator", "dpmptsp_surveyor", "dpmptsp_kepala"
TECHNICAL = "petugas_opd@dpupr"
PERSONAS = (ANON, CITIZEN, VERIFIER, SURVEYOR, HEAD, TECHNICAL, "moderator_pengaduan", SUPERUSER)
STATES = (wf.DRAFT, wf.SUBMITTED, wf.DECISION, wf.PAYMENT, wf.ISSUED)

WHO = {
    "perizinan.work_on_applications": {VERIFIER, SURVEYOR, HEAD, TECHNICAL, SUPERUSER},
    "perizinan.sign_certificate": {HEAD, SUPERUSER},
}
REISSUE = {s: ({HEAD, SUPERUSER} if s == wf.ISSUED else set()) for s in STATES}


@pytest.mark.parametrize("name", PERSONAS)
def test_the_permit_office_works_on_files_and_its_head_signs(name, persona):
    """work_on_applications: DPMPTSP's verifiers, surveyors and head and the technical
    agencies' officers; sign_certificate: the head."""
    user = persona(name)
    assert {p: rules.has_perm(p, user) for p in WHO} == {p: name in w for p, w in WHO.items()}


@pytest.mark.parametrize("name", PERSONAS)
def test_only_an_issued_permit_is_reissued_and_only_by_the_head(name, persona):
    """perizinan.reissue_certificate: the head, on an ISSUED permit only."""
    user = persona(name)
    row = {
        s: rules.has_perm("perizinan.reissue_certificate", user, Application(status=s))
        for s in STATES
    }
    assert row == {s: name in REISSUE[s] for s in STATES}


def test_a_deactivated_head_signs_nothing(persona):
    """perizinan.sign_certificate: an active account only."""
    head = persona(HEAD)
    head.is_active = False
    assert not rules.has_perm("perizinan.sign_certificate", head)
