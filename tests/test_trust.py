"""Issue 8 "Trust": the findings of the outside security sweep, each shown fixed as a user or an attacker
would see it — security headers, control characters, replayed transitions, logo uploads, empty number
parts, bidi tricks in letters, error pages and a chart that needs no internet."""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.documents import naskah as svc
from app.extensions import db
from app.models import Instansi, Kasus, KasusRiwayat, NaskahDinas, NomorUrut, TemplateNaskah
from tests.conftest import PASSWORD, as_user, case, link_pegawai, login, make_app, start, uniq

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else "" for part in policy.split("; ")}


def external_urls(html: str) -> list[str]:
    """Every absolute http(s) URL in a page that points somewhere other than this server."""
    return [u for u in re.findall(r"""https?://[^\s"'<>)]+""", html) if not re.match(r"https?://localhost[/:]", u)]


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trust_app(tmp_path_factory):
    """An app as production runs it (exceptions become 500 pages), with logos in a folder of its own,
    a tight limit on the verification page and a small upload limit."""
    uploads = tmp_path_factory.mktemp("logo")
    app = make_app(
        "trust", PROPAGATE_EXCEPTIONS=False, IMG_UPLOAD_FOLDER=str(uploads), PENKOM_VERIFIKASI_LIMIT="3 per minute",
        MAX_CONTENT_LENGTH=3 * 1024 * 1024, PENKOM_NAMA_PENERBIT="BKPSDM Kabupaten Uji",
    )  # fmt: skip

    def rusak():
        raise RuntimeError("rahasia: SELECT * FROM ab_user")

    app.add_url_rule("/uji/rusak", "uji_rusak", rusak)
    app.add_url_rule("/api/v1/uji/rusak", "uji_api_rusak", rusak)
    return app


@pytest.fixture
def trust_client(trust_app):
    with trust_app.app_context():
        yield trust_app.test_client()
        db.session.rollback()


@pytest.fixture
def letter(app, ctx, create_unit, create_user, create_pegawai):
    """A draft letter of a new agency, its drafter (Operator) and its signer (a user who is a civil servant)."""

    def factory(**values):
        unit = create_unit(kode=uniq("BKPSDM"))
        unit.instansi.kode_surat = uniq("BKPSDM")  # numbers are unique across agencies
        signer = link_pegawai(create_user(["Pejabat"], unit), create_pegawai(unit, nama=uniq("Kepala Badan ")))
        drafter = create_user(["Operator"], unit)
        query = select(TemplateNaskah).where(TemplateNaskah.kode == "surat_penolakan")
        template = db.session.execute(query).scalar_one()
        naskah = svc.create_draft(template, drafter, unit, None, None, signer.pegawai)
        naskah.kepada = "Kepala BKPSDM Kabupaten Tegal"
        for key, value in values.items():
            setattr(naskah, key, value)
        db.session.commit()
        return naskah, drafter, signer

    return factory


def sign(app, naskah, signer):
    with app.test_request_context():
        svc.sign(db.session.get(NaskahDinas, naskah.id), db.session.get(type(signer), signer.id))
        db.session.commit()
    db.session.expire_all()
    return db.session.get(NaskahDinas, naskah.id)


# -- finding 4: security headers ------------------------------------------------------------------------


def assert_security_headers(response, https: bool = False):
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    script = policy["script-src"].split()
    assert script[0] == "'self'" and len(script) == 2 and re.fullmatch(r"'nonce-[A-Za-z0-9_-]{20,}'", script[1])
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["img-src"] == "'self' data:"
    assert policy["font-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert ("Strict-Transport-Security" in response.headers) is https


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def assert_scripts_carry_the_nonce(response):
    """Every script on the page runs under the CSP: it carries this response's nonce; no inline handler."""
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce_of(response)}"' in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I)
    assert "javascript:" not in html.lower()


