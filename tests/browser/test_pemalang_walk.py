"""In a real browser, with the network outside Penkom closed: an operator records a civil servant, and
the Pemalang SOP's officials take a request for assessors from the start through a return to signing;
the signed letter's QR code leads a recipient to the verification page, which confirms the file."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts import AccountRequest, add_account
from app.extensions import db
from app.models import Jabatan, Kasus, NaskahDinas, Pangkat, Pegawai, PermintaanKerjasama, Sop
from tests.conftest import PASSWORD, link_pegawai, make_nip, uniq

KODE = "pemalang-kerjasama-penilaian-kompetensi"
GOLONGAN = {"Kepala Badan": "IV/c", "Sekretaris": "IV/b", "Kepala Bidang": "IV/a", "Kepala Subbagian": "III/d",
            "Asesor": "III/c"}  # fmt: skip
OWN_PASSWORD = "Sandi!Baru2026xy"


def qr_values(data: bytes) -> list[str]:
    """Decode every QR code drawn in the PDF (zxing-cpp reads the embedded image)."""
    import zxingcpp

    values = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            values += [code.text for code in zxingcpp.read_barcodes(image.image.convert("L"))]
    return values


@pytest.fixture(scope="module")
def pemalang(live_server):
    """The people of the Pemalang SOP in the live app: one account per actor's role, each a civil servant
    of BKD Pemalang (the Kepala BKD with the signer's rank and position), and an operator whose password
    was set by an administrator, so it must be replaced at the first login."""
    app = live_server.app
    with app.app_context():
        sop = db.session.execute(select(Sop).where(Sop.kode == KODE, Sop.berlaku.is_(True))).scalar_one()
        unit = sop.unit_kerja
        sm = app.appbuilder.sm
        people = {}
        for actor in sop.pelaksana:
            role = actor.role.name
            pangkat = db.session.execute(select(Pangkat).where(Pangkat.golongan == GOLONGAN[role])).scalar_one()
            pegawai = Pegawai(nip=make_nip(), nama=uniq(f"{actor.nama} "), unit_kerja=unit, pangkat=pangkat)
            if role == "Kepala Badan":
                signer = uniq("Kepala Badan Kepegawaian Daerah ")
                pegawai.nama, pegawai.gelar_depan, pegawai.gelar_belakang = "MA. Puntodewo", "Drs.", "M.Si."
                pegawai.jabatan = Jabatan(nama=signer, jenis="jpt_pratama", instansi_id=unit.instansi_id)
            db.session.add(pegawai)
            username = uniq(actor.kode)
            user = sm.add_user(username=username, first_name=actor.nama, last_name="Pemalang", password=PASSWORD,
                               email=f"{username}@example.test", role=[sm.find_role(role)])  # fmt: skip
            user.unit_kerja = unit
            people[actor.kode] = link_pegawai(user, pegawai).username
        operator = add_account(AccountRequest(username=uniq("operator"), password=PASSWORD, roles=["Operator"],
                                              unit=unit.kode))  # fmt: skip
        people["operator"] = operator.username
        db.session.commit()
        return {"sop": str(sop), "unit": unit.nama, "signer": signer, "people": people}


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_operator_records_a_civil_servant_after_replacing_the_given_password(live_server, open_tab, pemalang):
    app = live_server.app
    operator = open_tab("operator")
    operator.login(pemalang["people"]["operator"], PASSWORD)
    assert "/resetmypassword/form" in operator.page.url
    operator.shot("first login asks for an own password")
    operator.page.fill("#password", OWN_PASSWORD)
    operator.page.fill("#conf_password", OWN_PASSWORD)
    operator.submit(operator.page.locator("form button[type=submit], form input[type=submit]").first)
    operator.shot("password replaced")
    assert "/resetmypassword/" not in operator.page.url

    operator.goto("/pegawaiview/add")
    nama = uniq("Sri Wahyuni ")
    operator.page.fill("#nip", "19801301 200501 2 001")  # month 13: not a birth date
    operator.page.fill("#nama", nama)
    operator.choose("unit_kerja", pemalang["unit"])
    operator.choose("pangkat", "III/a")
    operator.shot("civil servant form with a bad NIP")
    operator.submit(operator.page.locator("#model_form button[type=submit]").first)
    operator.shot("bad NIP refused")
    assert "bukan tanggal lahir yang sah" in operator.page.locator("form").inner_text()
    assert count(app, Pegawai, Pegawai.nama == nama) == 0

    nip = make_nip(sex=2)
    operator.page.fill("#nip", f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
    operator.submit(operator.page.locator("#model_form button[type=submit]").first)
    operator.shot("civil servant saved")
    assert count(app, Pegawai, Pegawai.nip == nip, Pegawai.nama == nama) == 1
    operator.goto(f"/pegawaiview/list/?_flt_0_nip={nip}")
    assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in operator.page.locator("table.table-bordered").inner_text()
    operator.shot("civil servant listed")


def proceed(tab, transition: str, shot: str = "") -> None:
    """Complete the current step: a plain button, or for initialling and signing the confirmation page
    that names the documents."""
    link = tab.page.locator(f"a[data-transition={transition}][data-confirm]")
    if link.count():
        tab.goto(link.first.get_attribute("href"))
        if shot:
            tab.shot(shot)
        assert tab.page.locator("#dokumen-konfirmasi tbody tr, #dokumen-konfirmasi tr").count() >= 1
        tab.submit(tab.page.locator(f"#konfirmasi-form button[data-transition={transition}]"))
    else:
        tab.submit(tab.page.locator(f"button[data-transition={transition}]"))


def test_pemalang_request_is_returned_with_a_comment_signed_and_verified_by_its_qr_code(live_server, open_tab,
                                                                                         pemalang):  # fmt: skip
    app = live_server.app
    people = pemalang["people"]
    tabs = {}
    for kode in ("kabid", "subkor", "asesor", "sekretaris", "kepala"):
        tabs[kode] = open_tab(kode)
        tabs[kode].login(people[kode], PASSWORD)
    kabid, subkor, asesor, sekretaris, kepala = (tabs[k] for k in ("kabid", "subkor", "asesor", "sekretaris",
                                                                   "kepala"))  # fmt: skip

    # 1. The Kabid records the request of another agency and starts the case.
    kabid.goto("/kasusview/add")
    kabid.page.select_option("#sop", label=pemalang["sop"])
    kabid.page.fill("#judul", "Permohonan tenaga asesor BKPSDM Kabupaten Tegal")
    kabid.page.fill("#tanggal_kegiatan", "2026-12-03")
    kabid.shot("start a case")
    kabid.submit(kabid.page.get_by_role("button", name="Mulai", exact=True))
    kasus_id = int(kabid.page.url.rstrip("/").rsplit("/", 1)[1])
    case_page = f"/kasusview/show/{kasus_id}"
    kabid.shot("case started")
    # The request letter is the step's input: attached from the list of document kinds.
    kabid.page.select_option("#jenis", value="surat_permohonan")
    kabid.page.set_input_files("input[name=berkas]", files=[{"name": "permohonan.pdf", "mimeType": "application/pdf",
                                                             "buffer": b"%PDF-1.4 surat permohonan"}])  # fmt: skip
    kabid.submit(kabid.page.locator("form[enctype] button[type=submit]"))
    kabid.shot("request letter attached")
    # The step's output: the request registered with its letter, activity and disposition.
    with app.app_context():
        request_id = db.session.execute(
            select(PermintaanKerjasama.id).where(PermintaanKerjasama.kasus_id == kasus_id)
        ).scalar_one()  # fmt: skip
    kabid.goto(f"/permintaankerjasamaview/edit/{request_id}")
    for field, value in (
        ("nomor_surat", "800/412/BKPSDM/2026"),
        ("tanggal_surat", "2026-11-20"),
        ("instansi_peminta", "BKPSDM Kabupaten Tegal"),
        ("tanggal_mulai", "2026-12-03"),
        ("tanggal_selesai", "2026-12-03"),
        ("tempat", "Aula BKPSDM Kabupaten Tegal"),
        ("jumlah_asesor", "2"),
        ("disposisi", "Subkor PA: koordinasikan dengan Asesor SDMA."),
    ):
        kabid.page.fill(f"#{field}", value)  # fmt: skip
    kabid.shot("request registered")
    kabid.submit(kabid.page.get_by_role("button", name="Simpan", exact=True))
    kabid.goto(case_page)
    kabid.submit(kabid.page.locator("button[data-transition=lanjut]"))

    # 2. The assessor gives their part (no free schedule); then the Subkor rejects the request and the
    #    rejection letter is drafted.
    asesor.goto(case_page)
    asesor.page.fill("#komentar-aktor", "Jadwal asesor pada tanggal tersebut sudah penuh")
    asesor.submit(asesor.page.locator("button[data-tanggapan=bagian]"))
    asesor.shot("assessor gave their part")
    subkor.goto(case_page)
    subkor.page.fill("#comment", "Jadwal asesor pada tanggal tersebut sudah penuh")  # the reason, recorded
    subkor.submit(subkor.page.locator("button[data-transition=tidak]"))
    subkor.shot("request rejected, rejection letter drafted")
    with app.app_context():
        naskah_id = db.session.execute(select(NaskahDinas.id).where(NaskahDinas.kasus_id == kasus_id)).scalar_one()
    draft_page = f"/naskahdinasview/edit/{naskah_id}"
    subkor.goto(draft_page)
    subkor.page.fill("#kepada", "Kepala BKPSDM Kabupaten Tegal\ndi Slawi")
    signers = subkor.page.locator("#penandatangan_id option").all_inner_texts()
    subkor.page.select_option("#penandatangan_id", label=next(o for o in signers if pemalang["signer"] in o))
    subkor.shot("rejection letter completed")
    subkor.submit(subkor.page.get_by_role("button", name="Simpan", exact=True))
    subkor.goto(case_page)
    proceed(subkor, "lanjut", "Subkor initials the draft")  # paraf → Kabid

    # 3. The Kabid returns it: first without the required comment (refused), then with one.
    kabid.goto(case_page)
    kabid.submit(kabid.page.locator("button[data-transition=kembali]"))
    assert any("Komentar wajib" in f for f in kabid.flashes()), kabid.flashes()
    kabid.shot("return without a comment refused")
    kabid.page.fill("#comment", "Perbaiki alasan penolakan")
    kabid.submit(kabid.page.locator("button[data-transition=kembali]"))
    kabid.shot("returned to the Subkor with a comment")

    # 4. The Subkor sees the note, rewrites the letter and hands it on again.
    subkor.goto(case_page)
    assert "Perbaiki alasan penolakan" in subkor.page.locator("#naskah-kasus").inner_text()
    subkor.shot("Subkor sees the note")
    subkor.goto(draft_page)
    assert "Perbaiki alasan penolakan" in subkor.page.locator("#catatan-kembali").inner_text()
    subkor.page.fill("#isi", "Permohonan belum dapat kami penuhi karena jadwal asesor kami telah penuh.")
    subkor.submit(subkor.page.get_by_role("button", name="Simpan", exact=True))
    subkor.goto(case_page)
    proceed(subkor, "lanjut")  # → Kabid

    # 5. Kabid and Sekretaris initial it; the Kepala BKD signs after a confirmation naming the letter.
    for person in (kabid, sekretaris):
        person.goto(case_page)
        proceed(person, "lanjut")
    kepala.goto(case_page)
    kepala.shot("Kepala BKD about to sign")
    proceed(kepala, "lanjut", "signing confirmation names the letter")
    kepala.goto(case_page)
    kepala.shot("letter signed")
    with app.app_context():
        naskah = db.session.get(NaskahDinas, naskah_id)
        assert naskah.status == "ditandatangani"
        nomor, sha256, token = naskah.nomor, naskah.sha256, naskah.token
    assert nomor in kepala.page.locator("#naskah-kasus").inner_text()

    # 6. The signed PDF downloads from the case page (Alt+click saves a link in Chromium; a plain click opens
    #    Chromium's PDF viewer, whose screen a screenshot cannot capture). It is the stored file, and its QR
    #    code holds the address of the verification page.
    with kepala.page.expect_download() as download:
        kepala.page.locator("#naskah-kasus a", has_text="PDF").click(modifiers=["Alt"])
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == sha256
    assert qr_values(pdf) == [f"{live_server.url}/verifikasi/{token}"]

    # 7. A recipient (not logged in) scans it: the page names the letter and confirms the file.
    penerima = open_tab("recipient")
    penerima.goto(qr_values(pdf)[0])
    assert nomor in penerima.page.locator("#verifikasi").inner_text()
    penerima.page.set_input_files("#berkas", files=[{"name": "surat.pdf", "mimeType": "application/pdf",
                                                     "buffer": pdf}])  # fmt: skip
    penerima.submit(penerima.page.get_by_role("button", name="Periksa", exact=True))
    assert "Cocok" in penerima.page.locator("#hasil.alert-success").inner_text()
    penerima.shot("verification page confirms the file")
    penerima.set_language("en")
    assert "Verification of an official document" in penerima.page.inner_text("body")
    penerima.shot("verification page in English")

    # 8. The Subkor sends the rejection: the case ends.
    subkor.goto(case_page)
    subkor.page.fill("#comment", "Jadwal asesor pada tanggal tersebut sudah penuh")  # the reason, recorded
    subkor.submit(subkor.page.locator("button[data-transition=tidak]"))
    subkor.shot("rejection sent, case finished")
    with app.app_context():
        assert db.session.get(Kasus, kasus_id).status == "selesai"


PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("screen", ["case list", "case page"])
def test_case_screens_fit_a_375_px_phone_without_sideways_scrolling(open_tab, pemalang, screen):
    """On a phone the Kabid starts a case: its page and the case list are no wider than the screen."""
    kabid = open_tab("phone", **PHONE)
    kabid.login(pemalang["people"]["kabid"], PASSWORD)
    kabid.goto("/kasusview/add")
    kabid.page.select_option("#sop", label=pemalang["sop"])
    kabid.page.fill("#judul", "Permohonan tenaga asesor dari ponsel")
    kabid.submit(kabid.page.get_by_role("button", name="Mulai", exact=True))
    if screen == "case list":
        kabid.goto("/kasusview/list/")
    kabid.shot(f"{screen} on a 375 px phone")
    assert kabid.scroll_width() <= 375
