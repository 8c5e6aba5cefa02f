"""Nothing doubled (issue 17, findings 2 and 6): every state change claims its row first (app/konkurensi.py),
so ten identical requests sent at the same moment to a live server have exactly one effect, and the nine
others are refused with 409 and the Indonesian message; never a 500.

Each test logs ten sessions in (ten browsers, or ten API clients with their own token), lines them up on a
barrier and lets them send the same request at once: ten clicks on one button of one page (whose form
carries the version the page was rendered at), or a client repeating its call. A page answers with a
redirect and shows the refusal as a flash message; the API answers 409 JSON. The effect is counted in the
database: history rows, numbers, signatures, notifications, submissions, batches, participants.
Runs on SQLite and on PostgreSQL (PENKOM_TEST_DATABASE_URL), each with its own database and HTTP server.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import create_engine, func, select, text

from app.audit import AuditLog
from app.documents import naskah as svc
from app.extensions import db
from app.laporan import antrian
from app.laporan import operations as lap
from app.models import (
    Hasil,
    Instansi,
    Kasus,
    KasusRiwayat,
    NaskahDinas,
    NaskahPemeriksa,
    NaskahRiwayat,
    Nilai,
    NomorUrut,
    Notifikasi,
    Pegawai,
    Peserta,
    RiwayatPenilaian,
    TemplateNaskah,
    UnitKerja,
)
from app.models.laporan import ItemLaporan, JobLaporan, LaporanIndividu
from app.penilaian import operations as ops
from app.roles import WORKFLOW, sync_roles
from app.workflow import engine
from tests.conftest import PASSWORD, link_pegawai, login, make_app, make_nip, uniq
from tests.live import LiveServer
from tests.penilaian_data import baris_peserta, kegiatan_siap, lembar, pusat, siapkan, xlsx
from tests.test_laporan import NARASI, event, writer_of

N = 10
CONFLICT = "Data ini sudah diubah oleh orang lain atau sudah diproses; muat ulang halaman."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENT_ONLY = "Hanya naskah yang sudah ditandatangani yang dapat ditandai terkirim."
QC_ONLY = "Hanya laporan yang sudah dikirim yang dapat diperiksa."
FLASH = re.compile(r'<div class="alert alert-(\w+)">\s*<button[^>]*>&times;</button>(.*?)</div>', re.S)


@pytest.fixture(scope="module")
def app():
    """This family's own database, served over HTTP on any host name (the fixtures below build on it)."""
    return make_app("konkurensi", SERVER_NAME=None, PENKOM_URL_PUBLIK="http://penkom.test")


@pytest.fixture(scope="module")
def server(app):
    live = LiveServer(app).start()
    yield live
    live.stop()


# -- ten people at the same moment ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: bytes

    @property
    def message(self) -> str:
        return json.loads(self.body).get("message", "")


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer to look at, not a page to load


class Browser:
    """One person's browser (its own cookies, so its own login and flash messages) or API client (its token)."""

    def __init__(self, server: LiveServer):
        self.url = server.url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _Stay())
        self.headers: dict[str, str] = {}

    def send(self, method: str, path: str, form=None, body=None, data: bytes | None = None) -> Answer:
        headers = dict(self.headers)
        if form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            headers["Content-Type"] = XLSX
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=300) as response:
                return Answer(response.status, response.headers.get("Location", ""), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers.get("Location", ""), error.read())

    def log_in(self, user) -> Browser:
        answer = self.send("POST", "/login/", form={"username": user.username, "password": PASSWORD})
        assert answer.status == 302 and "/login" not in answer.location, answer
        return self

    def with_token(self, user) -> Browser:
        answer = self.send("POST", "/api/v1/security/login",
                           body={"username": user.username, "password": PASSWORD, "provider": "db"})  # fmt: skip
        assert answer.status == 200, answer
        self.headers["Authorization"] = f"Bearer {json.loads(answer.body)['access_token']}"
        return self

    def flashes(self, answer: Answer) -> list[tuple[str, str]]:
        """The messages on the page a form's redirect leads to: (category, text)."""
        page = self.send("GET", answer.location.removeprefix(self.url))
        return [(kind, " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split()))
                for kind, text in FLASH.findall(page.body.decode())]  # fmt: skip


def people(server, user, api: bool = False) -> list[Browser]:
    """Ten sessions of one user, each logged in on its own."""
    return [Browser(server).with_token(user) if api else Browser(server).log_in(user) for _ in range(N)]


def at_once(browsers: list[Browser], send) -> list[Answer]:
    """Every browser sends `send(browser)` at the same moment, from its own thread."""
    db.session.commit()  # the test's own session holds no transaction while the server works
    barrier = threading.Barrier(len(browsers))
    answers: list = [None] * len(browsers)

    def run(i: int, browser: Browser) -> None:
        barrier.wait()
        try:
            answers[i] = send(browser)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i, b)) for i, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    return answers


