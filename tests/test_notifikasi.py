"""Notifications: the bell, the list, and e-mail to a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.models import Notifikasi
from app.models.security import utcnow
from app.notifikasi import operations as ops
from app.workflow import engine
from tests.conftest import act, as_user, case, start


class Sink:
    """An SMTP server that keeps what it receives."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        self.arrived.set()
        return "250 OK"

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_DEFAULT_SENDER="penkom@bkd.test")
    try:
        yield sink
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=25)
        controller.stop()


def body(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def mine(user, jenis=None):
    db.session.expire_all()
    query = select(Notifikasi).where(Notifikasi.user_id == user.id).order_by(Notifikasi.id)
    if jenis:
        query = query.where(Notifikasi.jenis == jenis)
    return list(db.session.execute(query).scalars())


def test_a_returned_case_reaches_the_verifier_in_the_bell_and_by_email(client, form_sop, smtp):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop, "Permohonan mutasi Sdr. Budi")
    act(client, kasus_id, "lanjut")
    as_user(client, users["verifikator"])
    act(client, kasus_id, "ya", "Berkas lengkap")
    as_user(client, users["kepala"])
    act(client, kasus_id, "kembali", "Lampirkan SK pangkat terakhir")
    assert case(kasus_id).langkah_no == 2

    returned = mine(users["verifikator"], "kembali")
    assert len(returned) == 1 and returned[0].catatan == "Lampirkan SK pangkat terakhir"
    # The e-mail arrived at the SMTP server, in Indonesian, with the note and a link to the case.
    messages = smtp.to(users["verifikator"].email)
    returned_mail = [m for m in messages if "dikembalikan" in m["Subject"]]
    assert len(returned_mail) == 1, [m["Subject"] for m in messages]
    text = body(returned_mail[0])
    assert "Lampirkan SK pangkat terakhir" in text and "Permohonan mutasi Sdr. Budi" in text
    assert f"/kasusview/show/{kasus_id}" in text
    assert returned_mail[0]["From"] == "penkom@bkd.test"

    # In the app: the bell counts it, the list shows the note, opening it marks it read and leads to the case.
    as_user(client, users["verifikator"])
    page = client.get("/").get_data(as_text=True)
    unread = ops.unread_count(users["verifikator"])
    assert unread >= 1 and re.search(rf'id="jumlah-notifikasi">\s*{unread}\s*<', page)
    listing = client.get("/notifikasi/").get_data(as_text=True)
    assert "Lampirkan SK pangkat terakhir" in listing and f"Kasus #{kasus_id} dikembalikan kepada Anda" in listing
    opened = client.post(f"/notifikasi/buka/{returned[0].id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/kasusview/show/{kasus_id}")
    assert mine(users["verifikator"], "kembali")[0].dibaca_at is not None
    assert ops.unread_count(users["verifikator"]) == unread - 1


def test_a_new_task_reaches_holders_of_the_step_in_scope_only(client, form_sop, create_user, create_unit):
    sop, users = form_sop
    role = users["verifikator"].roles[0].name
    colleague = create_user([role], sop.unit_kerja)
    elsewhere = create_user([role], create_unit())  # the same role in another agency's unit
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    act(client, kasus_id, "lanjut")
    for user in (users["verifikator"], colleague):
        tasks = mine(user, "tugas")
        assert [(n.kasus_id, n.langkah_no) for n in tasks] == [(kasus_id, 2)]
        assert tasks[0].due_at == case(kasus_id).due_at
    assert mine(elsewhere) == []
    assert mine(users["pemohon"]) == []  # not told about their own move
    assert mine(users["kepala"]) == []


def test_nobody_opens_or_counts_someone_elses_notifications(client, form_sop, create_user):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    act(client, kasus_id, "lanjut")
    theirs = mine(users["verifikator"])[0]
    admin = create_user(["Admin"], sop.unit_kerja)
    as_user(client, admin)
    assert client.post(f"/notifikasi/buka/{theirs.id}").status_code == 404
    assert str(theirs.subjek) not in client.get("/notifikasi/").get_data(as_text=True)
    client.post("/notifikasi/baca-semua")
    assert mine(users["verifikator"])[0].dibaca_at is None
    client.get("/logout/")
    assert client.get("/notifikasi/").status_code == 302  # anonymous: to the login page


