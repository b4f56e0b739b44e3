import io
from decimal import Decimal

import openpyxl
import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from binjai_portal.core.models import StatusChange
from binjai_portal.core.workflow import TransitionRefused
from budgeting import imports, selectors, services
from budgeting.models import (
    Account,
    Budget,
    FiscalYear,
    Line,
    Nomenclature,
    PriceItem,
    PriceList,
)

pytestmark = pytest.mark.django_db


def add_pen(activity, actor, atk, items, qty="2", **kw):
    return services.line_add(
        activity=activity,
        actor=actor,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[(qty, "orang"), ("3", "hari")],
        **kw,
    )


def add_nonstandard(activity, actor, atk, price="250000"):
    return services.line_add(
        activity=activity,
        actor=actor,
        account=atk,
        description="Spidol khusus papan kaca",
        unit="buah",
        unit_price=price,
        factors=[("10", "buah")],
        justification="Tidak ada di SSH; dibutuhkan untuk papan kaca.",
    )


# --- price lock and volumes ----------------------------------------------------------------


def test_line_takes_the_locked_price_and_multiplies_factors(activity, opd_officer, atk, items):
    line = add_pen(activity, opd_officer, atk, items)
    assert line.unit_price == Decimal("3500")
    assert line.volume == Decimal("6") and line.volume_unit == "orang × hari"
    assert line.total == Decimal("21000")
    assert line.standard == Line.Standard.STANDARD
    assert line.history.count() == 1


def test_a_higher_price_for_a_standard_item_is_refused(activity, opd_officer, atk, items):
    with pytest.raises(ValidationError) as exc:
        add_pen(activity, opd_officer, atk, items, unit_price="9999999")
    assert exc.value.code == "price_locked"
    assert "3.500" in exc.value.messages[0]
    assert not Line.objects.exists()


def test_item_must_fit_the_account(activity, opd_officer, honor_account, items):
    with pytest.raises(ValidationError) as exc:
        services.line_add(
            activity=activity,
            actor=opd_officer,
            account=honor_account,
            price_item_id=items["pen"].pk,
            factors=[("1", "buah")],
        )
    assert exc.value.code == "account_mismatch"


def test_item_from_an_unpublished_list_is_refused(activity, opd_officer, atk, items, tapd):
    draft = services.price_list_revise(
        price_list=items["pen"].price_list, actor=tapd, reason="Harga baru"
    )
    new_pen = draft.items.get(code="UJI.1.1")
    with pytest.raises(ValidationError) as exc:
        services.line_add(
            activity=activity,
            actor=opd_officer,
            account=atk,
            price_item_id=new_pen.pk,
            factors=[("1", "buah")],
        )
    assert exc.value.code == "price_item"


@pytest.mark.parametrize("factors", [[("dua", "orang")], [("0", "orang")], [("2", "")], []])
def test_bad_volume_factors_are_refused(activity, opd_officer, atk, items, factors):
    with pytest.raises(ValidationError):
        services.line_add(
            activity=activity,
            actor=opd_officer,
            account=atk,
            price_item_id=items["pen"].pk,
            factors=factors,
        )
    assert not Line.objects.exists()


def test_published_list_is_locked_and_a_new_version_records_who_and_why(items, tapd):
    pl = items["pen"].price_list
    with pytest.raises(ValidationError):
        services.price_item_update(item=items["pen"], actor=tapd, price=Decimal("9000"))
    v2 = services.price_list_revise(price_list=pl, actor=tapd, reason="Kenaikan harga pasar")
    assert (v2.version, v2.created_by, v2.reason, v2.previous) == (
        2,
        tapd,
        "Kenaikan harga pasar",
        pl,
    )
    pen2 = v2.items.get(code="UJI.1.1")
    assert list(pen2.accounts.values_list("code", flat=True)) == ["5.1.02.01.01.0024"]
    services.price_item_update(item=pen2, actor=tapd, price=Decimal("4000"))
    services.price_list_publish(price_list=v2, actor=tapd)
    pl.refresh_from_db()
    assert pl.status == PriceList.Status.SUPERSEDED
    assert PriceItem.objects.get(pk=items["pen"].pk).price == Decimal("3500")


