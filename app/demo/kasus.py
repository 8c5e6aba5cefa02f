"""Demo work: cases and documents that wait for each demo role, made with the engine's and the document
service's own operations, replayed at past moments (so some steps are overdue and finished cases have
real durations against the mutu baku).

DEMO ONLY: the titles, applicants and letters are invented.

- Tangerang (mutasi masuk): cases waiting for the Staf Admin (overdue), the Kepala UPT and the assessors
  (one overdue), and two finished cases (one complete, one rejected at verification).
- Pemalang (kerja sama): each case keeps its cooperation request (letter, activity, disposition, the
  decision with its reason, the assessors chosen from the agency's assessor register): a reply letter and
  assignment waiting for the Kepala Bidang's initials, a rejection letter waiting for the Kepala BKD's
  signature, and an activity held last week whose report the assessor owes (due 7 working days after its
  end).
- The other seed SOPs: one running case each, waiting for their officials.
- The platform logins: demo.pejabat has a memo to initial and one to sign; demo.operator has a memo
  returned with a note; demo.asesor sees the assessors' cases; demo.pengawas sees all of it in the
  unit overview of the home page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from app import scope
from app.demo.jpt import siapkan_langkah_jpt
from app.demo.mutasi import siapkan_langkah as siapkan_permohonan
from app.demo.penilaian import siapkan_langkah
from app.demo.rencana import siapkan_langkah as siapkan_rencana
from app.documents import naskah as docs
from app.extensions import db
from app.kerjasama import operations as kerjasama
from app.models import (
    Jabatan,
    Kasus,
    NaskahDinas,
    Pangkat,
    Pegawai,
    PenkomUser,
    RegisterAsesor,
    Sop,
    TemplateNaskah,
    UnitKerja,
)
from app.models.naskah import EDITABLE
from app.models.security import utcnow
from app.notifikasi.operations import document_changed, step_holders
from app.workflow import engine
from app.workflow.calendar import WIB

HOUR, DAY = 60, 8 * 60 + 30  # working minutes (office hours 07:30-16:00)


@dataclass
class Plan:
    """One demo case: started `days_ago` calendar days ago at 08:00 WIB, then each move after its working
    minutes; the case then waits at the step it reached."""

    sop: str
    judul: str
    days_ago: int
    moves: list[tuple[str, int, str]] = field(default_factory=list)  # (transition, working minutes, comment)
    tanggal_kegiatan: dt.date | None = None
    assign: int = 0  # people to assign before the move that needs them (Pemalang step 4)
    kepada: str = "Kepala Badan Kepegawaian Daerah"  # the addressee of the letters the case drafts
    tanpa: tuple[str, ...] = ()  # transfer applications: the checklist documents the applicant did not send
    permintaan: dict | None = None  # the cooperation request the Kabid registers at step 1 (Pemalang)


TNG = "tangerang-seleksi-mutasi-masuk"
PML = "pemalang-kerjasama-penilaian-kompetensi"
TNG_FULL = [("lanjut", 3 * HOUR, ""), ("ya", 2 * DAY, "Berkas lengkap dan sah."), ("lanjut", DAY, ""),
            ("lanjut", DAY, ""), ("lanjut", 2 * DAY, ""), ("lanjut", 2 * DAY, ""), ("lanjut", 3 * DAY, ""),
            ("lanjut", 4 * DAY, ""), ("lanjut", 8 * DAY, "")]  # fmt: skip


def _request(peminta: str, kota: str, nomor: str, letter_days_ago: int, start_in: int, days: int, asked: int,
             jenis: str = "asesor_sdma") -> dict:  # fmt: skip
    """A request for assessors from another agency: its letter, the activity `start_in` days from today
    (negative: in the past) lasting `days` days, and the Kabid's disposition."""
    today = dt.date.today()
    start = today + dt.timedelta(days=start_in)
    return dict(nomor_surat=nomor, tanggal_surat=today - dt.timedelta(days=letter_days_ago), instansi_peminta=peminta,
                perihal="Permohonan tenaga Asesor SDM Aparatur untuk penilaian kompetensi",
                tanggal_mulai=start, tanggal_selesai=start + dt.timedelta(days=days - 1),
                tempat=f"Aula {peminta}, {kota}", jumlah_asesor=asked, jenis_asesor=jenis,
                disposisi="Subkor PA: koordinasikan jadwal dengan Asesor SDMA dan siapkan jawaban.")  # fmt: skip