def clicks(browsers, path: str, form: dict, done: str, refused: tuple[str, ...] = ()) -> Counter:
    """Ten clicks on one button of one page: every answer is the page's redirect; exactly one shows `done`,
    the nine others a refusal: the conflict message, or the 409 message of the state it found (`refused`)."""
    answers = at_once(browsers, lambda b: b.send("POST", path, form=form))
    assert [getattr(a, "status", a) for a in answers] == [302] * N, answers
    shown = [b.flashes(a) for b, a in zip(browsers, answers, strict=True)]
    tally = Counter("done" if (kind, text) in (("success", done), ("info", done)) else f"{kind}: {text}"
                    for flashes in shown for kind, text in flashes)  # fmt: skip
    assert tally["done"] == 1, tally
    assert sum(tally.values()) == N, tally  # one message per click
    assert set(tally) - {"done"} <= {f"danger: {m}" for m in (CONFLICT, *refused)}, tally
    print(f"\n{path}: {N} × 302; messages {dict(tally)}")
    return tally


def calls(browsers, send, ok: int, refused: tuple[str, ...] = ()) -> list[Answer]:
    """Ten identical API calls: one `ok`, nine 409 JSON with the conflict message (or the 409 message of the
    state found)."""
    answers = at_once(browsers, send)
    statuses = Counter(getattr(a, "status", repr(a)) for a in answers)
    assert statuses == {ok: 1, 409: N - 1}, [getattr(a, "body", a) for a in answers]
    messages = Counter(a.message for a in answers if a.status == 409)
    assert set(messages) <= {CONFLICT, *refused}, messages
    print(f"\n{N} calls: {dict(statuses)}; 409 messages {dict(messages)}")
    return answers


def log_count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.execute(query).scalar_one()


# -- the case engine ------------------------------------------------------------------------------------


def test_ten_transitions_of_one_case_at_once_record_one_history_row(app, server, form_sop):
    sop, users = form_sop
    with app.test_request_context():
        kasus = engine.start_case(sop.id, "Sepuluh klik", users["pemohon"])
    path, body = f"/api/v1/kasus/{kasus.id}/transitions", {"transition": "lanjut", "versi": kasus.versi}
    calls(people(server, users["pemohon"], api=True), lambda c: c.send("POST", path, body=body), 200)
    assert log_count(KasusRiwayat, kasus_id=kasus.id) == 1
    moved = db.session.get(Kasus, kasus.id)
    assert moved.langkah.no == 2 and moved.versi == body["versi"] + 1


# -- official documents (finding 2) -------------------------------------------------------------------------


@pytest.fixture
def kantor(create_unit, create_pegawai, create_user, roles):
    """An office: a drafter, a reviewer and a signer, each a user with their civil servant record."""
    unit = create_unit()
    staff = {k: link_pegawai(create_user([role.name], unit), create_pegawai(unit)) for k, role in roles.items()}
    return unit, staff


