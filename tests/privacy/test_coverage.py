"""Every model with a personal-data field is covered by a declared processing (or said
not to hold a person's data), and every category has a period and its source."""

import re

from django.apps import apps

from binjai_portal.core.privacy.registry import DEMO_POLICY, registry

PROJECT = ("binjai_portal", "musrenbang", "masyarakat", "dokter", "perizinan", "budgeting")
PROJECT += ("command_center",)

# Field names that hold a NIK, a phone number, an e-mail address, a person's name,
# birth date or address, or a health identifier (Mobile JKN and SATUSEHAT names too).
PERSONAL_FIELD = re.compile(
    r"^(nik|nomorkk|nomorkartu|nohp|nama|alamat|tanggallahir|ihs_id|bpjs_number"
    r"|full_name|birth_date|(\w+_)?(phone|email|address)"
    r"|(patient|payer|holder|chair|reporter|proposer|applicant|contact)_name)$"
)


def personal_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and PERSONAL_FIELD.match(f.name)
    ]


def project_models():
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT):
            continue
        # django-simple-history's copy follows its model.
        base = getattr(model, "instance_type", None)
        yield (base or model)._meta.label, model


def undeclared(processings, exempt) -> set[str]:
    covered = {m for p in processings for m in p.models}
    return {
        f"{label}: {', '.join(personal_fields(model))}"
        for label, model in project_models()
        if personal_fields(model) and label not in covered | set(exempt)
    }


def test_every_model_with_personal_data_is_declared():
    missing = undeclared(registry.processings.values(), registry.not_personal)
    assert not missing, f"personal data without a declared processing: {sorted(missing)}"


def test_the_check_finds_an_undeclared_model():
    from binjai_portal.accounts.models import User

    without_jkn = [p for p in registry.processings.values() if p.key != "jkn"]
    assert undeclared(without_jkn, registry.not_personal) == {
        "dokter.JknPatient: nomorkartu, nik, nomorkk, nama, tanggallahir, nohp, alamat",
        "dokter.JknVisit: nohp",
    }
    assert personal_fields(User) == [
        "nik",
        "full_name",
        "birth_date",
        "phone",
        "email",
        "address",
    ]


def test_declared_models_exist():
    for p in registry.processings.values():
        for label in p.models:
            apps.get_model(label)  # raises LookupError for a typo


def test_every_category_has_a_period_and_its_source():
    for p in registry.processings.values():
        assert str(p.retention), f"{p.app}.{p.key} has no period"
        source = str(p.retention_source)
        assert source, f"{p.app}.{p.key} says not where its period comes from"
        # Either the demo policy, said as such, or a regulation named by article.
        assert source == str(DEMO_POLICY) or re.search(
            r"Pasal \d+|UU \d+/\d{4}|tujuan|kategori", source
        ), source
        if p.retention_days is not None:
            assert (p.app, p.key) in registry.retentions, f"{p.app}.{p.key}: no job"


def test_every_retention_job_belongs_to_a_declared_period():
    for app, key in registry.retentions:
        assert registry.processings[(app, key)].retention_days, f"{app}.{key}"
