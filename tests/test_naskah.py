"""Official documents: the Pemalang SOP drafts, reviews and signs its letters; the PDFs are read back;
numbering, verification, freezing, scope and hostile input."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import logging
import os
import re
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.documents import naskah as svc
from app.documents import penomoran
from app.documents.pdf import _link_callback
from app.extensions import db
from app.formatting import tanggal_id
from app.models import NaskahDinas, Pangkat, Pegawai, PolaNomor, Sop, TemplateNaskah
from app.models.master import Jabatan
from tests.conftest import (
    act,
    as_user,
    attach,
    case,
    case_drafts,
    complete_drafts,
    draft_form,
    give_part,
    link_pegawai,
    make_app,
    ok,
    uniq,
)
from tests.kerjasama_data import fill_request, register_assessor

KODE = "pemalang-kerjasama-penilaian-kompetensi"
KOP = ["PEMERINTAH KABUPATEN PEMALANG", "BADAN KEPEGAWAIAN DAERAH"]
NUMBER = re.compile(r"800\.1/\d{4}/BKD/\d{4}")
F4 = (round(215 / 25.4 * 72), round(330 / 25.4 * 72))
A4 = (595, 842)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def page_size(data: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def fonts_embedded(data: bytes) -> bool:
    """Every font that draws text carries its TrueType program (/FontFile2). ReportLab selects
    Helvetica once when a page starts without drawing with it; only fonts that show text count."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    used = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                font = fonts[current].get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target.get("/FontDescriptor")
                if descriptor is None or "/FontFile2" not in descriptor.get_object():
                    return False
                used += 1
    return used > 0


def qr_values(data: bytes) -> list[str]:
    """Decode every QR code drawn in the PDF (zxing-cpp reads the embedded image)."""
    import zxingcpp

    values = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            values += [code.text for code in zxingcpp.read_barcodes(image.image.convert("L"))]
    return values


@pytest.fixture
def sop(ctx):
    return db.session.execute(select(Sop).where(Sop.kode == KODE, Sop.berlaku.is_(True))).scalar_one()


@pytest.fixture
def team(sop, create_user, create_pegawai):
    """Users holding exactly each Pemalang role, each linked to a civil servant; the Kepala BKD with
    the rank and position of the SOP's signer."""
    golongan = {"Kepala Badan": "IV/c", "Sekretaris": "IV/b", "Kepala Bidang": "IV/a", "Kepala Subbagian": "III/d",
                "Asesor": "III/c"}  # fmt: skip
    users = {}
    for actor in sop.pelaksana:
        role = actor.role.name
        pangkat = db.session.execute(select(Pangkat).where(Pangkat.golongan == golongan[role])).scalar_one()
        extra = {}
        if role == "Kepala Badan":
            jabatan = Jabatan(nama=uniq("Kepala Badan Kepegawaian Daerah "), jenis="jpt_pratama")
            extra = {"nama": "MA. Puntodewo", "gelar_depan": "Drs.", "gelar_belakang": "M.Si.", "jabatan": jabatan}
        pegawai = create_pegawai(sop.unit_kerja, pangkat=pangkat, **extra)
        users[role] = link_pegawai(create_user([role], sop.unit_kerja), pegawai)
    rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "III/c")).scalar_one()
    asesor = create_pegawai(
        sop.unit_kerja, nama=uniq("Fajar Nugroho "), gelar_belakang="S.Psi., Psikolog", pangkat=rank
    )
    users["_asesor_pegawai"] = asesor
    return users


def step(client, team, kasus_id, transition, comment=""):
    role = case(kasus_id).langkah.pelaksana.role.name
    as_user(client, team[role])
    response = act(client, kasus_id, transition, comment)
    assert response.status_code == 302
    return response


def start_request(client, team, sop) -> int:
    as_user(client, team["Kepala Bidang"])
    response = client.post("/kasusview/add", data={"sop": sop.id, "judul": "Permohonan tenaga asesor BKPSDM Tegal",
                                                   "tanggal_kegiatan": "2026-12-03"})  # fmt: skip
    assert response.status_code == 302
    kasus_id = int(re.search(r"/show/(\d+)", response.headers["Location"]).group(1))
    attach(client, kasus_id, "surat_permohonan")  # the request letter, received at step 1
    fill_request(kasus_id, team["Kepala Bidang"])  # and registers the request with the disposition
    step(client, team, kasus_id, "lanjut")  # 1 → 2
    give_part(client, kasus_id, team["Asesor"], "Jadwal internal kosong pada tanggal itu")  # the assessor's say
    return kasus_id


