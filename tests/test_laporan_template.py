"""The individual report's wording, editable per agency like the letter templates (issue 10 item 1): the
agency's staff change their own report template in the screen, its title, opening, headings, closing and
confidentiality note print on their participants' reports and its patterns write the narrative
suggestions; another agency keeps the national default; a template that does not render in the sandbox is
refused in Indonesian and nothing changes; the default and other agencies' templates are out of reach."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.laporan import operations as lap
from app.laporan import template as templat
from app.models.laporan import POLA_SARAN, TEKS_LAPORAN, TemplateLaporan
from tests.conftest import as_user
from tests.test_laporan import event, page_text

DEFAULT_TITLE = "LAPORAN INDIVIDU HASIL PENILAIAN KOMPETENSI DAN POTENSI"
DEFAULT_NOTE = "hanya digunakan untuk kepentingan pengembangan dan manajemen talenta ASN"


def national() -> TemplateLaporan:
    return db.session.execute(select(TemplateLaporan).where(TemplateLaporan.instansi_id.is_(None))).scalar_one()


def form(instansi_id, **changes) -> dict:
    """The template form as the browser posts it: the default's wording with some texts changed."""
    data = {f: getattr(templat.bawaan(), f) for f in (*TEKS_LAPORAN, *POLA_SARAN)}
    data["instansi"] = instansi_id or ""
    data.update(changes)
    return data