def history(obj, workflow):
    return list(
        StatusChange.objects.filter(workflow=workflow, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor", "note")
    )


def test_price_list_states_change_through_the_workflow_with_history(items, tapd):
    v1 = items["pen"].price_list
    v2 = services.price_list_revise(price_list=v1, actor=tapd, reason="Kenaikan harga pasar")
    services.price_list_publish(price_list=v2, actor=tapd)

    assert history(v1, "budgeting.price_list") == [
        ("create", "", "draft", tapd.pk, ""),
        ("publish", "draft", "published", tapd.pk, ""),
        ("supersede", "published", "superseded", tapd.pk, "Diganti versi 2"),
    ]
    assert history(v2, "budgeting.price_list") == [
        ("create", "", "draft", tapd.pk, "Kenaikan harga pasar"),
        ("publish", "draft", "published", tapd.pk, ""),
    ]
    labels = [e.to_label for e in selectors.price_list_timeline(price_list=v1, viewer=tapd)]
    assert labels == ["Draf", "Terbit (terkunci)", "Diganti versi baru"]


def test_fiscal_year_phase_moves_only_by_declared_steps_with_history(fiscal_year, tapd):
    with pytest.raises(TransitionRefused) as exc:
        services.fiscal_year_set_phase(
            fiscal_year=fiscal_year, phase=FiscalYear.Phase.CLOSED, actor=tapd
        )
    assert exc.value.code == "undeclared"
    fiscal_year.refresh_from_db()
    assert fiscal_year.phase == FiscalYear.Phase.PLANNING

    for phase in (FiscalYear.Phase.ENACTMENT, FiscalYear.Phase.EXECUTION, FiscalYear.Phase.CLOSED):
        services.fiscal_year_set_phase(fiscal_year=fiscal_year, phase=phase, actor=tapd)
    assert FiscalYear.objects.get(pk=fiscal_year.pk).phase == "closed"
    assert [h[:3] for h in history(fiscal_year, "budgeting.fiscal_year")] == [
        ("create", "", "planning"),
        ("enact", "planning", "enactment"),
        ("execute", "enactment", "execution"),
        ("close", "execution", "closed"),
    ]


def test_only_tapd_moves_the_fiscal_year(fiscal_year, opd_officer):
    with pytest.raises(PermissionDenied):
        services.fiscal_year_set_phase(
            fiscal_year=fiscal_year, phase=FiscalYear.Phase.ENACTMENT, actor=opd_officer
        )
    assert not StatusChange.objects.filter(
        workflow="budgeting.fiscal_year", action="enact"
    ).exists()


def test_only_tapd_changes_price_lists(items, opd_officer):
    with pytest.raises(PermissionDenied):
        services.price_list_revise(
            price_list=items["pen"].price_list, actor=opd_officer, reason="x"
        )


# --- ceiling and non-standard gate ---------------------------------------------------------


def test_submit_above_ceiling_says_by_how_much(activity, opd_officer, honor_account, items, budget):
    services.line_add(
        activity=activity,
        actor=opd_officer,
        account=honor_account,
        price_item_id=items["honor"].pk,
        factors=[("3", "orang"), ("4", "jam")],
    )
    # 12 × 900.000 = 10.800.000 against a 10.000.000 ceiling
    with pytest.raises(ValidationError) as exc:
        services.budget_act(budget=budget, action="submit", actor=opd_officer)
    message = exc.value.messages[0]
    assert "Rp\xa010.800.000" in message and "Rp\xa010.000.000" in message
    assert "sebesar Rp\xa0800.000" in message
    budget.refresh_from_db()
    assert budget.status == Budget.Status.DRAFT


def test_nonstandard_item_needs_justification(activity, opd_officer, atk):
    with pytest.raises(ValidationError) as exc:
        services.line_add(
            activity=activity,
            actor=opd_officer,
            account=atk,
            description="Barang",
            unit="buah",
            unit_price="1000",
            factors=[("1", "buah")],
        )
    assert exc.value.code == "justification"


def test_nonstandard_gate_on_submit_and_verify(activity, opd_officer, atk, items, budget, tapd):
    add_pen(activity, opd_officer, atk, items)
    odd = add_nonstandard(activity, opd_officer, atk)
    assert odd.standard == Line.Standard.PENDING
    with pytest.raises(ValidationError) as exc:
        services.budget_act(budget=budget, action="submit", actor=opd_officer)
    assert f"#{odd.pk}" in exc.value.messages[0] and "Spidol khusus" in exc.value.messages[0]
    services.line_nonstandard_decide(line=odd, actor=tapd, approve=True)
    services.budget_act(budget=budget, action="submit", actor=opd_officer)
    services.line_nonstandard_decide(
        line=Line.objects.get(pk=odd.pk), actor=tapd, approve=False, note="Pakai spidol SSH"
    )
    with pytest.raises(ValidationError) as exc:
        services.budget_act(budget=budget, action="verify", actor=tapd)
    assert exc.value.code == "verify_refused"
    services.budget_act(budget=budget, action="return", actor=tapd, note="Perbaiki #odd")
    with pytest.raises(PermissionDenied):
        services.line_nonstandard_decide(line=odd, actor=opd_officer, approve=True)


def test_changing_an_approved_nonstandard_price_needs_approval_again(
    activity, opd_officer, atk, tapd
):
    odd = add_nonstandard(activity, opd_officer, atk)
    services.line_nonstandard_decide(line=odd, actor=tapd, approve=True)
    odd.refresh_from_db()
    services.line_update(
        line=odd,
        actor=opd_officer,
        account=atk,
        description=odd.description,
        unit="buah",
        unit_price="300000",
        factors=[("10", "buah")],
        justification=odd.justification,
    )
    odd.refresh_from_db()
    assert odd.standard == Line.Standard.PENDING


# --- workflow per role and agency ----------------------------------------------------------


def test_full_path_with_return_and_history(activity, opd_officer, atk, items, budget, tapd):
    line = add_pen(activity, opd_officer, atk, items)
    services.budget_act(budget=budget, action="submit", actor=opd_officer)
    services.budget_act(budget=budget, action="review", actor=tapd)
    services.line_note(line=line, actor=tapd, note="Volume terlalu besar")
    with pytest.raises(TransitionRefused) as exc:
        services.budget_act(budget=budget, action="return", actor=tapd)
    assert exc.value.code == "note"
    services.budget_act(budget=budget, action="return", actor=tapd, note="Lihat catatan")
    services.line_update(
        line=Line.objects.get(pk=line.pk),
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("1", "orang"), ("3", "hari")],
    )
    services.budget_act(budget=budget, action="resubmit", actor=opd_officer)
    for action in ("verify", "approve", "lock"):
        services.budget_act(budget=budget, action=action, actor=tapd)
    budget.refresh_from_db()
    assert budget.status == Budget.Status.LOCKED
    steps = list(
        StatusChange.objects.filter(workflow="budgeting.budget", object_id=budget.pk).values_list(
            "action", flat=True
        )
    )
    assert steps == [
        "create",
        "submit",
        "review",
        "return",
        "resubmit",
        "verify",
        "approve",
        "lock",
    ]
    assert Line.objects.get(pk=line.pk).history.count() == 3  # add, note, fix
    # the year's only RKA approved: the year is enacted, in its own history
    assert FiscalYear.objects.get(pk=budget.fiscal_year_id).phase == "enactment"
    assert history(budget.fiscal_year, "budgeting.fiscal_year")[-1][:4] == (
        "enact",
        "planning",
        "enactment",
        tapd.pk,
    )
    with pytest.raises(ValidationError):
        add_pen(activity, opd_officer, atk, items)


