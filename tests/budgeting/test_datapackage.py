"""The open-data Fiscal Data Package passes the Frictionless Data standard's own validator,
data included, and names the region by ISO 3166-2 and its Kemendagri code."""

import json

from django.urls import reverse
from frictionless import system, validate

from .test_services import add_pen, lock


def _served_package(client, fy, tmp_path):
    """The descriptor and its CSV as served, written side by side as a publisher would."""
    csv_body = b"".join(
        client.get(reverse("budgeting:public-csv", args=[fy.year, fy.version])).streaming_content
    )
    (tmp_path / "apbd.csv").write_bytes(csv_body)
    descriptor = json.loads(
        client.get(reverse("budgeting:public-datapackage", args=[fy.year, fy.version])).content
    )
    descriptor["resources"][0]["path"] = "apbd.csv"  # the served URL, fetched offline
    return descriptor


def test_datapackage_is_valid_frictionless(
    client, activity, opd_officer, tapd, atk, items, tmp_path
):
    add_pen(activity, opd_officer, atk, items)
    lock(activity.budget, opd_officer, tapd)
    fy = activity.budget.fiscal_year
    descriptor = _served_package(client, fy, tmp_path)

    with system.use_context(trusted=True):
        report = validate(descriptor, basepath=str(tmp_path))
    assert report.valid, report.flatten(["type", "note"])
    assert report.stats["tasks"] == 1 and report.tasks[0].stats["rows"] == 1

    assert "type" not in descriptor  # reserved by the Data Package standard
    assert descriptor["countryCode"] == "ID"
    assert descriptor["regionCode"] == "ID-SU"  # ISO 3166-2: Sumatera Utara
    assert descriptor["cityCode"] == "12.75"  # Kemendagri: Kota Binjai
    assert descriptor["name"] == f"apbd-kota-binjai-{fy.year}-{fy.version}"


def test_the_validator_catches_a_reserved_key(
    client, activity, opd_officer, tapd, atk, items, tmp_path
):
    """The check above can fail: the old descriptor's package-level "type" is refused."""
    add_pen(activity, opd_officer, atk, items)
    lock(activity.budget, opd_officer, tapd)
    descriptor = _served_package(client, activity.budget.fiscal_year, tmp_path)
    descriptor["type"] = "expenditure"
    with system.use_context(trusted=True):
        report = validate(descriptor, basepath=str(tmp_path))
    assert not report.valid