def own_template(client, staff, instansi_id, **changes):
    as_user(client, staff)
    response = client.post("/templatelaporanview/add", data=form(instansi_id, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return db.session.execute(select(TemplateLaporan).where(TemplateLaporan.instansi_id == instansi_id)).scalar_one()


def test_the_agencys_template_words_its_reports_and_another_agency_keeps_the_default(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user, n=2)
    other, other_item, other_people = event(create_unit, create_pegawai, create_user, n=2)
    report = lap.laporan_peserta(people[0].id, p.staf)
    other_report = lap.laporan_peserta(other_people[0].id, other.staf)
    # The JF Muda of the first agency writes the agency's own wording in the screen.
    own_template(
        client, p.staf, p.unit.instansi_id,
        judul="LAPORAN HASIL ASESMEN KOMPETENSI PEGAWAI",
        pembuka="Asesmen atas Saudara {{ peserta.nama }} (NIP {{ peserta.nip }}) pada {{ kegiatan.nama }}.",
        judul_kekuatan="KEUNGGULAN PESERTA",
        catatan_rahasia="Laporan ini rahasia jabatan dan tidak untuk disebarluaskan.",
        ttd_ketua="Ketua Tim Asesor,",
    )  # fmt: skip
    text = " ".join(page_text(lap.pdf(report)).split())
    person = people[0]
    assert "LAPORAN HASIL ASESMEN KOMPETENSI PEGAWAI" in text and DEFAULT_TITLE not in text
    assert f"Asesmen atas Saudara {person.nama_lengkap} (NIP {person.nip_tampil}) pada {item.nama}." in text
    assert "H. KEUNGGULAN PESERTA" in text and "Ketua Tim Asesor," in text
    assert "Laporan ini rahasia jabatan dan tidak untuk disebarluaskan." in text and DEFAULT_NOTE not in text
    # The report's page shows the same wording.
    page = client.get(f"/laporanview/show/{report.id}").get_data(as_text=True)
    assert "LAPORAN HASIL ASESMEN KOMPETENSI PEGAWAI" in page and "Laporan ini rahasia jabatan" in page
    # The other agency has no template of its own: its report keeps the national default.
    text = " ".join(page_text(lap.pdf(other_report)).split())
    assert DEFAULT_TITLE in text and DEFAULT_NOTE in text and "H. KEKUATAN" in text and "Ketua Tim Penilai," in text
    assert f"Saudara {other_people[0].nama_lengkap}" in text  # the default opening names the participant
    assert "LAPORAN HASIL ASESMEN" not in text


def test_the_suggestions_are_written_from_the_templates_patterns(client, create_unit, create_pegawai, create_user):
    p, item, people = event(create_unit, create_pegawai, create_user, n=1)  # consensus 2.5 everywhere
    report = lap.laporan_peserta(people[0].id, p.staf)
    hasil = lap.hasil_terkunci(people[0])
    below = [r for r in hasil.rincian if r["konsensus"] < r["standar"]]
    assert below, "the example needs a competency below the standard"
    first = below[0]
    # The default patterns: the sentences the report always suggested.
    gap = f"{first['standar'] - first['konsensus']:g}".replace(".", ",")
    assert f"(kesenjangan {gap})" in lap.saran(report)["area_pengembangan"]
    own_template(
        client, p.staf, p.unit.instansi_id,
        pola_kembang="Kompetensi {{ kompetensi }} perlu ditingkatkan {{ selisih }} level menuju standar {{ standar }}.",
        pola_rekomendasi="JPM {{ jpm }}%, kategori {{ kategori }}; prioritas: {{ prioritas or 'tidak ada' }}.",
        pola_penempatan_kesenjangan="Belum disarankan untuk {{ jabatan_sasaran or 'jabatan sasaran' }}.",
    )  # fmt: skip
    suggestion = lap.saran(report)
    standar = f"{first['standar']:g}".replace(".", ",")
    assert f"Kompetensi {first['nama']} perlu ditingkatkan {gap} level menuju standar {standar}." in (
        suggestion["area_pengembangan"].splitlines()
    )
    assert "kesenjangan" not in suggestion["area_pengembangan"]
    jpm = f"{hasil.jpm:g}".replace(".", ",")
    assert suggestion["rekomendasi"].startswith(f"JPM {jpm}%, kategori ") and first["nama"] in suggestion["rekomendasi"]
    assert suggestion["saran_penempatan"].startswith("Belum disarankan untuk ")
    # Patterns not changed keep the default sentences.
    assert suggestion["saran_pengembangan"].startswith("Pelatihan, coaching atau penugasan khusus untuk ")


def test_a_template_that_does_not_render_is_refused_in_indonesian_and_nothing_changes(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user, n=1)
    row = own_template(client, p.staf, p.unit.instansi_id, judul="LAPORAN AGENSI")
    bad = {
        "judul": "{{ ''.__class__.__mro__[1].__subclasses__() }}",  # forbidden by the sandbox
        "pembuka": "Peserta {{ peserta.nama ",  # syntax error
        "catatan_rahasia": "{{ nilai_rahasia }}",  # unknown variable
        "pola_kembang": "{{ kompetensi }} {{ peserta.alamat_rumah }}",
        "judul_hasil": "{{ kompetensi }}",  # a pattern's variable outside the patterns
    }
    for field, source in bad.items():
        page = client.post(f"/templatelaporanview/edit/{row.id}", data=form(p.unit.instansi_id, **{field: source}),
                           follow_redirects=True).get_data(as_text=True)  # fmt: skip
        assert "Redaksi templat mengandung kesalahan" in page, field
        db.session.expire_all()
        assert db.session.get(TemplateLaporan, row.id).judul == "LAPORAN AGENSI"
        assert getattr(db.session.get(TemplateLaporan, row.id), field) != source
    # A required text left empty is refused too.
    client.post(f"/templatelaporanview/edit/{row.id}", data=form(p.unit.instansi_id, judul=""))
    db.session.expire_all()
    assert db.session.get(TemplateLaporan, row.id).judul == "LAPORAN AGENSI"
    # A second template for the same agency is refused with a message; there is still one.
    page = client.post("/templatelaporanview/add", data=form(p.unit.instansi_id), follow_redirects=True)
    assert "sudah memiliki templat laporan" in page.get_data(as_text=True)
    rows = select(TemplateLaporan).where(TemplateLaporan.instansi_id == p.unit.instansi_id)
    assert len(db.session.execute(rows).scalars().all()) == 1


def test_agency_staff_reach_only_their_own_template_and_read_the_default(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user, n=1, n_asesor=2)
    other, other_item, other_people = event(create_unit, create_pegawai, create_user, n=1, n_asesor=2)
    theirs = own_template(client, other.staf, other.unit.instansi_id, judul="LAPORAN INSTANSI LAIN")
    mine = own_template(client, p.staf, p.unit.instansi_id, judul="LAPORAN INSTANSI SENDIRI")
    default = national()
    before = default.judul
    # The other agency's template: not found, neither to read nor to change.
    listing = client.get("/templatelaporanview/list/").get_data(as_text=True)
    assert "LAPORAN INSTANSI SENDIRI" in listing and "LAPORAN INSTANSI LAIN" not in listing
    assert client.get(f"/templatelaporanview/show/{theirs.id}").status_code == 404
    assert client.get(f"/templatelaporanview/edit/{theirs.id}").status_code == 404
    assert client.post(f"/templatelaporanview/edit/{theirs.id}", data=form(other.unit.instansi_id, judul="X"))\
        .status_code == 404  # fmt: skip
    assert client.post(f"/templatelaporanview/delete/{theirs.id}").status_code == 404
    # Nor can they make one for the other agency (not among their choices) or a second national default.
    client.post("/templatelaporanview/add", data=form(other.unit.instansi_id, judul="SUSUPAN"))
    page = client.post("/templatelaporanview/add", data=form("", judul="SUSUPAN"), follow_redirects=True)
    assert "data acuan nasional dikelola oleh administrator" in page.get_data(as_text=True)
    assert db.session.execute(select(TemplateLaporan).where(TemplateLaporan.judul == "SUSUPAN")).first() is None
    # The national default: readable, but not theirs to change or delete.
    assert client.get(f"/templatelaporanview/show/{default.id}").status_code == 200
    page = client.post(f"/templatelaporanview/edit/{default.id}", data=form("", judul="DIUBAH"),
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "hanya administrator yang dapat mengubahnya" in page
    client.post(f"/templatelaporanview/delete/{default.id}")
    db.session.expire_all()
    assert db.session.get(TemplateLaporan, default.id).judul == before
    assert db.session.get(TemplateLaporan, theirs.id).judul == "LAPORAN INSTANSI LAIN"
    # Their own: changed in the screen.
    client.post(f"/templatelaporanview/edit/{mine.id}", data=form(p.unit.instansi_id, judul="LAPORAN BARU"))
    db.session.expire_all()
    assert db.session.get(TemplateLaporan, mine.id).judul == "LAPORAN BARU"
    # An assessor (no permission on the screen) is refused.
    as_user(client, p.asesor[0])
    assert client.get(f"/templatelaporanview/show/{mine.id}").status_code in (302, 403)


def test_the_administrator_edits_the_national_default(client, create_user, create_unit):
    admin = create_user(["Admin"], create_unit())
    as_user(client, admin)
    default = national()
    before = {f: getattr(default, f) for f in (*TEKS_LAPORAN, *POLA_SARAN)}
    try:
        response = client.post(f"/templatelaporanview/edit/{default.id}", data=form("", judul="LAPORAN NASIONAL"))
        assert response.status_code == 302
        db.session.expire_all()
        assert national().judul == "LAPORAN NASIONAL"
    finally:
        row = national()
        for field, value in before.items():
            setattr(row, field, value)
        db.session.commit()


def test_the_seeded_default_is_the_data_file_and_init_keeps_an_edited_one(app, ctx):
    row = national()
    assert row.judul == DEFAULT_TITLE and "{{ selisih }}" in row.pola_kembang
    assert templat.load_template_laporan() == 0  # already there: nothing added, nothing overwritten
    for field in (*TEKS_LAPORAN, *POLA_SARAN):
        assert templat.periksa(field, getattr(row, field)) is None, field
