"""REST API under /api/v1/: SOPs and cases, with the same scope and checks as the screens."""

from __future__ import annotations

import datetime as dt

from flask import g, request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Kasus, Langkah, NaskahDinas, Sop
from app.rest import ScopedRestApi
from app.workflow import engine


class SopApi(ScopedRestApi):
    resource_name = "sop"
    datamodel = SQLAInterface(Sop)
    reads = ("pdf",)
    list_columns = ["id", "kode", "revisi", "berlaku", "nama", "nomor", "unit_kerja.kode"]
    show_columns = ["id", "kode", "revisi", "berlaku", "nama", "nomor", "jenis", "unit_kerja.kode", "instansi.kode",
                    "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "pengesah_jabatan", "pengesah_nama",
                    "pengesah_nip"]  # fmt: skip
    search_columns = ["nama", "nomor", "berlaku"]
    openapi_spec_tag = "SOP"

    def pre_get(self, data):
        sop = db.session.get(Sop, data["id"])
        data["result"]["pelaksana"] = [
            {"kode": p.kode, "nama": p.nama, "role": p.role.name, "urutan": p.urutan} for p in sop.pelaksana
        ]
        data["result"]["langkah"] = [
            {
                "no": s.no, "nomor": s.nomor_tampil, "kegiatan": s.kegiatan, "simbol": s.simbol,
                "pelaksana": s.pelaksana.nama, "pelaksana_lain": [p.nama for p in s.aktor[1:]],
                "bersama": s.bersama or "", "waktu": s.waktu, "kelengkapan": s.kelengkapan, "output": s.output,
                "transitions": [t.as_dict() for t in engine.step_transitions(s)],
            }
            for s in sop.langkah
        ]  # fmt: skip

    @expose("/<int:pk>/pdf", methods=["GET"])
    @protect()
    @safe
    def pdf(self, pk):
        """The official SOP document as PDF.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema:
              type: integer
          responses:
            200:
              description: PDF document
              content:
                application/pdf: {}
            404:
              $ref: '#/components/responses/404'
        """
        from app.documents.sop_pdf import sop_pdf_response

        sop = self.datamodel.get(pk, self._base_filters)
        if sop is None:
            return self.response_404()
        return sop_pdf_response(sop)


def _langkah_numbers(ids: list[int]) -> dict[int, int | None]:
    rows = db.session.execute(
        select(Kasus.id, Langkah.no).outerjoin(Langkah, Kasus.langkah_id == Langkah.id).where(Kasus.id.in_(ids))
    ).all()
    return dict(rows)


