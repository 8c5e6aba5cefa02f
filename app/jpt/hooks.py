"""The JPT selection's SOP steps, as hooks of the workflow engine (chosen per step in data/sop/*.toml),
its step outputs for the case page, and the values its documents' wording may use.

Effects: `jpt_seleksi` (on entering a step: the case's selection, created if missing), `jpt_periksa`
(on completing the check: checked, or returned to the compilation with the comment), `jpt_setujui`
(on completing the approval: frozen, or returned with the comment), `jpt_tetapkan` (on entering the
secretariat meeting: standar / di bawah standar and the three best per post).
Guards: `jpt_seleksi` (posts, panel with chair and secretary, weights of 100 %), `jpt_hasil_assessment`
(every candidate has an assessment-center score), `jpt_kompilasi` (a current compilation exists),
`jpt_penetapan` (the meeting's results are recorded).
Outputs: `jpt:seleksi|hasil_assessment|kompilasi|pemeriksaan|persetujuan|penetapan`, and `catatan`
(the comment recorded when the step was completed, e.g. the direction or the instruction).
"""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents import wording
from app.extensions import db
from app.jpt import operations as ops
from app.models import KasusRiwayat
from app.models.jpt import TAHAP, StatusKompilasi
from app.workflow import hooks, providers


def _seleksi(ctx: hooks.HookContext):
    return ops.seleksi_kasus(ctx.kasus.id)


def _tidak_ada():
    return _l("This case has no JPT selection yet; open the JPT Selections page.")


@hooks.effect("jpt_seleksi", _l("On entering the step: create the case's JPT selection if it has none"), on="enter")
def create_selection(ctx: hooks.HookContext):
    if _seleksi(ctx) is None:
        today = ctx.kasus.dibuat_at or dt.datetime.now()
        ops.buat_seleksi(ctx.user, ctx.kasus.judul, ctx.kasus.unit_kerja_id, today.year, kasus_id=ctx.kasus.id)


@hooks.guard("jpt_seleksi", _l("The JPT selection has its vacant posts, its panel (chair and secretary) and stage "
                               "weights of 100%"), output="jpt:seleksi")  # fmt: skip
def selection_ready(ctx: hooks.HookContext):
    problems = ops.kurang_seleksi(_seleksi(ctx))
    return _l("The JPT selection still needs: %(items)s.", items="; ".join(problems)) if problems else None


@hooks.guard("jpt_hasil_assessment", _l("Every JPT candidate has an assessment-center score"),
             output="jpt:hasil_assessment")  # fmt: skip
def assessment_in(ctx: hooks.HookContext):
    item = _seleksi(ctx)
    if item is None:
        return _tidak_ada()
    if not item.kandidat:
        return _l("The JPT selection has no candidates yet.")
    missing = [k.nama for k in item.kandidat if k.nilai_assessment is None]
    if missing:
        return _l("The assessment-center score is missing for: %(names)s.", names=", ".join(missing))
    return None


@hooks.guard("jpt_kompilasi", _l("The JPT compilation (weighted totals and ranks) is made and current"),
             output="jpt:kompilasi")  # fmt: skip
def compiled(ctx: hooks.HookContext):
    item = _seleksi(ctx)
    if item is None:
        return _tidak_ada()
    if not ops.ada_kompilasi(item) or item.status_kompilasi == StatusKompilasi.DIKEMBALIKAN.value:
        return _l("Compile the candidates' scores on the JPT selection page first.")
    return None


@hooks.effect("jpt_periksa", _l("On completing the check: the JPT compilation is checked, or returned to the "
                                "compiler with the comment"), output="jpt:pemeriksaan")  # fmt: skip
def check(ctx: hooks.HookContext):
    item = _seleksi(ctx)
    if item is None:
        raise ops.JptError(_tidak_ada())
    if ctx.transition.id in ("tidak", "kembali"):
        ops.kembalikan(item, ctx.comment)
    else:
        ops.periksa(item)


@hooks.effect("jpt_setujui", _l("On completing the step: the JPT compilation is approved and frozen, or returned "
                                "with the comment"), output="jpt:persetujuan")  # fmt: skip