PLANS = [
    Plan(TNG, "Mutasi masuk a.n. Andi Wijaya, S.Kom. dari Pemkab Serang", 9, [("lanjut", 4 * HOUR, "")]),
    Plan(TNG, "Mutasi masuk a.n. Siti Rahmawati, S.E. dari Pemkot Depok", 8,
         [("lanjut", 3 * HOUR, ""), ("ya", DAY, "Berkas lengkap."), ("lanjut", DAY, ""), ("lanjut", DAY, "")]),
    Plan(TNG, "Mutasi masuk a.n. Rudi Hartono, S.H. dari Pemprov Banten", 16,
         [("lanjut", 2 * HOUR, ""), ("ya", DAY, "Berkas lengkap."), ("lanjut", DAY, ""), ("lanjut", DAY, ""),
          ("lanjut", 2 * DAY, ""), ("lanjut", 2 * DAY, "")]),
    Plan(TNG, "Mutasi masuk a.n. Dewi Lestari, S.Psi. dari Pemkab Tangerang", 2,
         [("lanjut", 2 * HOUR, ""), ("ya", 3 * HOUR, "Berkas lengkap.")]),
    Plan(TNG, "Mutasi masuk a.n. Bambang Sutrisno, S.T. dari Pemkot Bekasi", 45, TNG_FULL + [("selesai", DAY, "")]),
    Plan(TNG, "Mutasi masuk a.n. Yanti Puspita, A.Md. dari Pemkab Lebak", 12,
         [("lanjut", HOUR, ""), ("tidak", 2 * DAY, "SK pangkat terakhir dan surat lolos butuh tidak dilampirkan.")],
         tanpa=("sk_pangkat_terakhir", "surat_persetujuan")),
    Plan(PML, "Permohonan tenaga Asesor SDMA dari BKPSDM Kabupaten Tegal", 3,
         [("lanjut", HOUR, ""), ("ya", HOUR, "Jadwal asesor tersedia."), ("lanjut", 2 * HOUR, ""),
          ("lanjut", 2 * HOUR, "")], dt.date.today() + dt.timedelta(days=21), assign=2,
         kepada="Kepala BKPSDM Kabupaten Tegal\ndi Slawi",
         permintaan=_request("BKPSDM Kabupaten Tegal", "Slawi", "800/412/BKPSDM/2026", 5, 21, 3, 2)),
    Plan(PML, "Permohonan tenaga Asesor SDMA dari BKPSDM Kabupaten Batang", 4,
         [("lanjut", HOUR, ""), ("tidak", HOUR, "Asesor sudah terjadwal pada tanggal tersebut."),
          ("lanjut", 2 * HOUR, ""), ("lanjut", HOUR, ""), ("lanjut", HOUR, "")],
         kepada="Kepala BKPSDM Kabupaten Batang\ndi Batang",
         permintaan=_request("BKPSDM Kabupaten Batang", "Batang", "800/97/BKPSDM/2026", 6, 10, 2, 3, "psikolog")),
    Plan(PML, "Permohonan tenaga Asesor SDMA dari BKPSDM Kabupaten Brebes", 24,
         [("lanjut", HOUR, ""), ("ya", 2 * HOUR, "Asesor tersedia pada tanggal kegiatan."), ("lanjut", 2 * HOUR, ""),
          ("lanjut", 2 * HOUR, ""), ("lanjut", HOUR, ""), ("lanjut", HOUR, ""), ("lanjut", HOUR, ""),
          ("ya", 2 * HOUR, "Surat jawaban dan surat tugas dikirim melalui pos dan surel."),
          ("lanjut", 12 * DAY, "Kegiatan penilaian kompetensi selesai dilaksanakan.")], assign=1,
         kepada="Kepala BKPSDM Kabupaten Brebes\ndi Brebes",
         permintaan=_request("BKPSDM Kabupaten Brebes", "Brebes", "800/233/BKPSDM/2026", 26, -6, 2, 1)),
    Plan("jpt-penetapan-hasil-uji-kompetensi", "Penetapan hasil uji kompetensi JPT Pratama 2026", 1,
         [("lanjut", 10, "Siapkan hasil uji kompetensi seleksi terbuka JPT Pratama 2026."),
          ("lanjut", 15, "Siapkan bahan penetapan hasil: laporan Tim Penilai Independen dan nilai tahapan."),
          ("lanjut", 20, ""), ("lanjut", 70, "")]),
    Plan("polhukam-rencana-assessment", "Rencana assessment pegawai Biro Umum semester II", 2,
         [("lanjut", 15, "Siapkan rencana assessment pejabat pelaksana dan fungsional semester depan."),
          ("lanjut", DAY, "")]),
    Plan("kemenkumham-penilaian-oleh-asesor", "Penilaian kompetensi gelombang 3 (30 peserta)", 30,
         [("lanjut", 15, ""), ("lanjut", 3 * DAY, ""), ("lanjut", DAY, ""), ("lanjut", DAY, ""), ("lanjut", DAY, ""),
          ("lanjut", DAY, "")]),
]  # fmt: skip


