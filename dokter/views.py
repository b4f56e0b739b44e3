from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from binjai_portal.accounts.selectors import persons_user_can_act_for
from binjai_portal.core import pagecache
from binjai_portal.core.privacy.access import staff_viewed

from . import selectors, services
from .forms import BookingForm, CheckInForm, OnsiteForm, RatingForm, TransferForm
from .models import Booking, Poli
from .services import BookingRefused


@pagecache.public_page("dokter", timeout=60)
def index(request):
    facilities = selectors.facility_list_public()
    bookings = []
    if request.user.is_authenticated:
        bookings = list(selectors.booking_list_for_user(user=request.user)[:10])
    return render(request, "dokter/index.html", {"facilities": facilities, "bookings": bookings})


@pagecache.public_page("dokter", timeout=60)
def facility_detail(request, code: str):
    facility = selectors.facility_get_public(code=code)
    polis = selectors.poli_list_for_facility(facility=facility)
    return render(
        request,
        "dokter/facility_detail.html",
        {
            "facility": facility,
            "polis": polis,
            "map_point": selectors.facility_map_point(facility=facility),
        },
    )


@require_GET
def facility_queue(request, code: str):
    """The facility page's live queue, polled: the TV board's cached state, no own data."""
    state = selectors.display_state_for_code(code=code)
    response = render(request, "dokter/_facility_queue.html", {"state": state})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def booking_create(request, code: str, poli_code: str):
    """The booking form. Its POST takes a short path, because at 07:00 it is the
    request hundreds of citizens send at once: the named session is read in one query
    (no week of options), a session already known to be full is refused from the cache
    before anything else, and the full page is built again only to show an error."""
    if request.method == "POST":
        value = request.POST.get("session", "")
        parsed = selectors.session_value_parse(value)
        if parsed and services.session_marked_full(date=parsed[0], schedule_id=parsed[1]):
            # No query beyond the login's, no form, no site layout: most of the 07:00
            # crowd get this page.
            # (render_to_string without the request: no context processor runs.)
            return HttpResponse(
                render_to_string("dokter/booking_full.html", {"path": request.path})
            )
        option = selectors.session_option_posted(
            facility_code=code, poli_code=poli_code, value=value
        )
        if option is not None:
            persons = persons_user_can_act_for(user=request.user)
            form = BookingForm(request.POST, persons=persons, options=[option])
            if form.is_valid():
                data = form.cleaned_data
                try:
                    booking = services.booking_create(
                        actor=request.user,
                        schedule=data["session"].schedule,
                        date=data["session"].date,
                        patient=data["patient"],
                        payment=data["payment"],
                        bpjs_number=data.get("bpjs_number") or "",
                        complaint=data.get("complaint") or "",
                    )
                except BookingRefused as exc:
                    return _booking_page(request, code, poli_code, error=exc.messages[0])
                messages.success(request, _("Antrean berhasil dipesan."))
                return redirect(booking.get_absolute_url())
    return _booking_page(request, code, poli_code)