class KasusApi(ScopedRestApi):
    resource_name = "kasus"
    datamodel = SQLAInterface(Kasus)
    reads = ("transitions",)
    writes = {"respond": "post", "start": "post", "transition": "post"}
    list_columns = ["id", "sop_id", "judul", "status", "due_at", "masuk_at", "unit_kerja.kode"]
    show_columns = ["id", "sop_id", "judul", "status", "due_at", "masuk_at", "tanggal_kegiatan", "unit_kerja.kode",
                    "dibuat_at", "selesai_at", "versi"]  # fmt: skip
    search_columns = ["judul", "status", "sop"]
    openapi_spec_tag = "Kasus"

    def pre_get(self, data):
        data["result"]["langkah_no"] = _langkah_numbers([data["id"]]).get(data["id"])

    def pre_get_list(self, data):
        numbers = _langkah_numbers(data.get("ids", []))
        for pk, row in zip(data.get("ids", []), data["result"], strict=False):
            row["langkah_no"] = numbers.get(pk)

    def _case_json(self, kasus: Kasus, status: int = 200):
        return self.response(
            status,
            id=kasus.id,
            result={
                "id": kasus.id, "sop_id": kasus.sop_id, "judul": kasus.judul, "status": kasus.status,
                "langkah_no": kasus.langkah_no,
                "due_at": kasus.due_at.isoformat() if kasus.due_at else None, "versi": kasus.versi,
            },
        )  # fmt: skip

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def start(self):
        """Start a case on an SOP.
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    sop_id: {type: integer}
                    judul: {type: string}
                    tanggal_kegiatan: {type: string, format: date}
          responses:
            201:
              description: The case
            400:
              $ref: '#/components/responses/400'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        body = request.get_json(silent=True) or {}
        if not isinstance(body.get("sop_id"), int):
            return self.response_400(message=_("sop_id (a number) is required."))
        tanggal = None
        if body.get("tanggal_kegiatan"):
            try:
                tanggal = dt.date.fromisoformat(str(body["tanggal_kegiatan"]))
            except ValueError:
                return self.response_400(message=_("tanggal_kegiatan must be a date (YYYY-MM-DD)."))
        try:
            kasus = engine.start_case(body["sop_id"], str(body.get("judul") or ""), g.user, tanggal)
        except engine.TransitionError as exc:
            return self.response(exc.status, message=str(exc))
        return self._case_json(kasus, 201)

    @expose("/<int:pk>/transitions", methods=["GET"])
    @protect()
    @safe
    def transitions(self, pk):
        """The transitions open to the caller on a case now.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: Transitions
            404:
              $ref: '#/components/responses/404'
        """
        kasus = engine.scoped_case(pk, g.user)
        if kasus is None:
            return self.response_404()
        return self.response(200, result=[t.as_dict() for t in engine.open_transitions(kasus, g.user)])

    @expose("/<int:pk>/transitions", methods=["POST"])
    @protect()
    @safe
    def transition(self, pk):
        """Perform one transition on a case, as seen at version `versi`.
        `versi` is required: the case version the client saw (returned by GET /api/v1/kasus/<id> and
        by every transition response). A repeated or late request carries an old version and is
        refused with 409 instead of moving the case again.
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [transition, versi]
                  properties:
                    transition: {type: string, description: "id from GET /api/v1/kasus/<id>/transitions"}
                    comment: {type: string}
                    versi: {type: integer, description: "the case version you saw (field versi of the case)"}
                    konfirmasi:
                      type: boolean
                      description: true to initial or sign (transitions whose confirm is set)
          responses:
            200:
              description: The case after the transition, with its new versi
            400:
              description: versi is missing or not a whole number
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The case has changed since that versi (moved by someone else, or this request was repeated)
            422:
              $ref: '#/components/responses/422'
            428:
              description: The transition initials or signs documents and was not confirmed
        """
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        versi = body.get("versi")
        if not isinstance(versi, int) or isinstance(versi, bool):
            return self.response_400(message=_("versi (the case version you saw, a whole number) is required: "
                                               "read it from GET /api/v1/kasus/%(id)d.", id=pk))  # fmt: skip
        try:
            kasus = engine.perform(pk, str(body.get("transition") or ""), g.user, str(body.get("comment") or ""), versi,
                                   confirmed=body.get("konfirmasi") is True)  # fmt: skip
        except engine.TransitionError as exc:
            return self.response(exc.status, message=str(exc))
        return self._case_json(kasus)

    @expose("/<int:pk>/tanggapan", methods=["POST"])
    @protect()
    @safe
    def respond(self, pk):
        """An actor of the current step comments, or a co-actor records their part done.
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    jenis: {type: string, enum: [komentar, bagian]}
                    komentar: {type: string}
          responses:
            201:
              description: Recorded
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The part is already recorded, or the case is no longer running
            422:
              $ref: '#/components/responses/422'
        """
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        try:
            rows = engine.respond(pk, g.user, str(body.get("jenis") or ""), str(body.get("komentar") or ""))
        except engine.TransitionError as exc:
            return self.response(exc.status, message=str(exc))
        return self.response(201, result=[{"id": r.id, "jenis": r.jenis, "pelaksana": r.pelaksana.nama} for r in rows])


class NaskahApi(ScopedRestApi):
    """Official documents: list and show (with the verification address), the PDF, and edits of drafts."""

    resource_name = "naskah"
    datamodel = SQLAInterface(NaskahDinas)
    reads = ("pdf",)
    writes = {"put": "put"}
    list_columns = ["id", "kasus_id", "jenis", "nomor", "status", "perihal", "tanggal", "unit_kerja.kode", "token"]
    show_columns = ["id", "kasus_id", "jenis", "nomor", "status", "perihal", "tanggal", "sifat", "kode_klasifikasi",
                    "lampiran", "kepada", "isi", "isi_penutup", "tembusan", "kertas", "kota", "penandatangan_id",
                    "jabatan_penandatangan", "atas_nama", "jabatan_atas_nama", "sha256", "unit_kerja.kode",
                    "catatan_kembali", "token"]  # fmt: skip
    search_columns = ["nomor", "perihal", "jenis", "status", "kasus"]
    openapi_spec_tag = "Naskah"

    @staticmethod
    def _with_url(row: dict) -> dict:
        from app.documents import naskah as svc

        token = row.pop("token", None)
        row["verifikasi_url"] = svc.verification_url(token) if token else None
        return row

    def pre_get(self, data):
        self._with_url(data["result"])

    def pre_get_list(self, data):
        for row in data["result"]:
            self._with_url(row)

    @expose("/<int:pk>/pdf", methods=["GET"])
    @protect()
    @safe
    def pdf(self, pk):
        """The document as PDF: the stored signed file, or a draft marked DRAF.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: PDF document
              content:
                application/pdf: {}
            404:
              $ref: '#/components/responses/404'
        """
        from app.documents import naskah as svc
        from app.documents.pdf import pdf_response

        item = svc.scoped_naskah(pk, g.user)
        if item is None:
            return self.response_404()
        return pdf_response(svc.pdf_bytes(item), svc.filename(item))

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    def put(self, pk):
        """Change a draft; a signed document is refused (409). Send only the fields to change
        (app.documents.naskah.EDITABLE_FIELDS).
        ---
        put:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    perihal: {type: string}
                    sifat: {type: string}
                    kode_klasifikasi: {type: string}
                    lampiran: {type: string}
                    kepada: {type: string}
                    isi: {type: string}
                    isi_penutup: {type: string}
                    tembusan: {type: string}
                    kota: {type: string}
                    kertas: {type: string}
                    penandatangan_id: {type: integer, nullable: true}
                    jabatan_penandatangan: {type: string}
                    atas_nama: {type: string}
                    jabatan_atas_nama: {type: string}
          responses:
            200:
              description: The document after the change
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: Signed documents cannot be changed
            422:
              $ref: '#/components/responses/422'
        """
        from app.documents import naskah as svc

        item = svc.scoped_naskah(pk, g.user)
        if item is None:
            return self.response_404()
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not body:
            return self.response_400(message=_("Send the fields to change as a JSON object."))
        try:
            svc.update(item, g.user, body)
            db.session.commit()
        except svc.NaskahError as exc:
            db.session.rollback()
            return self.response(exc.status, message=str(exc))
        return self.response(200, id=item.id, result={"id": item.id, "status": item.status, "perihal": item.perihal})