def draft(kantor, reviewer: bool = False) -> NaskahDinas:
    """A complete letter drafted by hand, to be signed by the `kepala`; with a reviewer: the `verifikator`."""
    unit, staff = kantor
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "surat_penolakan")).scalar_one()
    naskah = svc.create_draft(template, staff["pemohon"], unit, None, None, staff["kepala"].pegawai)
    naskah.kepada = "Kepala BKPSDM Kabupaten Tegal"
    if reviewer:
        naskah.pemeriksa.append(NaskahPemeriksa(urutan=1, pegawai=staff["verifikator"].pegawai, peran="Sekretaris"))
    db.session.commit()
    return naskah


def letter_log(naskah: NaskahDinas, aksi: str) -> int:
    return log_count(NaskahRiwayat, naskah_id=naskah.id, aksi=aksi)


def test_ten_clicks_on_sign_give_one_signature(server, kantor):
    unit, staff = kantor
    naskah = draft(kantor)
    clicks(people(server, staff["kepala"]), f"/naskahdinasview/tandatangani/{naskah.id}", {"versi": naskah.versi},
           "Naskah ditandatangani dan diberi nomor.", ("Naskah ini sudah ditandatangani.",))  # fmt: skip
    signed = db.session.get(NaskahDinas, naskah.id)
    assert signed.status == "ditandatangani" and letter_log(signed, "tanda_tangan") == 1
    # One number consumed: the agency's counter stands at the letter's own number.
    counter = db.session.execute(select(NomorUrut).where(NomorUrut.instansi_id == unit.instansi_id)).scalar_one()
    assert counter.terakhir == signed.nomor_urut == 1
    # The one verification code answers, and the PDF downloaded now passes the public check.
    reader = Browser(server).log_in(staff["pemohon"])
    pdf = reader.send("GET", f"/naskahdinasview/pdf/{signed.id}")
    assert pdf.status == 200 and svc.matches(signed, pdf.body)
    assert Browser(server).send("GET", f"/verifikasi/{signed.token}").status == 200


def test_ten_clicks_on_paraf_give_one_initial(server, kantor):
    unit, staff = kantor
    naskah = draft(kantor, reviewer=True)
    clicks(people(server, staff["verifikator"]), f"/naskahdinasview/paraf/{naskah.id}", {"versi": naskah.versi},
           "Naskah telah diparaf.", ("Naskah ini tidak sedang menunggu paraf.",))  # fmt: skip
    done = db.session.get(NaskahDinas, naskah.id)
    assert (done.status, done.paraf_ke, letter_log(done, "paraf")) == ("diparaf", 1, 1)
    # The signer is told once.
    assert log_count(Notifikasi, naskah_id=done.id, user_id=staff["kepala"].id) == 1


def test_ten_clicks_on_return_record_one_return(server, kantor):
    unit, staff = kantor
    naskah = draft(kantor, reviewer=True)
    clicks(people(server, staff["verifikator"]), f"/naskahdinasview/kembalikan/{naskah.id}",
           {"versi": naskah.versi, "catatan": "Dasar hukum belum dicantumkan."},
           "Naskah dikembalikan kepada konseptor dengan catatan Anda.")  # fmt: skip
    done = db.session.get(NaskahDinas, naskah.id)
    assert done.status == "dikembalikan" and letter_log(done, "kembali") == 1
    # The drafter is told once.
    assert log_count(Notifikasi, naskah_id=done.id, user_id=staff["pemohon"].id) == 1


def test_ten_clicks_on_send_record_one_sending(app, server, kantor):
    unit, staff = kantor
    naskah = draft(kantor)
    svc.sign(naskah, staff["kepala"])
    db.session.commit()
    clicks(people(server, staff["pemohon"]), f"/naskahdinasview/kirim/{naskah.id}", {"versi": naskah.versi},
           "Naskah ditandai terkirim.", (SENT_ONLY,))  # fmt: skip
    done = db.session.get(NaskahDinas, naskah.id)
    assert done.status == "dikirim" and letter_log(done, "kirim") == 1


