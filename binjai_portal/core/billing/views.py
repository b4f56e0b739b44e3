from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binjai_portal.core import exports

from . import documents, forms, selectors, services
from . import workflows as wf


def _context(request, bill):
    treasurer = rules.has_perm("billing.act_as_treasurer", request.user)
    return {
        "view": selectors.bill_view(bill=bill),
        "bill": bill,
        "timeline": selectors.bill_timeline(bill=bill, viewer=request.user),
        "is_treasurer": treasurer,
        "cash_form": forms.CashForm(prefix="cash")
        if treasurer and bill.status == wf.ISSUED
        else None,
        "correct_form": (
            forms.CorrectForm(prefix="correct") if treasurer and bill.status == wf.ISSUED else None
        ),
        "demo": settings.BILLING_DEMO_PAYMENTS and bool(settings.BILLING_DEMO_BANK_URL),
        "replaced_by": getattr(bill, "replaced_by", None) if bill.status == wf.CANCELLED else None,
    }


@login_required
def bill_detail(request, code):
    bill = selectors.bill_get_for_user(user=request.user, code=code)
    return render(request, "billing/bill_detail.html", _context(request, bill))


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def bill_pdf(request, code):
    bill = selectors.bill_get_for_user(user=request.user, code=code)
    return _pdf(documents.bill_pdf(bill), f"skrd-{bill.code}.pdf")


@login_required
def receipt_pdf(request, code):
    bill = selectors.bill_get_for_user(user=request.user, code=code)
    if bill.status != wf.PAID:
        raise Http404
    return _pdf(documents.receipt_pdf(bill), f"ssrd-{bill.code}.pdf")


def receipt_verify(request, token):
    bill = selectors.bill_get_by_receipt_token(token=token)
    return render(request, "billing/receipt_verify.html", {"bill": bill})


@login_required
@require_POST
def bill_record_cash(request, code):
    bill = selectors.bill_get_for_user(user=request.user, code=code)
    if not rules.has_perm("billing.act_as_treasurer", request.user):
        raise Http404
    form = forms.CashForm(request.POST, prefix="cash")
    if form.is_valid():
        try:
            services.bill_record_cash(
                bill=bill,
                actor=request.user,
                receipt_number=form.cleaned_data["receipt_number"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Pembayaran di kasir tercatat."))
            return redirect(bill)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
    context = _context(request, bill)
    context["cash_form"] = form
    return render(request, "billing/bill_detail.html", context, status=400)


@login_required
@require_POST
def bill_correct(request, code):
    bill = selectors.bill_get_for_user(user=request.user, code=code)
    if not rules.has_perm("billing.act_as_treasurer", request.user):
        raise Http404
    form = forms.CorrectForm(request.POST, prefix="correct")
    if form.is_valid():
        try:
            new = services.bill_correct(
                bill=bill,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request, _("Tagihan dikoreksi: kode bayar baru %(c)s.") % {"c": new.code}
            )
            return redirect(new)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
    context = _context(request, bill)
    context["correct_form"] = form
    return render(request, "billing/bill_detail.html", context, status=400)


@login_required
@require_POST
def bill_simulate(request, code, channel):
    """Demo only: ask the bank simulator to pay this bill as a customer would."""
    if not (settings.BILLING_DEMO_PAYMENTS and settings.BILLING_DEMO_BANK_URL):
        raise Http404
    if channel not in ("va", "qris"):
        raise Http404
    bill = selectors.bill_get_for_user(user=request.user, code=code)
    view = selectors.bill_view(bill=bill)
    payload = json.dumps(
        {
            "channel": channel,
            "virtualAccountNo": bill.virtual_account_no,
            "qrisPayload": view.qris_payload,
        }
    ).encode()
    req = urllib.request.Request(  # noqa: S310 (the demo bank's URL, from settings)
        settings.BILLING_DEMO_BANK_URL.rstrip("/") + "/simulate/pay",
        data=payload,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 (demo URL from settings)
            answer = json.loads(resp.read().decode() or "{}")
    except (urllib.error.URLError, OSError, ValueError):
        messages.error(request, _("Simulator bank tidak menjawab. Jalankan: make run-bank"))
        return redirect(bill)
    if str(answer.get("responseCode", "")).startswith("200"):
        messages.success(request, _("Bank (simulasi) telah membayar tagihan ini."))
    else:
        messages.error(
            request,
            _("Bank (simulasi) menolak: %(m)s")
            % {"m": str(answer.get("responseMessage", ""))[:200]},
        )
    return redirect(bill)


def _day(request) -> datetime.date:
    form = forms.DayForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["tanggal"]:
        return form.cleaned_data["tanggal"]
    return timezone.localdate()


@login_required
def treasurer(request):
    if not rules.has_perm("billing.act_as_treasurer", request.user):
        raise Http404
    day = _day(request)
    data = selectors.treasurer_day(user=request.user, day=day)
    return render(
        request,
        "billing/treasurer.html",
        {"data": data, "form": forms.DayForm(initial={"tanggal": day})},
    )


@login_required
def treasurer_export(request, fmt):
    if not rules.has_perm("billing.act_as_treasurer", request.user) or fmt not in ("csv", "xlsx"):
        raise Http404
    day = _day(request)
    data = selectors.treasurer_day(user=request.user, day=day)
    columns, rows = selectors.treasurer_rows(data)
    name = f"bendahara-{day:%Y%m%d}"
    if fmt == "csv":
        return exports.csv_response(rows, header=columns, filename=f"{name}.csv")
    return exports.xlsx_response(
        exports.table_book(columns, rows, title=name), filename=f"{name}.xlsx"
    )