def signer(team) -> Pegawai:
    return team["Kepala Badan"].pegawai


def read_signed(client, naskah_id) -> bytes:
    response = client.get(f"/naskahdinasview/pdf/{naskah_id}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    return response.data


def check_letter(data: bytes, naskah: NaskahDinas, kepala: Pegawai):
    """A signed document as a recipient sees it. (A surat tugas has no "Hal" line by Tata Naskah.)"""
    pages = pdf_text(data)
    first = pages[0]
    for line in KOP:
        assert line in first
    assert NUMBER.fullmatch(naskah.nomor) and naskah.nomor in first
    assert tanggal_id(naskah.tanggal) in " ".join(pages)
    if naskah.jenis != "surat_tugas":
        assert f"Hal : {flat(naskah.perihal)}" in first
    everything = " ".join(pages)
    assert kepala.nama_lengkap in everything
    assert "Pembina Utama Muda (IV/c)" in everything
    assert f"NIP. {kepala.nip_tampil}" in everything and re.search(r"NIP\. \d{8} \d{6} \d \d{3}", everything)
    assert "DRAF" not in everything
    assert "bukan tanda tangan elektronik tersertifikasi (TTE BSrE)" in everything
    assert fonts_embedded(data)
    assert hashlib.sha256(data).hexdigest() == naskah.sha256
    url = svc_url(naskah)
    assert url in everything.replace(" ", "")
    assert qr_values(data) == [url]


def svc_url(naskah):
    return f"http://localhost/verifikasi/{naskah.token}"


def test_rejection_is_drafted_reviewed_returned_and_signed(client, sop, team, caplog):
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "tidak", "Jadwal asesor penuh")  # Ditolak → step 3, the rejection draft exists
    drafts = case_drafts(kasus_id)
    assert [(n.template_kode, n.status) for n in drafts] == [("surat_penolakan", "konsep")]
    assert [(r.peran, r.langkah_no) for r in drafts[0].pemeriksa] == [("Subkor", 3), ("Kabid", 6), ("Sekretaris", 7)]
    # The draft opens as a PDF marked DRAF, without a number.
    draft_pdf = client.get(f"/naskahdinasview/pdf/{drafts[0].id}")
    assert "DRAF" in pdf_text(draft_pdf.data)[0] and "800.1/..../BKD/" in pdf_text(draft_pdf.data)[0]
    # The Subkor cannot hand it on without an addressee.
    step(client, team, kasus_id, "lanjut")
    assert case(kasus_id).langkah_no == 3
    complete_drafts(client, kasus_id, signer(team))
    step(client, team, kasus_id, "lanjut")  # Subkor's paraf → Kabid (6)
    assert case_drafts(kasus_id)[0].paraf_ke == 1
    step(client, team, kasus_id, "kembali", "Perbaiki alasan penolakan")  # Kabid returns it to the Subkor
    assert case(kasus_id).langkah_no == 3
    naskah = case_drafts(kasus_id)[0]
    assert (naskah.status, naskah.paraf_ke, naskah.catatan_kembali) == ("dikembalikan", 0, "Perbaiki alasan penolakan")
    as_user(client, team["Kepala Subbagian"])
    assert "Perbaiki alasan penolakan" in client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Perbaiki alasan penolakan" in client.get(f"/naskahdinasview/edit/{naskah.id}").get_data(as_text=True)
    history = client.get(f"/naskahdinasview/show/{naskah.id}").get_data(as_text=True)
    assert "dikembalikan" in history and "Perbaiki alasan penolakan" in history and "dikonsep" in history
    complete_drafts(client, kasus_id, signer(team), isi="Permohonan belum dapat kami penuhi karena jadwal penuh.")
    step(client, team, kasus_id, "lanjut")  # 3 → 6
    step(client, team, kasus_id, "lanjut")  # Kabid → 7
    step(client, team, kasus_id, "lanjut")  # Sekretaris → 8
    assert case_drafts(kasus_id)[0].status == "diparaf"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="xhtml2pdf"):
        step(client, team, kasus_id, "lanjut")  # Kepala BKD signs
    assert not [r for r in caplog.records if r.name.startswith("xhtml2pdf")]
    naskah = case_drafts(kasus_id)[0]
    assert naskah.status == "ditandatangani" and naskah.tanggal is not None
    data = read_signed(client, naskah.id)
    check_letter(data, naskah, signer(team))
    assert page_size(data) == A4
    assert "Yth. Kepala BKPSDM Kabupaten Tegal" in pdf_text(data)[0]
    step(client, team, kasus_id, "tidak")  # 9: rejection sent → the case ends, the letter is marked sent
    assert case(kasus_id).status == "selesai" and case_drafts(kasus_id)[0].status == "dikirim"


