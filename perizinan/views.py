from __future__ import annotations

import hashlib

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from binjai_portal.core import pagecache, ratelimits
from binjai_portal.core.actions import Action, Actions, Item, run_action
from binjai_portal.core.billing import selectors as billing
from binjai_portal.core.catalog import service_by_slug
from binjai_portal.core.middleware import accepts_uploads
from binjai_portal.core.paging import CappedPaginator

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
        except ValidationError as exc:  # TransitionRefused too
            for message in exc.messages:
                form.add_error(None, message)
    return render(request, "perizinan/application_form.html", {"form": form, "application": app})


def _surveyors():
    return (
        get_user_model()
        .objects.filter(groups__name=wf.SURVEYOR, is_active=True)
        .order_by("full_name")
    )


def _can_reissue(user, app) -> bool:
    return rules.has_perm("perizinan.reissue_certificate", user, app)


def _report_survey(app, user, form):
    d = form.cleaned_data
    photos = [p for p in (d.get("photo_1"), d.get("photo_2")) if p]
    services.application_report_survey(
        application=app, actor=user, findings=d["findings"], photos=photos
    )


# The steps of an application, in the order the detail page offers them. The forward
# step first; asking for corrections is the secondary one (last, folded).
APPLICATION_ACTIONS = Actions(
    wf.APPLICATION,
    Action(
        "accept",
        _lazy("Nyatakan berkas lengkap"),
        forms.NoteForm,
        lambda app, user, form: services.application_accept(
            application=app, actor=user, note=form.cleaned_data["note"]
        ),
        transitions=("accept_to_survey", "accept_to_review"),
        title=_lazy("Berkas lengkap"),
    ),
    Action(
        "schedule_survey",
        _lazy("Simpan jadwal survei"),
        forms.ScheduleForm,
        lambda app, user, form: services.application_schedule_survey(
            application=app,
            actor=user,
            survey_date=form.cleaned_data["survey_date"],
            surveyor=form.cleaned_data["surveyor"],
        ),
        form_kwargs=lambda app: {"surveyors": _surveyors()},
        title=_lazy("Jadwalkan survei"),
    ),
    Action(
        "report_survey",
        _lazy("Kirim laporan survei"),
        forms.SurveyReportForm,
        _report_survey,
        title=_lazy("Laporan survei"),
    ),
    Action(
        "recommend",
        _lazy("Kirim rekomendasi teknis"),
        forms.RecommendForm,
        lambda app, user, form: services.application_recommend(
            application=app,
            actor=user,
            recommendation=form.cleaned_data["recommendation"],
            minutes=form.cleaned_data["minutes"],
        ),
        title=_lazy("Rekomendasi teknis"),
    ),
    Action(
        "withdraw",
        _lazy("Kirim"),
        forms.NoteForm,
        lambda app, user, form: services.application_withdraw(
            application=app, actor=user, note=form.cleaned_data["note"]
        ),
        confirm=_lazy(
            "Cabut permohonan ini? Permohonan dihentikan dan tidak dapat dilanjutkan lagi; "
            "untuk mengurus izin ini Anda harus mengajukan permohonan baru."
        ),
        danger=True,
        title=_lazy("Cabut permohonan"),
    ),
    Action(
        "decide",
        _lazy("Kirim keputusan"),
        forms.DecisionForm,
        lambda app, user, form: services.application_decide(
            application=app,
            actor=user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        ),
        transitions=("approve", "approve_with_fee", "reject"),
        confirm=_lazy(
            "Kirim keputusan? Persetujuan menerbitkan izin (atau tagihan retribusi) dan "
            "penolakan mengakhiri permohonan; keputusan tidak dapat diubah dan pemohon diberi tahu."
        ),
        title=_lazy("Keputusan"),
    ),
    Action(
        "reissue",
        _lazy("Terbitkan ulang"),
        forms.NoteForm,
        lambda app, user, form: services.certificate_reissue(
            application=app, actor=user, note=form.cleaned_data["note"]
        ),
        allowed=_can_reissue,
        confirm=_lazy(
            "Terbitkan ulang sertifikat? Sertifikat yang sekarang dinyatakan diganti dan "
            "kode QR-nya menunjuk ke sertifikat baru."
        ),
        title=_lazy("Terbitkan ulang sertifikat"),
    ),
    Action(
        "request_revision",
        _lazy("Kirim permintaan perbaikan"),
        forms.RevisionForm,
        lambda app, user, form: services.application_request_revision(
            application=app, actor=user, notes=form.notes(), note=form.cleaned_data["note"]
        ),
        form_kwargs=lambda app: {"documents": list(app.documents.all())},
        confirm=_lazy(
            "Minta perbaikan berkas? Pemohon diberi tahu dan waktu layanan dijeda sampai "
            "perbaikan dikirim."
        ),
        title=_lazy("Minta perbaikan berkas"),
        secondary=True,
    ),
)


def _act_url(app):
    return lambda a: reverse("perizinan:application-act", args=[app.pk, a.name])


@login_required
def application_detail(request, pk):
    app = selectors.application_get_for_user(user=request.user, pk=pk)
    items = APPLICATION_ACTIONS.items(request.user, app, url=_act_url(app))
    withdraw = next((i for i in items if i.name == "withdraw"), None)
    is_staff = (
        rules.has_perm("perizinan.work_on_applications", request.user) and request.user.is_staff
    )
    context = {
        "holder": selectors.application_holder(application=app),
        "survey_photos": list(app.survey_photos.all()) if is_staff else [],
        "withdraw": withdraw,
        "application": app,
        "label": wf.APPLICATION.label(app.status),
        "timeline": selectors.application_timeline(application=app, viewer=request.user),
        "action_items": [i for i in items if i is not withdraw],
        "wide": is_staff,
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

    def render_form(outcome):
        fresh = selectors.application_get_for_user(user=request.user, pk=pk)
        item = Item(outcome.action, outcome.form, _act_url(fresh)(outcome.action))
        return render(
            request,
            "perizinan/action_form.html",
            {"application": fresh, "items": [item]},
            status=400,
        )

    try:
        return run_action(request, app, APPLICATION_ACTIONS, action, render_form=render_form)
    except PermissionDenied:  # not this user's step (or no such step): as if absent
        raise Http404 from None


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


WORK_QUEUE_PAGE_SIZE = 50


@login_required
def work_queue(request):
    if not rules.has_perm("perizinan.work_on_applications", request.user):
        raise Http404
    page = CappedPaginator(
        selectors.inbox_queryset(user=request.user), WORK_QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "perizinan/work_queue.html",
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