def test_ten_clicks_on_cancel_record_one_cancellation(server, kantor):
    unit, staff = kantor
    naskah = draft(kantor)
    clicks(people(server, staff["pemohon"]), f"/naskahdinasview/batal/{naskah.id}", {"versi": naskah.versi},
           "Konsep dibatalkan.", ("Naskah ini sudah dibatalkan.",))  # fmt: skip
    done = db.session.get(NaskahDinas, naskah.id)
    assert done.status == "batal" and letter_log(done, "batal") == 1


# -- score sheets (finding 6) -----------------------------------------------------------------------------


@pytest.fixture
def sheet(create_unit, create_pegawai, create_user):
    """A started event and one assessor's first score sheet, still empty, with its values as the page posts them."""
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=3)
    item = kegiatan_siap(p, create_pegawai, n_peserta=3)
    first = lembar(item)[0]
    assessor = next(a for a in p.asesor if a.pegawai_id == first.asesor_id)
    measured = ops.kompetensi_metode(item, first.metode_id)
    form = {"versi": first.versi}
    for k in measured:
        form[f"level_{k.id}"] = "3"
        form[f"bukti_{k.id}"] = "Menyusun prioritas kerja tim dengan jelas."
    return first, assessor, measured, form


def test_ten_submits_of_a_score_sheet_give_one_submission(server, sheet):
    first, assessor, measured, form = sheet
    clicks(people(server, assessor), f"/penilaiansayaview/simpan/{first.id}", {**form, "kirim": "1"},
           "Lembar nilai dikirim dan dikunci.", ("Lembar nilai ini sudah dikirim dan terkunci.",))  # fmt: skip
    assert log_count(RiwayatPenilaian, penugasan_id=first.id, aksi="lembar_dikirim") == 1
    assert log_count(Nilai, penugasan_id=first.id) == len(measured)
    assert db.session.get(type(first), first.id).status == "dikirim"


def test_simultaneous_saves_of_a_score_sheet_never_answer_500(server, sheet):
    first, assessor, measured, _form = sheet
    score = {"peserta_id": first.peserta_id, "metode_id": first.metode_id, "level": 3,
             "bukti": "Mengarahkan diskusi kelompok."}  # fmt: skip
    clients = people(server, assessor, api=True)
    # The version the client read: one save, nine 409.
    once = {**score, "kompetensi_id": measured[0].id, "versi": first.versi}
    calls(clients, lambda c: c.send("PUT", "/api/v1/nilai/", body=once), 200)
    assert log_count(Nilai, penugasan_id=first.id, kompetensi_id=measured[0].id) == 1
    # Without it (as the sweep sent them): saves queue up or are refused; none fails on the unique key.
    other = {**score, "kompetensi_id": measured[1].id}
    answers = at_once(clients, lambda c: c.send("PUT", "/api/v1/nilai/", body=other))
    statuses = Counter(getattr(a, "status", repr(a)) for a in answers)
    assert set(statuses) <= {200, 409} and statuses[200] >= 1, statuses
    assert all(a.message == CONFLICT for a in answers if a.status == 409)
    assert log_count(Nilai, penugasan_id=first.id, kompetensi_id=measured[1].id) == 1
    print(f"\nsaves without versi: {dict(statuses)}")


# -- the assessor meeting, the reports and their batches ----------------------------------------------------


def test_ten_locks_of_a_result_store_one_result(server, create_unit, create_pegawai, create_user):
    p, item, members = event(create_unit, create_pegawai, create_user, lock=0)
    person = members[0]
    path, body = f"/api/v1/peserta/{person.id}/kunci", {"versi": person.versi}
    calls(people(server, p.ketua, api=True), lambda c: c.send("POST", path, body=body), 200,
          ("Hasil peserta sudah dikunci; buka kembali rapat asesor terlebih dahulu.",))  # fmt: skip
    assert log_count(Hasil, peserta_id=person.id) == 1
    assert log_count(RiwayatPenilaian, peserta_id=person.id, aksi="integrasi_dikunci") == 1


