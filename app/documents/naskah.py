"""The life of an official document: draft → initials in order (or returned with a note) → signature
(number, final PDF with QR, PAdES signature when the agency has a certificate (app/documents/tte.py),
SHA-256 of exactly those bytes, verification token; frozen from then on) → sent.

One function per state change. Each claims the document first (app/konkurensi.py; `seen_versi`: the
version the user's page showed), so a repeated click changes nothing. They do not commit: the caller (a
view, the API, or the workflow engine inside a case transition) commits or rolls back the whole operation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import secrets
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import scope
from app.documents import penomoran, tte, wording
from app.documents.pdf import PdfError, render_pdf
from app.extensions import db
from app.formatting import orang
from app.konkurensi import claim
from app.models import (
    Instansi,
    JenisNaskah,
    Kasus,
    NaskahDinas,
    NaskahPemeriksa,
    NaskahRiwayat,
    Pegawai,
    PenkomUser,
    StatusNaskah,
    TemplateNaskah,
    UnitKerja,
)
from app.models.naskah import EDITABLE, FINAL, JUDUL
from app.models.security import utcnow
from app.workflow.engine import TransitionError

SIFAT = ["Biasa", "Penting", "Segera", "Sangat Segera", "Terbatas", "Rahasia"]
ATAS_NAMA = ["", "a.n.", "u.b.", "Plt.", "Plh."]
MAX_UPLOAD = 20 * 1024 * 1024
NOMOR_EOFFICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./()_-]*")
KERTAS = {"a4": "a4", "f4": "215mm 330mm"}
# Letters addressed to someone need the "Yth." block filled before they leave the drafter.
NEEDS_ADDRESSEE = {JenisNaskah.SURAT_DINAS.value, JenisNaskah.NOTA_DINAS.value}
EDITABLE_FIELDS = ["perihal", "sifat", "kode_klasifikasi", "lampiran", "kepada", "isi", "isi_penutup", "tembusan",
                   "kota", "kertas", "penandatangan_id", "jabatan_penandatangan", "atas_nama",
                   "jabatan_atas_nama"]  # fmt: skip
LIMITS = {"perihal": 500, "sifat": 20, "kode_klasifikasi": 30, "lampiran": 120, "kota": 100,
          "jabatan_penandatangan": 200, "jabatan_atas_nama": 200, "kepada": 5000, "tembusan": 5000,
          "isi": 50000, "isi_penutup": 20000}  # fmt: skip


class NaskahError(TransitionError):
    """A refused document operation (a TransitionError, so a case step that runs it is refused too)."""


def local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _who(user) -> str:
    """Who acted, for the document's log and review chain: name with titles and position."""
    return "" if user is None else orang(user)


def _log(naskah: NaskahDinas, aksi: str, user, catatan: str = "") -> None:
    naskah.riwayat.append(
        NaskahRiwayat(
            aksi=aksi, oleh=_who(user)[:200], user_id=getattr(user, "id", None), catatan=catatan, waktu=utcnow()
        )  # fmt: skip
    )


# -- access ----------------------------------------------------------------------------------


def scoped_naskah(naskah_id: int, user) -> NaskahDinas | None:
    """Load a document through the caller's unit scope (None: not found or not visible)."""
    return scope.get(NaskahDinas, naskah_id, user)


def may_edit(naskah: NaskahDinas, user) -> bool:
    """A draft of a running case belongs to whoever holds the case's current step; other drafts to
    anyone with edit permission in scope (checked by the view)."""
    from app.workflow.engine import may_act

    if not naskah.dapat_diubah:
        return False
    kasus = naskah.kasus
    if kasus is not None and kasus.status == "berjalan" and naskah.langkah_no is not None:
        return may_act(user, kasus.langkah)
    return True


# -- drafting --------------------------------------------------------------------------------


def default_signer(instansi_id: int, role_id: int | None) -> Pegawai | None:
    """The civil servant of an active user holding the signing role in this agency."""
    if role_id is None:
        return None
    users = db.session.execute(
        select(PenkomUser).where(PenkomUser.active.is_(True), PenkomUser.pegawai_id.isnot(None)).order_by(PenkomUser.id)
    ).scalars()
    for user in users:
        pegawai = user.pegawai
        if pegawai and pegawai.unit_kerja.instansi_id == instansi_id and role_id in {r.id for r in user.roles}:
            return pegawai
    return None


