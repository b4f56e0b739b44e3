"""Bills for tests, issued through the service; a permit waiting for its levy."""

from __future__ import annotations

from decimal import Decimal

from binjai_portal.core.billing import services


def bill(payer, amount="150000", subject_id="1", **kw):
    data = {
        "payer": payer,
        "amount": Decimal(amount),
        "description": "Retribusi uji",
        "legal_basis": "Perda Kota Binjai (uji)",
        "subject_kind": "test.levy",
        "subject_id": subject_id,
        "subject_label": f"Uji {subject_id}",
        "category": "uji",
        "category_label": "Retribusi uji",
    }
    data.update(kw)
    return services.bill_issue(**data)


def permit_waiting_for_payment(citizen, make_staff, fee="150000", code="sip-berbayar"):
    from perizinan import services as permit_services
    from perizinan.models import PermitType
    from tests.perizinan import factories as pf

    pt = pf.practice_type(
        code=code,
        fee_kind=PermitType.FeeKind.FIXED,
        fee_amount=Decimal(fee),
        legal_basis="Peraturan Daerah Kota Binjai tentang Retribusi (uji)",
    )
    verifier = make_staff("dpmptsp_verifikator", full_name="Agus Verifikator")
    officer = make_staff("petugas_opd", "dinkes", full_name="Rina Dinkes")
    head = make_staff("dpmptsp_kepala", "dpmptsp", full_name="Lestari Kepala")
    app = pf.submitted(pt, citizen)
    permit_services.application_accept(application=app, actor=verifier)
    permit_services.application_recommend(application=app, actor=officer, recommendation="OK")
    permit_services.application_decide(application=app, actor=head, approve=True)
    app.refresh_from_db()
    return app