@pytest.mark.parametrize(
    ("action", "who", "code"),
    [
        ("submit", "tapd", "role"),
        ("submit", "other_officer", "unit"),
        ("verify", "opd_officer", "undeclared"),
        ("approve", "tapd", "undeclared"),
    ],
)
def test_refused_transitions_change_nothing(
    request, activity, opd_officer, atk, items, budget, action, who, code
):
    add_pen(activity, opd_officer, atk, items)
    with pytest.raises(TransitionRefused) as exc:
        services.budget_act(budget=budget, action=action, actor=request.getfixturevalue(who))
    assert exc.value.code == code
    budget.refresh_from_db()
    assert budget.status == Budget.Status.DRAFT


def test_tapd_actions_refused_to_officers(activity, opd_officer, atk, items, budget):
    add_pen(activity, opd_officer, atk, items)
    services.budget_act(budget=budget, action="submit", actor=opd_officer)
    for action in ("review", "return", "verify"):
        with pytest.raises(TransitionRefused) as exc:
            services.budget_act(budget=budget, action=action, actor=opd_officer, note="x")
        assert exc.value.code == "role"


def test_other_agency_cannot_edit_or_see(
    activity, other_officer, opd_officer, atk, items, budget, inspector, tapd
):
    with pytest.raises(Http404):
        add_pen(activity, other_officer, atk, items)
    assert not selectors.budget_list_for_user(user=other_officer).exists()
    assert list(selectors.budget_list_for_user(user=opd_officer)) == [budget]
    assert list(selectors.budget_list_for_user(user=tapd)) == [budget]
    assert list(selectors.budget_list_for_user(user=inspector)) == [budget]
    assert rules.has_perm("budgeting.view_history", inspector) and rules.has_perm(
        "budgeting.view_history", tapd
    )
    assert not rules.has_perm("budgeting.view_history", opd_officer)
    with pytest.raises(PermissionDenied):
        add_pen(activity, tapd, atk, items)