def test_acceptance_produces_reply_letter_and_assignment_naming_the_assessors(client, sop, team):
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "ya", "Asesor tersedia pada tanggal kegiatan")  # Diterima → 4: choose the assessors
    step(client, team, kasus_id, "lanjut")
    assert case(kasus_id).langkah_no == 4, "step 4 needs an assigned assessor"
    asesor = team["_asesor_pegawai"]
    register_assessor(asesor, sop.instansi_id)  # the assessor register is where step 4 chooses from
    ok(client.post(f"/kasusview/petugas/{kasus_id}", data={"pegawai_id": asesor.id, "peran": "Asesor SDMA"}))
    step(client, team, kasus_id, "lanjut")  # → 5: reply letter and surat tugas drafted
    assert sorted(n.template_kode for n in case_drafts(kasus_id)) == ["surat_jawaban", "surat_tugas_asesor"]
    complete_drafts(client, kasus_id, signer(team), kertas="f4")
    step(client, team, kasus_id, "lanjut")  # Subkor → Kabid
    step(client, team, kasus_id, "lanjut")  # Kabid → Sekretaris
    step(client, team, kasus_id, "kembali", "Tanggal kegiatan belum tepat")  # Sekretaris → Kabid (6)
    assert case(kasus_id).langkah_no == 6
    assert {(n.status, n.paraf_ke) for n in case_drafts(kasus_id)} == {("dikembalikan", 1)}
    step(client, team, kasus_id, "lanjut")  # Kabid again → 7
    step(client, team, kasus_id, "lanjut")  # Sekretaris → 8
    step(client, team, kasus_id, "lanjut")  # Kepala signs both
    letters = {n.template_kode: n for n in case_drafts(kasus_id)}
    assert {n.status for n in letters.values()} == {"ditandatangani"}
    numbers = sorted(n.nomor_urut for n in letters.values())
    assert numbers[1] == numbers[0] + 1
    for naskah in letters.values():
        data = read_signed(client, naskah.id)
        check_letter(data, naskah, signer(team))
        assert page_size(data) == F4
    tugas = " ".join(pdf_text(read_signed(client, letters["surat_tugas_asesor"].id)))
    assert "SURAT TUGAS" in tugas and asesor.nama_lengkap in tugas and asesor.nip_tampil in tugas
    assert "Penata Tingkat I (III/d)" in tugas or str(asesor.pangkat) in tugas
    jawaban = " ".join(pdf_text(read_signed(client, letters["surat_jawaban"].id)))
    assert asesor.nama_lengkap in jawaban


@pytest.fixture
def signed(client, sop, team):
    """A signed rejection letter (via the SOP) and the team."""
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "tidak", "Jadwal asesor penuh")
    complete_drafts(client, kasus_id, signer(team))
    for _ in range(4):
        step(client, team, kasus_id, "lanjut")
    naskah = case_drafts(kasus_id)[0]
    assert naskah.status == "ditandatangani"
    return naskah, team