def _booking_page(request, code: str, poli_code: str, *, error: str = ""):
    facility = selectors.facility_get_public(code=code)
    poli = selectors.poli_get_public(facility=facility, poli_code=poli_code)
    if not poli.bookable_online:
        raise Http404
    options = selectors.session_options(poli=poli)
    persons = persons_user_can_act_for(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = BookingForm(data, persons=persons, options=options)
    if data is not None and form.is_valid() and error:
        form.add_error(None, error)  # (an invalid form already says what is wrong)
    return render(
        request,
        "dokter/booking_form.html",
        {
            "facility": facility,
            "poli": poli,
            "form": form,
            "options": options,
        },
    )


def _qr_svg(text: str) -> str:
    qr = segno.make_qr(text, error="m")  # a full QR code: counter scanners rarely read Micro QR
    return qr.svg_inline(
        scale=6, border=2, dark="#000", light="#fff", omitsize=True, title=_("Kode QR kode booking")
    )


def _ticket_page(request, booking: Booking, *, rating_form=None, status=200):
    live = selectors.booking_ticket(booking=booking)
    can_rate = (
        live.finished
        and live.rating is None
        and request.user.pk in (booking.booked_by_id, booking.patient_user_id)
    )
    return render(
        request,
        "dokter/ticket.html",
        {
            "booking": booking,
            "live": live,
            "qr": mark_safe(_qr_svg(booking.code)),  # noqa: S308 - segno output
            "can_cancel": booking.status == Booking.Status.BOOKED
            and booking.booked_by_id == request.user.pk,
            "rating_form": (rating_form or RatingForm()) if can_rate else None,
        },
        status=status,
    )


@login_required
def ticket(request, code: str):
    booking = selectors.booking_get_for_user(user=request.user, code=code)
    staff_viewed(  # UU 27/2022 access log: a patient's queue data seen by staff
        viewer=request.user,
        kind="queue",
        record=f"dokter.booking:{booking.code}",
        subject_id=booking.patient_user_id or booking.booked_by_id,
        dependant_id=booking.patient_dependant_id,
    )
    return _ticket_page(request, booking)


@login_required
@require_POST
def ticket_rate(request, code: str):
    booking = selectors.booking_get_for_user(user=request.user, code=code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.booking_rate(
                actor=request.user,
                booking=booking,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"],
            )
        except BookingRefused as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Terima kasih atas penilaian Anda."))
        return redirect(booking.get_absolute_url())
    return _ticket_page(request, booking, rating_form=form, status=400)


@never_cache
@login_required
@require_GET
def ticket_live(request, code: str):
    booking = selectors.booking_get_for_user(user=request.user, code=code)
    live = selectors.booking_ticket(booking=booking)
    response = render(request, "dokter/_ticket_live.html", {"booking": booking, "live": live})
    if not booking.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the visit ended: the whole ticket changes
    return response


@login_required
@require_POST
def ticket_cancel(request, code: str):
    booking = selectors.booking_get_for_user(user=request.user, code=code)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except BookingRefused as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Antrean dibatalkan; tempatnya dikembalikan ke kuota."))
    return redirect(booking.get_absolute_url())


# ---------------------------------------------------------------- staff console


@login_required
def console_index(request):
    facility = selectors.facility_for_staff(user=request.user)
    polis = selectors.poli_list_for_facility(facility=facility)
    return render(request, "dokter/console_index.html", {"facility": facility, "polis": polis})


@login_required
def integrations(request):
    """The state of the facility's links to BPJS and SATUSEHAT, for its own staff."""
    facility = selectors.facility_for_staff(user=request.user)
    states, failures = selectors.integration_states(facility=facility)
    return render(
        request,
        "dokter/integrations.html",
        {"facility": facility, "states": states, "failures": failures},
    )


def _console_context(request, poli: Poli, **extra) -> dict:
    today = timezone.localdate()
    queue = selectors.console_queue(staff=request.user, poli=poli, date=today)
    others = poli.facility.polis.filter(is_active=True).exclude(pk=poli.pk)
    return {
        "poli": poli,
        "facility": poli.facility,
        "queue": queue,
        "today": today,
        "status": selectors.queue_status(poli=poli, date=today),
        "transfer_form": TransferForm(polis=others),
        "S": Booking.Status,
        **extra,
    }


def _staff_poli(request, poli_code: str) -> Poli:
    facility = selectors.facility_for_staff(user=request.user)
    return get_object_or_404(
        Poli.objects.select_related("facility__unit"), facility=facility, code=poli_code
    )


@login_required
def console(request, poli_code: str):
    poli = _staff_poli(request, poli_code)
    return render(
        request,
        "dokter/console.html",
        _console_context(request, poli, checkin_form=CheckInForm(), onsite_form=OnsiteForm()),
    )


@never_cache
@login_required
def console_queue(request, poli_code: str):
    poli = _staff_poli(request, poli_code)
    return render(request, "dokter/_console_queue.html", _console_context(request, poli))


ACTIONS = {
    "call_next": None,
    "recall": services.booking_recall,
    "absent": services.booking_mark_absent,
    "requeue": services.booking_requeue,
    "start": services.booking_start_service,
    "finish": services.booking_finish,
    "transfer": services.booking_transfer,
    "undo_transfer": services.booking_transfer_undo,
}


@login_required
@require_POST
def console_action(request, poli_code: str):
    """One queue action; answers with the refreshed queue (htmx) or redirects back."""
    poli = _staff_poli(request, poli_code)
    action = request.POST.get("action", "")
    message, error = "", ""
    try:
        if action == "call_next":
            called = services.queue_call_next(staff=request.user, poli=poli)
            message = (
                _("Memanggil %(n)s") % {"n": called.queue_number}
                if called
                else _("Tidak ada pasien yang menunggu.")
            )
        elif action == "check_in":
            form = CheckInForm(request.POST)
            if not form.is_valid():
                raise BookingRefused(_("Isi kode booking."))
            b = services.booking_check_in(staff=request.user, **form.cleaned_data)
            message = _("%(n)s hadir.") % {"n": b.queue_number}
        elif action == "onsite":
            form = OnsiteForm(request.POST)
            if not form.is_valid():
                raise BookingRefused(" ".join(e for errs in form.errors.values() for e in errs))
            b = services.booking_register_onsite(staff=request.user, poli=poli, **form.cleaned_data)
            message = _("Terdaftar dengan nomor %(n)s.") % {"n": b.queue_number}
        elif action in ACTIONS:
            booking = get_object_or_404(Booking, pk=_int(request.POST.get("booking")), poli=poli)
            kwargs = {"staff": request.user, "booking": booking}
            if action == "transfer":
                form = TransferForm(request.POST, polis=poli.facility.polis.exclude(pk=poli.pk))
                if not form.is_valid():
                    raise BookingRefused(_("Pilih poli tujuan."))
                kwargs["to_poli"] = form.cleaned_data["to_poli"]
            ACTIONS[action](**kwargs)
            message = _("Tersimpan.")
        else:
            raise BookingRefused(_("Tindakan tidak dikenal."))
    except BookingRefused as exc:
        error = exc.messages[0]
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "dokter/_console_queue.html",
            _console_context(request, poli, message=message, error=error),
        )
        return response
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect("dokter:console", poli_code=poli.code)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# ---------------------------------------------------------------- waiting-room display


def display(request, code: str):
    facility = selectors.facility_get_public(code=code)
    return render(
        request,
        "dokter/display.html",
        {
            "facility": facility,
            "state": selectors.display_state_for_code(code=code),
        },
    )


@require_GET
def display_board(request, code: str):
    """Polled every 2 s by the TV: served from the cache between queue changes, the
    state and its rendered fragment alike (the fragment shows nobody's own data)."""
    state = selectors.display_state_for_code(code=code)

    def build():
        return render_to_string("dokter/_display_board.html", {"state": state})

    version = state.get("version")  # a state cached before versions existed has none
    html = (
        pagecache.cached(
            f"dokter:board-html:{version}:{get_language()}",
            build,
            timeout=selectors.DISPLAY_CACHE_SECONDS,
        )
        if version
        else build()
    )
    return HttpResponse(html, headers={"Cache-Control": "no-store"})