# --- totals ------------------------------------------------------------------------------


def test_totals_over_ten_thousand_lines_are_exact(activity, atk, budget, tapd):
    prices = [Decimal("3333.33"), Decimal("1250000.5"), Decimal("99999.99"), Decimal("7.01")]
    volumes = [Decimal("3"), Decimal("0.3333"), Decimal("12.5"), Decimal("1")]
    lines = []
    expected = Decimal(0)
    for i in range(10_050):
        price, volume = prices[i % 4], volumes[i % 3]
        total = services.line_total(price, volume)
        expected += total
        lines.append(
            Line(
                activity=activity,
                account=atk,
                description=f"baris {i}",
                unit="buah",
                unit_price=price,
                factors=[],
                volume=volume,
                volume_unit="buah",
                total=total,
            )
        )
    Line.objects.bulk_create(lines, batch_size=2000)
    assert selectors.budget_total(budget=budget) == expected
    row = selectors.budget_list_for_user(user=tapd).get(pk=budget.pk)
    assert row.total == expected
    assert services.line_total(Decimal("3333.33"), Decimal("0.3333")) == Decimal("1111")


# --- imports ------------------------------------------------------------------------------


def xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_account_import_reports_every_bad_row_and_imports_nothing(sub_kegiatan, tapd):
    data = (
        b"code,name,level,parent_code\n"
        b"5.1.02.02,Belanja Jasa,objek,5.1.02\n"
        b"5.1.02.02.01,Belanja Jasa Kantor,rincian,5.1.02.02\n"
        b"5.1.02.2.01,Format salah,rincian,5.1.02.02\n"
        b"5.1.02.02.01,Ganda,rincian,5.1.02.02\n"
        b"5.1.09.01.01,Induk hilang,rincian,5.1.09.01\n"
        b"5.1.02.02.01.0001,,sub_rincian,5.1.02.02.01\n"
    )
    before = Account.objects.count()
    report = services.account_import(data=data, filename="akun.csv", actor=tapd)
    assert not report.ok
    rows = sorted({n for n, _m in report.errors})
    assert rows == [4, 5, 6, 7]
    assert Account.objects.count() == before


def test_account_import_from_excel(sub_kegiatan, tapd):
    data = xlsx(
        [
            ("code", "name", "level", "parent_code"),
            ("5.2.02.01", "Belanja Modal Alat Besar", "objek", "5.2.02"),
            ("5.2.02.01.01", "Alat Besar Darat", "rincian", "5.2.02.01"),
            ("5.2.02.01.01.0001", "Tractor", "sub_rincian", "5.2.02.01.01"),
        ]
    )
    report = services.account_import(data=data, filename="akun.xlsx", actor=tapd)
    assert report.ok and report.created == 3
    assert Account.objects.get(code="5.2.02.01.01.0001").parent.code == "5.2.02.01.01"
    again = services.account_import(data=data, filename="akun.xlsx", actor=tapd)
    assert again.created == 0