def approve(ctx: hooks.HookContext):
    item = _seleksi(ctx)
    if item is None:
        raise ops.JptError(_tidak_ada())
    if ctx.transition.id == "kembali":
        ops.kembalikan(item, ctx.comment)
    else:
        ops.setujui(item, ctx.user)


@hooks.effect("jpt_tetapkan", _l("On entering the step: each JPT candidate standar / di bawah standar by the "
                                 "selection's rule, and the three best per post"), on="enter")  # fmt: skip
def set_results(ctx: hooks.HookContext):
    item = _seleksi(ctx)
    if item is None:
        raise ops.JptError(_tidak_ada())
    ops.tetapkan(item)


@hooks.guard("jpt_penetapan", _l("The JPT results (standar / di bawah standar, three best) are recorded"),
             output="jpt:penetapan")  # fmt: skip
def results_set(ctx: hooks.HookContext):
    item = _seleksi(ctx)
    if item is None or item.status_kompilasi != StatusKompilasi.DITETAPKAN.value:
        return _l("The secretariat meeting's results are not recorded yet.")
    return None


# -- step outputs --------------------------------------------------------------------------------

OUTPUT_LABELS = {
    "seleksi": _l("JPT selection: vacant posts, panel and stage weights"),
    "hasil_assessment": _l("Assessment-center scores of the candidates"),
    "kompilasi": _l("Draft compilation of the assessment results"),
    "pemeriksaan": _l("Check of the draft compilation"),
    "persetujuan": _l("Approved compilation (frozen)"),
    "penetapan": _l("Standar / di bawah standar and the three best per post"),
}


def _exists(item, param: str) -> tuple[bool, str]:
    status = item.status_kompilasi
    after_check = (StatusKompilasi.DIPERIKSA.value, StatusKompilasi.DISETUJUI.value, StatusKompilasi.DITETAPKAN.value)
    if param == "seleksi":
        return not ops.kurang_seleksi(item), str(_l("%(n)d vacant post(s)", n=len(item.formasi)))
    if param == "hasil_assessment":
        filled = sum(1 for k in item.kandidat if k.nilai_assessment is not None)
        return bool(item.kandidat) and filled == len(item.kandidat), f"{filled}/{len(item.kandidat)}"
    if param == "kompilasi":
        return ops.ada_kompilasi(item), item.status_label
    if param == "pemeriksaan":
        returned = status == StatusKompilasi.DIKEMBALIKAN.value and bool(item.catatan_kompilasi)
        return status in after_check or returned, item.status_label
    if param == "persetujuan":
        return item.beku, item.status_label
    if param == "penetapan":
        best = sum(1 for k in item.kandidat if k.tiga_besar)
        return status == StatusKompilasi.DITETAPKAN.value, str(_l("%(n)d in the three best", n=best))
    return False, ""


@providers.output_provider("jpt", _l("JPT selection records (jpt:seleksi, hasil_assessment, kompilasi, "
                                     "pemeriksaan, persetujuan, penetapan)"), True)  # fmt: skip
def _outputs(kasus, step, param: str) -> list[providers.Output]:
    label = str(OUTPUT_LABELS.get(param, _l("JPT selection")))
    item = ops.seleksi_kasus(kasus.id)
    if item is None:
        return [providers.Output(label, exists=False)]
    exists, detail = _exists(item, param or "seleksi")
    return [providers.Output(label, exists=exists, url=url_for("SeleksiJptView.show", pk=item.id), detail=detail)]


@providers.output_provider("catatan", _l("The comment recorded when the step was completed (a direction, an "
                                         "instruction, a decision)"))  # fmt: skip
def _note(kasus, step, param: str) -> list[providers.Output]:
    query = (select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus.id, KasusRiwayat.dari_no == step.no)
             .order_by(KasusRiwayat.id.desc()))  # fmt: skip
    row = next((r for r in db.session.execute(query).scalars() if (r.komentar or "").strip()), None)
    label = step.output or str(_l("Note"))
    if row is None:
        return [providers.Output(label, exists=False)]
    return [providers.Output(label, exists=True, detail=row.komentar[:200])]


# -- what the documents of a JPT case may print ----------------------------------------------------------


