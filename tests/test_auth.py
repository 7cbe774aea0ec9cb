"""Signing in and out: hashed passwords, renewed sessions, safe cookies, CSRF, no account probing, throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.throttle import MAX_FAILURES_PER_ACCOUNT, WINDOW
from app.extensions import db
from app.models import LoginAttempt, Role
from tests.conftest import PASSWORD, app_config


def post_login(client, email, password, **extra):
    return client.post("/logga-in", data={"email": email, "password": password}, **extra)


def test_password_is_stored_hashed(make_user):
    user = make_user()
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_login_then_logout(client, make_user):
    user = make_user(role=Role.OWNER)
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Mitt arbete" in client.get("/").text
    assert client.get("/logga-ut").status_code == 405  # no state change on GET
    response = client.post("/logga-ut")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = post_login(client, user.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_when_configured(database_url):
    secure_app = create_app(app_config(database_url, SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True))
    # Rendering the login form puts its CSRF token in the session, which sets the cookie.
    response = secure_app.test_client().get("/logga-in")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_login_renews_the_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "före inloggning"
    post_login(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user.id)


def test_failed_login_does_not_reveal_whether_the_account_exists(client, make_user):
    user = make_user()
    wrong_password = post_login(client, user.email, "fel-losenord")
    no_account = post_login(client, "finns-inte@exempel.se", "fel-losenord")
    assert wrong_password.status_code == no_account.status_code == 200
    assert "Fel e-postadress eller lösenord." in wrong_password.text
    assert wrong_password.text.replace(user.email, "X") == no_account.text.replace("finns-inte@exempel.se", "X")


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user()
    user.is_active = False
    db.session.commit()
    assert post_login(client, user.email, PASSWORD).status_code == 200
    assert client.get("/").status_code == 302


def test_repeated_failures_are_throttled(client, make_user):
    user = make_user()
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert post_login(client, user.email, "fel").status_code == 200
    blocked = post_login(client, user.email, PASSWORD)
    assert blocked.status_code == 429
    assert "För många misslyckade inloggningsförsök" in blocked.text
    # Once the window has passed, the right password works again.
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.attempted_at -= WINDOW + timedelta(minutes=1)
    db.session.commit()
    assert post_login(client, user.email, PASSWORD).status_code == 302


def test_throttling_also_covers_unknown_accounts(client):
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        post_login(client, "gissning@exempel.se", "fel")
    assert post_login(client, "gissning@exempel.se", "fel").status_code == 429
    assert db.session.scalar(select(LoginAttempt.email).limit(1)) == "gissning@exempel.se"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = post_login(client, user.email, PASSWORD, query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client, make_user):
    user = make_user()
    response = post_login(client, user.email, PASSWORD, query_string={"next": "/risker/?ar=2025"})
    assert response.headers["Location"] == "/risker/?ar=2025"


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/risker/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_forms_without_csrf_token_are_refused(make_user, database_url):
    make_user(email="csrf@exempel.se")
    csrf_app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))
    client = csrf_app.test_client()
    response = post_login(client, "csrf@exempel.se", PASSWORD)
    assert response.status_code == 400
    assert "Formuläret har gått ut" in response.text


def test_pages_carry_security_headers(client):
    response = client.get("/logga-in")
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