def test_without_smtp_the_notification_is_still_stored(client, form_sop, app):
    assert not app.config["MAIL_SERVER"]
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    response = act(client, kasus_id, "lanjut")
    assert response.status_code == 302
    assert [n.email_at for n in mine(users["verifikator"])] == [None]


def test_an_unreachable_smtp_server_does_not_undo_the_transition(client, form_sop, app):
    sop, users = form_sop
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    try:
        as_user(client, users["pemohon"])
        kasus_id = start(client, sop)
        assert act(client, kasus_id, "lanjut").status_code == 302
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=25, MAIL_TIMEOUT=10)
    assert case(kasus_id).langkah_no == 2
    assert len(mine(users["verifikator"], "tugas")) == 1


def test_daily_digest_emails_each_holder_their_overdue_steps_once(app, client, form_sop, smtp):
    sop, users = form_sop
    # The case entered step 2 ("2 jam") ten days ago: replayed through the engine at that moment.
    then = utcnow() - dt.timedelta(days=10)
    kasus = engine.start_case(sop.id, "Permohonan lama", users["pemohon"], now=then)
    engine.perform(kasus.id, "lanjut", users["pemohon"], now=then + dt.timedelta(minutes=5))
    assert case(kasus.id).due_at < utcnow()

    result = app.test_cli_runner().invoke(args=["penkom", "digest"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Ringkasan terkirim: [1-9]\d* surel", result.output), result.output
    overdue = mine(users["verifikator"], "terlambat")
    assert len(overdue) == 1 and overdue[0].email_at is not None
    digest = [m for m in smtp.to(users["verifikator"].email) if "terlambat" in m["Subject"]]
    assert len(digest) == 1
    assert "Permohonan lama" in body(digest[0]) and f"/kasusview/show/{kasus.id}" in body(digest[0])
    # Running it again the same day adds no second notification.
    app.test_cli_runner().invoke(args=["penkom", "digest"])
    assert len(mine(users["verifikator"], "terlambat")) == 1


def test_hand_made_memo_tells_the_next_reviewer_then_the_signer(client, form_sop, create_pegawai):
    from tests.conftest import draft_form, link_pegawai

    sop, users = form_sop
    unit = sop.unit_kerja
    drafter, reviewer, signer = users["pemohon"], users["verifikator"], users["kepala"]
    for user in (drafter, reviewer, signer):
        link_pegawai(user, create_pegawai(unit))
    from app.models import NaskahDinas, TemplateNaskah

    as_user(client, drafter)
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "nota_dinas")).scalar_one()
    response = client.post("/naskahdinasview/add", data={"template": template.id, "unit": unit.id})
    naskah_id = int(re.search(r"/edit/(\d+)", response.headers["Location"]).group(1))
    client.post(f"/naskahdinasview/pemeriksa/{naskah_id}", data={"pegawai_id": reviewer.pegawai_id})
    naskah = db.session.get(NaskahDinas, naskah_id)
    client.post(f"/naskahdinasview/edit/{naskah_id}", data=draft_form(naskah, kepada="Sekretaris",
                                                                     penandatangan_id=signer.pegawai_id))  # fmt: skip
    assert [n.jenis for n in mine(reviewer)] == ["paraf"]
    assert mine(signer) == []
    as_user(client, reviewer)
    client.post(f"/naskahdinasview/paraf/{naskah_id}")
    assert [n.jenis for n in mine(signer)] == ["tanda_tangan"]
    as_user(client, signer)
    assert "Naskah menunggu tanda tangan Anda" in client.get("/notifikasi/").get_data(as_text=True)


def test_digest_without_smtp_says_so_and_still_notifies(app, form_sop):
    sop, users = form_sop
    then = utcnow() - dt.timedelta(days=10)
    kasus = engine.start_case(sop.id, "Permohonan tanpa surel", users["pemohon"], now=then)
    engine.perform(kasus.id, "lanjut", users["pemohon"], now=then + dt.timedelta(minutes=5))
    result = app.test_cli_runner().invoke(args=["penkom", "digest"])
    assert result.exit_code == 0 and "Surel tidak aktif" in result.output
    assert [n.kasus_id for n in mine(users["verifikator"], "terlambat")] == [kasus.id]
