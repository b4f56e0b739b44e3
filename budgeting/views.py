"""Thin views: parse the request, call one service or selector, render."""

from __future__ import annotations

import json

import rules
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from binjai_portal.core import pagecache, permissions
from binjai_portal.core.actions import MESSAGE, Action, Actions, run_action
from binjai_portal.core.exports import xlsx_response
from binjai_portal.core.formatting import rupiah
from binjai_portal.core.middleware import accepts_uploads
from binjai_portal.core.regions import village_list
from binjai_portal.core.workflow import refused_message
from musrenbang import selectors as musrenbang_selectors

from . import exports, imports, selectors, services
from .forms import (
    MAX_UPLOAD,
    ActivityForm,
    CompletionForm,
    FundForm,
    ImportForm,
    LineForm,
    NoteForm,
    PriceImportForm,
    RealisationForm,
    ReasonForm,
)
from .models import Budget, FiscalYear, PriceList
from .workflows import AGENCY_ACTIONS, BUDGET, TAPD_ACTIONS

REFUSED = (ValidationError, PermissionDenied)  # TransitionRefused is a ValidationError


# e-Budgeting's staff pages: budgeting/rules.py says who.
staff_required = permissions.staff_required(perm="budgeting.use_budgeting")


def _error(request, exc) -> None:
    messages.error(request, refused_message(exc))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- public -------------------------------------------------------------------------------


@require_GET
@pagecache.public_page("budgeting")
def index(request):
    fy = selectors.fiscal_year_public()
    summary = selectors.apbd_summary(fiscal_year=fy) if fy else None
    return render(
        request,
        "budgeting/index.html",
        {
            "fy": fy,
            "summary": summary,
            "is_staff": rules.has_perm("budgeting.use_budgeting", request.user),
        },
    )


def _public_year(request) -> FiscalYear | None:
    year, version = _int(request.GET.get("tahun")), request.GET.get("versi")
    if year is None:
        return selectors.fiscal_year_public()
    fy = FiscalYear.objects.filter(year=year, budgets__status__in=Budget.PUBLIC)
    if version in FiscalYear.Version.values:
        fy = fy.filter(version=version)
    return fy.distinct().order_by("-version").first()


@require_GET
@pagecache.public_page("budgeting")
def transparency(request):
    fy = _public_year(request)
    summary = selectors.apbd_summary(fiscal_year=fy) if fy else None
    chart = {}
    if summary:
        chart = {
            "urusan": {
                "labels": [f"{c} {n}" for c, n, _v in summary.by_urusan],
                "values": [float(v) for _c, _n, v in summary.by_urusan],
            },
            "agency": {
                "labels": [n for n, *_rest in summary.by_agency],
                "total": [float(t) for _n, t, _s, _c in summary.by_agency],
                "spent": [float(s) for _n, _t, s, _c in summary.by_agency],
            },
            "group": {
                "labels": [f"{c} {n}" for c, n, _v in summary.by_group],
                "values": [float(v) for _c, _n, v in summary.by_group],
            },
        }
    years = (
        FiscalYear.objects.filter(budgets__status__in=Budget.PUBLIC)
        .distinct()
        .order_by("-year", "-version")
    )
    return render(
        request,
        "budgeting/transparency.html",
        {"fy": fy, "summary": summary, "chart": chart, "years": years},
    )


def _fy_public_or_404(year, version) -> FiscalYear:
    fy = get_object_or_404(FiscalYear, year=year, version=version)
    if not fy.budgets.filter(status__in=Budget.PUBLIC).exists():
        raise Http404
    return fy


@require_GET
def public_csv(request, year, version):
    fy = _fy_public_or_404(year, version)
    return exports.public_csv(fy, filename=f"apbd-{fy.year}-{fy.version}.csv")


@require_GET
def public_datapackage(request, year, version):
    fy = _fy_public_or_404(year, version)
    csv_url = request.build_absolute_uri(
        reverse("budgeting:public-csv", args=[fy.year, fy.version])
    )
    body = exports.datapackage(fy, csv_path=csv_url, site_name=settings.SITE_NAME)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


# --- budgets ------------------------------------------------------------------------------


@staff_required
@require_GET
def budget_list(request):
    fy = None
    if _int(request.GET.get("tahun_anggaran")):
        fy = FiscalYear.objects.filter(pk=_int(request.GET["tahun_anggaran"])).first()
    budgets = list(selectors.budget_list_for_user(user=request.user, fiscal_year=fy))
    return render(
        request,
        "budgeting/budget_list.html",
        {
            "budgets": budgets,
            "years": selectors.fiscal_year_list(),
            "fy": fy,
            "is_tapd": rules.has_perm("budgeting.act_as_tapd", request.user),
        },
    )


