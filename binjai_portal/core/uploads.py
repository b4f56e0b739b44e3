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
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import filetype
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
# PDF names that make a reader run code or open a carried file.
PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"})
PDF_MAX_INFLATED = 20 * 1024 * 1024  # per object stream: refuse zip bombs, not documents


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
            _("Gambar rusak atau tidak dapat dibaca."), code="bad_image") from None


_PDF_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"  # a byte that is part of a word or name
_PDF_TOKEN = re.compile(  # only what the check needs: comments, strings, names, 3 keywords
    rb"%|\(|/(" + _PDF_REGULAR + rb"*)|(?<!" + _PDF_REGULAR + rb")(obj|endobj|stream)(?!"
    + _PDF_REGULAR + rb")")
_PDF_EOL = re.compile(rb"[\r\n]")
_PDF_STRING_SPECIAL = re.compile(rb"[()\\]")
_PDF_DIRECT_LENGTH = re.compile(  # "/Length 812", not "/Length 12 0 R"
    rb"[\x00\t\n\x0c\r ]*(\d+)([\x00\t\n\x0c\r ]+\d+[\x00\t\n\x0c\r ]+R\b)?")
_PDF_ENDSTREAM = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _pdf_check(data: bytes, *, nested: bool = False) -> str | None:
    """Return "active" if the PDF has JavaScript, a launch action or an embedded file,
    "unreadable" if an object stream that could hide them cannot be inflated, else None.

    The names are read as a PDF reader tokenises them, not searched as raw bytes:
    a byte search refuses about one scanned document in ten (the 3 bytes "/JS" occur by
    chance in compressed image data) and misses names written with #xx escapes
    (/J#61vaScript) or kept in a compressed object stream. Comments and strings are
    skipped, stream data is skipped by its /Length; object streams are read too.
    """
    i, n = 0, len(data)
    names: set[bytes] = set()  # the names of the current object's dictionary
    length: int | None = None
    while (token := _PDF_TOKEN.search(data, i)) is not None:
        i = token.end()
        if token[0] == b"%":  # a comment, to the end of the line
            eol = _PDF_EOL.search(data, i)
            i = eol.end() if eol else n
        elif token[0] == b"(":  # a literal string: balanced parentheses, \ escapes
            depth = 1
            while depth and (special := _PDF_STRING_SPECIAL.search(data, i)) is not None:
                i = special.end() + (special[0] == b"\\")
                depth += 1 if special[0] == b"(" else -1 if special[0] == b")" else 0
            if depth:
                i = n
        elif token[1] is not None:  # /Name
            name = token[1]
            if b"#" in name:
                name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name)
            if name in PDF_ACTIVE_NAMES:
                return "active"
            names.add(name)
            if name == b"Length":
                value = _PDF_DIRECT_LENGTH.match(data, i)
                length = int(value[1]) if value and not value[2] else None
        elif token[2] != b"stream":  # obj, endobj: a new object
            names, length = set(), None
        else:
            i += 2 if data.startswith(b"\r\n", i) else 1
            if length is not None and _PDF_ENDSTREAM.match(data, i + length):
                end = i + length
            else:  # an indirect or wrong /Length: readers look for endstream
                end = data.find(b"endstream", i)
                end = n if end == -1 else end
            if b"ObjStm" in names and not nested:
                inner = data[i:end]
                if b"Filter" in names:
                    inflater = zlib.decompressobj()
                    try:
                        inner = inflater.decompress(inner, PDF_MAX_INFLATED)
                    except zlib.error:
                        return "unreadable"
                    if inflater.unconsumed_tail:
                        return "unreadable"
                found = _pdf_check(inner, nested=True)
                if found:
                    return found
            i = end + len(b"endstream")
            names, length = set(), None
    return None


def clean_upload(uploaded, *, kinds: tuple[str, ...] = ("image", "pdf"),
                 max_bytes: int | None = None) -> CleanFile:
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
            _("Jenis berkas tidak diizinkan. Unggah %(types)s; jenis dikenali dari isi "
              "berkas, bukan dari namanya."),
            code="bad_type",
            params={"types": names},
        )
    if content_type in IMAGE_TYPES:
        data = _reencode_image(data, content_type)
    elif (found := _pdf_check(data)) == "active":
        raise ValidationError(
            _("PDF berisi skrip atau lampiran tersembunyi dan tidak dapat diterima."),
            code="pdf_active",
        )
    elif found == "unreadable":
        raise ValidationError(
            _("PDF tidak dapat diperiksa (mungkin terkunci kata sandi atau rusak). "
              "Simpan ulang tanpa kata sandi lalu unggah lagi."),
            code="pdf_unreadable",
        )
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
                 "application/pdf": ".pdf"}[content_type]
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
        token=secrets.token_urlsafe(18), purpose=purpose, owner=owner,
        original_name=clean.name, content_type=clean.content_type, size=len(clean.content),
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
    response = FileResponse(handle, content_type=upload.content_type,
                            filename=upload.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=300"
    return response
