"""The engine through HTTP on an SOP built in the generated forms only (no code, no data file)."""

from sqlalchemy import select

from app.extensions import db
from app.models import KasusRiwayat
from tests.conftest import act, as_user, case, ok, start


def test_form_built_sop_walks_to_the_end_with_branch_and_return(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    assert case(kasus_id).langkah_no == 1 and case(kasus_id).due_at is not None
    ok(act(client, kasus_id, "lanjut"))
    as_user(client, users["verifikator"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Lengkap" in page and "Tidak lengkap" in page
    ok(act(client, kasus_id, "tidak"))  # incomplete: back to the applicant
    assert case(kasus_id).langkah_no == 1
    as_user(client, users["pemohon"])
    ok(act(client, kasus_id, "lanjut"))
    as_user(client, users["verifikator"])
    ok(act(client, kasus_id, "ya"))
    as_user(client, users["kepala"])
    ok(act(client, kasus_id, "kembali"))  # no comment: refused
    assert case(kasus_id).langkah_no == 3
    ok(act(client, kasus_id, "kembali", "Periksa lagi tanggalnya"))
    assert case(kasus_id).langkah_no == 2
    as_user(client, users["verifikator"])
    ok(act(client, kasus_id, "ya"))
    as_user(client, users["kepala"])
    ok(act(client, kasus_id, "lanjut"))
    as_user(client, users["verifikator"])
    ok(act(client, kasus_id, "selesai"))
    final = case(kasus_id)
    assert final.status == "selesai" and final.langkah_id is None
    history = (
        db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id).order_by(KasusRiwayat.id))
        .scalars()
        .all()
    )
    assert [(h.dari_no, h.ke_no) for h in history] == [
        (1, 2),
        (2, 1),
        (1, 2),
        (2, 3),
        (3, 2),
        (2, 3),
        (3, 4),
        (4, None),
    ]
    assert all(h.durasi_menit is not None for h in history)
    assert history[4].komentar == "Periksa lagi tanggalnya"
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Periksa lagi tanggalnya" in page


def test_wrong_role_sees_no_button_and_forced_post_changes_nothing(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    ok(act(client, kasus_id, "lanjut"))  # now at step 2 (verifikator)
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert 'name="transition"' not in page
    before = case(kasus_id).versi
    act(client, kasus_id, "ya")
    assert case(kasus_id).versi == before and case(kasus_id).langkah_no == 2


def test_sop_document_pdf_lists_every_step(client, form_sop):
    import io

    from pypdf import PdfReader

    sop, users = form_sop
    as_user(client, users["kepala"])
    response = client.get(f"/sopview/pdf/{sop.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    positions = [text.find(s.kegiatan) for s in sop.langkah]
    assert -1 not in positions and positions == sorted(positions)