def test_ten_first_opens_of_a_report_create_one_report_and_no_error(server, create_unit, create_pegawai, create_user):
    """Ten first clicks on "Laporan" of one participant: one draft report, every click lands on it."""
    p, item, members = event(create_unit, create_pegawai, create_user)
    path = f"/laporanview/buat/{members[0].id}"
    answers = at_once(people(server, p.staf), lambda c: c.send("POST", path, form={}))
    assert [getattr(a, "status", a) for a in answers] == [302] * N
    (report,) = db.session.execute(select(LaporanIndividu).where(LaporanIndividu.peserta_id == members[0].id)).scalars()
    assert {a.location.removeprefix(server.url) for a in answers} == {f"/laporanview/show/{report.id}"}


@pytest.fixture
def submitted(create_unit, create_pegawai, create_user):
    """An event whose results are locked, and one individual report its writer has submitted for QC."""
    p, item, members = event(create_unit, create_pegawai, create_user)
    report = lap.laporan_peserta(members[0].id, p.staf)
    writer = writer_of(p, report)
    lap.simpan(report.id, writer, NARASI, kirim=True)
    return p, item, report, writer


def test_ten_clicks_on_qc_pass_give_one_pass(server, submitted):
    p, item, report, writer = submitted
    ticks = [str(i) for i in range(len(lap.butir_qc(item)))]
    clicks(people(server, p.staf), f"/laporanview/qc/{report.id}",
           {"versi": report.versi, "butir": ticks, "keputusan": "lulus"}, "Laporan lulus QC.", (QC_ONLY,))  # fmt: skip
    assert db.session.get(LaporanIndividu, report.id).status == "lulus"
    changes = db.session.execute(
        select(AuditLog.perubahan).where(AuditLog.tabel == "laporan_individu", AuditLog.row_id == report.id,
                                         AuditLog.aksi == "update")
    ).scalars()  # fmt: skip
    assert sum("qc_at" in change for change in changes) == 1  # one QC decision recorded


def test_ten_clicks_on_qc_return_give_one_return_and_one_notification(server, submitted):
    p, item, report, writer = submitted
    clicks(people(server, p.staf), f"/laporanview/qc/{report.id}",
           {"versi": report.versi, "keputusan": "kembali", "catatan": "Rekomendasi belum sesuai kategori."},
           "Laporan dikembalikan kepada asesornya.", (QC_ONLY,))  # fmt: skip
    returned = db.session.get(LaporanIndividu, report.id)
    assert (returned.status, returned.jumlah_kembali) == ("dikembalikan", 1)
    assert log_count(Notifikasi, user_id=writer.id, jenis="laporan_kembali") == 1


def test_ten_clicks_on_print_reports_start_one_batch(server, create_unit, create_pegawai, create_user):
    p, item, members = event(create_unit, create_pegawai, create_user)
    queued = antrian.huey.pending_count()
    clicks(people(server, p.staf), f"/laporanbatch/mulai/{item.id}", {"versi": item.versi, "gelombang": ""},
           "Pencetakan dimulai; bilah kemajuan menunjukkan perkembangannya.")  # fmt: skip
    (job,) = db.session.execute(select(JobLaporan).where(JobLaporan.kegiatan_id == item.id)).scalars().all()
    assert log_count(ItemLaporan, job_id=job.id) == len(members)
    assert antrian.huey.pending_count() - queued == len(members)  # one print task per participant, once
    antrian.huey.flush()  # no worker runs here: the tasks go with the test


# -- importing participants ----------------------------------------------------------------------------------


def test_ten_imports_of_one_file_add_each_participant_once(server, create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=3)
    item = ops.buat_kegiatan(p.staf, uniq("Penilaian Impor "), "pemetaan", unit_kerja_id=p.unit.id)
    siapkan(item, p, p.staf)
    data = xlsx(baris_peserta(p, 3, create_pegawai))
    path = f"/api/v1/kegiatan/{item.id}/peserta/import?versi={item.versi}"
    calls(people(server, p.admin, api=True), lambda c: c.send("POST", path, data=data), 200)
    assert log_count(Peserta, kegiatan_id=item.id) == 3
    assert log_count(RiwayatPenilaian, kegiatan_id=item.id, aksi="impor") == 1


