import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from binjai_portal.accounts.models import Unit
from budgeting import services
from budgeting.models import Budget, Line, PriceList

from .test_services import add_pen, lock

pytestmark = pytest.mark.django_db
PASSWORD = "Rahasia-Binjai-2026"


def login(client, user):
    client.force_login(user)
    return client


def line_post(account, item, **extra):
    return {
        "account": account.pk,
        "price_item": item.pk,
        "qty1": "2",
        "unit1": "orang",
        "qty2": "3",
        "unit2": "hari",
        **extra,
    }


def test_crafted_higher_price_is_refused(client, activity, opd_officer, atk, items):
    login(client, opd_officer)
    url = reverse("budgeting:activity-detail", args=[activity.pk])
    response = client.post(url, line_post(atk, items["pen"], unit_price="50000"), follow=True)
    assert "dikunci" in response.content.decode()
    assert not Line.objects.exists()
    client.post(url, line_post(atk, items["pen"]))
    line = Line.objects.get()
    assert (line.unit_price, line.total) == (Decimal("3500"), Decimal("21000"))


def test_other_agency_gets_404(client, activity, other_officer, atk, items, citizen):
    login(client, other_officer)
    for url in (
        reverse("budgeting:activity-detail", args=[activity.pk]),
        reverse("budgeting:budget-detail", args=[activity.budget_id]),
        reverse("budgeting:rka-export", args=[activity.budget_id, "pdf"]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("budgeting:activity-detail", args=[activity.pk]), line_post(atk, items["pen"])
        ).status_code
        == 404
    )
    login(client, citizen)
    assert client.get(reverse("budgeting:budget-list")).status_code == 404


def test_tapd_returns_with_a_line_note_and_history_is_shown(
    client, activity, opd_officer, tapd, atk, items, inspector
):
    line = add_pen(activity, opd_officer, atk, items)
    services.budget_act(budget=activity.budget, action="submit", actor=opd_officer)
    login(client, tapd)
    client.post(reverse("budgeting:line-note", args=[line.pk]), {"note": "Kurangi volume"})
    client.post(
        reverse("budgeting:budget-act", args=[activity.budget_id]),
        {"action": "return", "note": "Lihat catatan"},
    )
    assert Budget.objects.get().status == Budget.Status.RETURNED
    assert Line.objects.get().review_note == "Kurangi volume"
    login(client, inspector)
    page = client.get(reverse("budgeting:budget-history", args=[activity.budget_id]))
    assert page.status_code == 200 and "Kurangi volume" in page.content.decode()
    login(client, opd_officer)
    assert (
        client.get(reverse("budgeting:budget-history", args=[activity.budget_id])).status_code
        == 404
    )