def _people(kasus: Kasus | None) -> list[dict]:
    return [dict(wording.person(p.pegawai), peran=p.peran or "") for p in (kasus.petugas if kasus else [])]


def create_draft(template: TemplateNaskah, user, unit: UnitKerja, kasus: Kasus | None = None,
                 langkah_no: int | None = None, signer: Pegawai | None = None) -> NaskahDinas:  # fmt: skip
    """A new draft filled in from the template wording and the case."""
    context = wording.case_context(kasus, unit.instansi, unit)
    naskah = NaskahDinas(
        jenis=template.jenis, template_kode=template.kode, instansi_id=unit.instansi_id, instansi=unit.instansi,
        unit_kerja_id=unit.id, unit_kerja=unit, kasus=kasus, langkah_no=langkah_no,
        perihal=wording.render(template.perihal, context)[:500] or template.nama,
        kepada=wording.render(template.kepada or "", context), isi=wording.render(template.isi, context),
        isi_penutup=wording.render(template.isi_penutup or "", context),
        tembusan=wording.render(template.tembusan or "", context), sifat=template.sifat or "Biasa",
        kode_klasifikasi=template.kode_klasifikasi or "", lampiran="-", kota=unit.instansi.kota or "",
        kertas=template.kertas or "a4", daftar=_people(kasus), status=StatusNaskah.KONSEP.value, paraf_ke=0,
        dibuat_at=utcnow(), dibuat_oleh_id=getattr(user, "id", None),
    )  # fmt: skip
    if signer is not None:
        naskah.penandatangan = signer
        naskah.jabatan_penandatangan = str(signer.jabatan) if signer.jabatan else ""
    db.session.add(naskah)
    _log(naskah, "konsep", user)
    return naskah


def validate_values(naskah: NaskahDinas, values: dict) -> dict[str, str]:
    """Field errors for an edit (form or API); an empty dict means the values are acceptable."""
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field not in EDITABLE_FIELDS:
            errors[field] = str(_l("This field cannot be changed."))
        elif field in LIMITS and value is not None and len(str(value)) > LIMITS[field]:
            errors[field] = str(_l("At most %(n)d characters.", n=LIMITS[field]))
    if "perihal" in values and not str(values["perihal"] or "").strip():
        errors["perihal"] = str(_l("The subject (hal) is required."))
    if values.get("sifat") not in (None, *SIFAT):
        errors["sifat"] = str(_l("Choose one of: %(items)s.", items=", ".join(SIFAT)))
    if values.get("kertas") not in (None, *KERTAS):
        errors["kertas"] = str(_l("Paper size is A4 or F4."))
    if values.get("atas_nama") not in (None, *ATAS_NAMA):
        errors["atas_nama"] = str(_l("Choose one of: %(items)s.", items=", ".join(a for a in ATAS_NAMA if a)))
    if values.get("penandatangan_id") is not None:
        signer = db.session.get(Pegawai, values["penandatangan_id"]) if isinstance(
            values["penandatangan_id"], int) else None  # fmt: skip
        if signer is None or signer.unit_kerja.instansi_id != naskah.instansi_id:
            errors["penandatangan_id"] = str(_l("The signer must be a civil servant of this agency."))
    return errors


def update(naskah: NaskahDinas, user, values: dict, seen_versi: int | None = None) -> NaskahDinas:
    """Change a draft; a signed document is frozen (a correction is a new document)."""
    if naskah.status in FINAL:
        raise NaskahError(_l("This document is signed and can no longer be changed; make a new document."), 409)
    if not may_edit(naskah, user):
        raise NaskahError(_l("You cannot change this document now."), 403)
    errors = validate_values(naskah, values)
    if errors:
        raise NaskahError("; ".join(f"{k}: {v}" for k, v in errors.items()), 422)
    claim(naskah, NaskahError, seen_versi)
    for field, value in values.items():
        setattr(naskah, field, value.strip() if isinstance(value, str) else value)
    if "penandatangan_id" in values:
        naskah.penandatangan = db.session.get(Pegawai, values["penandatangan_id"])
    _log(naskah, "ubah", user)
    return naskah