def test_a_version_that_is_not_a_number_is_refused_with_400(server, sheet):
    first, assessor, measured, _form = sheet
    client = Browser(server).with_token(assessor)
    answer = client.send("POST", f"/api/v1/nilai/lembar/{first.id}/kirim", body={"versi": "kemarin"})
    assert answer.status == 400 and "bilangan bulat" in answer.message
    assert db.session.get(type(first), first.id).status == "draf"


@pytest.fixture(scope="module")
def impatient():
    """An app that waits only half a second for a lock (production waits 30 s on SQLite), for the request that
    does not get it."""
    pg = os.environ.get("PENKOM_TEST_DATABASE_URL")
    connect = {"options": "-c lock_timeout=500"} if pg else {"timeout": 0.5}
    return make_app("konkurensi_kunci", SERVER_NAME=None, PENKOM_URL_PUBLIK="http://penkom.test",
                    SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": connect})  # fmt: skip


@contextmanager
def held(app, table: str):
    """Another connection holds the write lock (SQLite: the database's; PostgreSQL: the table's) until the end."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
    else:
        engine = create_engine(url)
        with engine.connect() as holder:
            holder.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            yield
            holder.rollback()
        engine.dispose()


def test_a_request_that_does_not_get_the_lock_is_refused_with_409_not_500(impatient):
    """The sweep's 500s on SQLite were "database is locked": a write that waited for the lock in vain. Now the
    claim answers 409 with the message (and nothing is numbered), and any other write that times out
    answers the 409 page."""
    with impatient.app_context():
        sm = impatient.appbuilder.sm
        sync_roles(sm, {"Konseptor Uji Kunci": WORKFLOW})
        instansi = Instansi(kode=uniq("INS"), nama="Instansi Uji Kunci", kop="PEMERINTAH UJI")
        unit = UnitKerja(kode=uniq("UNIT"), nama="Unit Uji Kunci", instansi=instansi)
        pegawai = Pegawai(nip=make_nip(), nama="Penandatangan Uji", unit_kerja=unit)
        db.session.add_all([unit, pegawai])
        name = uniq("kunci")
        user = sm.add_user(username=name, first_name=name, last_name="Uji", email=f"{name}@example.test",
                           role=[sm.find_role("Konseptor Uji Kunci")], password=PASSWORD)  # fmt: skip
        user.unit_kerja, user.pegawai = unit, pegawai
        db.session.commit()
        naskah = draft((unit, {"pemohon": user, "kepala": user}))
        naskah_id, versi, template_id = naskah.id, naskah.versi, naskah_template_id()
        client = impatient.test_client()
        login(client, user.username)
        with held(impatient, "naskah_dinas"):
            signing = client.post(f"/naskahdinasview/tandatangani/{naskah_id}", data={"versi": versi})
            assert signing.status_code == 302
            assert CONFLICT in client.get(signing.headers["Location"]).get_data(as_text=True)
            adding = client.post("/naskahdinasview/add", data={"template": template_id, "unit": unit.id})
            assert adding.status_code == 409 and CONFLICT in adding.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(NaskahDinas, naskah_id).status == "konsep"
        assert db.session.execute(select(NomorUrut).where(NomorUrut.instansi_id == unit.instansi_id)).first() is None
        # Once the lock is free, the same click signs.
        client.post(f"/naskahdinasview/tandatangani/{naskah_id}", data={"versi": versi})
        db.session.expire_all()
        assert db.session.get(NaskahDinas, naskah_id).status == "ditandatangani"


def naskah_template_id() -> int:
    return db.session.execute(select(TemplateNaskah.id).where(TemplateNaskah.kode == "surat_penolakan")).scalar_one()