def test_import_with_wrong_columns_is_refused(sub_kegiatan, tapd):
    with pytest.raises(imports.ImportFileError) as exc:
        services.account_import(data=b"kode,nama\n5,x\n", filename="a.csv", actor=tapd)
    assert "code" in str(exc.value)
    with pytest.raises(imports.ImportFileError):
        services.account_import(data=b"\x89PNG", filename="a.png", actor=tapd)
    with pytest.raises(imports.ImportFileError):
        services.account_import(data=b"not a zip", filename="a.xlsx", actor=tapd)


def test_a_wide_declared_sheet_imports_in_bounded_memory(sub_kegiatan, tapd):
    """The TAPD file that grew a worker to 564 MB: a cell in column XFD makes openpyxl
    pad every row to 16,384 cells unless the reader bounds the columns."""
    import tracemalloc

    wb = openpyxl.Workbook()
    wb.active.append(("code", "name", "level", "parent_code"))
    wb.active["XFD1"] = "x"
    wb.active["A400"] = "5.2"
    out = io.BytesIO()
    wb.save(out)
    tracemalloc.start()
    try:
        report = services.nomenclature_import(data=out.getvalue(), filename="n.xlsx", actor=tapd)
        _, peak = tracemalloc.get_traced_memory()
    except imports.ImportFileError:
        _, peak = tracemalloc.get_traced_memory()
        report = None
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert report is None or not report.ok


@pytest.mark.parametrize(
    "data", [b"code,name,level,parent_code\n5,a\x00b,akun,\n", b"code,name\n" + b"x" * 200_000]
)
def test_csv_with_nul_or_a_giant_field_is_a_message(sub_kegiatan, tapd, data):
    with pytest.raises(imports.ImportFileError):
        services.account_import(data=data, filename="a.csv", actor=tapd)


def test_nomenclature_import(sub_kegiatan, tapd):
    good = (
        "code,name,level,parent_code,output_indicator,output_unit\n"
        "1.03.92,Program Uji,program,1.03,,\n"
        "1.03.92.1.01,Kegiatan Uji,kegiatan,1.03.92,,\n"
        "1.03.92.1.01.0001,Sub Uji,sub_kegiatan,1.03.92.1.01,Jumlah titik,titik\n"
    )
    report = services.nomenclature_import(data=good.encode(), filename="n.csv", actor=tapd)
    assert report.ok and report.created == 3
    assert Nomenclature.objects.get(code="1.03.92.1.01.0001").bidang.code == "1.03"
    bad = (
        "code,name,level,parent_code,output_indicator,output_unit\n"
        "1.99.01,Program,program,1.99,,\n"
        "1.03.93.1.01.0001,Sub,sub_kegiatan,1.03.93.1.01,,\n"
    )
    report = services.nomenclature_import(data=bad.encode(), filename="n.csv", actor=tapd)
    assert sorted({n for n, _m in report.errors}) == [2, 3]


def test_price_import_reports_text_in_numbers_and_imports_nothing(items, tapd):
    draft = services.price_list_revise(
        price_list=items["pen"].price_list, actor=tapd, reason="Impor"
    )
    before = draft.items.count()
    data = xlsx(
        [
            ("code", "name", "specification", "unit", "price", "kind", "accounts"),
            ("UJI.9.1", "Kertas", "A4 80g", "rim", "55.000", "ssh", "5.1.02.01.01.0024"),
            ("UJI.9.2", "Tinta", "", "botol", "lima puluh", "ssh", "5.1.02.01.01.0024"),
            ("UJI.9.3", "Map", "", "buah", "2500", "xyz", "5.9.99"),
            ("UJI.9.1", "Kertas lagi", "", "rim", "1", "ssh", "5.1.02.01.01.0024"),
        ]
    )
    report = services.price_list_import(price_list=draft, data=data, filename="h.xlsx", actor=tapd)
    assert sorted({n for n, _m in report.errors}) == [3, 4, 5]
    assert draft.items.count() == before
    ok = services.price_list_import(
        price_list=draft,
        data=xlsx(
            [
                ("code", "name", "specification", "unit", "price", "kind", "accounts"),
                ("UJI.9.1", "Kertas", "A4 80g", "rim", "55.000", "ssh", "5.1.02.01.01.0024"),
            ]
        ),
        filename="h.xlsx",
        actor=tapd,
    )
    assert ok.ok and draft.items.get(code="UJI.9.1").price == Decimal("55000")
    with pytest.raises(ValidationError):
        services.price_list_import(
            price_list=items["pen"].price_list, data=data, filename="h.xlsx", actor=tapd
        )


