"""Signed documents carry a PAdES signature made with the agency's certificate (the demo CA's in the demo),
which pyHanko finds intact and trusted; one changed byte fails both pyHanko and the verification page; an
agency without a certificate still signs with QR and hash; an e-office number is recorded and printed."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app.documents import tte
from app.extensions import db
from app.models import Instansi, NaskahDinas
from tests.conftest import as_user, case, case_drafts, complete_drafts

# sop, team and signed are test_naskah's fixtures (a Pemalang team and a letter signed through its SOP).
from tests.test_naskah import (  # noqa: F401
    NUMBER,
    pdf_text,
    qr_values,
    read_signed,
    signed,
    signer,
    sop,
    start_request,
    step,
    svc_url,
    team,
)

PADES = "/ETSI.CAdES.detached"


@pytest.fixture
def certified(app, ctx, monkeypatch, tmp_path):
    """Every agency holds a demo certificate, made as `penkom demo` makes them."""
    monkeypatch.setitem(app.config, "PENKOM_SERTIFIKAT_DIR", str(tmp_path))
    made = tte.demo_certificates(db.session.execute(select(Instansi)).scalars())
    assert made
    return tmp_path


@pytest.fixture
def signed_certified(certified, request):
    return request.getfixturevalue("signed")


@pytest.fixture
def no_certificate(app, ctx, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PENKOM_SERTIFIKAT_DIR", str(tmp_path / "kosong"))


def pyhanko_status(data: bytes, roots: list):
    """pyHanko's own verdict on the file's only signature (None: no signature, or unreadable)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
        if not signatures:
            return None
        assert len(signatures) == 1
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        return signatures[0], validate_pdf_signature(signatures[0], context)
    except Exception:  # noqa: BLE001 - a damaged file may not even parse: that is a failed check too
        return None


def demo_ca(folder: Path):
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(str(folder / "akar" / "penkom-demo-ca.pem"))


