from __future__ import annotations

import hashlib

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from binjai_portal.core import pagecache, ratelimits
from binjai_portal.core.billing import selectors as billing
from binjai_portal.core.catalog import service_by_slug
from binjai_portal.core.middleware import accepts_uploads
from binjai_portal.core.paging import CappedPaginator
from binjai_portal.core.workflow import TransitionRefused

from . import forms, selectors, services
from . import workflows as wf
from .models import IKM_ELEMENTS
from .schema import localized

MAX_VERIFY_BYTES = 10 * 1024 * 1024
# Document uploads one application form may carry: one per requirement of the permit
# type (the demo types have up to 5); the request guard refuses larger bodies unread.
MAX_DOCUMENTS = 15


@pagecache.public_page("perizinan")
def index(request):
    context = {
        "service": service_by_slug("perizinan"),
        "types": selectors.permit_type_list_active(),
    }
    if request.user.is_authenticated:
        context["mine"] = selectors.application_list_for_applicant(user=request.user)[:5]
        context["is_staff"] = rules.has_perm("perizinan.work_on_applications", request.user)
    return render(request, "perizinan/index.html", context)


@login_required
def apply(request, code):
    permit_type = selectors.permit_type_get_active(code=code)
    draft = selectors.application_open_draft(user=request.user, permit_type=permit_type)
    if request.method == "POST":
        if draft is not None and request.POST.get("new") != "1":
            # A second click (or a resent form) continues the open draft.
            return redirect("perizinan:application-edit", pk=draft.pk)
        try:
            app = services.application_create(applicant=request.user, permit_type=permit_type)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("perizinan:index")
        return redirect("perizinan:application-edit", pk=app.pk)
    return render(request, "perizinan/apply.html", {"permit_type": permit_type, "draft": draft})


@login_required
def my_applications(request):
    apps = selectors.application_list_for_applicant(user=request.user)
    return render(request, "perizinan/my_applications.html", {"applications": apps})


@accepts_uploads(files=MAX_DOCUMENTS)
@login_required
def application_edit(request, pk):
    app = selectors.application_get_for_user(user=request.user, pk=pk)
    if app.applicant_id != request.user.pk:
        raise Http404
    if app.status not in (wf.DRAFT, wf.REVISION):
        return redirect(app)
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, application=app)
    if request.method == "POST" and form.is_valid():
        intent = request.POST.get("intent", "save")
        try:
            services.application_update(
                application=app,
                actor=request.user,
                data=form.type_data(),
                details=form.details(),
                documents=form.documents(),
            )
            if intent == "submit" and app.status == wf.DRAFT:
                services.application_submit(application=app, actor=request.user)
                messages.success(
                    request, _("Permohonan diajukan. Simpan nomor registrasi untuk melacaknya.")
                )
                return redirect(app)
            if intent == "submit" and app.status == wf.REVISION:
                services.application_resubmit(application=app, actor=request.user)
                messages.success(request, _("Perbaikan dikirim."))
                return redirect(app)
            messages.success(request, _("Draf tersimpan."))
            return redirect("perizinan:application-edit", pk=app.pk)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except TransitionRefused as exc:
            form.add_error(None, str(exc.message))
    return render(request, "perizinan/application_form.html", {"form": form, "application": app})


ACTION_FORMS = {
    "request_revision": forms.RevisionForm,
    "accept": forms.NoteForm,
    "schedule_survey": forms.ScheduleForm,
    "report_survey": forms.SurveyReportForm,
    "recommend": forms.RecommendForm,
    "decide": forms.DecisionForm,
    "withdraw": forms.NoteForm,
    "reissue": forms.NoteForm,
}


# What an irreversible step does, asked before it runs (<form data-confirm>).
ACTION_CONFIRM = {
    "withdraw": _lazy(
        "Cabut permohonan ini? Permohonan dihentikan dan tidak dapat dilanjutkan lagi; "
        "untuk mengurus izin ini Anda harus mengajukan permohonan baru."
    ),
    "decide": _lazy(
        "Kirim keputusan? Persetujuan menerbitkan izin (atau tagihan retribusi) dan "
        "penolakan mengakhiri permohonan; keputusan tidak dapat diubah dan pemohon diberi tahu."
    ),
    "reissue": _lazy(
        "Terbitkan ulang sertifikat? Sertifikat yang sekarang dinyatakan diganti dan "
        "kode QR-nya menunjuk ke sertifikat baru."
    ),
    "request_revision": _lazy(
        "Minta perbaikan berkas? Pemohon diberi tahu dan waktu layanan dijeda sampai "
        "perbaikan dikirim."
    ),
}