def angka(value) -> str:
    """A score or weight as Indonesian documents print it: 77,25; 35."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _angka(value) -> str:
    return angka(value) if value is not None else "-"


def _kategori(row) -> str:
    # Documents are Indonesian by regulation, whatever language the user reads the screens in.
    return "-" if row.standar is None else ("standar" if row.standar else "di bawah standar")


def _kandidat(row) -> dict:
    return {
        "nama": row.nama, "nip": row.nip_tampil, "jabatan": row.formasi.nama, "nilai_akhir": _angka(row.nilai_akhir),
        "peringkat": row.peringkat or "", "kategori": _kategori(row), "standar": bool(row.standar),
        "tiga_besar": row.tiga_besar,
    }  # fmt: skip


EXAMPLE = {"nama": "Contoh", "jabatan": ["Contoh"], "jumlah_kandidat": 1, "ambang": "70", "kandidat": [],
           "tiga_besar": [], "ketua": "Contoh", "jumlah_standar": 0}  # fmt: skip


# Documents are Indonesian by regulation: the stage names they print do not follow the screen language.
TAHAP_NASKAH = {"administrasi": "Administrasi", "assessment": "Assessment Center", "makalah": "Makalah",
                "wawancara": "Wawancara", "rekam_jejak": "Rekam Jejak", "kesehatan": "Kesehatan"}  # fmt: skip


def _tables(kasus, kode: str) -> list[dict]:
    item = ops.seleksi_kasus(kasus.id)
    if item is None or not ops.ada_kompilasi(item):
        return []
    rows = ops.tabel_kompilasi(item)
    weights = item.bobot()
    if kode in ("notulen_rapat", "berita_acara_seleksi_jpt"):
        stages = [(k, TAHAP_NASKAH[k]) for k, _label, _b in TAHAP if weights[k] > 0]
        kolom = ["No.", "Nama / NIP", "Jabatan yang dilamar",
                 *[f"{label} ({angka(weights[k])}%)" for k, label in stages], "Nilai akhir", "Peringkat",
                 "Kategori"]  # fmt: skip
        lebar = ["0.7cm", "3.3cm", "2.6cm", *["1.05cm"] * len(stages), "1.2cm", "1cm", "1.4cm"]
        baris = [[str(i), f"{r.nama}\nNIP. {r.nip_tampil}", r.formasi.nama,
                  *[_angka(getattr(r, f"nilai_{k}")) for k, _label in stages], _angka(r.nilai_akhir),
                  str(r.peringkat or ""), _kategori(r)] for i, r in enumerate(rows, start=1)]  # fmt: skip
        return [{"judul": "Hasil kompilasi penilaian", "kolom": kolom, "baris": baris, "lebar": lebar, "kecil": True}]
    if kode in ("pengumuman_hasil_jpt", "laporan_sekretariat_pansel"):
        best = [r for r in rows if r.tiga_besar]
        baris = [[str(i), f"{r.nama}\nNIP. {r.nip_tampil}", r.instansi_asal or "", r.formasi.nama,
                  str(r.peringkat or "")] for i, r in enumerate(best, start=1)]  # fmt: skip
        kolom = ["No.", "Nama / NIP", "Instansi asal", "Jabatan yang dilamar", "Peringkat"]
        lebar = ["0.8cm", "5cm", "3.7cm", "5cm", "2cm"]
        return [{"judul": "Tiga peserta terbaik setiap jabatan (memenuhi standar)", "kolom": kolom, "baris": baris,
                 "lebar": lebar}]  # fmt: skip
    return []


@wording.context_provider("seleksi", EXAMPLE, _tables)
def _context(kasus) -> dict | None:
    item = ops.seleksi_kasus(kasus.id)
    if item is None:
        return None
    rows = ops.tabel_kompilasi(item)
    chair = next((p.nama for p in item.pansel if p.peran == "ketua"), "")
    return {
        "nama": item.nama, "jabatan": [f.nama for f in item.formasi], "jumlah_kandidat": len(rows),
        "ambang": angka(item.ambang_standar), "kandidat": [_kandidat(r) for r in rows],
        "tiga_besar": [_kandidat(r) for r in rows if r.tiga_besar], "ketua": chair,
        "jumlah_standar": sum(1 for r in rows if r.standar),
    }  # fmt: skip
