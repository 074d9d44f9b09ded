"""Fixtures for the admin domain: signed-in clients and captured email."""

import pytest


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def outbox(monkeypatch):
    """Collect the emails the admin pages send, as (to, subject, body)."""
    sent = []
    monkeypatch.setattr(
        "course_engine.admin.views.accounts.send_email",
        lambda to, subject, body: sent.append((to, subject, body)),
    )
    return sent