def _start_time(days_ago: int) -> dt.datetime:
    """08:00 WIB `days_ago` days back, as naive UTC."""
    local = dt.datetime.combine(dt.date.today() - dt.timedelta(days=days_ago), dt.time(8, 0))
    return local - dt.timedelta(hours=7)


def _actor(kasus: Kasus, prefer_official: bool = True) -> PenkomUser:
    """Someone holding the current step's role who sees the case: an agency's own official first."""
    holders = step_holders(kasus, kasus.langkah)
    officials = [u for u in holders if not u.username.startswith("demo.")]
    chosen = (officials if prefer_official and officials else holders) or [None]
    if chosen[0] is None:
        raise RuntimeError(f"demo: nobody holds step {kasus.langkah.no} of {kasus.sop.kode}")
    return chosen[0]


def _holder(kasus: Kasus, actor) -> PenkomUser | None:
    """An active user holding an actor column's role who sees the case (an agency official first)."""
    users = db.session.execute(select(PenkomUser).where(PenkomUser.active.is_(True)).order_by(PenkomUser.id))
    found = [u for u in users.scalars() if engine.holds(u, actor) and scope.get(Kasus, kasus.id, u) is not None]
    return next((u for u in found if not u.username.startswith("demo.")), found[0] if found else None)


def _prepare_step(kasus: Kasus, actor: PenkomUser) -> None:
    """What people do on the case page before completing a step: attach the documents its checks ask
    for, and the co-actors of a "semua" step record their part."""
    for spec in kasus.langkah.hook_names("guards"):
        name, _sep, kind = spec.partition(":")
        if name == "lampiran" and kind and kind not in {item.jenis for item in kasus.lampiran}:
            engine.attach(kasus.id, actor, kind, f"{kind}.pdf", "application/pdf", b"%PDF-1.4 contoh dokumen demo")
    for other in engine.missing_parts(kasus):
        person = _holder(kasus, other)
        if person is not None:
            engine.respond(kasus.id, person, "bagian", "Bagian saya selesai.")
    db.session.expire_all()