def test_verification_page_matches_the_issued_file_only(app, client, signed):
    naskah, team = signed
    data = read_signed(client, naskah.id)
    client.get("/logout/")
    page = client.get(f"/verifikasi/{naskah.token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for value in (naskah.nomor, naskah.perihal, naskah.sha256, signer(team).nama_lengkap, "TTE BSrE"):
        assert value in html
    assert naskah.isi[:40] not in html and "Tegal" not in html  # body and addressee stay private
    same = client.post(f"/verifikasi/{naskah.token}", data={"berkas": (io.BytesIO(data), "surat.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert 'id="hasil"' in same and "alert-success" in same
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    other = client.post(f"/verifikasi/{naskah.token}", data={"berkas": (io.BytesIO(bytes(changed)), "surat.pdf")},
                        content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert "alert-danger" in other and "alert-success" not in other
    assert client.get("/verifikasi/" + "x" * 32).status_code == 404
    assert len(naskah.token) >= 32


def test_verification_page_is_rate_limited():
    limited = make_app("verifikasi_limit", PENKOM_VERIFIKASI_LIMIT="3 per minute")
    client = limited.test_client()
    codes = [client.get("/verifikasi/tidak-ada").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_signed_document_is_frozen_in_form_and_api(client, signed):
    naskah, team = signed
    as_user(client, team["Kepala Subbagian"])
    response = client.post(f"/naskahdinasview/edit/{naskah.id}", data=draft_form(naskah, perihal="Diubah"))
    assert response.status_code == 302
    api = client.put(f"/api/v1/naskah/{naskah.id}", json={"perihal": "Diubah lewat API"})
    assert api.status_code == 409
    db.session.expire_all()
    again = db.session.get(NaskahDinas, naskah.id)
    assert again.perihal == naskah.perihal and again.sha256 == naskah.sha256


def test_api_lists_shows_and_serves_the_stored_pdf(client, signed):
    naskah, team = signed
    as_user(client, team["Asesor"])
    listing = client.get("/api/v1/naskah/?q=(page_size:100)").get_json()
    row = next(r for r in listing["result"] if r["id"] == naskah.id)
    assert {"id", "kasus_id", "jenis", "nomor", "status", "verifikasi_url"} <= set(row)
    shown = client.get(f"/api/v1/naskah/{naskah.id}").get_json()["result"]
    assert shown["nomor"] == naskah.nomor and shown["status"] == "ditandatangani"
    assert shown["verifikasi_url"] == svc_url(naskah) and shown["kasus_id"] == naskah.kasus_id
    assert "token" not in shown
    pdf = client.get(f"/api/v1/naskah/{naskah.id}/pdf")
    assert pdf.status_code == 200 and hashlib.sha256(pdf.data).hexdigest() == naskah.sha256


def test_documents_outside_the_scope_are_not_found(client, signed, create_unit, create_user):
    naskah, _team = signed
    outsider = create_user(["Kepala Badan", "Operator"], create_unit())
    as_user(client, outsider)
    assert client.get(f"/naskahdinasview/pdf/{naskah.id}").status_code == 404
    assert client.get(f"/naskahdinasview/show/{naskah.id}").status_code == 404
    assert client.get(f"/api/v1/naskah/{naskah.id}/pdf").status_code == 404
    assert client.get(f"/api/v1/naskah/{naskah.id}").status_code == 404
    assert client.post(f"/naskahdinasview/kirim/{naskah.id}").status_code == 404
    listing = client.get("/api/v1/naskah/?q=(page_size:100)").get_json()
    assert naskah.id not in [r["id"] for r in listing["result"]]


def test_supervisor_reads_documents_but_cannot_sign_or_edit(client, signed, create_user, sop):
    naskah, _team = signed
    pengawas = create_user(["Pengawas"], sop.unit_kerja)
    as_user(client, pengawas)
    assert client.get(f"/naskahdinasview/pdf/{naskah.id}").status_code == 200
    refused = client.post(f"/naskahdinasview/kirim/{naskah.id}")
    assert refused.status_code == 403
    assert client.put(f"/api/v1/naskah/{naskah.id}", json={"perihal": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(NaskahDinas, naskah.id).status == "ditandatangani"


# -- documents made by hand: chain of named reviewers ------------------------------------------


def test_hand_made_memo_is_initialled_in_order_and_only_the_signer_signs(client, sop, team, create_pegawai):
    operator = team["Kepala Subbagian"]
    as_user(client, operator)
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "nota_dinas")).scalar_one()
    response = client.post("/naskahdinasview/add", data={"template": template.id, "unit": sop.unit_kerja_id})
    assert response.status_code == 302
    naskah_id = int(re.search(r"/edit/(\d+)", response.headers["Location"]).group(1))
    naskah = db.session.get(NaskahDinas, naskah_id)
    ok(
        client.post(
            f"/naskahdinasview/edit/{naskah_id}",
            data=draft_form(
                naskah, kepada="Sekretaris BKD", perihal="Usulan jadwal asesmen", penandatangan_id=signer(team).id
            ),
        )
    )
    for reviewer in ("Kepala Bidang", "Sekretaris"):
        ok(client.post(f"/naskahdinasview/pemeriksa/{naskah_id}", data={"pegawai_id": team[reviewer].pegawai_id}))
    db.session.expire_all()
    assert [r.pegawai_id for r in db.session.get(NaskahDinas, naskah_id).pemeriksa] == [
        team["Kepala Bidang"].pegawai_id,
        team["Sekretaris"].pegawai_id,
    ]
    # Out of order: the Sekretaris cannot initial first; the signer cannot sign yet.
    as_user(client, team["Sekretaris"])
    client.post(f"/naskahdinasview/paraf/{naskah_id}")
    as_user(client, team["Kepala Badan"])
    client.post(f"/naskahdinasview/tandatangani/{naskah_id}")
    db.session.expire_all()
    assert (db.session.get(NaskahDinas, naskah_id).paraf_ke, db.session.get(NaskahDinas, naskah_id).nomor) == (0, None)
    as_user(client, team["Kepala Bidang"])
    client.post(f"/naskahdinasview/paraf/{naskah_id}")
    as_user(client, team["Sekretaris"])
    client.post(f"/naskahdinasview/paraf/{naskah_id}")
    # Someone other than the designated signer cannot sign.
    client.post(f"/naskahdinasview/tandatangani/{naskah_id}")
    db.session.expire_all()
    assert db.session.get(NaskahDinas, naskah_id).status == "diparaf"
    as_user(client, team["Kepala Badan"])
    client.post(f"/naskahdinasview/tandatangani/{naskah_id}")
    db.session.expire_all()
    naskah = db.session.get(NaskahDinas, naskah_id)
    assert naskah.status == "ditandatangani" and naskah.nomor
    text = " ".join(pdf_text(naskah.pdf))
    assert "NOTA DINAS" in text and "Usulan jadwal asesmen" in text and "Sekretaris BKD" in text


# -- layout ----------------------------------------------------------------------------------


@pytest.fixture
def loose(ctx, sop, team):
    """A signable draft without a chain, made directly through the service."""

    def factory(**values):
        template = db.session.execute(
            select(TemplateNaskah).where(TemplateNaskah.kode == "surat_penolakan")
        ).scalar_one()
        naskah = svc.create_draft(template, team["Kepala Subbagian"], sop.unit_kerja, None, None, signer(team))
        naskah.kepada = "Kepala BKPSDM Kabupaten Tegal"
        for key, value in values.items():
            setattr(naskah, key, value)
        db.session.commit()
        return naskah

    return factory


def test_long_letter_numbers_its_pages_and_keeps_the_signature_together(app, loose, team):
    naskah = loose(isi="\n\n".join(f"Paragraf {i}. " + "Kalimat panjang uraian kegiatan. " * 25 for i in range(12)))
    with app.test_request_context():
        svc.sign(naskah, team["Kepala Badan"])
        db.session.commit()
    pages = pdf_text(naskah.pdf)
    assert len(pages) >= 2
    assert f"Halaman 1 dari {len(pages)}" in pages[0] and f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]
    assert all(line not in " ".join(pages[1:]) for line in KOP)  # the letterhead is on page 1 only
    last = pages[-1]
    assert signer(team).nama_lengkap in last and f"NIP. {signer(team).nip_tampil}" in last
    assert naskah.penandatangan.jabatan.nama in last


def test_one_page_letter_has_no_page_numbers(app, loose, team):
    naskah = loose()
    with app.test_request_context():
        svc.sign(naskah, team["Kepala Badan"])
        db.session.commit()
    assert len(pdf_text(naskah.pdf)) == 1 and "Halaman" not in pdf_text(naskah.pdf)[0]


class _Hits(http.server.BaseHTTPRequestHandler):
    count = 0

    def do_GET(self):  # noqa: N802 - the standard library's name
        _Hits.count += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hostile_text_is_printed_as_text_and_fetches_nothing(app, loose, team, caplog):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_port}/x.png"
    try:
        naskah = loose(
            perihal='<b>Tebal</b><script>alert("x")</script>',
            isi=f'<img src="file:///etc/passwd"> <img src="{local}"> <link rel="stylesheet" href="{local}">'
                '<pdf:nextpage/> <div style="background-image: url(/etc/passwd)">x</div>',
            kepada=f'<a href="{local}">Yth</a>',
        )  # fmt: skip
        with app.test_request_context(), caplog.at_level(logging.WARNING):
            svc.sign(naskah, team["Kepala Badan"])
            db.session.commit()
    finally:
        server.shutdown()
        server.server_close()
    text = " ".join(pdf_text(naskah.pdf))
    assert '<b>Tebal</b><script>alert("x")</script>' in text
    assert '<img src="file:///etc/passwd">' in text and f'<img src="{local}">' in text
    assert "<pdf:nextpage/>" in text and len(pdf_text(naskah.pdf)) == 1
    assert "root:" not in text
    assert _Hits.count == 0
    assert not [r for r in caplog.records if r.name.startswith("xhtml2pdf")]  # nothing was even attempted
    images = [img for page in PdfReader(io.BytesIO(naskah.pdf)).pages for img in page.images]
    assert len(images) == 1  # the QR code only
    # The resolver itself refuses everything outside app/static.
    for uri in ("file:///etc/passwd", "/etc/passwd", "/static/../../config.py", local, "//127.0.0.1/x"):
        assert _link_callback(uri, "") == ""
    assert _link_callback("/static/fonts/LiberationSerif-Regular.ttf", "").endswith("LiberationSerif-Regular.ttf")


def test_template_wording_runs_sandboxed(client, create_user, sop):
    admin = create_user(["Admin"], sop.unit_kerja)
    as_user(client, admin)
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "nota_dinas")).scalar_one()
    before = template.isi
    page = client.post(f"/templatenaskahview/edit/{template.id}", data={
        "kode": template.kode, "nama": template.nama, "jenis": template.jenis, "sifat": "Biasa", "kertas": "a4",
        "perihal": "x", "isi": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}).get_data(as_text=True)  # fmt: skip
    assert "Redaksi templat mengandung kesalahan" in page
    db.session.expire_all()
    assert db.session.get(TemplateNaskah, template.id).isi == before
    from app.documents import wording

    with pytest.raises(wording.WordingError):
        wording.render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
    assert wording.render("{{ '<b>' }} {{ kasus.judul }}", {"kasus": {"judul": "A & B"}}) == "<b> A & B"


# -- numbering --------------------------------------------------------------------------------


def test_numbers_follow_the_agency_pattern_and_a_rolled_back_signing_leaves_no_gap(app, loose, team):
    first, second = loose(), loose()
    with app.test_request_context():
        svc.sign(first, team["Kepala Badan"])
        db.session.commit()
        svc.sign(second, team["Kepala Badan"])
        taken = second.nomor_urut
        db.session.rollback()  # e.g. a later check of the same transition failed
        second = db.session.get(NaskahDinas, second.id)
        assert second.status == "konsep" and second.nomor is None
        third = loose()
        svc.sign(third, team["Kepala Badan"])
        db.session.commit()
    assert taken == first.nomor_urut + 1 and third.nomor_urut == first.nomor_urut + 1
    year = dt.date.today().year
    assert first.nomor == f"800.1/{first.nomor_urut:04d}/BKD/{year}"


def test_ministry_pattern_and_pattern_validation(ctx):
    kmk = db.session.execute(select(PolaNomor).join(PolaNomor.instansi).where(PolaNomor.jenis == "")).scalars().all()
    assert any(p.pola.startswith("B-{nomor}") for p in kmk)
    pola = next(p for p in kmk if p.pola.startswith("B-"))
    naskah = NaskahDinas(jenis="surat_dinas", instansi=pola.instansi, kode_klasifikasi="KP.07.6")
    assert penomoran.format_number(naskah, pola.pola, pola.lebar_nomor, 99, dt.date(2026, 4, 2)) == \
        "B-99/KP/KP.07.6/04/2026"  # fmt: skip
    assert penomoran.pattern_errors("{kode_klasifikasi}/{nomor}/{kode_unit}/{tahun}") == []
    assert penomoran.pattern_errors("{kode}/{tahun}")  # unknown placeholder, no {nomor}
    assert penomoran.pattern_errors("{nomor}/{tahun")


@pytest.mark.skipif(not os.environ.get("PENKOM_TEST_DATABASE_URL"), reason="concurrency is tested on PostgreSQL")
def test_fifty_concurrent_signings_get_fifty_consecutive_numbers(app, loose, team):
    ids = [loose().id for _ in range(50)]
    kepala_id = team["Kepala Badan"].id
    barrier = threading.Barrier(50)
    errors = []

    def sign(naskah_id):
        barrier.wait()  # all 50 start together; they then queue for the pool's connections and the counter row
        with app.test_request_context():
            try:
                user = db.session.get(type(team["Kepala Badan"]), kepala_id)
                item = db.session.get(NaskahDinas, naskah_id)
                svc.sign(item, user)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - every failure is reported by the assert below
                errors.append(repr(exc))
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    numbers = sorted(db.session.execute(select(NaskahDinas.nomor_urut).where(NaskahDinas.id.in_(ids))).scalars())
    assert numbers == list(range(numbers[0], numbers[0] + 50))
    assert len(set(db.session.execute(select(NaskahDinas.nomor).where(NaskahDinas.id.in_(ids))).scalars())) == 50


def test_case_page_lists_its_documents_with_download(client, signed):
    naskah, team = signed
    as_user(client, team["Asesor"])
    page = client.get(f"/kasusview/show/{naskah.kasus_id}").get_data(as_text=True)
    assert naskah.nomor in page and f"/naskahdinasview/pdf/{naskah.id}" in page


def test_administrator_edits_wording_and_new_drafts_use_it(client, create_user, sop, team):
    kasus_id = start_request(client, team, sop)
    admin = create_user(["Admin"], sop.unit_kerja)
    as_user(client, admin)
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "laporan_kegiatan")).scalar_one()
    form = {"kode": template.kode, "nama": template.nama, "jenis": template.jenis, "sifat": "Penting",
            "kertas": "f4", "kode_klasifikasi": "800.1", "perihal": "Laporan {{ kasus.judul }}",
            "isi": "Kegiatan {{ kasus.judul }} selesai."}  # fmt: skip
    assert client.post(f"/templatenaskahview/edit/{template.id}", data=form).status_code == 302
    as_user(client, team["Kepala Subbagian"])
    response = client.post("/naskahdinasview/add",
                           data={"template": template.id, "unit": sop.unit_kerja_id, "kasus": kasus_id})  # fmt: skip
    assert response.status_code == 302
    naskah_id = int(re.search(r"/edit/(\d+)", response.headers["Location"]).group(1))
    db.session.expire_all()
    naskah = db.session.get(NaskahDinas, naskah_id)
    judul = case(kasus_id).judul
    assert (naskah.isi, naskah.perihal) == (f"Kegiatan {judul} selesai.", f"Laporan {judul}")
    assert (naskah.kertas, naskah.sifat, naskah.kasus_id) == ("f4", "Penting", kasus_id)
    draft = client.get(f"/naskahdinasview/pdf/{naskah_id}")
    assert page_size(draft.data) == F4 and "LAPORAN" in pdf_text(draft.data)[0]


