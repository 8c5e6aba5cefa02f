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

from app.documents import wording
from app.jpt import operations as ops
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


# -- what the documents of a JPT case may print ----------------------------------------------------------
# Documents are Indonesian by regulation: the stage names and categories they print do not follow the
# screen language. The wording prints the candidates as "|" tables (data/naskah/template.toml).

TAHAP_NASKAH = {"administrasi": "Administrasi", "assessment": "Assessment Center", "makalah": "Makalah",
                "wawancara": "Wawancara", "rekam_jejak": "Rekam Jejak", "kesehatan": "Kesehatan"}  # fmt: skip
SINGKAT = {"administrasi": "Adm", "assessment": "AC", "makalah": "Mak", "wawancara": "Waw", "rekam_jejak": "RJ",
           "kesehatan": "Kes"}  # fmt: skip


def angka(value) -> str:
    """A score or weight as Indonesian documents print it: 77,25; 35."""
    if value is None:
        return "-"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _kategori(row) -> str:
    return "-" if row.standar is None else ("standar" if row.standar else "di bawah standar")


def _kandidat(row, stages: list[str]) -> dict:
    cell = wording.cell
    return {
        "nama": cell(row.nama), "nip": cell(row.nip_tampil), "jabatan": cell(row.formasi.nama),
        "instansi": cell(row.instansi_asal), "nilai": [angka(getattr(row, f"nilai_{k}")) for k in stages],
        "nilai_tahap": "; ".join(f"{SINGKAT[k]} {angka(getattr(row, f'nilai_{k}'))}" for k in stages),
        "nilai_akhir": angka(row.nilai_akhir), "peringkat": row.peringkat or "", "kategori": _kategori(row),
        "standar": bool(row.standar), "tiga_besar": row.tiga_besar,
    }  # fmt: skip


EXAMPLE = {
    "nama": "Contoh", "jabatan": ["Contoh"], "jumlah_kandidat": 1, "jumlah_standar": 1, "ambang": "70",
    "ketua": "Contoh", "tahap": [{"nama": "Assessment Center", "singkat": "AC", "bobot": "100"}],
    "kandidat": [{"nama": "Contoh", "nip": "1", "jabatan": "Contoh", "instansi": "Contoh", "nilai": ["80"],
                  "nilai_tahap": "AC 80", "nilai_akhir": "80", "peringkat": 1, "kategori": "standar",
                  "standar": True, "tiga_besar": True}],
    "tiga_besar": [],
}  # fmt: skip


@wording.context_provider("seleksi", example=EXAMPLE)
def _context(kasus) -> dict | None:
    item = ops.seleksi_kasus(kasus.id) if kasus is not None else None
    if item is None:
        return None
    weights = item.bobot()
    stages = [k for k, _label, _w in TAHAP if weights[k] > 0]
    rows = [_kandidat(r, stages) for r in ops.tabel_kompilasi(item)] if ops.ada_kompilasi(item) else []
    return {
        "nama": item.nama, "jabatan": [f.nama for f in item.formasi], "jumlah_kandidat": len(item.kandidat),
        "jumlah_standar": sum(1 for r in item.kandidat if r.standar), "ambang": angka(item.ambang_standar),
        "ketua": next((p.nama for p in item.pansel if p.peran == "ketua"), ""),
        "tahap": [{"nama": TAHAP_NASKAH[k], "singkat": SINGKAT[k], "bobot": angka(weights[k])} for k in stages],
        "kandidat": rows, "tiga_besar": [r for r in rows if r["tiga_besar"]],
    }  # fmt: skip