# --- revision -----------------------------------------------------------------------------


def lock(budget, opd_officer, tapd):
    services.budget_act(budget=budget, action="submit", actor=opd_officer)
    for action in ("verify", "approve", "lock"):
        services.budget_act(budget=budget, action=action, actor=tapd)


def test_revision_copies_and_compares(activity, opd_officer, atk, items, budget, tapd):
    keep = add_pen(activity, opd_officer, atk, items)
    change = add_pen(activity, opd_officer, atk, items, qty="5")
    drop = add_pen(activity, opd_officer, atk, items, qty="7")
    lock(budget, opd_officer, tapd)
    revised_fy = services.fiscal_year_revise(fiscal_year=budget.fiscal_year, actor=tapd)
    revised = revised_fy.budgets.get()
    assert revised.status == Budget.Status.DRAFT and revised.source == budget
    copies = {ln.source_id: ln for ln in Line.objects.filter(activity__budget=revised)}
    assert set(copies) == {keep.pk, change.pk, drop.pk}
    services.line_update(
        line=copies[change.pk],
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("6", "orang"), ("3", "hari")],
    )
    services.line_delete(line=copies[drop.pk], actor=opd_officer)
    new_activity = copies[keep.pk].activity
    added = add_pen(new_activity, opd_officer, atk, items, qty="1")
    diff = selectors.budget_compare(budget=revised)
    assert len(diff) == 1
    kinds = {(d.kind, (d.after or d.before).pk) for d in diff[0].diffs}
    assert kinds == {("changed", copies[change.pk].pk), ("removed", drop.pk), ("added", added.pk)}
    assert diff[0].total_before == keep.total + change.total + drop.total
    assert diff[0].total_after == keep.total + Decimal(3500 * 18) + added.total
    with pytest.raises(ValidationError):
        services.fiscal_year_revise(fiscal_year=budget.fiscal_year, actor=tapd)


# --- realisation and the musrenbang link ---------------------------------------------------


def test_realisation_only_for_locked_and_within_budget(
    activity, opd_officer, atk, items, budget, tapd
):
    add_pen(activity, opd_officer, atk, items)  # 21.000
    with pytest.raises(ValidationError):
        services.realisation_set(activity=activity, month=1, amount="1000", actor=opd_officer)
    lock(budget, opd_officer, tapd)
    services.realisation_set(activity=activity, month=1, amount="10.000", actor=opd_officer)
    services.realisation_set(activity=activity, month=2, amount="5000", actor=opd_officer)
    with pytest.raises(ValidationError) as exc:
        services.realisation_set(activity=activity, month=3, amount="7000", actor=opd_officer)
    assert exc.value.code == "over_budget"
    with pytest.raises(ValidationError):
        services.realisation_set(activity=activity, month=13, amount="1", actor=opd_officer)
    summary = selectors.apbd_summary(fiscal_year=budget.fiscal_year)
    assert summary.total == Decimal("21000") and summary.spent == Decimal("15000")
    assert summary.absorption == Decimal("71.4")


def test_the_public_summary_is_cached_until_spending_or_approval_changes(
    activity,
    opd_officer,
    atk,
    items,
    budget,
    tapd,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """A year's sums read every line; a visitor gets the cached summary, renewed by the
    services that change what the public sees (on commit)."""
    add_pen(activity, opd_officer, atk, items)  # 21.000
    with django_capture_on_commit_callbacks(execute=True):
        lock(budget, opd_officer, tapd)
    first = selectors.apbd_summary(fiscal_year=budget.fiscal_year)
    assert first.total == Decimal("21000") and first.spent == Decimal("0")
    with django_assert_max_num_queries(0):
        assert selectors.apbd_summary(fiscal_year=budget.fiscal_year) == first
    with django_capture_on_commit_callbacks(execute=True):
        services.realisation_set(activity=activity, month=1, amount="10.000", actor=opd_officer)
    assert selectors.apbd_summary(fiscal_year=budget.fiscal_year).spent == Decimal("10000")
