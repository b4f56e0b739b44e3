import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.template import Context, Template

from binjai_portal.accounts.models import Dependant, User
from binjai_portal.accounts.scoping import ensure_in_scope, scope_queryset
from tests.accounts.factories import DependantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents(make_citizen, regions):
    """One citizen in each of three kelurahan: two in Binjai Kota, one in Binjai Utara."""
    return {
        code: make_citizen(kelurahan=regions.get(code=code))
        for code in ["12.75.02.1001", "12.75.02.1002", "12.75.01.1001"]
    }


def visible(user, **fields):
    qs = User.objects.filter(groups__name="warga", is_staff=False)
    return set(scope_queryset(qs, user, **fields).values_list("kelurahan__code", flat=True))


def test_kelurahan_officer_sees_their_kelurahan_only(residents, kelurahan_officer):
    assert visible(kelurahan_officer, region_field="kelurahan") == {"12.75.02.1001"}


def test_kecamatan_officer_sees_every_kelurahan_of_their_kecamatan(residents, kecamatan_officer):
    assert visible(kecamatan_officer, region_field="kelurahan") == {
        "12.75.02.1001",
        "12.75.02.1002",
    }


def test_citywide_roles_see_everything(residents, bappeda, leader):
    for user in (bappeda, leader):
        assert visible(user, region_field="kelurahan") == set(residents)


def test_citizen_sees_what_they_own_and_anonymous_nothing(citizen, make_citizen):
    mine = DependantFactory(guardian=citizen)
    DependantFactory(guardian=make_citizen())
    qs = Dependant.objects.all()
    assert list(scope_queryset(qs, citizen, owner_field="guardian")) == [mine]
    assert not scope_queryset(qs, AnonymousUser(), owner_field="guardian").exists()
    assert ensure_in_scope(citizen, mine, owner_field="guardian") == mine


def test_out_of_scope_object_is_a_404(residents, kelurahan_officer):
    other = residents["12.75.01.1001"]
    with pytest.raises(Http404):
        ensure_in_scope(kelurahan_officer, other, region_field="kelurahan")


def test_unit_bound_officer_sees_their_unit(opd_officer, make_staff):
    colleague = make_staff("petugas_opd", "dpupr")
    elsewhere = make_staff("petugas_opd", "dlh")
    qs = User.objects.filter(pk__in=[colleague.pk, elsewhere.pk])
    assert list(scope_queryset(qs, opd_officer, unit_field="unit")) == [colleague]


def test_nik_shown_in_full_only_to_staff_with_the_permission(citizen, moderator, kelurahan_officer):
    """Masked for everyone; staff with the permission get a link to unmask it with a
    reason (tests/privacy/test_access_log.py follows it)."""
    template = Template("{% load accounts %}{{ person|nik_for:viewer }}")
    render = lambda viewer: template.render(Context({"person": citizen, "viewer": viewer}))  # noqa: E731
    assert render(moderator).startswith(citizen.masked_nik + ' <a href="/privasi/nik/')
    assert citizen.nik not in render(moderator)
    assert render(kelurahan_officer) == citizen.masked_nik
    assert render(citizen) == citizen.masked_nik
    assert render(AnonymousUser()) == citizen.masked_nik