class _BudgetNoteForm(forms.Form):
    # Not NoteForm: a longer note is cut at 2000 characters, not refused; an empty one is
    # refused by the workflow with its own message.
    note = forms.CharField(
        label=_lazy("Catatan"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _BudgetStepForm(forms.Form):
    """A step that takes no note: its button only."""


def _over_ceiling(budget) -> str:
    over = budget.total - budget.ceiling
    if over <= 0:
        return ""
    return _("Total RKA melebihi pagu sebesar %(over)s; pengajuan akan ditolak. Tetap ajukan?") % {
        "over": rupiah(over)
    }


def _budget_step(name: str) -> Action:
    step = BUDGET.action(name)
    return Action(
        name,
        step.label,
        _BudgetNoteForm if step.note_required else _BudgetStepForm,
        lambda budget, user, form: services.budget_act(
            budget=budget, action=name, actor=user, note=form.cleaned_data.get("note", "")[:2000]
        ),
        danger=step.note_required,
        # Submitting over the ceiling is refused: the agency is told before it tries.
        confirm=_over_ceiling if name in ("submit", "resubmit") else "",
    )


# The agency's steps and the budget team's (TAPD); the RKA's checks live in budget_act.
BUDGET_ACTIONS = Actions(
    BUDGET,
    *(_budget_step(name) for name in AGENCY_ACTIONS + TAPD_ACTIONS),
    prefix=False,
    refused=MESSAGE,
    invalid=MESSAGE,
    unavailable=MESSAGE,
    success=_lazy("Status RKA diperbarui."),
)


@staff_required
@require_GET
def budget_detail(request, pk):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    user = request.user
    url = reverse("budgeting:budget-act", args=[budget.pk])
    can_edit = rules.has_perm("budgeting.edit_budget", user, budget)
    form = None
    if can_edit:
        form = ActivityForm(
            sub_kegiatan_qs=selectors.sub_kegiatan_for_agency(agency=budget.agency),
            kelurahan_qs=village_list(),
        )
    return render(
        request,
        "budgeting/budget_detail.html",
        {
            "budget": budget,
            "activities": selectors.activity_list(budget=budget),
            "action_items": BUDGET_ACTIONS.items(user, budget, url=lambda a: url),
            "timeline": selectors.budget_timeline(budget=budget, viewer=user),
            "can_edit": can_edit,
            "form": form,
            "over": budget.total - budget.ceiling,
            "can_history": rules.has_perm("budgeting.view_history", user),
        },
    )


@staff_required
@require_POST
def budget_act(request, pk):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    if BUDGET_ACTIONS.get(action) is None:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect(budget)
    try:
        return run_action(request, budget, BUDGET_ACTIONS, action)
    except PermissionDenied as exc:
        _error(request, exc)
        return redirect(budget)


@staff_required
@require_POST
def activity_create(request, pk):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    form = ActivityForm(
        request.POST,
        sub_kegiatan_qs=selectors.sub_kegiatan_for_agency(agency=budget.agency),
        kelurahan_qs=village_list(),
    )
    if not form.is_valid():
        messages.error(
            request,
            _("Periksa isian kegiatan: %(errors)s")
            % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
        return redirect(budget)
    d = form.cleaned_data
    try:
        activity = services.activity_create(
            budget=budget,
            actor=request.user,
            sub_kegiatan=d["sub_kegiatan"],
            output_target=d["output_target"],
            funding_source=d["funding_source"],
            kelurahan=d["kelurahan"],
        )
    except REFUSED as exc:
        _error(request, exc)
        return redirect(budget)
    return redirect(activity)


def _line_form(activity, data=None, initial=None):
    return LineForm(
        data,
        initial=initial,
        accounts=selectors.leaf_accounts(),
        items=selectors.price_items_for(year=activity.budget.fiscal_year.year, limit=2000),
    )


def _line_fields(request, form) -> dict:
    """The line service's arguments from a valid LineForm (add and edit alike)."""
    d = form.cleaned_data
    return {
        "account": selectors.leaf_accounts().get(pk=d["account"]),
        "factors": form.factors(),
        "price_item_id": d["price_item"] or None,
        "description": d["description"],
        "specification": d["specification"],
        "unit": d["unit"],
        "justification": d["justification"],
        # A standard item's price is never taken from the form; a crafted unit_price
        # is passed on so the service refuses it visibly.
        "unit_price": (
            request.POST.get("unit_price") if d["price_item"] else d["nonstandard_price"]
        ),
    }


@staff_required
def activity_detail(request, pk):
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    budget, user = activity.budget, request.user
    can_edit = rules.has_perm("budgeting.edit_budget", user, budget)
    form = _line_form(activity)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = _line_form(activity, data=request.POST)
        if form.is_valid():
            try:
                services.line_add(activity=activity, actor=user, **_line_fields(request, form))
            except REFUSED as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Rincian belanja ditambahkan."))
                return redirect(activity)
    is_tapd = rules.has_perm("budgeting.act_as_tapd", user)
    proposals = []
    if budget.status != Budget.Status.LOCKED and rules.has_perm("budgeting.fund_proposal", user):
        proposals = list(
            musrenbang_selectors.proposal_list_accepted(
                plan_year=budget.fiscal_year.year, agency=budget.agency
            )[:200]
        )
    lines = list(selectors.line_list(activity=activity))
    budget_sum = services.budget_total(budget)
    return render(
        request,
        "budgeting/activity_detail.html",
        {
            "budget_sum": budget_sum,
            "ceiling_left": budget.ceiling - budget_sum,
            "ceiling_over": budget_sum - budget.ceiling,
            "activity": activity,
            "budget": budget,
            "lines": lines,
            "total": sum((ln.total for ln in lines), 0),
            "form": form,
            "can_edit": can_edit,
            "is_tapd": is_tapd,
            "in_review": budget.status in (Budget.Status.SUBMITTED, Budget.Status.IN_REVIEW),
            "fund_form": FundForm(proposals=proposals) if proposals else None,
            "funded": list(activity.proposals.all()),
            "can_complete": rules.has_perm("budgeting.complete_work_of", user, budget),
            "completion_form": CompletionForm(),
            "realisations": list(activity.realisations.all()),
            "realisation_form": RealisationForm()
            if budget.status == Budget.Status.LOCKED
            else None,
        },
    )


@staff_required
def line_edit(request, pk):
    line = selectors.line_get_for_user(user=request.user, pk=pk)
    activity = line.activity
    if request.method == "POST":
        form = _line_form(activity, data=request.POST)
        if form.is_valid():
            try:
                services.line_update(line=line, actor=request.user, **_line_fields(request, form))
            except REFUSED as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Rincian belanja diperbarui."))
                return redirect(activity)
    else:
        form = _line_form(activity, initial=LineForm.initial_for(line))
    return render(
        request, "budgeting/line_form.html", {"form": form, "line": line, "activity": activity}
    )


@staff_required
@require_POST
def line_delete(request, pk):
    line = selectors.line_get_for_user(user=request.user, pk=pk)
    try:
        services.line_delete(line=line, actor=request.user)
    except REFUSED as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Rincian belanja dihapus."))
    return redirect(line.activity)


@staff_required
@require_POST
def line_note(request, pk):
    line = selectors.line_get_for_user(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Catatan terlalu panjang."))
        services.line_note(line=line, actor=request.user, note=form.cleaned_data["note"])
    except REFUSED as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Catatan disimpan."))
    return redirect(line.activity)


@staff_required
@require_POST
def line_decide(request, pk):
    line = selectors.line_get_for_user(user=request.user, pk=pk)
    try:
        services.line_nonstandard_decide(
            line=line,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", "")[:2000],
        )
    except REFUSED as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Keputusan item non-standar disimpan."))
    return redirect(line.activity)


@staff_required
@require_POST
def activity_fund(request, pk):
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    proposal_id = _int(request.POST.get("proposal"))
    try:
        if proposal_id is None:
            raise ValidationError(_("Pilih usulan."))
        services.activity_fund_proposal(
            activity=activity, proposal_id=proposal_id, actor=request.user
        )
    except REFUSED as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Usulan ditandai didanai."))
    return redirect(activity)


@accepts_uploads(files=1)
@staff_required
@require_POST
def funded_complete(request, pk):
    """The agency marks the work for one funded proposal completed (photo and note)."""
    funded = selectors.funded_proposal_get_for_user(user=request.user, pk=pk)
    form = CompletionForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(
                [str(e) for errors in form.errors.values() for e in errors]
                or _("Periksa isian penyelesaian.")
            )
        services.funded_proposal_complete(
            funded=funded,
            actor=request.user,
            photo=form.cleaned_data["photo"],
            note=form.cleaned_data["note"],
            completed_on=form.cleaned_data["completed_on"],
        )
    except REFUSED as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Usulan %(ref)s ditandai selesai dilaksanakan.") % {"ref": funded.reference}
        )
    return redirect(funded.activity)


@staff_required
@require_POST
def activity_realisation(request, pk):
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    form = RealisationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Periksa bulan dan jumlah realisasi."))
        services.realisation_set(
            activity=activity,
            month=form.cleaned_data["month"],
            amount=form.cleaned_data["amount"],
            actor=request.user,
        )
    except REFUSED as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Realisasi disimpan."))
    return redirect(activity)


@staff_required
@require_GET
def budget_history(request, pk):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    if not rules.has_perm("budgeting.view_history", request.user):
        raise Http404
    return render(
        request,
        "budgeting/history.html",
        {"budget": budget, "records": selectors.line_history(budget=budget)},
    )


@staff_required
@require_GET
def budget_compare(request, pk):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    if budget.source_id is None:
        raise Http404
    groups = selectors.budget_compare(budget=budget)
    return render(
        request,
        "budgeting/compare.html",
        {
            "budget": budget,
            "groups": groups,
            "before": sum((g.total_before for g in groups), 0),
            "after": sum((g.total_after for g in groups), 0),
        },
    )


@staff_required
@require_GET
def rka_export(request, pk, fmt):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    name = f"rka-{budget.agency.code}-{budget.fiscal_year.year}-{budget.fiscal_year.version}"
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    if fmt == "xlsx":
        return xlsx_response(exports.rka_xlsx(budget), filename=f"{name}.xlsx")
    return HttpResponse(
        exports.rka_pdf(budget),
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="{name}.pdf"',
        },
    )


# --- price lists and imports (TAPD, administrator) ------------------------------------------


@staff_required
@require_GET
def price_lists(request):
    return render(
        request,
        "budgeting/price_lists.html",
        {
            "lists": selectors.price_list_list(),
            "is_tapd": rules.has_perm("budgeting.act_as_tapd", request.user),
        },
    )


@accepts_uploads(files=1, max_bytes=MAX_UPLOAD)
@staff_required
def price_list_detail(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    report = None
    user = request.user
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "import":
                form = PriceImportForm(request.POST, request.FILES)
                if not form.is_valid() or form.cleaned_data["file"].size > MAX_UPLOAD:
                    raise ValidationError(_("Pilih berkas CSV atau Excel (paling besar 10 MB)."))
                f = form.cleaned_data["file"]
                report = services.price_list_import(
                    price_list=price_list, data=f.read(), filename=f.name, actor=user
                )
                if report.ok:
                    messages.success(
                        request, _("%(n)s item diimpor.") % {"n": report.created + report.updated}
                    )
            elif what == "publish":
                services.price_list_publish(price_list=price_list, actor=user)
                messages.success(request, _("Daftar harga diterbitkan dan dikunci."))
                return redirect("budgeting:price-list", pk=price_list.pk)
            elif what == "revise":
                form = ReasonForm(request.POST)
                reason = form.cleaned_data["reason"] if form.is_valid() else ""
                new = services.price_list_revise(price_list=price_list, actor=user, reason=reason)
                messages.success(request, _("Versi baru dibuat sebagai draf."))
                return redirect("budgeting:price-list", pk=new.pk)
        except imports.ImportFileError as exc:
            messages.error(request, str(exc))
        except REFUSED as exc:
            _error(request, exc)
    items = price_list.items.prefetch_related("accounts").order_by("code")
    return render(
        request,
        "budgeting/price_list.html",
        {
            "price_list": price_list,
            "items": items,
            "report": report,
            "is_tapd": rules.has_perm("budgeting.act_as_tapd", user),
            "import_form": PriceImportForm(),
            "reason_form": ReasonForm(),
            "timeline": selectors.price_list_timeline(price_list=price_list, viewer=user),
        },
    )


@accepts_uploads(files=1, max_bytes=MAX_UPLOAD)
@staff_required
def import_reference(request):
    report = None
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid() and form.cleaned_data["file"].size <= MAX_UPLOAD:
            f, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
            importer = (
                services.account_import if kind == "accounts" else services.nomenclature_import
            )
            try:
                report = importer(data=f.read(), filename=f.name, actor=request.user)
            except imports.ImportFileError as exc:
                messages.error(request, str(exc))
            except REFUSED as exc:
                _error(request, exc)
            else:
                if report.ok:
                    messages.success(
                        request,
                        _("Impor selesai: %(c)s baru, %(u)s diperbarui.")
                        % {"c": report.created, "u": report.updated},
                    )
        else:
            messages.error(
                request, _("Pilih jenis data dan berkas CSV atau Excel (paling besar 10 MB).")
            )
    return render(request, "budgeting/import.html", {"form": form, "report": report})
