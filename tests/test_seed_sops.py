"""The five seed SOPs: listed after init, rendered as documents, walked end to end through HTTP."""

import io
import re
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import KasusRiwayat, Pangkat, Sop
from app.workflow import engine
from tests.conftest import as_user, attach, case, complete_drafts, link_pegawai, login, ok, start
from tests.kerjasama_data import fill_request, register_assessor

SEEDS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "data" / "sop").glob("*.toml"))
# Seeds whose steps wait on assessment data walk end to end on real data in test_penilaian_sop.py.
ON_ASSESSMENT_DATA = {"kemenkumham-penilaian-oleh-asesor", "tangerang-seleksi-mutasi-masuk"}
# Seeds whose steps wait on their own records walk end to end on them in their own test module.
ON_OWN_RECORDS = {"jpt-penetapan-hasil-uji-kompetensi"}  # tests/test_jpt.py
# The Polhukam plan SOP waits on its plan's data: walked end to end in test_rencana.py.
ON_PLAN_DATA = {"polhukam-rencana-assessment"}


def seed(kode) -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == kode, Sop.berlaku.is_(True))).scalar_one()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_five_seed_sops_are_loaded():
    assert len(SEEDS) == 5


@pytest.fixture
def role_users(create_user, create_pegawai):
    """One user per role of the SOP, each holding exactly that role, in the SOP's unit, each a civil
    servant (the signer of documents must be one)."""

    def factory(sop):
        pangkat = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/a")).scalar_one()
        return {
            p.role.name: link_pegawai(
                create_user([p.role.name], sop.unit_kerja), create_pegawai(sop.unit_kerja, pangkat=pangkat)
            )  # fmt: skip
            for p in sop.pelaksana
        }

    return factory


def versi(page: str) -> int:
    """The case version the case page was rendered at (its transition form posts it back)."""
    return int(re.search(r'name="versi" value="(\d+)"', page).group(1))


def prepare_step(client, step, kasus_id, users):
    """What the actors of a step do on the case page before its first actor completes it: attach the
    documents it asks for and produces, choose the people it needs, complete the drafts it produced,
    and (on a "semua" step) each other actor records their part."""
    kinds = [spec.split(":", 1)[1] for spec in step.hook_names("guards") + step.hook_names("keluaran")
             if spec.startswith("lampiran:")]  # fmt: skip
    for jenis in kinds:
        if jenis not in {f.jenis for f in case(kasus_id).lampiran}:
            attach(client, kasus_id, jenis)
    if "kerjasama_data" in step.hook_names("guards"):
        fill_request(kasus_id, users[step.pelaksana.role.name])  # the incoming letter, registered
    if "petugas" in step.hook_names("guards"):
        asesor = users[step.sop.pelaksana[0].role.name]
        if "kerjasama_asesor" in step.hook_names("guards"):
            register_assessor(asesor.pegawai, step.sop.instansi_id)  # chosen from the assessor register
        ok(client.post(f"/kasusview/petugas/{kasus_id}", data={"pegawai_id": asesor.pegawai_id, "peran": "Asesor"}))
    if any(spec.startswith("naskah_konsep") for spec in step.hook_names("efek")):
        signer = next(u for u in users.values() if u.roles[0].name == "Kepala Badan").pegawai
        complete_drafts(client, kasus_id, signer)
    if step.bersama == "semua":
        for other in step.aktor[1:]:
            as_user(client, users[other.role.name])
            ok(client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "bagian", "komentar": "Hadir"}))
        as_user(client, users[step.pelaksana.role.name])


def offered_transitions(page: str) -> list[str]:
    return re.findall(r'data-transition="([a-z]+)"', page)