def _register_assessors(instansi_id: int, count: int = 4) -> None:
    """The agency's assessor register for the demo: its Asesor SDM Aparatur first, then psychologists and
    other functional staff of the agency, as a BKD keeps it (once)."""
    if db.session.execute(select(RegisterAsesor.id).where(RegisterAsesor.instansi_id == instansi_id)).first():
        return
    people = db.session.execute(
        select(Pegawai).join(UnitKerja, UnitKerja.id == Pegawai.unit_kerja_id).join(Jabatan)
        .where(UnitKerja.instansi_id == instansi_id, Pegawai.aktif.isnot(False), Jabatan.jenis == "fungsional")
        .order_by(Jabatan.nama.not_like("Asesor%"), Pegawai.gelar_belakang.not_like("%Psikolog%"), Pegawai.nip)
        .limit(count)
    ).scalars()  # fmt: skip
    for i, person in enumerate(people):
        psikolog = "Psikolog" in (person.gelar_belakang or "")
        db.session.add(RegisterAsesor(instansi_id=instansi_id, pegawai=person,
                                      jenis="psikolog" if psikolog and i else "asesor_sdma",
                                      jenjang="Ahli Muda", nomor_sertifikat=f"ASR-PML-{101 + i}",
                                      berlaku_sampai=dt.date.today() + dt.timedelta(days=730), aktif=True))  # fmt: skip
    db.session.commit()


def _complete_drafts(kasus: Kasus, user, kepada: str) -> None:
    """The drafter fills what the template cannot know (the addressee) before the drafts move on."""
    for naskah in db.session.execute(
        select(NaskahDinas).where(NaskahDinas.kasus_id == kasus.id, NaskahDinas.status.in_(EDITABLE))
    ).scalars():  # fmt: skip
        values = {}
        if not (naskah.kepada or "").strip():
            values["kepada"] = kepada
        if values:
            docs.update(naskah, user, values)
    db.session.commit()


def _run(plan: Plan, now: dt.datetime) -> Kasus | None:
    sop = db.session.execute(select(Sop).where(Sop.kode == plan.sop, Sop.berlaku.is_(True))).scalar()
    if sop is None or not sop.langkah:
        return None
    first = sop.langkah[0]
    users = db.session.execute(select(PenkomUser).where(PenkomUser.active.is_(True)).order_by(PenkomUser.id))
    starter = next((u for u in users.scalars() if not u.username.startswith("demo.") and engine.may_act(u, first)
                    and sop.unit_kerja_id in (scope.reach(u).sop_units or ())), None)  # fmt: skip
    if starter is None:
        return None
    moment = _start_time(plan.days_ago)
    kasus = engine.start_case(sop.id, plan.judul, starter, plan.tanggal_kegiatan, now=moment)
    request = kerjasama.permintaan_kasus(kasus.id)
    if request is not None and plan.permintaan:
        kerjasama.ubah(request.id, starter, **plan.permintaan)  # the Kabid registers the incoming letter
        _register_assessors(sop.instansi_id)
    cal = engine.calendar_for(sop.instansi_id)
    for transition, minutes, comment in plan.moves:
        kasus = db.session.get(Kasus, kasus.id)
        local = cal.add_working_minutes(moment.replace(tzinfo=dt.UTC).astimezone(WIB), minutes)
        moment = min(local.astimezone(dt.UTC).replace(tzinfo=None), now - dt.timedelta(minutes=5))
        actor = _actor(kasus)
        if plan.assign and any(spec == "petugas" for spec in kasus.langkah.hook_names("guards")):
            request = kerjasama.permintaan_kasus(kasus.id)
            if request is not None:  # from the assessor register, those free on the request's dates
                free = [row.entry for row in kerjasama.ketersediaan(request) if row.tersedia]
                for entry in free[: plan.assign]:
                    kerjasama.pilih_asesor(request.id, actor, entry.id)
            else:
                people = scope.agency_people(kasus.unit_kerja.instansi_id, actor)
                for pegawai in [p for p in people if p.jabatan and "Asesor" in p.jabatan.nama][: plan.assign]:
                    engine.assign(kasus.id, actor, pegawai.id, "Asesor SDMA")
        _complete_drafts(kasus, actor, plan.kepada)
        siapkan_permohonan(kasus, actor, transition, plan.tanpa)  # a transfer application's data and files
        siapkan_langkah(db.session.get(Kasus, kasus.id), actor)  # an assessment step waits for its data
        siapkan_rencana(db.session.get(Kasus, kasus.id), actor)  # so does a step of an assessment plan
        siapkan_langkah_jpt(db.session.get(Kasus, kasus.id), actor)  # so does a step of a JPT selection
        _prepare_step(db.session.get(Kasus, kasus.id), actor)
        # The demo people saw the confirmation page of the steps that initial or sign.
        engine.perform(kasus.id, transition, actor, comment, confirmed=True, now=moment)
    return db.session.get(Kasus, kasus.id)


