"""Builders for e-Budgeting tests, through the services. Codes here are test codes."""

from __future__ import annotations

from decimal import Decimal

from binjai_portal.core.codetree import code_tree_load
from binjai_portal.core.models import Urusan
from budgeting import services
from budgeting.models import Account, Nomenclature

ACCOUNTS = [
    {
        "code": "5.1.02.01",
        "name": "[UJI] Belanja Barang",
        "level": "objek",
        "parent_code": "5.1.02",
    },
    {
        "code": "5.1.02.01.01",
        "name": "[UJI] Belanja Bahan",
        "level": "rincian",
        "parent_code": "5.1.02.01",
    },
    {
        "code": "5.1.02.01.01.0024",
        "name": "[UJI] Alat tulis kantor",
        "level": "sub_rincian",
        "parent_code": "5.1.02.01.01",
    },
    {
        "code": "5.1.02.01.01.0025",
        "name": "[UJI] Honorarium narasumber",
        "level": "sub_rincian",
        "parent_code": "5.1.02.01.01",
    },
]


def reference_data():
    """Accounts 1–3 (shipped), test leaves, and one test program tree under 1.03."""
    services.accounts_load_shipped()
    code_tree_load(Account, ACCOUNTS)
    bidang = Urusan.objects.get(code="1.03")
    program, _ = Nomenclature.objects.get_or_create(
        code="1.03.91",
        defaults={"name": "[UJI] Program", "level": "program", "bidang": bidang, "is_demo": True},
    )
    kegiatan, _ = Nomenclature.objects.get_or_create(
        code="1.03.91.1.01",
        defaults={
            "name": "[UJI] Kegiatan",
            "level": "kegiatan",
            "parent": program,
            "bidang": bidang,
            "is_demo": True,
        },
    )
    sub, _ = Nomenclature.objects.get_or_create(
        code="1.03.91.1.01.0001",
        defaults={
            "name": "[UJI] Sub kegiatan drainase",
            "level": "sub_kegiatan",
            "parent": kegiatan,
            "bidang": bidang,
            "output_indicator": "Panjang saluran",
            "output_unit": "meter",
            "is_demo": True,
        },
    )
    return sub


def published_list(*, year: int, actor):
    pl = services.price_list_create(year=year, actor=actor)
    atk = Account.objects.get(code="5.1.02.01.01.0024")
    honor = Account.objects.get(code="5.1.02.01.01.0025")
    items = {
        "pen": services.price_item_add(
            price_list=pl,
            actor=actor,
            code="UJI.1.1",
            name="Pulpen",
            unit="buah",
            price=Decimal("3500"),
            kind="ssh",
            accounts=[atk],
        ),
        "honor": services.price_item_add(
            price_list=pl,
            actor=actor,
            code="UJI.2.1",
            name="Honor narasumber",
            unit="OJ",
            price=Decimal("900000"),
            kind="asb",
            accounts=[honor],
        ),
    }
    services.price_list_publish(price_list=pl, actor=actor)
    return pl, items