def take(client, kasus_id, transition, comment=""):
    """Press a button of the case page; a button that initials or signs goes through its confirmation
    page, which names the documents, and is confirmed there."""
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    confirm = re.search(rf'data-transition="{transition}" data-confirm="([a-z_]+)"', page)
    data = {"transition": transition, "comment": comment, "versi": versi(page)}
    if confirm:
        shown = client.get(f"/kasusview/konfirmasi/{kasus_id}?transition={transition}")
        assert shown.status_code == 200 and 'id="konfirmasi-form"' in shown.get_data(as_text=True)
        data["konfirmasi"] = "1"
    ok(client.post(f"/kasusview/transisi/{kasus_id}", data=data))


@pytest.mark.parametrize("kode", SEEDS)
def test_seed_sop_is_listed_and_its_document_has_every_step_in_order(client, create_user, kode):
    sop = seed(kode)
    data = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "sop" / f"{kode}.toml").read_text())
    assert [s.kegiatan for s in sop.langkah] == [row["kegiatan"] for row in data["langkah"]]
    login(client, create_user(["Pengawas"], sop.unit_kerja).username)
    listing = client.get("/sopview/list/?psize_SopView=100").get_data(as_text=True)
    assert sop.nama in listing
    response = client.get(f"/sopview/pdf/{sop.id}")
    assert response.status_code == 200
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))
    position = 0
    for step in sop.langkah:
        found = text.find(flat(step.kegiatan), position)
        assert found >= 0, f"step {step.no} missing or out of order: {step.kegiatan}"
        position = found
    if sop.nomor:
        assert flat(sop.nomor) in text


def forward(transitions):
    """The "happy path": continue, the positive outcome of a decision, or finish."""
    return next(t for t in transitions if t in ("lanjut", "ya", "selesai"))


def walk(client, sop, users, choose=lambda step, offered: forward(offered), comment_for=lambda step, t: "", limit=60):
    """Walk a case to its end; each step is performed by the user holding exactly that step's role."""
    as_user(client, users[sop.langkah[0].pelaksana.role.name])
    kasus_id = start(client, sop, f"Uji {sop.kode}")
    moves = 0
    while case(kasus_id).status == "berjalan":
        step = case(kasus_id).langkah
        as_user(client, users[step.pelaksana.role.name])
        prepare_step(client, step, kasus_id, users)
        page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
        offered = offered_transitions(page)
        assert offered, f"no button for {step.pelaksana.role.name} at step {step.no}"
        chosen = choose(step, offered)
        comment = comment_for(step, chosen) or ("Sesuai" if "komentar_wajib" in step.hook_names("guards") else "")
        take(client, kasus_id, chosen, comment)
        moves += 1
        assert moves < limit, "the walk does not end"
        if chosen != "kembali":
            # What the step names as its output exists once it is done.
            missing = [o.label for o in engine.step_outputs(case(kasus_id), step) if not o.exists]
            assert not missing, f"step {step.no} left its output missing: {missing}"
    history = (
        db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id).order_by(KasusRiwayat.id))
        .scalars()
        .all()
    )
    assert len(history) == moves
    assert all(h.durasi_menit is not None for h in history)
    return kasus_id, history


@pytest.mark.parametrize("kode", sorted(set(SEEDS) - ON_ASSESSMENT_DATA - ON_PLAN_DATA - ON_OWN_RECORDS))
def test_seed_sop_walks_to_the_end_with_each_step_done_by_its_role(client, role_users, kode):
    sop = seed(kode)
    users = role_users(sop)
    kasus_id, history = walk(client, sop, users)
    assert case(kasus_id).status == "selesai"
    assert history[-1].ke_no is None
    # Every move was made by a user holding the role of the step it left.
    for row in history:
        assert row.peran == sop.step(row.dari_no).pelaksana.role.name