def readiness_errors(naskah: NaskahDinas) -> list[str]:
    errors = []
    if not (naskah.perihal or "").strip():
        errors.append(str(_l("the subject (hal) is empty")))
    if not (naskah.isi or "").strip():
        errors.append(str(_l("the body is empty")))
    if naskah.jenis in NEEDS_ADDRESSEE and not (naskah.kepada or "").strip():
        errors.append(str(_l("the addressee (Yth.) is empty")))
    if naskah.penandatangan is None:
        errors.append(str(_l("no signer is chosen")))
    errors.extend(penomoran.missing_parts(naskah))
    return errors


# -- review and signature -------------------------------------------------------------------------


def paraf(naskah: NaskahDinas, user, langkah_no: int | None = None, seen_versi: int | None = None) -> None:
    """The next reviewer in the chain initials. Chains bound to SOP steps are initialled by their
    step (langkah_no); chains made by hand by the named civil servant."""
    if naskah.status not in EDITABLE:
        raise NaskahError(_l("This document is not waiting for initials."), 409)
    row = naskah.pemeriksa_berikut
    if row is None:
        raise NaskahError(_l("Every reviewer has already initialled this document."), 409)
    if row.langkah_no is not None and row.langkah_no != langkah_no:
        raise NaskahError(_l("This document is initialled at step %(no)d of its case.", no=row.langkah_no), 409)
    if row.langkah_no is None and (row.pegawai_id is None or row.pegawai_id != getattr(user, "pegawai_id", None)):
        raise NaskahError(_l("It is not your turn to initial this document."), 403)
    problems = readiness_errors(naskah)
    if problems:
        raise NaskahError(_l("The document is not complete: %(items)s.", items=", ".join(problems)), 422)
    claim(naskah, NaskahError, seen_versi)
    row.paraf_at = utcnow()
    row.paraf_oleh = _who(user)[:200]
    naskah.paraf_ke += 1
    done = naskah.paraf_ke >= len(naskah.pemeriksa)
    naskah.status = StatusNaskah.DIPARAF.value if done else StatusNaskah.KONSEP.value
    _log(naskah, "paraf", user)


def kembalikan(naskah: NaskahDinas, user, catatan: str, langkah_no: int | None = None,
               ke_langkah: int | None = None, seen_versi: int | None = None) -> None:  # fmt: skip
    """A reviewer (or the signer) sends the draft back with a note: to its drafter, or in an SOP to the
    step the case returns to (`ke_langkah`); the chain restarts from there."""
    catatan = (catatan or "").strip()
    if not catatan:
        raise NaskahError(_l("Write a note saying what must be corrected."), 422)
    if naskah.status not in (*EDITABLE, StatusNaskah.DIPARAF.value):
        raise NaskahError(_l("This document can no longer be returned."), 409)
    if langkah_no is None:
        row = naskah.pemeriksa_berikut
        is_reviewer = row is not None and row.langkah_no is None and row.pegawai_id == getattr(user, "pegawai_id", 0)
        is_signer = naskah.penandatangan_id is not None and naskah.penandatangan_id == getattr(user, "pegawai_id", 0)
        if not (is_reviewer or is_signer):
            raise NaskahError(_l("Only the next reviewer or the signer can return this document."), 403)
    claim(naskah, NaskahError, seen_versi)
    restart = next((i for i, row in enumerate(naskah.pemeriksa) if ke_langkah and row.langkah_no == ke_langkah), 0)
    for row in naskah.pemeriksa[restart:]:
        row.paraf_at = None
        row.paraf_oleh = ""
    naskah.paraf_ke = restart
    naskah.status = StatusNaskah.DIKEMBALIKAN.value
    naskah.catatan_kembali = catatan
    _log(naskah, "kembali", user, catatan)