def test_finding_4_security_headers_on_pages_api_pdf_and_verification(app, client, letter):
    naskah, drafter, signer = letter()
    naskah = sign(app, naskah, signer)
    login_page = client.get("/login/")
    assert_security_headers(login_page)
    assert_scripts_carry_the_nonce(login_page)
    assert "Secure" not in "".join(login_page.headers.getlist("Set-Cookie"))  # plain http: no Secure cookie
    login(client, signer.username)
    pages = {
        "list": client.get("/naskahdinasview/list/"),
        "show": client.get(f"/naskahdinasview/show/{naskah.id}"),
        "api": client.get(f"/api/v1/naskah/{naskah.id}"),
        "pdf": client.get(f"/naskahdinasview/pdf/{naskah.id}"),
        "api pdf": client.get(f"/api/v1/naskah/{naskah.id}/pdf"),
    }
    client.get("/logout/")
    pages["verification"] = client.get(f"/verifikasi/{naskah.token}")
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_security_headers(response)
    assert pages["api"].is_json and pages["pdf"].mimetype == "application/pdf"
    for name in ("list", "show", "verification"):
        assert_scripts_carry_the_nonce(pages[name])
    # A fresh nonce for every response.
    assert nonce_of(pages["list"]) != nonce_of(pages["show"])


def test_finding_4_https_settings_only_with_penkom_https(app):
    secure = make_app("https", PENKOM_HTTPS=True)
    client = secure.test_client()
    plain = client.get("/login/")
    assert plain.status_code == 302 and plain.headers["Location"].startswith("https://localhost/login/")
    page = client.get("/login/", base_url="https://localhost")
    assert page.status_code == 200
    assert_security_headers(page, https=True)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie
    # Without PENKOM_HTTPS nothing forces https (the main test app runs on plain http).
    assert app.test_client().get("/login/").status_code == 200