def test_pemalang_rejected_request_goes_through_the_review_chain_with_a_return(client, role_users):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = role_users(sop)
    returned: set[int] = set()

    def choose(step, offered):
        if "tidak" in offered:
            return "tidak"  # Ditolak
        if "kembali" in offered and step.no not in returned:
            returned.add(step.no)
            return "kembali"
        return forward(offered)

    kasus_id, history = walk(
        client, sop, users, choose, comment_for=lambda step, t: "Perbaiki redaksi surat" if t == "kembali" else ""
    )
    assert case(kasus_id).status == "selesai"
    rejected = [h for h in history if h.transisi == "tidak"]
    assert rejected and rejected[0].label == "Ditolak"
    returns = [h for h in history if h.transisi == "kembali"]
    assert returns and all(h.komentar == "Perbaiki redaksi surat" for h in returns)
    # The Kabid returns the rejection draft to the Subkor's rejection step (3), not the reply draft (5);
    # the Sekretaris returns it to the Kabid (6); the Kepala BKD, at signing, to the Subkor's draft (3).
    assert {(h.dari_no, h.ke_no) for h in returns} == {(6, 3), (7, 6), (8, 3)}


def test_pemalang_review_step_refuses_a_return_without_comment(client, role_users):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = role_users(sop)
    review = next(s for s in sop.langkah if s.kembali_no)
    as_user(client, users[sop.langkah[0].pelaksana.role.name])
    kasus_id = start(client, sop)
    for _ in range(20):
        if case(kasus_id).langkah_no == review.no:
            break
        step = case(kasus_id).langkah
        as_user(client, users[step.pelaksana.role.name])
        prepare_step(client, step, kasus_id, users)
        page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
        take(client, kasus_id, forward(offered_transitions(page)),
             "Sesuai" if "komentar_wajib" in step.hook_names("guards") else "")  # fmt: skip
    assert case(kasus_id).langkah_no == review.no
    as_user(client, users[review.pelaksana.role.name])
    before = case(kasus_id).versi
    page = client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "kembali", "versi": before},
                       follow_redirects=True)  # fmt: skip
    assert "Komentar wajib" in page.get_data(as_text=True)
    assert case(kasus_id).versi == before and case(kasus_id).langkah_no == review.no


# -- transcription decisions -------------------------------------------------------------------------


def sop_pdf_text(client, create_user, sop) -> str:
    login(client, create_user(["Pengawas"], sop.unit_kerja).username)
    response = client.get(f"/sopview/pdf/{sop.id}")
    assert response.status_code == 200
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))


def test_pemalang_table_keeps_its_printed_numbers_1_to_10(client, create_user):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    # Eleven activity rows; Ditolak/Diterima are the branches of step 2, the Kabid's check is unnumbered.
    assert [s.nomor_tampil for s in sop.langkah] == ["1", "2", "3", "4", "5", "", "6", "7", "8", "9", "10"]
    assert (sop.step(2).label_ya, sop.step(2).label_tidak) == ("Diterima", "Ditolak")
    text = sop_pdf_text(client, create_user, sop)
    assert "10 Melaporkan hasil pelaksanaan kerja sama Penkom" in text
    assert "6 Memeriksa surat penolakan atau surat jawaban dan surat perintah kemudian diproses lebih lanjut, jika " \
           "kurang sesuai dikembalikan ke Kabid" in text  # fmt: skip
    assert "11 " not in text.split("Melaporkan hasil")[0][-20:]
    assert "Nomor tercetak dipertahankan 1-10" in sop.catatan_transkripsi


def test_tangerang_steps_3_and_10_have_the_actors_marked_in_the_source(ctx):
    sop = seed("tangerang-seleksi-mutasi-masuk")
    assert [p.nama for p in sop.step(3).aktor] == ["Ka. TU UPT"]
    step10 = sop.step(10)
    assert [p.nama for p in step10.aktor] == ["Assessor", "Pemohon", "Sekda"] and step10.bersama == "semua"
    assert "Ka. TU UPT" in sop.catatan_transkripsi and "Pemohon, Assessor dan Sekda" in sop.catatan_transkripsi


# The Tangerang walk with the hand-over at step 10 runs on assessment data: tests/test_penilaian_sop.py.


# The JPT check at step 5 that returns the compilation to step 4 is walked on real records in tests/test_jpt.py.