# -- signing and initialling are explicit ----------------------------------------------------------------


def at_signing_step(client, team, sop) -> int:
    """A rejection whose letter is initialled by the Subkor, Kabid and Sekretaris: the case waits for the
    Kepala BKD's signature (step 8, printed 7)."""
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "tidak", "Jadwal asesor penuh")
    complete_drafts(client, kasus_id, signer(team))
    for _ in range(3):
        step(client, team, kasus_id, "lanjut")
    assert case(kasus_id).langkah_no == 8 and case_drafts(kasus_id)[0].status == "diparaf"
    return kasus_id


def test_pemalang_signing_step_shows_sign_a_preview_a_confirmation_naming_the_letter_and_a_return(client, sop, team):
    kasus_id = at_signing_step(client, team, sop)
    naskah = case_drafts(kasus_id)[0]
    as_user(client, team["Kepala Badan"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    button = re.search(r'<a class="btn btn-success" data-transition="lanjut" data-confirm="tanda_tangan"\s+'
                       r'href="([^"]+)">.*?Tandatangani</a>', page, re.S)  # fmt: skip
    assert button, "the signing step offers a Tandatangani button leading to its confirmation"
    assert 'name="transition" value="lanjut"' not in page  # no one-click signing from the case page
    confirm = client.get(button.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Anda akan menandatangani 1 naskah" in confirm
    listed = re.search(r'id="dokumen-konfirmasi">(.*?)</table>', confirm, re.S).group(1)
    assert naskah.perihal in listed and f"/naskahdinasview/pdf/{naskah.id}" in listed
    assert re.search(rf'class="btn btn-sm btn-default pratinjau" href="/naskahdinasview/pdf/{naskah.id}"', confirm)
    assert "DRAF" in pdf_text(client.get(f"/naskahdinasview/pdf/{naskah.id}").data)[0]  # the preview
    assert 'id="kembali-form"' in confirm and "Dikembalikan ke Subkor" in confirm

    # Posting the button without the confirmation signs nothing and leads to the confirmation.
    refused = act(client, kasus_id, "lanjut", konfirmasi=False)
    assert refused.status_code == 302 and "/kasusview/konfirmasi/" in refused.headers["Location"]
    assert case_drafts(kasus_id)[0].status == "diparaf" and case(kasus_id).langkah_no == 8

    # The return from the confirmation page sends the letter back to its drafter with the note.
    act(client, kasus_id, "kembali", "Nomor surat salah", konfirmasi=False)
    assert case(kasus_id).langkah_no == 3
    returned = case_drafts(kasus_id)[0]
    assert (returned.status, returned.catatan_kembali) == ("dikembalikan", "Nomor surat salah")

    for _ in range(4):  # corrected, initialled again up the chain, and signed with the confirmation
        step(client, team, kasus_id, "lanjut")
    signed_letter = case_drafts(kasus_id)[0]
    assert signed_letter.status == "ditandatangani" and NUMBER.fullmatch(signed_letter.nomor)
    # The document's log names the signer with titles and position, not an account name.
    kepala = signer(team)
    log = client.get(f"/naskahdinasview/show/{signed_letter.id}").get_data(as_text=True)
    log = re.search(r'id="riwayat-naskah">(.*?)</table>', log, re.S).group(1)
    assert f"{kepala.nama_lengkap} — {kepala.jabatan}" in log and team["Kepala Badan"].username not in log


def test_pemalang_review_step_initials_through_its_confirmation(client, sop, team):
    kasus_id = start_request(client, team, sop)
    step(client, team, kasus_id, "tidak", "Jadwal asesor penuh")
    complete_drafts(client, kasus_id, signer(team))
    step(client, team, kasus_id, "lanjut")  # the Subkor initials the draft (confirmed)
    as_user(client, team["Kepala Bidang"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert re.search(r'data-transition="lanjut" data-confirm="paraf"', page) and "Paraf" in page
    confirm = client.get(f"/kasusview/konfirmasi/{kasus_id}?transition=lanjut").get_data(as_text=True)
    assert "Anda akan memaraf 1 naskah" in confirm and case_drafts(kasus_id)[0].perihal in confirm
    act(client, kasus_id, "lanjut", konfirmasi=False)
    assert case_drafts(kasus_id)[0].paraf_ke == 1 and case(kasus_id).langkah_no == 6


def test_bulk_completion_never_signs_or_initials(client, sop, team):
    kasus_id = at_signing_step(client, team, sop)
    as_user(client, team["Kepala Badan"])
    page = client.post("/kasusview/action_post", data={"action": "proses", "rowid": [kasus_id]},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert f"#{kasus_id}" in page and "menandatangani dan memberi nomor" in page
    assert case(kasus_id).langkah_no == 8 and case_drafts(kasus_id)[0].status == "diparaf"
    assert case_drafts(kasus_id)[0].nomor is None

    initialling = start_request(client, team, sop)
    step(client, team, initialling, "tidak", "Jadwal asesor penuh")
    complete_drafts(client, initialling, signer(team))
    as_user(client, team["Kepala Subbagian"])
    page = client.post("/kasusview/action_post", data={"action": "proses", "rowid": [initialling]},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "memaraf naskah" in page and case(initialling).langkah_no == 3
    assert case_drafts(initialling)[0].paraf_ke == 0


def test_api_signs_only_when_confirmed(app, client, sop, team):
    from tests.test_workflow_rules import api_token

    kasus_id = at_signing_step(client, team, sop)
    api = app.test_client()
    headers = api_token(api, team["Kepala Badan"])
    listed = api.get(f"/api/v1/kasus/{kasus_id}/transitions", headers=headers).json["result"]
    assert {t["id"]: t["confirm"] for t in listed} == {"lanjut": "tanda_tangan", "kembali": None}
    seen = case(kasus_id).versi
    refused = api.post(f"/api/v1/kasus/{kasus_id}/transitions", json={"transition": "lanjut", "versi": seen},
                       headers=headers)  # fmt: skip
    assert refused.status_code == 428 and case_drafts(kasus_id)[0].status == "diparaf"
    body = {"transition": "lanjut", "versi": seen, "konfirmasi": True}
    done = api.post(f"/api/v1/kasus/{kasus_id}/transitions", json=body, headers=headers)
    assert done.status_code == 200 and case_drafts(kasus_id)[0].status == "ditandatangani"