def test_finding_4_swagger_ui_and_the_case_page_run_under_the_csp(app, client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    for url in ("/swagger/v1", f"/kasusview/show/{kasus_id}", "/kasusview/list/", "/kasusview/add",
                f"/sopview/show/{sop.id}"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert_scripts_carry_the_nonce(response)
        assert external_urls(response.get_data(as_text=True)) == [], url
    assert "swagger-ui-bundle.js" in client.get("/swagger/v1").get_data(as_text=True)  # served from here


# -- finding 5: control characters ------------------------------------------------------------------------


def assert_refused_page(response):
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "karakter kendali" in html and "U+0000" in html
    assert 'id="halaman-galat"' in html and "penkom.css" in html  # inside the app's layout
    assert_security_headers(response)


def assert_refused_json(response, code="U+0000"):
    assert response.status_code == 400 and response.is_json
    assert "karakter kendali" in response.json["message"] and code in response.json["message"]


def test_finding_5_nul_byte_in_case_title_is_refused_without_5xx(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    before = db.session.execute(select(func.count(Kasus.id))).scalar_one()
    assert_refused_page(client.post("/kasusview/add", data={"sop": sop.id, "judul": "Permohonan\x00uji"}))
    assert_refused_json(client.post("/api/v1/kasus/", json={"sop_id": sop.id, "judul": "Permohonan\x00uji"}))
    assert_refused_json(client.post("/api/v1/kasus/", json={"sop_id": sop.id, "jud\x00ul": "x"}))
    assert db.session.execute(select(func.count(Kasus.id))).scalar_one() == before
    # Other C0 controls are refused too; TAB, LF and CR are ordinary text.
    escape = client.post("/kasusview/add", data={"sop": sop.id, "judul": "Judul \x1b[31m merah"})
    assert escape.status_code == 400 and "U+001B" in escape.get_data(as_text=True)
    kasus_id = start(client, sop, "Baris satu\r\nbaris\tdua")
    assert case(kasus_id).judul == "Baris satu\r\nbaris\tdua"


def test_finding_5_nul_byte_in_comment_filter_and_letter_is_refused_without_5xx(client, form_sop, letter):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    versi = case(kasus_id).versi
    assert_refused_page(client.post(f"/kasusview/transisi/{kasus_id}",
                                    data={"transition": "lanjut", "comment": "ok\x00", "versi": versi}))  # fmt: skip
    assert_refused_json(client.post(f"/api/v1/kasus/{kasus_id}/transitions",
                                    json={"transition": "lanjut", "comment": "ok\x00", "versi": versi}))  # fmt: skip
    assert case(kasus_id).versi == versi and case(kasus_id).langkah_no == 1
    assert_refused_page(client.get("/kasusview/list/?_flt_0_judul=a%00b"))
    assert_refused_json(client.get("/api/v1/kasus/?q=(filters:!((col:judul,opr:ct,value:'a%00b')))"))
    assert_refused_page(client.get("/verifikasi/abc%00def"))

    naskah, drafter, _signer = letter()
    as_user(client, drafter)
    from tests.conftest import draft_form

    assert_refused_page(client.post(f"/naskahdinasview/edit/{naskah.id}", data=draft_form(naskah, isi="Isi\x00")))
    assert_refused_json(client.put(f"/api/v1/naskah/{naskah.id}", json={"perihal": "Hal\x00"}))
    surrogate = client.put(f"/api/v1/naskah/{naskah.id}", data='{"perihal": "Hal \\ud800"}',
                           content_type="application/json")  # fmt: skip
    assert_refused_json(surrogate, "U+D800")
    db.session.expire_all()
    assert db.session.get(NaskahDinas, naskah.id).perihal == naskah.perihal
    # An uploaded file's contents are not text: NUL bytes in a PDF are fine.
    as_user(client, users["pemohon"])
    pdf = (io.BytesIO(b"%PDF-1.4\x00\x01\x02"), "a.pdf")
    upload = client.post(f"/kasusview/lampiran/{kasus_id}", data={"jenis": "dokumen_lainnya", "berkas": pdf},
                         content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 302
    assert [lamp.isi for lamp in case(kasus_id).lampiran] == [b"%PDF-1.4\x00\x01\x02"]


# -- finding 7: replayed API transitions -------------------------------------------------------------------


def test_finding_7_api_transition_needs_versi_and_twenty_replays_move_once(app, form_sop, create_user):
    sop, users = form_sop
    # One person holds the roles of steps 1 and 2: without versi, a replay moved the case twice.
    both = create_user([users["pemohon"].roles[0].name, users["verifikator"].roles[0].name], sop.unit_kerja)
    client = app.test_client()
    login(client, both.username)
    created = client.post("/api/v1/kasus/", json={"sop_id": sop.id, "judul": "Replay"})
    kasus_id = created.json["result"]["id"]
    url = f"/api/v1/kasus/{kasus_id}/transitions"
    for body in ({"transition": "lanjut"}, {"transition": "lanjut", "versi": "1"},
                 {"transition": "lanjut", "versi": True}, {"transition": "lanjut", "versi": None}):  # fmt: skip
        refused = client.post(url, json=body)
        assert refused.status_code == 400 and "versi" in refused.json["message"]
        # Missing: the view says it is required; of another type: the API's input check names its type.
        assert "wajib" in refused.json["message"] or "harus berupa bilangan bulat" in refused.json["message"]
    versi = client.get(f"/api/v1/kasus/{kasus_id}").json["result"]["versi"]
    assert versi == created.json["result"]["versi"]
    codes = [client.post(url, json={"transition": "lanjut", "versi": versi}).status_code for _ in range(20)]
    assert codes == [200] + [409] * 19
    rows = db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id)).scalars().all()
    assert [(r.dari_no, r.ke_no) for r in rows] == [(1, 2)]
    # The transition response carries the new version for the next call.
    assert case(kasus_id).versi == versi + 1
    moved = client.post(url, json={"transition": "ya", "versi": versi + 1})
    assert moved.status_code == 200 and moved.json["result"]["versi"] == versi + 2


def test_finding_7_html_transition_needs_versi(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    refused = client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "lanjut"})
    assert refused.status_code == 400 and "versi kasus" in refused.get_data(as_text=True)
    assert case(kasus_id).langkah_no == 1


def test_finding_7_openapi_and_readme_document_versi(app, client, create_user, create_unit):
    login(client, create_user(["Admin"], create_unit()).username)
    spec = client.get("/api/v1/_openapi").json
    post = spec["paths"]["/api/v1/kasus/{pk}/transitions"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert "versi" in body["required"] and body["properties"]["versi"]["type"] == "integer"
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert re.search(r"POST /api/v1/kasus/<id>/transitions`.*\"versi\"", readme)


# -- finding 8: logo upload --------------------------------------------------------------------------------


def image_bytes(fmt="PNG", size=(120, 80), color=(0, 90, 160), noise=False) -> bytes:
    out = io.BytesIO()
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, color)
    image.save(out, fmt)
    return out.getvalue()


def instansi_form(item, **files) -> dict:
    return {"kode": item.kode, "nama": item.nama, "kop": item.kop, "alamat": "", "kota": "", "telepon": "",
            "email": "", "website": "", "kode_surat": "", **files}  # fmt: skip


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>" for p in folder.rglob("*")}


def test_finding_8_logo_upload_refuses_non_images_and_keeps_the_old_logo(trust_app, trust_client):
    folder = Path(trust_app.config["IMG_UPLOAD_FOLDER"])
    sm = trust_app.appbuilder.sm
    admin = sm.add_user(uniq("admin"), "A", "B", f"{uniq('a')}@example.test", sm.find_role("Admin"), password=PASSWORD)
    item = Instansi(kode=uniq("LOGO"), nama="Instansi Berlogo", kop="PEMERINTAH UJI")
    db.session.add_all([item])
    db.session.commit()
    login(trust_client, admin.username)
    url = f"/instansiview/edit/{item.id}"

    def post(content: bytes | None, name: str = "", **extra):
        files = {"logo": FileStorage(io.BytesIO(content), name)} if content is not None else {}
        # Encoded here, in memory: the test client would spool a large body to a file it never closes.
        boundary, body = encode_multipart(MultiDict({**instansi_form(item, **extra), **files}))
        return trust_client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")

    assert post(image_bytes(), "Logo Kabupaten.png").status_code == 302
    db.session.expire_all()
    first = db.session.get(Instansi, item.id).logo
    assert re.fullmatch(r"logo-[0-9a-f]{24}\.png", first)  # a generated name, not the client's
    with Image.open(folder / first) as stored:
        assert stored.format == "PNG"
    before = folder_state(folder)

    refused = {
        "not an image": (b"bukan gambar sama sekali", "logo.png"),
        "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg"),
        "gif": (image_bytes("GIF"), "logo.gif"),
        "traversal": (b"GIF89a bukan png", "../../y.png"),
        "truncated": (image_bytes(noise=True)[:2000], "potong.png"),
        "too wide": (image_bytes(size=(5000, 20)), "lebar.png"),
        "too big": (image_bytes("BMP", size=(1000, 1000))[:54] + b"\x00" * (2 * 1024 * 1024), "besar.png"),
    }
    messages = {
        "not an image": "harus berupa gambar PNG atau JPEG",
        "svg": "harus berupa gambar PNG atau JPEG",
        "gif": "harus berupa gambar PNG atau JPEG",
        "traversal": "harus berupa gambar PNG atau JPEG",
        "truncated": "rusak atau tidak lengkap",
        "too wide": "5000 × 20 piksel",
        "too big": "lebih besar dari 2 MB",
    }
    for case_name, (content, name) in refused.items():
        response = post(content, name)
        assert response.status_code == 200, case_name  # the form again, with the message
        assert messages[case_name] in response.get_data(as_text=True), case_name
        db.session.expire_all()
        assert db.session.get(Instansi, item.id).logo == first, case_name
        assert folder_state(folder) == before, case_name  # nothing written, nothing deleted
    assert not (folder.parent / "y.png").exists()

    # A real image with a hostile name is stored under a generated name; the old logo goes after the save.
    assert post(image_bytes("JPEG", color=(200, 30, 30)), "../../y.png").status_code == 302
    db.session.expire_all()
    second = db.session.get(Instansi, item.id).logo
    assert re.fullmatch(r"logo-[0-9a-f]{24}\.jpg", second)
    assert sorted(folder_state(folder)) == [second]  # old file gone, no stray directory
    # Ticking "delete" removes the logo and its file.
    assert post(None, **{"_logo-delete": "on"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Instansi, item.id).logo is None and folder_state(folder) == {}


# -- finding 9: empty parts of a number ---------------------------------------------------------------------


def test_finding_9_letter_without_classification_code_cannot_be_signed_or_initialled(app, client, letter,
                                                                                      create_pegawai):  # fmt: skip
    naskah, drafter, signer = letter(kode_klasifikasi="")
    counters = db.session.execute(select(func.count(NomorUrut.id))).scalar_one()
    as_user(client, signer)
    page = client.post(f"/naskahdinasview/tandatangani/{naskah.id}", follow_redirects=True).get_data(as_text=True)
    assert "kode klasifikasi belum diisi (pilih kode klasifikasi arsip pada naskah ini)" in page
    db.session.expire_all()
    refused = db.session.get(NaskahDinas, naskah.id)
    assert refused.status == "konsep" and refused.nomor is None
    assert db.session.execute(select(func.count(NomorUrut.id))).scalar_one() == counters  # no number taken
    # A reviewer is told the same before initialling.
    reviewer = link_pegawai(drafter, create_pegawai(naskah.unit_kerja))
    as_user(client, reviewer)
    client.post(f"/naskahdinasview/pemeriksa/{naskah.id}", data={"pegawai_id": reviewer.pegawai_id})
    page = client.post(f"/naskahdinasview/paraf/{naskah.id}", follow_redirects=True).get_data(as_text=True)
    assert "kode klasifikasi belum diisi" in page
    db.session.expire_all()
    assert db.session.get(NaskahDinas, naskah.id).paraf_ke == 0
    # Once the code is chosen the letter is initialled and signed with a complete number.
    refused.kode_klasifikasi = "800.1"
    db.session.commit()
    client.post(f"/naskahdinasview/paraf/{naskah.id}")
    as_user(client, signer)
    client.post(f"/naskahdinasview/tandatangani/{naskah.id}")
    db.session.expire_all()
    signed = db.session.get(NaskahDinas, naskah.id)
    assert signed.status == "ditandatangani"
    assert re.fullmatch(rf"800\.1/0001/{signed.instansi.kode_surat}/\d{{4}}", signed.nomor)


# -- finding 10: bidi control characters -------------------------------------------------------------------


def test_finding_10_bidi_override_does_not_reverse_the_fixed_text_of_a_letter(app, letter):
    # Stored directly, as an import or an old row would: the PDF renderer cleans it again.
    naskah, _drafter, signer = letter(perihal=f"Undangan {RLO}Rapat Koordinasi", kepada=f"Kepala BKPSDM{RLO}",
                                      kota=f"Slawi{RLO}")  # fmt: skip
    signed = sign(app, naskah, signer)
    text = pdf_text(signed.pdf)
    assert "Hal : Undangan Rapat Koordinasi" in text
    assert "Kepala BKPSDM di tempat" in text  # "di tempat" is the letter's own wording after the addressee
    assert f"Slawi, {signed.tanggal.day}" in text
    assert "tapmet id" not in text and "isanidrooK" not in text
    assert RLO not in text


def test_finding_10_bidi_characters_are_stripped_at_the_input(client, letter):
    naskah, drafter, _signer = letter()
    as_user(client, drafter)
    from tests.conftest import draft_form

    form = draft_form(naskah, perihal=f"Permohonan {RLO}tenaga\u200b asesor\u2066x\u2069", kota="Kota\u200dBaru")
    assert client.post(f"/naskahdinasview/edit/{naskah.id}", data=form).status_code == 302
    db.session.expire_all()
    saved = db.session.get(NaskahDinas, naskah.id)
    assert saved.perihal == "Permohonan tenaga asesorx"
    assert saved.kota == "Kota\u200dBaru"  # ZWJ stays: it joins letters, it cannot reorder text
    assert client.put(f"/api/v1/naskah/{naskah.id}", json={"perihal": f"Lewat{RLO} API\u200f"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(NaskahDinas, naskah.id).perihal == "Lewat API"
    found = client.get(f"/naskahdinasview/list/?_flt_0_perihal=Lewat{RLO} API").get_data(as_text=True)
    assert f"/naskahdinasview/show/{naskah.id}" in found  # the filter was cleaned the same way


# -- finding 12: error pages ----------------------------------------------------------------------------


def assert_error_page(response, status: int, words: str):
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert f'data-status="{status}"' in html and words in html
    assert "penkom.css" in html and 'class="navbar' in html  # the app's own layout
    assert "Ke halaman utama" in html
    assert "Traceback" not in html and "werkzeug" not in html.lower()
    assert_security_headers(response)


def test_finding_12_error_pages_are_indonesian_inside_the_layout(client, trust_app, trust_client, create_user,
                                                                 create_unit):  # fmt: skip
    assert_error_page(client.get("/tidak/ada/halaman/ini"), 404, "tidak ada")
    assert_error_page(client.get("/kasusview/transisi/1"), 405, "tidak dapat digunakan")
    assert client.get("/kasusview/transisi/1").headers["Allow"]
    assert_error_page(client.post("/kasusview/add", data={"judul": "\x00"}), 400, "karakter kendali")
    login(client, create_user(["Asesor"], create_unit()).username)
    forbidden = client.get("/unitkerjaview/list/", headers={"Referer": "http://localhost/pegawaiview/list/"})
    assert_error_page(forbidden, 403, "tidak memiliki izin")
    assert 'href="http://localhost/pegawaiview/list/"' in forbidden.get_data(as_text=True)  # the way back
    outside = client.get("/unitkerjaview/list/", headers={"Referer": "https://example.com/x"})
    assert "example.com" not in outside.get_data(as_text=True)  # never a link to somewhere else
    client.get("/logout/")

    too_big = trust_client.post("/login/", data={"username": "x", "password": "y" * (4 * 1024 * 1024)})
    assert_error_page(too_big, 413, "paling besar 3 MB")
    visitor = {"REMOTE_ADDR": "10.8.0.1"}
    codes = [trust_client.get("/verifikasi/tidak-ada", environ_base=visitor).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert_error_page(trust_client.get("/verifikasi/tidak-ada", environ_base=visitor), 429, "Tunggu sebentar")
    broken = trust_client.get("/uji/rusak")
    assert_error_page(broken, 500, "Terjadi kesalahan pada server")
    assert "rahasia" not in broken.get_data(as_text=True) and "SELECT" not in broken.get_data(as_text=True)


def test_finding_12_api_errors_are_json_messages(client, trust_client):
    missing = client.get("/api/v1/tidak-ada")
    assert missing.status_code == 404 and missing.is_json and "tidak ada" in missing.json["message"]
    assert_security_headers(missing)
    wrong_method = client.delete("/api/v1/kasus/1/transitions")
    assert wrong_method.status_code == 405 and "tidak dapat digunakan" in wrong_method.json["message"]
    broken = trust_client.get("/api/v1/uji/rusak")
    assert broken.status_code == 500 and broken.is_json
    assert "Terjadi kesalahan pada server" in broken.json["message"] and "rahasia" not in broken.json["message"]


def test_finding_12_forged_verification_code_says_the_document_was_not_issued(client, trust_client):
    page = trust_client.get("/verifikasi/" + "x" * 32, environ_base={"REMOTE_ADDR": "10.8.0.2"})
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "Dokumen tidak ditemukan: kode ini tidak diterbitkan oleh BKPSDM Kabupaten Uji." in html
    assert "penkom.css" in html
    assert_security_headers(page)
    # Without the setting and with several agencies: a generic wording.
    generic = client.get("/verifikasi/" + "y" * 32).get_data(as_text=True)
    assert "Dokumen tidak ditemukan: kode ini tidak diterbitkan oleh instansi pengguna Penkom ini." in generic


def test_finding_12_issuer_is_the_only_agency_when_there_is_one():
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import migrate
    from tests.conftest import database_url

    single = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url("satu_instansi"),
                         "SERVER_NAME": "localhost"})  # fmt: skip
    from tests.conftest import _APPS

    _APPS.append(single)
    with single.app_context():
        migrate.ensure(single)  # web workers load Alembic only to migrate
        upgrade()
        db.session.add(Instansi(kode="BKDPML", nama="Badan Kepegawaian Daerah Kabupaten Pemalang", kop="X"))
        db.session.commit()
        assert svc.issuer_name() == "Badan Kepegawaian Daerah Kabupaten Pemalang"


# -- finding 13: charts without the internet ----------------------------------------------------------------


def svg_of(data_uri: str) -> str:
    assert data_uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(data_uri.split(",", 1)[1]).decode("utf-8")


def trust_user(trust_app, role: str):
    sm = trust_app.appbuilder.sm
    name = uniq(role.lower())
    return sm.add_user(name, name, "Uji", f"{name}@example.test", sm.find_role(role), password=PASSWORD)


def test_finding_13_user_statistics_page_draws_its_chart_on_the_server(trust_app, trust_client):
    # On an app of its own: the chart shows the busiest accounts, and here the clerk is one of them.
    admin, clerk = trust_user(trust_app, "Admin"), trust_user(trust_app, "Operator")
    trust_client.post("/login/", data={"username": clerk.username, "password": "salah"})
    login(trust_client, clerk.username)
    trust_client.get("/logout/")
    login(trust_client, admin.username)
    menu = trust_client.get("/pegawaiview/list/").get_data(as_text=True)
    assert 'href="/statistikpengguna/chart/"' in menu and "Statistik Pengguna" in menu
    page = trust_client.get("/statistikpengguna/chart/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert external_urls(html) == []
    assert "google" not in html.lower()
    assert_scripts_carry_the_nonce(page)
    chart = svg_of(re.search(r'<img id="grafik" src="([^"]+)"', html).group(1))
    assert chart.startswith("<?xml") and "<rect" in chart and "http://www.w3.org/2000/svg" in chart
    assert "<!DOCTYPE" not in chart and "<script" not in chart
    assert clerk.username in chart and "Berhasil masuk" in chart and "Gagal masuk" in chart  # bars and legend
    row = re.search(rf"<td>{clerk.username}</td>.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<td class="text-right">(\d+)</td>', row)[:2] == ["1", "1"]
    # FAB's Google Charts view is gone; non-administrators cannot open ours.
    assert trust_client.get("/userstatschartview/chart/").status_code == 404
    trust_client.get("/logout/")
    login(trust_client, clerk.username)
    assert trust_client.get("/statistikpengguna/chart/").status_code == 403
    trust_client.get("/logout/")


def test_finding_13_the_same_chart_is_drawn_as_vectors_in_a_pdf(trust_app, trust_client):
    admin = trust_user(trust_app, "Admin")
    login(trust_client, admin.username)
    response = trust_client.get("/statistikpengguna/pdf/?hari=7")
    trust_client.get("/logout/")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    assert len(page.images) == 0  # no bitmap: the chart is drawn
    operators = [op for _operands, op in ContentStream(page.get_contents(), reader).operations]
    assert operators.count(b"re") + operators.count(b"l") >= 10  # bars and axes as paths
    assert sum(operators.count(op) for op in (b"f", b"f*", b"B", b"B*")) >= 3  # filled bars
    text = flat(page.extract_text())
    assert admin.username in text and "Berhasil masuk" in text and "Statistik Pengguna" in text
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("LiberationSans" in f for f in fonts)  # chart labels in the shipped, embedded font


def test_finding_13_bar_charts_have_series_legend_and_escape_their_labels(app):
    from app import charts

    with app.app_context():
        chart = charts.bar_chart(
            ["Jan", "Feb", f"<script>alert(1)</script>{RLO}"],
            [charts.Series("Masuk", [3, 5, 2]), charts.Series("Gagal", [1, 0, 4]), charts.Series("Baru", [0, 2, 1])],
            title="Uji & grafik",
        )
        vertical = svg_of(charts.data_uri(chart))
        horizontal = svg_of(charts.data_uri(charts.bar_chart(["a"], [charts.Series("x", [1])], horizontal=True)))
        empty = svg_of(charts.data_uri(charts.bar_chart([], [], empty_text="Belum ada data")))
    assert vertical.count("<rect") == 1 + 7 + 3  # clip area, seven bars above zero, three legend swatches
    for name in ("Masuk", "Gagal", "Baru"):
        assert f">{name}</text>" in vertical
    assert "&lt;script&gt;" in vertical and "<script" not in vertical and RLO not in vertical
    assert "<title>Uji &amp; grafik</title>" in vertical
    assert "<rect" in horizontal and "Belum ada data" in empty


def test_finding_13_no_template_we_render_loads_anything_from_another_host(app):
    import flask_appbuilder
    from flask_appbuilder.charts.views import BaseChartView

    assert not [v for v in app.appbuilder.baseviews if isinstance(v, BaseChartView)]
    ours = Path(__file__).resolve().parent.parent / "templates"
    fab = Path(flask_appbuilder.__file__).parent / "templates" / "appbuilder"
    skipped = {f"general/widgets/{name}.html" for name in ("chart", "direct_chart", "multiple_chart")}
    skipped |= {f"general/charts/{name}.html" for name in ("chart", "chart_time", "jsonchart")}
    found = []
    for root in (ours, fab):
        for path in root.rglob("*.html"):
            if root == fab and str(path.relative_to(fab)) in skipped:
                continue  # FAB's Google Charts widgets: no view of ours renders them (asserted above)
            text = re.sub(r"\{#.*?#\}|//[^\n]*|<!--.*?-->", "", path.read_text(), flags=re.S)
            for url in re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+|@import[^;]+""", text):
                found.append(f"{path.name}: {url}")
    assert found == []
