"""Uploads: PDF, JPEG, PNG judged by content, extension and structure; limits; nothing kept when one is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from procedures.models import DailyCounter, Dossier, DossierDocument, DossierHistory, OutboxEvent
from procedures.services.uploads import check_uploads

from .conftest import jpeg_bytes, pdf_bytes, png_bytes, upload

# Messages are checked in English here (the tests run in Vietnamese by default); one Vietnamese check below.
pytestmark = pytest.mark.usefixtures("english")

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def test_the_three_allowed_kinds_pass(world):
    checked = check_uploads(
        [
            (world.mandatory, upload("to-khai.pdf", pdf_bytes())),
            (world.mandatory, upload("anh.JPG", jpeg_bytes())),
            (world.conditional, upload("Giấy ủy quyền.png", png_bytes())),
        ]
    )
    assert [(c.original_name, c.content_type) for c in checked] == [
        ("to-khai.pdf", "application/pdf"),
        ("anh.JPG", "image/jpeg"),
        ("Giấy ủy quyền.png", "image/png"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trang.html", HTML, "is not a PDF, JPEG or PNG file"),
        ("to-khai.docx", b"PK\x03\x04" + b"\x00" * 40, "is not a PDF, JPEG or PNG file"),
        ("rong.pdf", b"", "is empty"),
        ("trang.pdf", HTML, "is not what its name says"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + HTML, "is damaged or holds something other than a PNG"),
        ("anh.png", png_bytes() + HTML, "is damaged or holds something other than a PNG"),
        ("anh.png", png_bytes()[:-6], "is damaged or holds something other than a PNG"),
        ("anh.pdf", png_bytes(), "is not what its name says"),  # a real PNG named .pdf
        ("to-khai.jpg", pdf_bytes(), "is not what its name says"),
        ("cat.pdf", pdf_bytes()[:-8], "is damaged or holds something other than a PDF"),  # no %%EOF
        ("anh.jpg", jpeg_bytes()[:-2] + HTML, "is damaged or holds something other than a JPG"),
    ],
)
def test_bad_files_are_refused_with_the_document_named(world, name, content, message):
    with pytest.raises(ValidationError) as caught:
        check_uploads([(world.mandatory, upload(name, content))])
    text = " ".join(caught.value.messages)
    assert message in text
    assert text.startswith("Tờ khai:") and name in text


def test_per_file_limit(world, settings):
    settings.DOSSIER_MAX_FILE_BYTES = 50
    with pytest.raises(ValidationError, match="larger than"):
        check_uploads([(world.mandatory, upload("to-khai.pdf", pdf_bytes()))])


def test_per_dossier_limits(world, settings):
    settings.DOSSIER_MAX_TOTAL_BYTES = len(pdf_bytes()) + 10
    with pytest.raises(ValidationError, match="add up to more than"):
        check_uploads([(world.mandatory, upload()), (world.conditional, upload())])
    settings.DOSSIER_MAX_TOTAL_BYTES = 10**6
    settings.DOSSIER_MAX_FILES = 2
    with pytest.raises(ValidationError, match="at most 2 files"):
        check_uploads([(world.mandatory, upload())], stored_count=2)


def test_every_refused_file_is_listed(world):
    with pytest.raises(ValidationError) as caught:
        check_uploads([(world.mandatory, upload("a.pdf", HTML)), (world.conditional, upload("b.png", b""))])
    assert len(caught.value.messages) == 2
    assert caught.value.messages[1].startswith("Giấy ủy quyền:")


def test_nothing_is_created_when_one_file_is_refused(world, settings, tmp_path):
    with pytest.raises(ValidationError):
        world.submit(files=[(world.mandatory, upload()), (world.conditional, upload("b.pdf", HTML))])
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()
    assert not DossierHistory.objects.exists()
    assert not OutboxEvent.objects.exists()
    assert not DailyCounter.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_files_are_stored_under_random_names_with_the_original_kept(world, tmp_path):
    dossier = world.submit(files=[(world.mandatory, upload("Tờ khai của tôi.pdf"))])
    document = DossierDocument.objects.get(dossier=dossier)
    assert document.original_name == "Tờ khai của tôi.pdf"
    assert document.file.name.startswith("dossiers/") and "Tờ" not in document.file.name
    assert document.file.name.endswith(".pdf")
    assert (tmp_path / document.file.name).read_bytes() == pdf_bytes()
    assert (document.content_type, document.size) == ("application/pdf", len(pdf_bytes()))


def test_messages_are_in_the_users_language(world):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        check_uploads([(world.mandatory, upload("trang.pdf", HTML))])
    assert caught.value.messages == [
        "Tờ khai: nội dung của “trang.pdf” không đúng với phần mở rộng của tên tệp (PDF, JPEG hoặc PNG)."
    ]