def _surveyors():
    return (
        get_user_model()
        .objects.filter(groups__name=wf.SURVEYOR, is_active=True)
        .order_by("full_name")
    )


def _action_form(name, app, data=None, files=None):
    cls = ACTION_FORMS[name]
    if cls is forms.RevisionForm:
        return cls(data, documents=list(app.documents.all()), prefix=name)
    if cls is forms.ScheduleForm:
        return cls(data, surveyors=_surveyors(), prefix=name)
    return cls(data, files, prefix=name)


def _available(app, user) -> list[str]:
    """Form names the user may use now (buttons shown on the detail page)."""
    names = {a.name for a in wf.APPLICATION.available_actions(app, user)}
    out = []
    if "request_revision" in names:
        out.append("request_revision")
    if names & {"accept_to_survey", "accept_to_review"}:
        out.append("accept")
    for n in ("schedule_survey", "report_survey", "recommend", "withdraw"):
        if n in names:
            out.append(n)
    if names & {"approve", "approve_with_fee", "reject"}:
        out.append("decide")
    if rules.has_perm("perizinan.reissue_certificate", user, app):
        out.append("reissue")
    return out


@login_required
def application_detail(request, pk):
    app = selectors.application_get_for_user(user=request.user, pk=pk)
    available = _available(app, request.user)
    is_staff = (
        rules.has_perm("perizinan.work_on_applications", request.user) and request.user.is_staff
    )
    context = {
        "holder": selectors.application_holder(application=app),
        "survey_photos": list(app.survey_photos.all()) if is_staff else [],
        "withdraw_form": _action_form("withdraw", app) if "withdraw" in available else None,
        "application": app,
        "label": wf.APPLICATION.label(app.status),
        "timeline": selectors.application_timeline(application=app, viewer=request.user),
        # The forward step first; asking for corrections is the secondary one.
        "action_forms": [
            (n, _action_form(n, app))
            for n in sorted(available, key=lambda n: n == "request_revision")
            if n != "withdraw"
        ],
        "wide": is_staff,
        "confirm": ACTION_CONFIRM,
        "is_owner": app.applicant_id == request.user.pk,
        "certificate": next((c for c in app.certificates.all() if c.state == "valid"), None),
        "old_certificates": [c for c in app.certificates.all() if c.state != "valid"],
        "fields": [
            (localized(f, "label"), (app.data or {}).get(f["name"], "-"))
            for f in app.permit_type.fields
        ],
        "can_survey": (
            app.applicant_id == request.user.pk
            and app.status == wf.ISSUED
            and not hasattr(app, "survey")
        ),
        "today": timezone.localdate(),
    }
    bill = billing.bill_for_subject(kind=services.BILL_KIND, subject_id=app.pk)
    if bill is not None:
        context["bill"], context["bill_view"] = bill, billing.bill_view(bill=bill)
        context["bill_links"] = (
            billing.bill_list_visible(user=request.user).filter(pk=bill.pk).exists()
        )
    return render(request, "perizinan/application_detail.html", context)


