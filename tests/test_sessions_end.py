"""Issue 17, finding 4: sessions end. A logout, a password change (own, an administrator's reset,
`penkom user password`) and a deactivation end every session cookie and API token of the user issued
before it; behind a reverse proxy (PENKOM_PROXY_HOPS) each client has its own address in the login
throttle, the login log and the audit trail, and without it X-Forwarded-For is ignored."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import AuditLog, Instansi, LoginLog, PenkomUser
from tests.conftest import _APPS, PASSWORD, login, make_app, uniq

ENDED = "Sesi Anda telah berakhir"
NEW_PASSWORD = "Ganti!Sandi2026xy"


@pytest.fixture
def unit(create_unit):
    return create_unit()


def api_login(app: Flask, username: str, password: str = PASSWORD) -> dict:
    body = {"username": username, "password": password, "provider": "db", "refresh": True}
    response = app.test_client().post("/api/v1/security/login", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def api_get(app: Flask, token: str):
    return app.test_client().get("/api/v1/kasus/", headers={"Authorization": f"Bearer {token}"})


def assert_token_works(app: Flask, tokens: dict) -> None:
    assert api_get(app, tokens["access_token"]).status_code == 200


def assert_token_ended(app: Flask, tokens: dict) -> None:
    """The access token is refused with the message, and its refresh token gives no new one."""
    response = api_get(app, tokens["access_token"])
    assert response.status_code == 401 and ENDED in response.json["message"], response.get_data(as_text=True)
    refreshed = app.test_client().post(
        "/api/v1/security/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert refreshed.status_code == 401 and ENDED in refreshed.json["message"]


def assert_session_works(client) -> None:
    assert client.get("/kasusview/list/").status_code == 200


def assert_session_ended(client) -> None:
    """A page sends the browser to the login form, which says why; the API answers 401 JSON."""
    response = client.get("/kasusview/list/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ENDED in page
    assert client.get("/kasusview/list/").status_code == 302  # logged out, not only warned
    api = client.get("/api/v1/kasus/")
    assert api.status_code == 401 and "message" in api.json


def browser(app: Flask, username: str, password: str = PASSWORD):
    client = app.test_client()
    login(client, username, password)
    return client


def test_sessions_end_a_cookie_copied_before_logout_is_refused_after_logout(app, create_user, unit):
    user = create_user(["Admin"], unit)
    client = browser(app, user.username)
    copied = client.get_cookie("session").value
    assert_session_works(client)

    client.get("/logout/")

    thief = app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    response = thief.get("/api/v1/kasus/")
    assert response.status_code == 401 and ENDED in response.json["message"]
    thief.set_cookie("session", copied, domain="localhost")
    assert_session_ended(thief)
    # Logging in again works as before.
    assert_session_works(browser(app, user.username))


def test_sessions_end_a_jwt_is_refused_after_logout(app, create_user, unit):
    user = create_user(["Admin"], unit)
    tokens = api_login(app, user.username)
    assert_token_works(app, tokens)
    client = browser(app, user.username)

    client.get("/logout/")

    assert_token_ended(app, tokens)
    assert_token_works(app, api_login(app, user.username))  # a new login gets a token that works


def test_sessions_end_own_password_change_ends_the_other_sessions_and_tokens(app, create_user, unit):
    user = create_user(["Admin"], unit)
    tokens = api_login(app, user.username)
    elsewhere = browser(app, user.username)  # e.g. a browser left open at another desk
    here = browser(app, user.username)

    response = here.post("/resetmypassword/form", data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302

    assert_session_works(here)  # the session that made the change goes on
    assert_session_ended(elsewhere)
    assert_token_ended(app, tokens)
    assert_token_works(app, api_login(app, user.username, NEW_PASSWORD))


def test_sessions_end_administrator_password_reset_ends_sessions_and_tokens(app, create_user, unit):
    admin = create_user(["Admin"], unit)
    user = create_user(["Admin"], unit)
    tokens = api_login(app, user.username)
    client = browser(app, user.username)
    desk = browser(app, admin.username)

    response = desk.post(f"/resetpassword/form?pk={user.id}", data={"password": NEW_PASSWORD,
                                                                     "conf_password": NEW_PASSWORD})  # fmt: skip
    assert response.status_code == 302

    assert_session_ended(client)
    assert_token_ended(app, tokens)
    assert_session_works(desk)  # the administrator's own session is not touched


def test_sessions_end_command_line_password_reset_ends_sessions_and_tokens(app, create_user, unit):
    user = create_user(["Admin"], unit)
    tokens = api_login(app, user.username)
    client = browser(app, user.username)

    result = app.test_cli_runner().invoke(args=["penkom", "user", "password", user.username, "--password",
                                                NEW_PASSWORD])  # fmt: skip
    assert result.exit_code == 0, result.output

    assert_session_ended(client)
    assert_token_ended(app, tokens)


def test_sessions_end_deactivation_ends_sessions_and_tokens_for_good(app, create_user, unit):
    admin = create_user(["Admin"], unit)
    user = create_user(["Admin"], unit)
    tokens = api_login(app, user.username)
    client = browser(app, user.username)
    copied = client.get_cookie("session").value
    desk = browser(app, admin.username)
    form = {"first_name": user.first_name, "last_name": user.last_name, "username": user.username,
            "email": user.email, "roles": [r.id for r in user.roles], "unit_kerja": unit.id}  # fmt: skip

    assert desk.post(f"/users/edit/{user.id}", data=form).status_code == 302  # "active" unticked
    db.session.expire_all()
    assert db.session.get(PenkomUser, user.id).active is False
    assert_session_ended(client)
    assert_token_ended(app, tokens)

    # Reactivated, the account logs in afresh; what it had before stays ended.
    assert desk.post(f"/users/edit/{user.id}", data={**form, "active": "y"}).status_code == 302
    assert_token_ended(app, tokens)
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    assert_session_ended(thief)
    assert_session_works(browser(app, user.username))


def test_sessions_end_other_users_sessions_are_not_touched(app, create_user, unit):
    user, colleague = create_user(["Admin"], unit), create_user(["Admin"], unit)
    tokens = api_login(app, colleague.username)
    colleague_client = browser(app, colleague.username)
    browser(app, user.username).get("/logout/")
    assert_session_works(colleague_client)
    assert_token_works(app, tokens)


# -- behind a reverse proxy -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proxied_app():
    """One proxy in front (PENKOM_PROXY_HOPS=1), a low login throttle."""
    return make_app("proxy", PENKOM_PROXY_HOPS=1, AUTH_RATE_LIMIT="3 per minute")


@pytest.fixture(scope="module")
def direct_app(proxied_app):
    """The same database with no proxy trusted (the default, PENKOM_PROXY_HOPS=0)."""
    config = {**proxied_app.config, "PENKOM_PROXY_HOPS": 0}
    built = create_app({k: config[k] for k in ("TESTING", "SQLALCHEMY_DATABASE_URI", "WTF_CSRF_ENABLED",
                                               "AUTH_RATE_LIMIT", "SERVER_NAME", "PENKOM_PROXY_HOPS")})  # fmt: skip
    _APPS.append(built)  # its connections are closed at the end of the session like every app's
    return built


def bad_logins(app: Flask, username: str, forwarded_for: str, n: int) -> list[int]:
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded_for}
    return [client.post("/login/", data={"username": username, "password": "salah"}, headers=headers).status_code
            for _ in range(n)]  # fmt: skip


def login_log(app: Flask, username: str) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(LoginLog.alamat_ip).where(LoginLog.username == username)).scalars())


def test_sessions_end_behind_a_proxy_each_client_is_throttled_and_logged_by_its_own_address(proxied_app):
    attacker, colleague = uniq("penyerang"), uniq("rekan")
    assert bad_logins(proxied_app, attacker, "203.0.113.7", 4) == [302, 302, 302, 429]
    # Another client behind the same proxy is not throttled by the first one's failures.
    assert bad_logins(proxied_app, colleague, "203.0.113.8", 1) == [302]
    assert login_log(proxied_app, attacker) == ["203.0.113.7"] * 3
    assert login_log(proxied_app, colleague) == ["203.0.113.8"]

    # The audit trail records the client's address too.
    with proxied_app.app_context():
        sm = proxied_app.appbuilder.sm
        admin = sm.add_user(uniq("proksi.admin"), "Admin", "Proksi", f"{uniq('proksi')}@example.test",
                            sm.find_role("Admin"), password=PASSWORD)  # fmt: skip
        username = admin.username
    client = proxied_app.test_client()
    headers = {"X-Forwarded-For": "198.51.100.23"}
    assert client.post("/login/", data={"username": username, "password": PASSWORD}, headers=headers).status_code == 302
    kode = uniq("PRX")
    response = client.post("/instansiview/add", data={"kode": kode, "nama": f"Instansi {kode}", "kop": "X"},
                           headers=headers)  # fmt: skip
    assert response.status_code == 302
    with proxied_app.app_context():
        instansi_id = db.session.execute(select(Instansi.id).where(Instansi.kode == kode)).scalar_one()
        entry = db.session.execute(
            select(AuditLog).where(AuditLog.tabel == "instansi", AuditLog.row_id == instansi_id)
        ).scalar_one()
        assert entry.alamat_ip == "198.51.100.23"


def test_sessions_end_without_proxy_hops_x_forwarded_for_is_ignored(direct_app):
    """A client cannot dodge the throttle or forge the logged address by sending the header itself."""
    attacker = uniq("pemalsu")
    codes = [
        bad_logins(direct_app, attacker, f"192.0.2.{n}", 1)[0]  # a new "address" on every try
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert set(login_log(direct_app, attacker)) == {"127.0.0.1"}