def flip_one_byte(data: bytes) -> bytes:
    """Change one byte inside a content stream of the signed part of the file."""
    changed = bytearray(data)
    at = data.index(b"stream", len(data) // 4) + 40
    changed[at] ^= 0x01
    return bytes(changed)


def check_page(client, naskah, data: bytes | None = None) -> str:
    client.get("/logout/")
    if data is None:
        return client.get(f"/verifikasi/{naskah.token}").get_data(as_text=True)
    return client.post(f"/verifikasi/{naskah.token}", data={"berkas": (io.BytesIO(data), "surat.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip


def test_signed_letter_carries_a_pades_signature_trusted_against_the_demo_ca(client, certified, signed_certified):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    naskah, _team = signed_certified
    data = read_signed(client, naskah.id)
    # The stored hash is the hash of the signed file users download.
    assert hashlib.sha256(data).hexdigest() == naskah.sha256
    found = pyhanko_status(data, [demo_ca(certified)])
    assert found is not None, "the signed PDF carries no signature"
    signature, status = found
    assert signature.sig_object["/SubFilter"] == PADES
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    holder = status.signing_cert.subject.native
    assert holder["organization_name"] == "Penkom DEMO — bukan sertifikat resmi"
    assert holder["common_name"] == naskah.instansi.nama
    assert "DEMO" in status.signing_cert.issuer.native["common_name"]
    # Trust is real: without the demo CA among the roots the same signature is intact but not trusted.
    _sig, untrusted = pyhanko_status(data, [])
    assert untrusted.intact and not untrusted.trusted
    # The QR code and its link stay; the letter says what signs it, and that the certificate is a demo one.
    assert qr_values(data) == [svc_url(naskah)]
    text = " ".join(pdf_text(data))
    assert "ditandatangani secara elektronik (PAdES)" in text and "Sertifikat DEMO" in text
    assert "bukan sertifikat resmi" in text

    page = check_page(client, naskah)
    assert "Tanda tangan elektronik utuh dan tepercaya" in page and naskah.instansi.nama in page
    assert "Sertifikat demo: bukan sertifikat resmi" in page
    same = check_page(client, naskah, data)
    assert "Cocok" in same and "Tanda tangan elektronik utuh dan tepercaya" in same.split('id="hasil-tte"')[1]

    changed = flip_one_byte(data)
    verdict = pyhanko_status(changed, [demo_ca(certified)])
    assert verdict is None or not verdict[1].intact
    other = check_page(client, naskah, changed)
    result = other.split('id="hasil"')[1]
    assert "Tidak cocok" in result and "Tanda tangan elektronik TIDAK utuh" in result
    assert "utuh dan tepercaya" not in result


def test_agency_without_certificate_signs_with_qr_and_hash_only(client, no_certificate, request):
    naskah, _team = request.getfixturevalue("signed")
    data = read_signed(client, naskah.id)
    assert hashlib.sha256(data).hexdigest() == naskah.sha256
    assert pyhanko_status(data, []) is None
    assert qr_values(data) == [svc_url(naskah)]
    assert "bukan tanda tangan elektronik tersertifikasi (TTE BSrE)" in " ".join(pdf_text(data))
    page = check_page(client, naskah)
    assert "Tanpa tanda tangan elektronik tersertifikasi" in page.split('id="tte"')[1]
    checked = check_page(client, naskah, data).split('id="hasil"')[1]
    assert "Cocok" in checked and "Berkas tidak memuat tanda tangan elektronik" in checked


def test_unusable_certificate_refuses_signing_and_changes_nothing(client, sop, team, certified):  # noqa: F811
    kode = sop.instansi.kode
    (certified / f"{kode}.sandi").write_text("sandi-yang-salah")
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "tidak", "Jadwal asesor penuh")
    complete_drafts(client, kasus_id, signer(team))
    for _ in range(3):
        step(client, team, kasus_id, "lanjut")
    page = step(client, team, kasus_id, "lanjut")
    assert case(kasus_id).langkah_no == 8
    naskah = case_drafts(kasus_id)[0]
    assert naskah.status == "diparaf" and naskah.nomor is None and naskah.pdf is None
    shown = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "Sertifikat tanda tangan elektronik Pemerintah Kabupaten Pemalang tidak dapat digunakan" in shown


@pytest.fixture
def eoffice(sop, ctx):  # noqa: F811
    instansi = db.session.get(Instansi, sop.instansi_id)
    instansi.nomor_eoffice = True
    db.session.commit()
    yield instansi
    instansi = db.session.get(Instansi, sop.instansi_id)
    instansi.nomor_eoffice = False
    db.session.commit()


def record(client, naskah_id, nomor):
    versi = db.session.get(NaskahDinas, naskah_id).versi
    return client.post(f"/naskahdinasview/nomor_eoffice/{naskah_id}", data={"nomor_eoffice": nomor, "versi": versi})


def test_eoffice_number_is_recorded_before_signing_and_printed_instead_of_penkoms(client, sop, team, eoffice):  # noqa: F811
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "tidak", "Jadwal asesor penuh")
    complete_drafts(client, kasus_id, signer(team))
    for _ in range(3):
        step(client, team, kasus_id, "lanjut")  # initialled up to the Kepala's signing step
    naskah_id = case_drafts(kasus_id)[0].id
    # Without the e-office number the Kepala cannot sign.
    step(client, team, kasus_id, "lanjut")
    assert case(kasus_id).langkah_no == 8 and case_drafts(kasus_id)[0].status == "diparaf"
    as_user(client, team["Kepala Badan"])
    show = client.get(f"/naskahdinasview/show/{naskah_id}").get_data(as_text=True)
    assert 'id="form-nomor-eoffice"' in show and "e-office" in show
    # Bad input is refused with a message and changes nothing.
    for bad in ("", "<b>12</b>", "x" * 121):
        record(client, naskah_id, bad)
        assert case_drafts(kasus_id)[0].nomor_eoffice is None
    # Someone who neither signs nor holds the step cannot record it.
    as_user(client, team["Asesor"])
    record(client, naskah_id, "B-1/BKD/KP.07.6/12/2026")
    assert case_drafts(kasus_id)[0].nomor_eoffice is None
    as_user(client, team["Kepala Badan"])
    nomor = "B-77/BKD/KP.07.6/12/2026"
    assert record(client, naskah_id, f"  {nomor} ").status_code == 302
    assert case_drafts(kasus_id)[0].nomor_eoffice == nomor
    draft = " ".join(pdf_text(client.get(f"/naskahdinasview/pdf/{naskah_id}").data))
    assert nomor in draft

    step(client, team, kasus_id, "lanjut")  # the Kepala signs
    naskah = case_drafts(kasus_id)[0]
    assert naskah.status == "ditandatangani" and naskah.nomor == nomor and naskah.nomor_urut is None
    text = " ".join(pdf_text(read_signed(client, naskah.id)))
    assert f"Nomor : {nomor}" in text and not NUMBER.search(text)
    # Signed: the number is frozen with the rest.
    as_user(client, team["Kepala Badan"])
    record(client, naskah.id, "B-78/BKD/KP.07.6/12/2026")
    assert case_drafts(kasus_id)[0].nomor_eoffice == nomor
