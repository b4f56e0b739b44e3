"""The berita acara's table keeps every text inside its column (header row included)."""

from itertools import accumulate

import pytest

from musrenbang import exports
from musrenbang.models import Forum, Status
from tests.pdf_layout import text_runs

pytestmark = pytest.mark.django_db

SLACK = 0.5  # points: rounding of the font metrics


def test_berita_acara_headers_and_values_stay_inside_their_columns(make_proposal):
    proposals = [
        make_proposal(
            Status.VERIFIED,
            title="Pembangunan dan rehabilitasi saluran drainase sekunder sepanjang "
            "Jalan Sultan Hasanuddin sampai simpang Gang Melati",
            estimated_cost=1_234_567_890,
        ),
        make_proposal(Status.VERIFIED, title="Posyandu", estimated_cost=90_000_000),
    ]
    pdf = exports.berita_acara_pdf(
        forum_title="Musrenbang kelurahan Contoh",
        forum=None,
        level=Forum.Level.KELURAHAN,
        proposals=proposals,
        signer_unit="Kelurahan Contoh",
    )
    edges = [
        exports.LEFT_MARGIN,
        *(exports.LEFT_MARGIN + w for w in accumulate(exports.COL_WIDTHS)),
    ]
    runs = [r for r in text_runs(pdf) if edges[0] - SLACK <= r.x < edges[-1]]
    in_table = [r for r in runs if r.size == 8]
    assert any("Perkiraan" in r.text for r in in_table)
    for run in in_table:
        column = max(i for i, edge in enumerate(edges[:-1]) if edge - SLACK <= run.x)
        assert run.right <= edges[column + 1] + SLACK, (run.text, run.right, edges[column + 1])
    assert any("1.234.567.890" in r.text for r in in_table)
