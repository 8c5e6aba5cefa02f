"""Attachments of a case: the kinds a user may choose (those the current step asks for, then the
agency's document kinds), their names, the guard "lampiran:<kind>" (the attachment is present), and the
outputs "lampiran:<kind>" and "petugas" that the case page shows."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app import cache
from app.extensions import db
from app.formatting import tanggal_waktu
from app.models import JenisDokumen, Kasus, KasusRiwayat, Langkah, Sop
from app.workflow import hooks, providers


def agency_kinds(instansi_id: int | None) -> dict[str, str]:
    """{kode: nama} of the document kinds of an agency and of every agency; the agency's name wins.
    Read once per request (the case page asks for each step's inputs, outputs and attachment choices)."""
    return dict(cache.per_request(("jenis_dokumen", instansi_id), lambda: _agency_kinds(instansi_id)))


def _agency_kinds(instansi_id: int | None) -> dict[str, str]:
    rows = db.session.execute(
        select(JenisDokumen)
        .where(or_(JenisDokumen.instansi_id.is_(None), JenisDokumen.instansi_id == instansi_id))
        .order_by(JenisDokumen.instansi_id.is_(None), JenisDokumen.nama)
    ).scalars()
    kinds: dict[str, str] = {}
    for row in rows:
        kinds.setdefault(row.kode, row.nama)
    return dict(sorted(kinds.items(), key=lambda item: item[1].lower()))


def steps_naming(kind: JenisDokumen, kode: str | None = None, instansi_id: int | None = -1) -> list[Langkah]:
    """SOP steps (of every revision: running cases keep theirs) whose checks or outputs name this kind
    (`lampiran:<kode>`) and would find no kind of that code without this row. `kode` and `instansi_id`
    default to the row's own (pass the old values when they are being changed)."""
    kode = kind.kode if kode is None else kode
    instansi_id = kind.instansi_id if instansi_id == -1 else instansi_id
    spec = f"lampiran:{kode}"
    others = db.session.execute(
        select(JenisDokumen.instansi_id).where(JenisDokumen.kode == kode, JenisDokumen.id != kind.id)
    ).scalars()
    remaining = set(others)  # agencies (None: every agency) that keep a kind of this code
    if None in remaining:
        return []
    query = (
        select(Langkah).join(Sop, Langkah.sop_id == Sop.id)
        .where(or_(Langkah.guards.contains(spec), Langkah.keluaran.contains(spec)))
        .order_by(Sop.nama, Sop.revisi, Langkah.no)
    )  # fmt: skip
    if instansi_id is not None:
        query = query.where(Sop.instansi_id == instansi_id)
    elif remaining:
        query = query.where(Sop.instansi_id.not_in(sorted(remaining)))
    steps = db.session.execute(query).scalars()
    return [
        s
        for s in steps
        if any(hooks.split(x) == ("lampiran", kode) for x in s.hook_names("guards") + s.hook_names("keluaran"))
    ]


def humanize(kode: str) -> str:
    """A readable name for a kind code nobody named yet ("sk_pangkat_terakhir" -> "Sk pangkat terakhir")."""
    return kode.replace("_", " ").strip().capitalize()


def kind_name(kasus: Kasus, kode: str) -> str:
    return agency_kinds(kasus.unit_kerja.instansi_id).get(kode) or humanize(kode)


def required_kinds(step: Langkah | None) -> list[str]:
    """The kinds the step's `lampiran:<kind>` checks ask for, in the order the SOP names them."""
    if step is None:
        return []
    result = []
    for spec in step.hook_names("guards"):
        name, param = hooks.split(spec)
        if name == "lampiran" and param and param not in result:
            result.append(param)
    return result


def attachment_choices(kasus: Kasus) -> list[tuple[str, str]]:
    """(kode, nama) a user may attach to the case now: first what the current step asks for, then the
    agency's other document kinds."""
    known = agency_kinds(kasus.unit_kerja.instansi_id)
    needed = required_kinds(kasus.langkah)
    return [(k, known.get(k) or humanize(k)) for k in needed] + [(k, n) for k, n in known.items() if k not in needed]


def kind_status(kasus: Kasus, step: Langkah | None) -> list[dict]:
    """The attachments the step asks for: name and the files attached so far (possibly none)."""
    known = agency_kinds(kasus.unit_kerja.instansi_id)
    return [
        {"kode": k, "nama": known.get(k) or humanize(k), "files": [f for f in kasus.lampiran if f.jenis == k]}
        for k in required_kinds(step)
    ]


@hooks.guard("lampiran", _l("An attachment of the given kind is present (lampiran:<kind>)"), takes_param=True)
def _attachment_present(ctx: hooks.HookContext):
    kinds = {item.jenis for item in ctx.kasus.lampiran}
    if ctx.param and ctx.param not in kinds:
        return _l('Attach the document "%(kind)s" to the case first.', kind=kind_name(ctx.kasus, ctx.param))
    if not ctx.param and not kinds:
        return _l("Attach at least one document to the case first.")
    return None


@providers.output_provider("lampiran", _l("An attached document of the given kind (lampiran:<kind>)"), True)
def _attachments(kasus: Kasus, step: Langkah, param: str) -> list[providers.Output]:
    files = [f for f in kasus.lampiran if not param or f.jenis == param]
    label = kind_name(kasus, param) if param else str(_l("Attachment"))
    if not files:
        return [providers.Output(label, exists=False)]
    return [
        providers.Output(
            f"{label}: {f.nama_file}",
            exists=True,
            url=url_for("KasusView.berkas", pk=f.id),
            detail=tanggal_waktu(f.diunggah_at),
        )  # fmt: skip
        for f in files
    ]


@providers.output_provider("petugas", _l("The people assigned to the case (e.g. the chosen assessors)"))
def _assigned(kasus: Kasus, step: Langkah, param: str) -> list[providers.Output]:
    if not kasus.petugas:
        return [providers.Output(str(_l("Assigned people")), exists=False)]
    return [
        providers.Output(p.pegawai.nama_lengkap, exists=True, detail=p.peran or p.pegawai.nip_tampil)
        for p in kasus.petugas
    ]


@providers.output_provider("catatan", _l("The comment recorded when the step was completed (a direction, an "
                                         "instruction, a decision)"))  # fmt: skip
def _comment(kasus: Kasus, step: Langkah, param: str) -> list[providers.Output]:
    query = (select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus.id, KasusRiwayat.dari_no == step.no,
                                        KasusRiwayat.komentar != "").order_by(KasusRiwayat.id.desc()))  # fmt: skip
    row = db.session.execute(query).scalars().first()
    label = step.output or str(_l("Note"))
    if row is None:
        return [providers.Output(label, exists=False)]
    return [providers.Output(label, exists=True, detail=f"{row.komentar[:200]} ({tanggal_waktu(row.waktu)})")]