@accepts_uploads(files=2)  # the survey's two photos
@login_required
@require_POST
def application_act(request, pk, action):
    app = selectors.application_get_for_user(user=request.user, pk=pk)
    if action not in ACTION_FORMS or action not in _available(app, request.user):
        raise Http404
    form = _action_form(action, app, request.POST, request.FILES)
    if form.is_valid():
        d, user = form.cleaned_data, request.user
        try:
            if action == "request_revision":
                services.application_request_revision(
                    application=app, actor=user, notes=form.notes(), note=d["note"]
                )
            elif action == "accept":
                services.application_accept(application=app, actor=user, note=d["note"])
            elif action == "schedule_survey":
                services.application_schedule_survey(
                    application=app,
                    actor=user,
                    survey_date=d["survey_date"],
                    surveyor=d["surveyor"],
                )
            elif action == "report_survey":
                photos = [p for p in (d.get("photo_1"), d.get("photo_2")) if p]
                services.application_report_survey(
                    application=app, actor=user, findings=d["findings"], photos=photos
                )
            elif action == "recommend":
                services.application_recommend(
                    application=app,
                    actor=user,
                    recommendation=d["recommendation"],
                    minutes=d["minutes"],
                )
            elif action == "decide":
                services.application_decide(
                    application=app,
                    actor=user,
                    approve=d["decision"] == "approve",
                    reason=d["reason"],
                )
            elif action == "withdraw":
                services.application_withdraw(application=app, actor=user, note=d["note"])
            elif action == "reissue":
                services.certificate_reissue(application=app, actor=user, note=d["note"])
            messages.success(request, _("Tersimpan."))
            return redirect(app)
        except (ValidationError, TransitionRefused) as exc:
            text = exc.message if isinstance(exc, TransitionRefused) else " ".join(exc.messages)
            form.add_error(None, str(text))
        except PermissionDenied:
            raise Http404 from None
    app = selectors.application_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "perizinan/action_form.html",
        {"application": app, "form": form, "action": action, "confirm": ACTION_CONFIRM},
        status=400,
    )


@login_required
def satisfaction(request, pk):
    app = selectors.application_get_for_user(user=request.user, pk=pk)
    if app.applicant_id != request.user.pk:
        raise Http404
    form = forms.SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(
                application=app,
                actor=request.user,
                scores={k: form.cleaned_data[k] for k, _l in IKM_ELEMENTS},
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Terima kasih atas penilaian Anda."))
            return redirect(app)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
    return render(request, "perizinan/satisfaction.html", {"form": form, "application": app})


INBOX_PAGE_SIZE = 50


@login_required
def inbox(request):
    if not rules.has_perm("perizinan.work_on_applications", request.user):
        raise Http404
    page = CappedPaginator(selectors.inbox_queryset(user=request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "perizinan/inbox.html",
        {"rows": selectors.inbox_rows(page.object_list), "page": page},
    )


def track(request):
    """Public tracking. The check value has only 10,000 possibilities, so every lookup
    is counted per client address before it is evaluated (an atomic counter: concurrent
    guesses cannot slip past it). Counting per address, not per number, keeps the
    applicant able to track from their own phone while a guesser is stopped. A limiter
    that is down lets lookups through (a read: fail open)."""
    form = forms.TrackForm(request.POST or None)
    result, not_found = None, False
    if request.method == "POST" and form.is_valid():
        refusal = ratelimits.check(request, "permit_track", fail_open=True)
        if refusal is not None:
            form.add_error(None, refusal.message)
            return render(request, "perizinan/track.html", {"form": form}, status=refusal.status)
        result = selectors.application_track(
            number=form.cleaned_data["number"], check=form.cleaned_data["check"]
        )
        not_found = result is None
    return render(
        request, "perizinan/track.html", {"form": form, "result": result, "not_found": not_found}
    )


def _verify_context(cert):
    if cert is None:
        return {"cert": None}
    return {
        "cert": cert,
        "state": cert.public_state(),
        "holder": selectors.mask_name(cert.holder_name),
        "type_name": cert.application.permit_type.name,
    }


def verify(request, token):
    cert = selectors.certificate_get_by_token(token=token)
    if cert is None:
        raise Http404
    context = _verify_context(cert)
    context["file_form"] = forms.VerifyFileForm()
    return render(request, "perizinan/verify.html", context)


@accepts_uploads(files=1, max_bytes=MAX_VERIFY_BYTES)
def verify_search(request):
    number_form = forms.VerifyNumberForm(request.GET or None)
    file_form = forms.VerifyFileForm(request.POST or None, request.FILES or None)
    context = {"number_form": number_form, "file_form": file_form, "searched": False}
    if request.method == "POST" and file_form.is_valid():
        upload = file_form.cleaned_data["berkas"]
        context["searched"] = True
        if upload.size > MAX_VERIFY_BYTES:
            file_form.add_error("berkas", _("Berkas terlalu besar."))
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            cert = selectors.certificate_matching_file(sha256=digest.hexdigest())
            context.update(_verify_context(cert))
            context["by_file"] = True
    elif request.method == "GET" and number_form.is_valid():
        context["searched"] = True
        context.update(
            _verify_context(
                selectors.certificate_get_by_number(number=number_form.cleaned_data["nomor"])
            )
        )
    return render(request, "perizinan/verify_search.html", context)
