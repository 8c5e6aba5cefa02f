"""Issue 17, finding 9 (an SOP step edit is lost): editing a step, an actor or the SOP itself of a revision
that cases use makes exactly one new revision carrying the edit; the replaced revision is read-only, so the
same form sent again (or two saves at once) makes no further revision; running cases stay where they are."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Langkah, Pelaksana, Sop
from app.workflow import revisions
from tests.conftest import act, as_user, case, ok, start


def step_form(sop: Sop, no: int, **changes) -> dict:
    """The edit form of a step as the browser posts it (its current values, some changed)."""
    step = sop.step(no)
    data = {
        "sop": sop.id, "no": step.no, "kegiatan": step.kegiatan, "simbol": step.simbol,
        "pelaksana": step.pelaksana_id, "waktu": step.waktu, "ya_no": step.ya_no or "", "tidak_no": step.tidak_no or "",
        "label_ya": step.label_ya, "label_tidak": step.label_tidak, "kembali_no": step.kembali_no or "",
        "label_kembali": step.label_kembali, "output": step.output,
    }  # fmt: skip
    data.update(changes)
    return data


def revisions_of(sop: Sop) -> list[Sop]:
    db.session.expire_all()
    return db.session.execute(select(Sop).where(Sop.kode == sop.kode).order_by(Sop.revisi)).scalars().all()


def used(client, form_sop, create_user):
    """The form SOP with a running case, and an administrator logged in."""
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    as_user(client, create_user(["Admin"], sop.unit_kerja))
    return sop, users, kasus_id


def test_sop_step_edit_of_a_used_revision_creates_one_revision_carrying_the_edit(client, form_sop, create_user):
    sop, users, kasus_id = used(client, form_sop, create_user)
    old_step = sop.step(2)
    page = client.get(f"/langkahview/edit/{old_step.id}").get_data(as_text=True)
    assert 'name="kegiatan"' in page  # the edit form itself, saying what saving will do
    assert "Menyimpan akan membuat revisi 1 dengan perubahan Anda" in page
    assert len(revisions_of(sop)) == 1  # nothing happens on opening the form

    response = client.post(f"/langkahview/edit/{old_step.id}",
                           data=step_form(sop, 2, kegiatan="Memverifikasi berkas secara elektronik"))  # fmt: skip
    assert response.status_code == 302
    old, new = revisions_of(sop)
    assert (old.id, old.revisi, new.revisi) == (sop.id, 0, 1) and new.berlaku and not old.berlaku
    edited = new.step(2)
    assert response.headers["Location"].endswith(f"/langkahview/show/{edited.id}")  # the edited row of the new one
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Revisi 1 SOP ini dibuat dengan perubahan Anda" in shown and "tetap pada revisi 0" in shown
    assert edited.kegiatan == "Memverifikasi berkas secara elektronik"
    assert old.step(2).kegiatan == "Memverifikasi berkas"
    # The copy is whole and its own: its steps' actors are the new revision's actors.
    assert [s.no for s in new.langkah] == [1, 2, 3, 4]
    assert {s.pelaksana.sop_id for s in new.langkah} == {new.id}
    assert edited.pelaksana.kode == old.step(2).pelaksana.kode
    # The running case stays on revision 0 and moves on its steps; new cases start on revision 1.
    assert case(kasus_id).sop_id == old.id
    as_user(client, users["pemohon"])
    ok(act(client, kasus_id, "lanjut"))
    assert case(kasus_id).langkah.sop_id == old.id and case(kasus_id).langkah_no == 2
    assert case(start(client, new)).sop_id == new.id


def test_sop_step_edit_sent_again_creates_no_second_revision(client, form_sop, create_user):
    sop, _users, _kasus_id = used(client, form_sop, create_user)
    old_step = sop.step(2)
    form = step_form(sop, 2, kegiatan="Memverifikasi berkas lengkap")
    assert client.post(f"/langkahview/edit/{old_step.id}", data=form).status_code == 302
    _old, new = revisions_of(sop)
    for _ in range(3):  # the browser's back button and "save" again, or a double click
        again = client.post(f"/langkahview/edit/{old_step.id}", data=form)
        assert again.status_code == 409
        page = again.get_data(as_text=True)
        assert "revisi 1 telah menggantikannya" in page and "Tidak ada yang disimpan" in page
        assert f"/langkahview/edit/{new.step(2).id}" in page  # the link to the same step of revision 1
    assert len(revisions_of(sop)) == 2
    # Opening the old form says the same; the current revision's form is the one to use.
    assert "revisi 1 telah menggantikannya" in client.get(f"/langkahview/edit/{old_step.id}").get_data(as_text=True)
    assert 'name="kegiatan"' in client.get(f"/langkahview/edit/{new.step(2).id}").get_data(as_text=True)
    # A refused form (empty activity) makes no revision either.
    page = client.post(f"/langkahview/edit/{new.step(2).id}", data=step_form(new, 2, kegiatan=""))
    assert page.status_code == 200 and len(revisions_of(sop)) == 2


def test_sop_actor_and_sop_edits_of_a_used_revision_carry_the_edit(client, form_sop, create_user):
    sop, _users, kasus_id = used(client, form_sop, create_user)
    actor = next(p for p in sop.pelaksana if p.kode == "verifikator")
    response = client.post(f"/pelaksanaview/edit/{actor.id}", data={
        "sop": sop.id, "urutan": actor.urutan, "kode": actor.kode, "nama": "Verifikator Berkas", "role": actor.role_id,
    })  # fmt: skip
    assert response.status_code == 302
    old, new = revisions_of(sop)
    renamed = next(p for p in new.pelaksana if p.kode == "verifikator")
    assert response.headers["Location"].endswith(f"/pelaksanaview/show/{renamed.id}")
    assert renamed.nama == "Verifikator Berkas" and actor.nama == "Verifikator"
    assert new.step(2).pelaksana is renamed and old.step(2).pelaksana.nama == "Verifikator"

    # The SOP's own fields: revision 2 with the new name; revision 1 (no cases yet) would be edited in place,
    # so a case starts on it first.
    as_user(client, _users["pemohon"])
    start(client, new)
    as_user(client, create_user(["Admin"], sop.unit_kerja))
    data = {"nama": "SOP Verifikasi Ulang", "nomor": new.nomor, "jenis": new.jenis, "instansi": new.instansi_id,
            "unit_kerja": new.unit_kerja_id}  # fmt: skip
    response = client.post(f"/sopview/edit/{new.id}", data=data)
    assert response.status_code == 302
    *_, newest = revisions_of(sop)
    assert (
        newest.revisi == 2
        and newest.nama == "SOP Verifikasi Ulang"
        and response.headers["Location"].endswith(f"/sopview/show/{newest.id}")
    )
    assert [r.nama for r in revisions_of(sop)][:2] == [sop.nama, sop.nama]
    assert case(kasus_id).sop_id == old.id


def test_sop_two_saves_of_a_used_revision_at_once_create_one_revision(app, form_sop, create_user):
    """Two people (or two clicks) save the same step at the same moment: one revision, the other is told."""
    sop, users = form_sop
    with app.test_request_context():
        from app.workflow import engine

        engine.start_case(sop.id, "Kasus berjalan", users["pemohon"])
    sop_id, step_id = sop.id, sop.step(2).id
    barrier = threading.Barrier(2)
    results = []

    def save(text):
        with app.app_context():
            old = db.session.get(Sop, sop_id)
            step = db.session.get(Langkah, step_id)
            barrier.wait()
            try:
                revisions.revise(old, step, lambda row: setattr(row, "kegiatan", text))
                results.append("ok")
            except revisions.Superseded:
                results.append("superseded")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(f"Versi {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "superseded"]
    count = db.session.execute(select(func.count(Sop.id)).where(Sop.kode == sop.kode)).scalar_one()
    assert count == 2
    assert re.fullmatch(r"Versi [01]", revisions_of(sop)[-1].step(2).kegiatan)
    assert db.session.execute(select(func.count(Pelaksana.id)).where(Pelaksana.sop_id == sop_id)).scalar_one() == 3