def add_reviewer(naskah: NaskahDinas, user, pegawai_id: int | None, seen_versi: int | None = None) -> None:
    """Append a civil servant to a hand-made chain (before anyone has initialled)."""
    if naskah.status != StatusNaskah.KONSEP.value or naskah.paraf_ke:
        raise NaskahError(_l("Reviewers can only be added to a draft nobody has initialled yet."), 409)
    if any(row.langkah_no is not None for row in naskah.pemeriksa):
        raise NaskahError(_l("The review chain of this document is set by its SOP."), 409)
    pegawai = db.session.get(Pegawai, pegawai_id) if pegawai_id else None
    if pegawai is None or pegawai.unit_kerja.instansi_id != naskah.instansi_id:
        raise NaskahError(_l("Choose a civil servant of this agency."), 422)
    if any(row.pegawai_id == pegawai.id for row in naskah.pemeriksa):
        raise NaskahError(_l("%(name)s is already in the chain.", name=pegawai.nama_lengkap), 422)
    claim(naskah, NaskahError, seen_versi)
    naskah.pemeriksa.append(NaskahPemeriksa(urutan=len(naskah.pemeriksa) + 1, pegawai=pegawai,
                                            peran=str(pegawai.jabatan or "")[:120]))  # fmt: skip
    _log(naskah, "pemeriksa", user, pegawai.nama_lengkap)


def verification_url(token: str) -> str:
    base = (current_app.config.get("PENKOM_URL_PUBLIK") or "").rstrip("/")
    if base:
        return f"{base}/verifikasi/{token}"
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for("VerifikasiView.halaman", token=token, _external=True)
    raise NaskahError(_l("Set PENKOM_URL_PUBLIK so that signed documents can carry their verification address."), 500)


def sign(naskah: NaskahDinas, user, via_case: bool = False, seen_versi: int | None = None) -> None:
    """Only the designated signer; assigns the number, renders the final PDF once and freezes it.
    A document drafted by an SOP step is signed by completing the SOP's signing step (via_case)."""
    if naskah.status in FINAL:
        raise NaskahError(_l("This document is already signed."), 409)
    if naskah.langkah_no is not None and not via_case:
        raise NaskahError(_l("This document is signed by completing the signing step of its case."), 409)
    no_chain = naskah.status == StatusNaskah.KONSEP.value and not naskah.pemeriksa
    if naskah.status != StatusNaskah.DIPARAF.value and not no_chain:
        raise NaskahError(_l("Every reviewer must initial the document before it is signed."), 409)
    if naskah.penandatangan_id is None or naskah.penandatangan_id != getattr(user, "pegawai_id", None):
        signer = naskah.penandatangan.nama_lengkap if naskah.penandatangan else "-"
        raise NaskahError(_l("Only the designated signer (%(name)s) can sign this document.", name=signer), 403)
    problems = readiness_errors(naskah)
    if naskah.instansi.nomor_eoffice and not naskah.nomor_eoffice:
        problems.append(str(_l("the number from the national e-office (SRIKANDI) is not recorded")))
    if problems:
        raise NaskahError(_l("The document is not complete: %(items)s.", items=", ".join(problems)), 422)
    penanda = signer_of(naskah.instansi)
    claim(naskah, NaskahError, seen_versi)  # before the number is taken: a second click takes none
    today = local_today()
    if naskah.instansi.nomor_eoffice:
        naskah.nomor = naskah.nomor_eoffice  # the e-office's number; Penkom takes none of its own
    else:
        pola, lebar, kunci = penomoran.pattern_for(naskah)
        urut = penomoran.next_number(naskah.instansi_id, kunci, today.year)
        naskah.nomor_urut = urut
        naskah.nomor = penomoran.format_number(naskah, pola, lebar, urut, today)[:120]
    naskah.tanggal = today
    naskah.token = secrets.token_urlsafe(24)
    try:
        data = render(naskah, final=True, sertifikat=penanda.sertifikat if penanda else None)
    except PdfError as exc:
        raise NaskahError(_l("The document could not be rendered as PDF."), 500) from exc
    if penanda is not None:  # the QR is drawn; the signature covers these final bytes, and the hash the signed file
        data = penanda.tandatangani(data, alasan=f"Penandatanganan naskah dinas nomor {naskah.nomor}",
                                    lokasi=naskah.kota or naskah.instansi.kota or "")  # fmt: skip
    naskah.pdf = data
    naskah.sha256 = hashlib.sha256(data).hexdigest()
    naskah.status = StatusNaskah.DITANDATANGANI.value
    naskah.ditandatangani_at = utcnow()
    naskah.ditandatangani_oleh_id = user.id
    _log(naskah, "tanda_tangan", user, naskah.nomor)


