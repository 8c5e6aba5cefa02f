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
from tests.conftest import as_user, case, complete_drafts, link_pegawai, login, ok, start

SEEDS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "data" / "sop").glob("*.toml"))
# Seeds whose steps wait on assessment data walk end to end on real data in test_penilaian_sop.py.
ON_ASSESSMENT_DATA = {"kemenkumham-penilaian-oleh-asesor", "tangerang-seleksi-mutasi-masuk"}


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
    """What the actor of a step does on the case page before completing it: choose the people the
    step needs, complete the drafts the step produced."""
    if "petugas" in step.hook_names("guards"):
        asesor = users[step.sop.pelaksana[0].role.name]
        ok(client.post(f"/kasusview/petugas/{kasus_id}", data={"pegawai_id": asesor.pegawai_id, "peran": "Asesor"}))
    if any(spec.startswith("naskah_konsep") for spec in step.hook_names("efek")):
        signer = next(u for u in users.values() if u.roles[0].name == "Kepala Badan").pegawai
        complete_drafts(client, kasus_id, signer)


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
        offered = re.findall(r'name="transition" value="([a-z]+)"', page)
        assert offered, f"no button for {step.pelaksana.role.name} at step {step.no}"
        chosen = choose(step, offered)
        data = {"transition": chosen, "comment": comment_for(step, chosen), "versi": versi(page)}
        ok(client.post(f"/kasusview/transisi/{kasus_id}", data=data))
        moves += 1
        assert moves < limit, "the walk does not end"
    history = (
        db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id).order_by(KasusRiwayat.id))
        .scalars()
        .all()
    )
    assert len(history) == moves
    assert all(h.durasi_menit is not None for h in history)
    return kasus_id, history


@pytest.mark.parametrize("kode", sorted(set(SEEDS) - ON_ASSESSMENT_DATA))
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
    # the Sekretaris returns it to the Kabid (6).
    assert {(h.dari_no, h.ke_no) for h in returns} == {(6, 3), (7, 6)}


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
        offered = re.findall(r'name="transition" value="([a-z]+)"', page)
        ok(client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": forward(offered), "versi": versi(page)}))
    assert case(kasus_id).langkah_no == review.no
    as_user(client, users[review.pelaksana.role.name])
    before = case(kasus_id).versi
    page = client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "kembali", "versi": before},
                       follow_redirects=True)  # fmt: skip
    assert "Komentar wajib" in page.get_data(as_text=True)
    assert case(kasus_id).versi == before and case(kasus_id).langkah_no == review.no