# -- hand-made memos for the platform logins ------------------------------------------------------------


def _pegawai_for(user: PenkomUser, nama: str, gelar: str, jabatan: str, nip: str) -> Pegawai:
    if user.pegawai is not None:
        return user.pegawai
    unit = user.unit_kerja
    rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/a")).scalar()
    position = db.session.execute(select(Jabatan).where(Jabatan.nama == jabatan,
                                                        Jabatan.instansi_id == unit.instansi_id)).scalar()  # fmt: skip
    if position is None:
        position = Jabatan(nama=jabatan, jenis="administrator", jenjang="", instansi_id=unit.instansi_id)
        db.session.add(position)
    pegawai = db.session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar()
    if pegawai is None:
        pegawai = Pegawai(nip=nip, nama=nama, gelar_belakang=gelar, pangkat=rank, jabatan=position, unit_kerja=unit)
        db.session.add(pegawai)
    user.pegawai = pegawai
    db.session.commit()
    return pegawai


def _memos() -> None:
    sm = current_app.appbuilder.sm
    pejabat, operator = sm.find_user(username="demo.pejabat"), sm.find_user(username="demo.operator")
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "nota_dinas")).scalar()
    if pejabat is None or operator is None or template is None:
        return
    head = _pegawai_for(pejabat, "Agus Salim", "S.Sos., M.Si.", "Kepala Bagian Umum dan Kepegawaian",
                        "197401152000031003")  # fmt: skip
    unit = db.session.execute(select(UnitKerja).where(UnitKerja.kode == "TNG-BKPSDM")).scalar() or operator.unit_kerja
    memos = [
        ("Usulan jadwal asesmen mutasi bulan depan", "paraf"),
        ("Permintaan ruang asesmen dan perlengkapan simulasi", "tanda_tangan"),
        ("Rekapitulasi peserta asesmen triwulan IV", "kembali"),
    ]
    for perihal, state in memos:
        naskah = docs.create_draft(template, operator, unit, signer=head if state != "paraf" else None)
        docs.update(naskah, operator, {"perihal": perihal, "kepada": "Kepala BKPSDM Kota Tangerang",
                                       "isi": f"Dengan hormat, bersama ini kami sampaikan {perihal.lower()} "
                                              "untuk mendapat arahan Bapak/Ibu."})  # fmt: skip
        if state == "paraf":
            secretary = db.session.execute(select(Pegawai).where(Pegawai.nip == "197506122000032004")).scalar()
            if secretary is not None:
                naskah.penandatangan = secretary
            docs.add_reviewer(naskah, operator, head.id)
        elif state == "kembali":
            docs.add_reviewer(naskah, operator, head.id)
            db.session.flush()
            docs.kembalikan(naskah, pejabat, "Lengkapi jumlah peserta per unit kerja dan lampirkan daftarnya.")
        db.session.commit()
        document_changed(naskah.id, pejabat if state == "kembali" else operator)


def load_demo_work(now: dt.datetime | None = None) -> int:
    """Run the demo plans (once, after the demo accounts exist); return how many cases were made."""
    now = now or utcnow()
    made = 0
    for plan in PLANS:
        if _run(plan, now) is not None:
            made += 1
    _memos()
    return made
