"""Safe uploads: size limit, type from the bytes, images re-encoded without metadata,
stored outside the web root and served only to those allowed.

Each app registers who may see the uploads of a purpose (e.g. a complaint's photos)
with `register_policy`; without a policy only the owner and superusers may.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import filetype
import pikepdf
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from .models import Upload

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
PDF_TYPES = {"application/pdf"}
KINDS = {"image": set(IMAGE_TYPES), "pdf": PDF_TYPES}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
# PDF names that make a reader run code, send or fetch data, open another file or carry
# one: as a dictionary key or as a name value (/S /SubmitForm, /Subtype /RichMedia)
# anywhere in the object graph. An /OpenAction that is a plain destination
# ([page /Fit]) names none of them; one that is an action names its type.
PDF_ACTIVE_NAMES = {
    "/JavaScript": _("skrip (JavaScript)"),
    "/JS": _("skrip (JavaScript)"),
    "/AA": _("tindakan otomatis (Additional Actions)"),
    "/Launch": _("perintah menjalankan program (Launch)"),
    "/SubmitForm": _("tindakan mengirim isian ke internet (SubmitForm)"),
    "/ImportData": _("tindakan mengambil data dari berkas lain (ImportData)"),
    "/GoToR": _("tautan yang membuka berkas lain (GoToR)"),
    "/GoToE": _("tautan ke berkas tersemat (GoToE)"),
    "/RichMedia": _("media aktif (RichMedia/Flash)"),
    "/RichMediaExecute": _("media aktif (RichMedia/Flash)"),
    "/Rendition": _("media aktif (Rendition)"),
    "/XFA": _("formulir XFA yang dapat berisi skrip"),
    "/EmbeddedFile": _("lampiran tersembunyi (embedded file)"),
    "/EmbeddedFiles": _("lampiran tersembunyi (embedded file)"),
}


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    name: str
    content_type: str


Policy = Callable[[object, Upload], bool]
_POLICIES: dict[str, Policy] = {}


def register_policy(purpose: str, policy: Policy) -> None:
    """policy(user, upload) -> True when the user may see the upload."""
    _POLICIES[purpose] = policy


def _reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode the pixels only. Any failure to decode untrusted bytes is a
    bad image, not a server error (Pillow raises ValueError, EOFError, struct.error...
    on crafted files; Django's ImageField catches Exception for the same reason)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Gambar terlalu besar (resolusi)."), code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the tag
            fmt = IMAGE_TYPES[content_type]
            if image.mode in ("P", "PA"):
                # The pixels are palette indexes: a blank image has no palette to
                # read them with, so keep the colours (and transparency) as RGB(A).
                transparent = image.mode == "PA" or "transparency" in image.info
                image = image.convert("RGBA" if transparent else "RGB")
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            clean = Image.new(image.mode, image.size)
            clean.paste(image)  # pixels only: no EXIF, GPS, ICC comments or XMP
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
            return out.getvalue()
    except ValidationError:
        raise
    except Exception:  # crafted bytes: see the docstring
        raise ValidationError(
            _("Gambar rusak atau tidak dapat dibaca."), code="bad_image"
        ) from None


def _pdf_active_name(obj, depth: int = 0) -> str | None:
    """The first active name in a direct object (a dictionary, array or name), or None.
    Indirect objects are visited on their own by _pdf_check (every object of the file)."""
    if depth > 32:
        return None
    if isinstance(obj, pikepdf.Name):
        return str(obj) if str(obj) in PDF_ACTIVE_NAMES else None
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        for key, value in obj.items():
            if key in PDF_ACTIVE_NAMES:
                return key
            if not _indirect(value) and (found := _pdf_active_name(value, depth + 1)):
                return found
        return None
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            if not _indirect(item) and (found := _pdf_active_name(item, depth + 1)):
                return found
    return None


def _indirect(value) -> bool:
    return (
        isinstance(value, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and value.is_indirect
    )


def _pdf_check(data: bytes) -> tuple[str, str] | None:
    """("active", name) if the PDF carries active content (see PDF_ACTIVE_NAMES),
    ("unreadable", "") if it cannot be opened (e.g. password-protected), else None.

    qpdf (through pikepdf) reads the file as a PDF reader does: names written with #xx
    escapes, objects kept in compressed object streams and damaged cross-reference
    tables are all resolved, which a byte search gets wrong both ways. Every object of
    the file is visited, reachable from the catalog or not: the catalog's /Names
    (JavaScript, EmbeddedFiles), /OpenAction, /AA of pages, fields and annotations,
    annotation actions (/A), /AcroForm /XFA and RichMedia annotations all are objects.
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                if found := _pdf_active_name(obj):
                    return "active", found
                if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == "/ObjStm":
                    # An object stream the cross-reference table does not list is
                    # invisible to qpdf but not to every reader: read its names too.
                    # It holds PDF syntax only (never binary streams), so a name search
                    # in its decoded text does not trip over image bytes.
                    if hidden := sorted(_names_in(obj.read_bytes()) & set(PDF_ACTIVE_NAMES)):
                        return "active", hidden[0]
            trailer = _pdf_active_name(pdf.trailer)
            if trailer:
                return "active", trailer
    except (pikepdf.PasswordError, pikepdf.PdfError, ValueError, RecursionError):
        return "unreadable", ""
    return None


