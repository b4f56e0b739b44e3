"""English beside the Indonesian names officers enter (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import DocumentRequirement, PermitType


@register(PermitType)
class PermitTypeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(DocumentRequirement)
class DocumentRequirementTranslation(TranslationOptions):
    fields = ("name",)


# English for the demo permit types and their documents (perizinan/demo.py).
DEMO_TYPES_ENGLISH = {
    "pbg": "Building Approval (PBG)",
    "slf": "Certificate of Fitness for Use (SLF)",
    "reklame": "Advertising Permit",
    "sip-dokter": "Doctor's Practice Licence",
    "sip-bidan": "Midwife's Practice Licence",
    "sip-perawat": "Nurse's Practice Licence",
    "iumk": "Micro and Small Business Permit (IUMK)",
}
DEMO_DOCUMENTS_ENGLISH = {
    "Gambar rencana arsitektur": "Architectural plan drawings",
    "Bukti kepemilikan tanah": "Proof of land ownership",
    "Foto lokasi": "Photo of the site",
    "PBG/IMB": "PBG/IMB",
    "Laporan pemeriksaan kelaikan": "Fitness inspection report",
    "Desain reklame": "Advertisement design",
    "STR dokter": "Doctor's registration certificate (STR)",
    "Rekomendasi IDI": "IDI recommendation",
    "STR bidan": "Midwife's registration certificate (STR)",
    "STR perawat": "Nurse's registration certificate (STR)",
    "KTP pemohon": "Applicant's identity card (KTP)",
}


DEMO_LABELS_ENGLISH = {
    "Luas tanah (m²)": "Land area (m²)",
    "Luas bangunan (m²)": "Floor area (m²)",
    "Jumlah lantai": "Number of floors",
    "Fungsi bangunan": "Building use",
    "Nomor STR": "STR number",
    "Tempat praktik": "Place of practice",
    "Panjang (m)": "Length (m)",
    "Lebar (m)": "Width (m)",
    "Naskah reklame": "Advertisement text",
    "Nama usaha": "Business name",
    "Kode KBLI": "KBLI code",
    "Modal usaha (Rp)": "Business capital (Rp)",
}


def seed_english(log) -> None:
    types = 0
    for permit_type in PermitType.objects.filter(code__in=list(DEMO_TYPES_ENGLISH), is_demo=True):
        fields = [
            {**f, "label_en": DEMO_LABELS_ENGLISH[f["label"]]}
            if f.get("label") in DEMO_LABELS_ENGLISH
            else f
            for f in permit_type.fields
        ]
        english = DEMO_TYPES_ENGLISH[permit_type.code]
        types += PermitType.objects.filter(pk=permit_type.pk).update(
            name_en=english,
            # demo_data.py writes "Layanan <name> di DPMPTSP Kota Binjai."
            description_en=f"{english} service at the DPMPTSP of Binjai City.",
            fields=fields,
        )
    docs = 0
    for name, english in DEMO_DOCUMENTS_ENGLISH.items():
        docs += DocumentRequirement.objects.filter(
            permit_type__code__in=list(DEMO_TYPES_ENGLISH), name_ind=name
        ).update(name_en=english)
    log(f"perizinan: English names for {types} permit types, {docs} documents")


def _register_demo() -> None:
    from binjai_portal.core import demo

    demo.register("perizinan-english", seed_english, order=95)


_register_demo()