def test_rka_excel_and_pdf_hold_the_totals(client, activity, opd_officer, atk, items):
    add_pen(activity, opd_officer, atk, items)
    add_pen(activity, opd_officer, atk, items, qty="5")  # 21.000 + 52.500
    login(client, opd_officer)
    xlsx = client.get(reverse("budgeting:rka-export", args=[activity.budget_id, "xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[-1][2] == "JUMLAH TOTAL" and Decimal(str(rows[-1][6])) == Decimal("73500")
    assert any(r[2] == "Subtotal" and Decimal(str(r[6])) == Decimal("73500") for r in rows)
    pdf = client.get(reverse("budgeting:rka-export", args=[activity.budget_id, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import pikepdf

    document = pikepdf.open(io.BytesIO(pdf.content))
    text = document.pages[0].Contents.read_bytes()
    assert b"73.500" in text
    assert (
        client.get(reverse("budgeting:rka-export", args=[activity.budget_id, "doc"])).status_code
        == 404
    )


def test_public_page_csv_and_datapackage(
    client, activity, opd_officer, tapd, atk, items, django_assert_max_num_queries
):
    add_pen(activity, opd_officer, atk, items)
    assert "Belum ada anggaran" in client.get(reverse("budgeting:transparency")).content.decode()
    lock(activity.budget, opd_officer, tapd)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("budgeting:transparency"))
    assert page.status_code == 200 and "21.000" in page.content.decode()
    fy = activity.budget.fiscal_year
    body = b"".join(
        client.get(reverse("budgeting:public-csv", args=[fy.year, fy.version])).streaming_content
    )
    lines = body.decode().strip().splitlines()
    assert lines[0].startswith("fiscal_year,") and lines[1].endswith(",21000.00")
    assert "Dewi" not in body.decode()
    package = json.loads(
        client.get(reverse("budgeting:public-datapackage", args=[fy.year, fy.version])).content
    )
    fields = {f["name"]: f["columnType"] for f in package["resources"][0]["schema"]["fields"]}
    assert fields["amount"] == "value"
    assert fields["agency_code"] == "administrative-classification:generic:level1:code"
    assert len(fields) == len(lines[0].split(","))
    for bad in ("?tahun=abc", "?tahun=1999&versi=x"):
        assert client.get(reverse("budgeting:transparency") + bad).status_code == 200
    assert client.get(reverse("budgeting:public-csv", args=[1999, "murni"])).status_code == 404


def test_budget_list_query_count_is_bounded(
    client, tapd, fiscal_year, items, django_assert_max_num_queries
):
    from binjai_portal.accounts.models import Unit

    for unit in Unit.objects.filter(kind="opd")[:10]:
        services.budget_create(fiscal_year=fiscal_year, agency=unit, ceiling=Decimal(1), actor=tapd)
    login(client, tapd)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("budgeting:budget-list")).status_code == 200


def test_funding_a_proposal_marks_it_funded(client, make_proposal, activity, tapd, bappeda):
    from musrenbang.models import Status  # test-only check of the other side's state

    proposal = make_proposal(status=Status.ACCEPTED)
    login(client, tapd)
    page = client.get(reverse("budgeting:activity-detail", args=[activity.pk]))
    assert proposal.reference in page.content.decode()
    client.post(reverse("budgeting:activity-fund", args=[activity.pk]), {"proposal": proposal.pk})
    proposal.refresh_from_db()
    assert proposal.status == Status.FUNDED
    assert proposal.budget_reference.startswith("APBD")
    assert activity.proposals.get().reference == proposal.reference
    response = client.post(
        reverse("budgeting:activity-fund", args=[activity.pk]),
        {"proposal": proposal.pk},
        follow=True,
    )
    assert "hanya dapat didanai oleh satu kegiatan" in response.content.decode()


def test_rka_excel_and_public_csv_write_formulas_as_text(
    client, activity, opd_officer, tapd, atk, items
):
    services.line_add(
        activity=activity,
        actor=opd_officer,
        account=atk,
        description='=HYPERLINK("http://evil.example","Klik")',
        unit="buah",
        unit_price="250000",
        factors=[("10", "buah")],
        justification="Tidak ada di SSH; dibutuhkan untuk papan kaca.",
    )
    login(client, opd_officer)
    xlsx = client.get(reverse("budgeting:rka-export", args=[activity.budget_id, "xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '\'=HYPERLINK("http://evil.example","Klik")' in [c.value for c in cells]
    assert any(c.data_type == "n" and c.value == 2500000 for c in cells)  # typed money


def test_publishing_a_new_price_list_version_shows_in_both_histories(client, items, tapd):
    v1 = items["pen"].price_list
    login(client, tapd)
    response = client.post(
        reverse("budgeting:price-list", args=[v1.pk]),
        {"what": "revise", "reason": "Kenaikan harga pasar"},
    )
    v2 = PriceList.objects.get(year=v1.year, version=2)
    assert response.status_code == 302
    client.post(reverse("budgeting:price-list", args=[v2.pk]), {"what": "publish"})

    page = client.get(reverse("budgeting:price-list", args=[v1.pk])).content.decode()
    assert "Diganti versi baru" in page and "Diganti versi 2" in page
    page = client.get(reverse("budgeting:price-list", args=[v2.pk])).content.decode()
    assert "Kenaikan harga pasar" in page and "Terbit (terkunci)" in page
    assert PriceList.objects.get(pk=v2.pk).status == "published"


def test_rka_pdf_prints_markup_characters_as_text(client, activity, opd_officer, atk, items):
    """The PDF's paragraphs are ReportLab markup: a name with < or & must print as typed,
    not vanish as a tag or break the page."""
    import pikepdf

    Unit.objects.filter(pk=activity.budget.agency_id).update(name="Dinas PU & <Penataan> Ruang")
    add_pen(activity, opd_officer, atk, items)
    login(client, opd_officer)

    pdf = client.get(reverse("budgeting:rka-export", args=[activity.budget_id, "pdf"]))
    document = pikepdf.open(io.BytesIO(pdf.content))
    stream = document.pages[0].Contents.read_bytes()
    # A line's text is shown in pieces, one "(...) Tj" per markup fragment: join them.
    text = b"".join(re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", stream))
    assert b"Dinas PU & <Penataan> Ruang" in text
