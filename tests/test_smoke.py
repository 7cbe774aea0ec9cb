from app.models import AuditEvent
from app.extensions import db
from sqlalchemy import select


def test_assessment_audited(make_assessment):
    a = make_assessment()
    assert a.score == 6
    verbs = [(e.entity_type, e.verb) for e in db.session.scalars(select(AuditEvent))]
    assert ("Assessment", "create") in verbs


def test_start_page(client, make_assessment):
    make_assessment()
    r = client.get("/")
    assert r.status_code == 200
    assert "Utredningen blir inte klar i tid" in r.text