_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _names_in(text: bytes) -> set[str]:
    return {
        "/" + _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), m[1]).decode("latin-1")
        for m in _PDF_NAME.finditer(text)
    }


def clean_upload(
    uploaded, *, kinds: tuple[str, ...] = ("image", "pdf"), max_bytes: int | None = None
) -> CleanFile:
    """Validate an uploaded file and return safe bytes, or raise ValidationError."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s). Batasnya %(max)s."),
            code="too_large",
            params={"size": filesizeformat(uploaded.size), "max": filesizeformat(max_bytes)},
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read()
    allowed = set().union(*(KINDS[k] for k in kinds))
    kind = filetype.guess(data)
    content_type = kind.mime if kind else None
    if content_type not in allowed:
        names = ", ".join(sorted({"JPEG/PNG/WebP" if k == "image" else "PDF" for k in kinds}))
        raise ValidationError(
            _(
                "Jenis berkas tidak diizinkan. Unggah %(types)s; jenis dikenali dari isi "
                "berkas, bukan dari namanya."
            ),
            code="bad_type",
            params={"types": names},
        )
    if content_type in IMAGE_TYPES:
        data = _reencode_image(data, content_type)
    elif found := _pdf_check(data):
        if found[0] == "active":
            raise ValidationError(
                _(
                    "PDF berisi %(what)s dan tidak dapat diterima. Cetak ulang dokumen ke PDF "
                    "biasa (misalnya dengan Cetak ke PDF) lalu unggah lagi."
                ),
                code="pdf_active",
                params={"what": PDF_ACTIVE_NAMES[found[1]]},
            )
        raise ValidationError(
            _(
                "PDF tidak dapat diperiksa (mungkin terkunci kata sandi atau rusak). "
                "Simpan ulang tanpa kata sandi lalu unggah lagi."
            ),
            code="pdf_unreadable",
        )
    extension = {
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "image/webp": ".webp",
        "application/pdf": ".pdf",
    }[content_type]
    stem = Path(uploaded.name or "berkas").stem[:80] or "berkas"
    return CleanFile(content=data, name=stem + extension, content_type=content_type)


class SafeFileField(forms.FileField):
    """A form field whose cleaned value is a CleanFile (validated, metadata stripped)."""

    def __init__(self, *, kinds: tuple[str, ...] = ("image", "pdf"), max_bytes=None, **kwargs):
        self.kinds, self.max_bytes = kinds, max_bytes
        super().__init__(**kwargs)
        accept = []
        if "image" in kinds:
            accept += ["image/jpeg", "image/png", "image/webp"]
        if "pdf" in kinds:
            accept.append("application/pdf")
        self.widget.attrs.setdefault("accept", ",".join(accept))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "read"):
            return clean_upload(value, kinds=self.kinds, max_bytes=self.max_bytes)
        return value


@transaction.atomic
def upload_store(*, clean: CleanFile, purpose: str, owner=None) -> Upload:
    upload = Upload(
        token=secrets.token_urlsafe(18),
        purpose=purpose,
        owner=owner,
        original_name=clean.name,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=hashlib.sha256(clean.content).hexdigest(),
    )
    upload.file.save(clean.name, ContentFile(clean.content), save=False)
    upload.full_clean()
    upload.save()
    return upload


def upload_can_view(*, user, upload: Upload) -> bool:
    if not user.is_authenticated:
        policy = _POLICIES.get(upload.purpose)
        return bool(policy and policy(user, upload))
    if user.is_superuser or (upload.owner_id and upload.owner_id == user.pk):
        return True
    policy = _POLICIES.get(upload.purpose)
    return bool(policy and policy(user, upload))


def upload_response(*, request, token: str) -> FileResponse:
    upload = Upload.objects.filter(token=token).first()
    if upload is None or not upload_can_view(user=request.user, upload=upload):
        raise Http404  # no hint that the file exists
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None  # the row outlived its file: not the visitor's fault
    # FileResponse writes Content-Disposition per RFC 6266 (quotes, non-ASCII names).
    response = FileResponse(handle, content_type=upload.content_type, filename=upload.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=300"
    return response
