"""A risk's page: this year's assessment, stale edits, links, archive/delete, the filtered list."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.services.assessments import update_assessment
from app.core.services.risks import link_action, link_control
from app.extensions import db
from app.models import ActionStatus, Assessment, AuditEvent, Risk, RiskStatus, Role
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries


@pytest.fixture
def owner(make_user):
    return make_user(role=Role.OWNER, name="Olle Ägare")


@pytest.fixture
def owned_risk(make_process, make_risk, owner):
    return make_risk(process=make_process(owner=owner), title="Skyddsbedömning görs inte samma dag")


def assessment_form(**overrides):
    return {"ar": TEST_YEAR, "likelihood": 3, "consequence": 4, "status": "in_progress", "comment": "Ny bedömning"} | overrides


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_owner_assesses_her_risk_for_the_year(client, login, owner, owned_risk):
    login(owner)
    page = client.get(f"/risker/{owned_risk.id}")
    assert "Spara bedömningen" in page.text
    response = client.post(f"/risker/{owned_risk.id}/bedomning", data=assessment_form())
    assert response.status_code == 302
    assessment = db.session.scalar(select(Assessment).where(Assessment.risk_id == owned_risk.id))
    assert (assessment.year, assessment.score, assessment.status) == (TEST_YEAR, 12, RiskStatus.IN_PROGRESS)
    assert assessment.assessed_by_id == owner.id
    detail = client.get(f"/risker/{owned_risk.id}").text
    assert "Bedömningen för 2026 är sparad." in detail
    assert "#c62828" in detail  # 12 is Mycket hög in the 4×4 matrix


def test_update_shows_in_the_audit_history(client, login, owner, owned_risk, make_assessment):
    assessment = make_assessment(risk=owned_risk, likelihood=2, consequence=3)
    login(owner)
    client.post(f"/risker/{owned_risk.id}/bedomning", data=assessment_form(likelihood=3, consequence=3,
                                                                          version=assessment.version))
    page = client.get(f"/risker/{owned_risk.id}").text
    assert "Olle Ägare" in page
    assert "Sannolikhet:</span> <del>2</del> → <ins>3</ins>" in page


def test_out_of_scale_value_is_refused_in_swedish_and_nothing_is_written(client, login, owner, owned_risk):
    login(owner)
    response = client.post(f"/risker/{owned_risk.id}/bedomning", data=assessment_form(likelihood=5))
    assert response.status_code == 400
    assert "Inte ett giltigt val" in response.text
    assert count(Assessment) == 0


def test_stale_save_is_refused_with_who_and_keeps_the_input(client, login, owner, owned_risk, make_assessment,
                                                             make_user):
    assessment = make_assessment(risk=owned_risk, likelihood=2, consequence=2)
    seen_version = assessment.version
    colleague = make_user(role=Role.MANAGER, name="Anna Berg")
    update_assessment(colleague, assessment, likelihood=4, consequence=4, status=RiskStatus.IN_PROGRESS,
                      comment="Chefens ändring", expected_version=seen_version)
    db.session.commit()
    login(owner)
    response = client.post(
        f"/risker/{owned_risk.id}/bedomning",
        data=assessment_form(likelihood=1, consequence=1, comment="Min text som inte får försvinna",
                             version=seen_version),
    )
    assert response.status_code == 409
    assert "Ändrad av Anna Berg" in response.text
    assert "efter att du öppnade sidan" in response.text
    assert "Min text som inte får försvinna" in response.text
    db.session.expire_all()
    kept = db.session.get(Assessment, assessment.id)
    assert (kept.likelihood, kept.consequence, kept.comment) == (4, 4, "Chefens ändring")


def test_reader_sees_no_edit_controls_and_cannot_post(client, login, make_user, owned_risk):
    reader = make_user(role=Role.READER)
    login(reader)
    page = client.get(f"/risker/{owned_risk.id}")
    assert page.status_code == 200
    for control in ("Spara bedömningen", "Redigera risken", "Koppla", "Arkivera", "Ta bort"):
        assert control not in page.text
    assert client.post(f"/risker/{owned_risk.id}/bedomning", data=assessment_form()).status_code == 403
    assert count(Assessment) == 0


def test_owner_cannot_assess_someone_elses_process(client, login, owner, make_process, make_risk, make_user):
    other_owner = make_user(role=Role.OWNER)
    risk = make_risk(process=make_process(owner=other_owner))
    login(owner)
    assert client.post(f"/risker/{risk.id}/bedomning", data=assessment_form()).status_code == 403


def test_other_units_risk_is_forbidden_even_to_read(client, login, make_unit, make_user, owned_risk):
    outsider = make_user(role=Role.MANAGER, unit=make_unit())
    login(outsider)
    assert client.get(f"/risker/{owned_risk.id}").status_code == 403


def test_missing_risk_is_404(client, login, owner):
    login(owner)
    response = client.get("/risker/999999")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text


def test_new_risk_linked_to_existing_controls(client, login, owner, make_process, make_control):
    process = make_process(owner=owner)
    control = make_control(title="Månatlig ärendegenomgång")
    login(owner)
    response = client.post(
        f"/risker/ny?process={process.id}",
        data={"title": "Barnets röst kommer inte fram", "process_id": process.id, "quality_area": "self_determination",
              "control_ids": [control.id]},
    )
    assert response.status_code == 302
    risk = db.session.scalar(select(Risk).where(Risk.title == "Barnets röst kommer inte fram"))
    assert [c.id for c in risk.controls] == [control.id]
    verbs = set(db.session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == risk.id,
                                                                 AuditEvent.entity_type == "Risk")))
    assert verbs == {"create", "link"}


def test_new_risk_without_title_keeps_the_typed_description(client, login, owner, make_process):
    process = make_process(owner=owner)
    login(owner)
    response = client.post(f"/risker/ny?process={process.id}",
                           data={"title": "  ", "description": "Min beskrivning", "process_id": process.id})
    assert response.status_code == 400
    assert "Beskriv risken kort." in response.text
    assert "Min beskrivning" in response.text
    assert count(Risk) == 0


def test_link_and_unlink_control_and_action(client, login, owner, owned_risk, make_control, make_action):
    control, action = make_control(), make_action()
    login(owner)
    assert client.post(f"/risker/{owned_risk.id}/egenkontroller", data={"control-item_id": control.id}).status_code == 302
    assert client.post(f"/risker/{owned_risk.id}/atgarder", data={"action-item_id": action.id}).status_code == 302
    db.session.expire_all()
    risk = db.session.get(Risk, owned_risk.id)
    assert ([c.id for c in risk.controls], [a.id for a in risk.actions]) == ([control.id], [action.id])
    client.post(f"/risker/{owned_risk.id}/egenkontroller/{control.id}/koppla-bort")
    client.post(f"/risker/{owned_risk.id}/atgarder/{action.id}/koppla-bort")
    db.session.expire_all()
    risk = db.session.get(Risk, owned_risk.id)
    assert (risk.controls, risk.actions) == ([], [])


def test_linking_another_units_control_is_forbidden(client, login, owner, owned_risk, make_unit, make_control):
    foreign = make_control(unit=make_unit())
    login(owner)
    response = client.post(f"/risker/{owned_risk.id}/egenkontroller", data={"control-item_id": foreign.id})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Risk, owned_risk.id).controls == []


def test_risk_with_history_is_archived_not_deleted(client, login, owner, owned_risk, make_assessment):
    make_assessment(risk=owned_risk)
    login(owner)
    client.post(f"/risker/{owned_risk.id}/ta-bort")
    assert count(Risk) == 1
    client.post(f"/risker/{owned_risk.id}/arkivera")
    db.session.expire_all()
    assert db.session.get(Risk, owned_risk.id).is_archived


def test_risk_without_history_can_be_deleted(client, login, owner, owned_risk):
    login(owner)
    assert client.post(f"/risker/{owned_risk.id}/ta-bort").status_code == 302
    assert count(Risk) == 0
    assert db.session.scalar(select(AuditEvent.verb).where(AuditEvent.entity_type == "Risk").order_by(
        AuditEvent.id.desc()).limit(1)) == "delete"


def make_register(make_risk, make_assessment, make_process, make_action, owner, risks: int):
    process = make_process(owner=owner, title="Utredning")
    for number in range(risks):
        risk = make_risk(process=process, title=f"Risk {number:03}")
        make_assessment(risk=risk, likelihood=1 + number % 4, consequence=1 + (number // 4) % 4,
                        status=RiskStatus.NEW if number % 2 else RiskStatus.IN_PROGRESS)
    return process


def test_list_filters(client, login, owner, make_risk, make_assessment, make_process, make_action):
    process = make_register(make_risk, make_assessment, make_process, make_action, owner, risks=16)
    late = make_action(due_on=date(2020, 1, 1), status=ActionStatus.IN_PROGRESS, start_year=2020)
    first = db.session.scalar(select(Risk).where(Risk.title == "Risk 015"))
    link_action(None, first, late)
    db.session.commit()
    login(owner)

    def titles(**params):
        text = client.get("/risker/", query_string={"ar": TEST_YEAR, **params}).text
        return {f"Risk {n:03}" for n in range(16) if f"Risk {n:03}<" in text}

    assert len(titles()) == 16
    assert titles(sannolikhet=4, konsekvens=4) == {"Risk 015"}
    assert titles(niva="Mycket hög") == {"Risk 011", "Risk 014", "Risk 015"}
    assert titles(status="new") == {f"Risk {n:03}" for n in range(1, 16, 2)}
    assert titles(forsenad="1") == {"Risk 015"}
    assert titles(sok="risk 00") == {f"Risk {n:03}" for n in range(10)}
    assert titles(process=process.id, ansvarig=owner.id) == titles()


@pytest.mark.parametrize("params", [
    {"ar": "abc"}, {"ar": 99999}, {"sida": "x"}, {"sida": -3}, {"enhet": "x"}, {"status": "påhittad"},
    {"niva": "<script>"}, {"sannolikhet": "9"}, {"process": "1' or 1=1"},
])
def test_list_never_fails_on_bad_parameters(client, login, owner, owned_risk, params):
    login(owner)
    response = client.get("/risker/", query_string=params)
    assert response.status_code == 200
    assert "<script>" not in response.text


def test_list_paginates(client, login, owner, make_risk, make_assessment, make_process, make_action):
    make_register(make_risk, make_assessment, make_process, make_action, owner, risks=55)
    login(owner)
    first = client.get("/risker/").text
    second = client.get("/risker/?sida=2").text
    assert "Sida 1 av 2 (55 st)" in first
    assert first.count("/risker/") > second.count("/risker/")


@pytest.mark.parametrize("path", ["/", "/risker/", "/risker/{risk}"])
def test_query_count_does_not_grow_with_the_register(app, client, login, owner, make_risk, make_assessment,
                                                      make_process, make_action, path):
    def queries_for(risks):
        make_register(make_risk, make_assessment, make_process, make_action, owner, risks=risks)
        risk = db.session.scalar(select(Risk).order_by(Risk.id.desc()).limit(1))
        for control_number in range(2):
            pass
        with count_queries() as queries:
            assert client.get(path.format(risk=risk.id)).status_code == 200
        return len(queries)

    login(owner)
    assert queries_for(10) == queries_for(190)


@pytest.mark.parametrize("path", ["/risker/?sok=%00", "/egenkontroller/?sok=a%00b", "/atgarder/?sok=%00"])
def test_nul_bytes_are_a_bad_request_not_a_crash(client, login, owner, path):
    login(owner)
    response = client.get(path)
    assert response.status_code == 400
    assert "Felaktig begäran" in response.text


def test_a_check_recorded_as_not_performed_is_not_a_performed_check(client, login, owner, owned_risk, make_control):
    from app.core.services.controls import record_check
    from app.models import CheckOutcome

    control = make_control(title="Kvartalsvis journalgranskning", responsible=owner)
    link_control(None, owned_risk, control)
    record_check(None, control, performed_on=date(TEST_YEAR, 5, 1), outcome=CheckOutcome.NOT_PERFORMED,
                 findings="Sjukdom")
    db.session.commit()
    login(owner)
    assert "◆" not in client.get(f"/risker/{owned_risk.id}").text
    assert "Kvartalsvis journalgranskning" in client.get("/").text  # still on her to-do list