def signer_of(instansi: Instansi) -> tte.Penanda | None:
    """The agency's certificate signer (None: it has none, its documents carry QR and hash only)."""
    try:
        return tte.penanda_for(instansi)
    except (tte.TteError, OSError) as exc:
        current_app.logger.error("The signing certificate of %s cannot be used: %s", instansi.kode, exc)
        raise NaskahError(
            _l(
                "The electronic signature certificate of %(instansi)s cannot be used (unreadable, wrong "
                "passphrase or expired); ask the administrator.",
                instansi=instansi.nama,
            ),
            500,
        ) from exc


def may_record_number(naskah: NaskahDinas, user) -> bool:
    """The e-office number is typed in before signing, by the signer or by whoever may edit the draft
    (for an SOP document: the holder of the case's current step)."""
    from app.workflow.engine import may_act

    if not naskah.instansi.nomor_eoffice or naskah.status not in (*EDITABLE, StatusNaskah.DIPARAF.value):
        return False
    if naskah.penandatangan_id is not None and naskah.penandatangan_id == getattr(user, "pegawai_id", None):
        return True
    kasus = naskah.kasus
    if kasus is not None and kasus.status == "berjalan" and naskah.langkah_no is not None:
        return may_act(user, kasus.langkah)
    return True


def nomor_eoffice_error(naskah: NaskahDinas, nomor: str) -> str | None:
    if not nomor:
        return str(_l("Type the number the letter got in the national e-office."))
    if len(nomor) > 120 or not NOMOR_EOFFICE.fullmatch(nomor):
        return str(_l("A letter number has at most 120 letters, digits, spaces and . / - _ ( ), e.g. "
                      "B-123/BKPSDM/KP.07.6/04/2026."))  # fmt: skip
    taken = db.session.execute(
        select(NaskahDinas.id).where(NaskahDinas.id != naskah.id,
                                     (NaskahDinas.nomor == nomor) | (NaskahDinas.nomor_eoffice == nomor))
    ).first()  # fmt: skip
    if taken is not None:
        return str(_l("This number is already used by another document."))
    return None


def catat_nomor_eoffice(naskah: NaskahDinas, user, nomor: str, seen_versi: int | None = None) -> None:
    """Record the number the national e-office gave this letter; the signed PDF prints it."""
    if not naskah.instansi.nomor_eoffice:
        raise NaskahError(_l("This agency numbers its letters in Penkom."), 409)
    if not may_record_number(naskah, user):
        raise NaskahError(_l("The e-office number can only be recorded before signing, by the signer or the drafter."),
                          409 if naskah.status in FINAL else 403)  # fmt: skip
    nomor = " ".join(str(nomor or "").split())
    error = nomor_eoffice_error(naskah, nomor)
    if error:
        raise NaskahError(error, 422)
    claim(naskah, NaskahError, seen_versi)
    naskah.nomor_eoffice = nomor
    _log(naskah, "nomor_eoffice", user, nomor)


def kirim(naskah: NaskahDinas, user, seen_versi: int | None = None) -> None:
    if naskah.status != StatusNaskah.DITANDATANGANI.value:
        raise NaskahError(_l("Only a signed document can be marked as sent."), 409)
    claim(naskah, NaskahError, seen_versi)
    naskah.status = StatusNaskah.DIKIRIM.value
    _log(naskah, "kirim", user)


def batal(naskah: NaskahDinas, user, seen_versi: int | None = None) -> None:
    if naskah.status in FINAL:
        raise NaskahError(_l("A signed document cannot be cancelled; make a new document."), 409)
    if naskah.status == StatusNaskah.BATAL.value:
        raise NaskahError(_l("This document is already cancelled."), 409)
    claim(naskah, NaskahError, seen_versi)
    naskah.status = StatusNaskah.BATAL.value
    _log(naskah, "batal", user)


