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
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from binjai_portal.accounts.selectors import persons_user_can_act_for
from binjai_portal.core import pagecache
from binjai_portal.core.actions import MESSAGE, Action, Actions, action_outcome
from binjai_portal.core.privacy.access import staff_viewed

from . import selectors, services
from .forms import BookingForm, CheckInForm, OnsiteForm, RatingForm, TransferForm
from .models import Booking, Poli
from .services import BookingRefused
from .workflows import BOOKING


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
            # Booking for oneself (nine in ten): the form needs no dependants read.
            persons = (
                [request.user]
                if request.POST.get("patient") == f"u{request.user.pk}"
                else persons_user_can_act_for(user=request.user)
            )
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
    transfer_form = TransferForm(polis=others)
    # Each row's steps from the engine, one unit query for the whole queue; the rows
    # share one transfer form (its poli list read once).
    available = BOOKING_ACTIONS.available_each(request.user, queue)
    rows = [
        (b, BOOKING_ACTIONS.items_of(b, available[b.pk], forms_by_name={"transfer": transfer_form}))
        for b in queue
    ]
    return {
        "poli": poli,
        "facility": poli.facility,
        "queue": queue,
        "rows": rows,
        "today": today,
        "status": selectors.queue_status(poli=poli, date=today),
        "transfer_form": transfer_form,
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


def _always(user, obj) -> bool:
    # The console is reached only by the poli's staff (_staff_poli); each service
    # checks the staff member's right itself and says why it refuses.
    return True


def _called(poli, called) -> str:
    if called:
        return _("Memanggil %(n)s") % {"n": called.queue_number}
    return _("Tidak ada pasien yang menunggu.")


# Steps on the poli's queue as a whole.
QUEUE_ACTIONS = Actions(
    None,
    Action(
        "call_next",
        "call_next",
        None,
        lambda poli, user, form: services.queue_call_next(staff=user, poli=poli),
        allowed=_always,
        success=_called,
    ),
    Action(
        "check_in",
        "check_in",
        CheckInForm,
        lambda poli, user, form: services.booking_check_in(staff=user, **form.cleaned_data),
        allowed=_always,
        invalid=_lazy("Isi kode booking."),
        success=lambda poli, b: _("%(n)s hadir.") % {"n": b.queue_number},
    ),
    Action(
        "onsite",
        "onsite",
        OnsiteForm,
        lambda poli, user, form: services.booking_register_onsite(
            staff=user, poli=poli, **form.cleaned_data
        ),
        allowed=_always,
        success=lambda poli, b: _("Terdaftar dengan nomor %(n)s.") % {"n": b.queue_number},
    ),
    prefix=False,
    refused=MESSAGE,
    invalid=MESSAGE,
)


def _booking_step(name: str, label, service, **kwargs) -> Action:
    return Action(
        name,
        label,
        None,
        lambda booking, user, form: service(staff=user, booking=booking),
        **kwargs,
    )


# Steps on one entry of the queue (POST "booking"), in the order a row shows them; the
# workflow engine says which the clerk may take for the entry's state.
BOOKING_ACTIONS = Actions(
    BOOKING,
    _booking_step(
        "recall", _lazy("Panggil ulang"), services.booking_recall, button="outline-primary"
    ),
    _booking_step("start", _lazy("Mulai layani"), services.booking_start_service),
    _booking_step(
        "absent",
        _lazy("Lewati (tidak hadir)"),
        services.booking_mark_absent,
        transitions=("mark_absent",),
        # Skipping is for the number being called; a waiting patient is not skipped here.
        only_in=(Booking.Status.CALLED,),
        button="outline-secondary",
    ),
    _booking_step(
        "requeue", _lazy("Masukkan lagi"), services.booking_requeue, button="outline-primary"
    ),
    _booking_step("finish", _lazy("Selesai"), services.booking_finish, button="success"),
    Action(
        "transfer",
        _lazy("Rujuk"),
        TransferForm,
        lambda booking, user, form: services.booking_transfer(
            staff=user, booking=booking, to_poli=form.cleaned_data["to_poli"]
        ),
        form_kwargs=lambda b: {"polis": b.poli.facility.polis.exclude(pk=b.poli_id)},
        invalid=_lazy("Pilih poli tujuan."),
        button="outline-primary",
    ),
    _booking_step(
        "undo_transfer",
        _lazy("Batalkan rujukan"),
        services.booking_transfer_undo,
        button="outline-secondary",
    ),
    prefix=False,
    refused=MESSAGE,
    invalid=MESSAGE,
    unavailable=MESSAGE,
)


@login_required
@require_POST
def console_action(request, poli_code: str):
    """One queue action; answers with the refreshed queue (htmx) or redirects back."""
    poli = _staff_poli(request, poli_code)
    action = request.POST.get("action", "")
    message, error = "", ""
    if QUEUE_ACTIONS.get(action) is not None:
        outcome = action_outcome(request, poli, QUEUE_ACTIONS, action)
    elif BOOKING_ACTIONS.get(action) is not None:
        booking = get_object_or_404(Booking, pk=_int(request.POST.get("booking")), poli=poli)
        outcome = action_outcome(request, booking, BOOKING_ACTIONS, action)
    else:
        outcome = None
        error = _("Tindakan tidak dikenal.")
    if outcome is not None:
        message, error = (outcome.message, "") if outcome.ok else ("", outcome.message)
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
@pagecache.public_page("dokter", timeout=selectors.DISPLAY_CACHE_SECONDS)
def display_board(request, code: str):
    """Polled every 2 s by the TV: served from the cache between queue changes, the
    state and its rendered fragment alike (the fragment shows nobody's own data). An
    anonymous TV gets the whole answer from the public page cache (every queue change
    bumps the "dokter" generation on commit; a minute at most otherwise)."""
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