# -- rendering -------------------------------------------------------------------------------------


def qr_data_uri(url: str) -> str:
    import segno  # with the PDF libraries: loaded on the first render (app/documents/pdf.py)

    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paragraphs(text: str | None) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay inside a paragraph."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def blocks(text: str | None) -> list[dict]:
    """Paragraphs, and tables written as lines that start with "|" (the first line is the header)."""
    result = []
    for block in paragraphs(text):
        rows = block.split("\n")
        if all(row.strip().startswith("|") for row in rows):
            cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
            result.append({"tabel": True, "kepala": cells[0], "baris": cells[1:]})
        else:
            result.append({"tabel": False, "teks": block})
    return result


def letter_context(naskah: NaskahDinas, final: bool = False, sertifikat: tte.Sertifikat | None = None) -> dict:
    """What the letter template prints: the final form (number, date, QR, the certificate that will sign
    it) or a draft."""
    url = verification_url(naskah.token) if final else ""
    tanggal = naskah.tanggal if final else None
    if final:
        nomor = naskah.nomor
    elif naskah.instansi.nomor_eoffice:
        nomor = naskah.nomor_eoffice or "(nomor dari e-office)"
    else:
        pola, lebar, _kunci = penomoran.pattern_for(naskah)
        nomor = penomoran.format_number(naskah, pola, lebar, None, local_today())
    return dict(
        n=naskah, instansi=naskah.instansi, final=final, nomor=nomor, tanggal=tanggal,
        judul=JUDUL.get(naskah.jenis), ukuran=KERTAS.get(naskah.kertas, "a4"), kepada=lines(naskah.kepada),
        tembusan=lines(naskah.tembusan), isi=blocks(naskah.isi), penutup=blocks(naskah.isi_penutup),
        daftar=naskah.daftar or [], penandatangan=naskah.penandatangan, verifikasi_url=url,
        qr=qr_data_uri(url) if final else "", sertifikat=sertifikat,
    )  # fmt: skip


def render(naskah: NaskahDinas, final: bool = False, sertifikat: tte.Sertifikat | None = None) -> bytes:
    """The document as PDF: the final form (number, date, QR) or a draft marked DRAF."""
    from pypdf import PdfReader

    context = letter_context(naskah, final, sertifikat)
    data = render_pdf("pdf/naskah.html", halaman=False, **context)
    # Page numbers cost a second layout pass, so only documents longer than a page get them.
    if len(PdfReader(io.BytesIO(data)).pages) > 1:
        data = render_pdf("pdf/naskah.html", halaman=True, **context)
    return data


def pdf_bytes(naskah: NaskahDinas) -> bytes:
    """What a download gives: the stored bytes once signed, a fresh draft rendering before."""
    return naskah.pdf if naskah.status in FINAL else render(naskah, final=False)


def filename(naskah: NaskahDinas) -> str:
    base = naskah.nomor or f"draf-{naskah.id}"
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in base) + ".pdf"


def verify(token: str) -> NaskahDinas | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        select(NaskahDinas).where(NaskahDinas.token == token, NaskahDinas.status.in_(FINAL))
    ).scalar()


def issuer_name() -> str:
    """Who issues the documents verified here, for the page shown for an unknown code:
    PENKOM_NAMA_PENERBIT, else the only agency's name, else a generic wording."""
    configured = (current_app.config.get("PENKOM_NAMA_PENERBIT") or "").strip()
    if configured:
        return configured
    names = db.session.execute(select(Instansi.nama).order_by(Instansi.id).limit(2)).scalars().all()
    return names[0] if len(names) == 1 else str(_l("the agency that runs this Penkom"))


def matches(naskah: NaskahDinas, data: bytes) -> bool:
    return secrets.compare_digest(hashlib.sha256(data).hexdigest(), naskah.sha256 or "")


def signature_check(data: bytes | None) -> tte.Pemeriksaan:
    """pyHanko's offline check of the PDF's embedded signature (none when the agency had no certificate)."""
    return tte.periksa(data or b"")
