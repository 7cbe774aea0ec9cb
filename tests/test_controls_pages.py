"""The egenkontroll pages: the list and its filters, a control's page, recording checks, and managing controls."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.core.services.controls import create_control, record_check
from app.core.services.risks import link_control
from app.core.unit_year import ensure_plan
from app.extensions import db
from app.models import (
    AuditEvent,
    CheckOutcome,
    Control,
    ControlCheck,
    Frequency,
    PlanStatus,
    Role,
)
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """One-iteration hashes: these tests are about pages, not about password storage."""
    monkeypatch.setattr(
        "app.models.user.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1")
    )


@pytest.fixture
def manager(make_user, login):
    return login(make_user(role=Role.MANAGER, name="Maria Chef"))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def check(control: Control, on: date, outcome: CheckOutcome = CheckOutcome.NO_REMARKS, findings: str = ""):
    made = record_check(None, control, performed_on=on, outcome=outcome, findings=findings)
    db.session.commit()
    return made


# --- the list -------------------------------------------------------------------------------------------------------


def test_list_shows_checks_of_the_year_and_the_latest_outcome(manager, client, make_control, make_risk):
    done = make_control(title="Journalgranskning")
    link_control(None, make_risk(), done)
    check(done, date(TEST_YEAR, 3, 1))
    check(done, date(TEST_YEAR, 9, 1), CheckOutcome.DEFICIENCIES, "Två planer saknades")
    check(make_control(title="Enkät till brukare"), date(TEST_YEAR - 1, 5, 1))
    db.session.commit()

    html = client.get(f"/egenkontroller/?ar={TEST_YEAR}").text

    assert "Journalgranskning" in html and "Enkät till brukare" in html
    assert html.count("◆") == 2  # the intro line and the one control performed this year
    assert "2 av 4 gånger" in html  # quarterly: four checks a year are planned
    assert "Brister funna" in html and f"{TEST_YEAR}-09-01" in html
    assert "Inte genomförd" in html


def test_not_performed_filter(manager, client, make_control):
    check(make_control(title="Gjord i år"), date(TEST_YEAR, 2, 1))
    check(make_control(title="Gjord i fjol"), date(TEST_YEAR - 1, 2, 1))
    make_control(title="Aldrig gjord")

    html = client.get(f"/egenkontroller/?ar={TEST_YEAR}&ej_genomford=1").text

    assert "Gjord i fjol" in html and "Aldrig gjord" in html
    assert "Gjord i år" not in html


def test_a_check_recorded_as_not_performed_does_not_count_as_performed(manager, client, make_control):
    skipped = make_control(title="Hoppades över")
    check(skipped, date(TEST_YEAR, 2, 1), CheckOutcome.NOT_PERFORMED, "Sjukdom")

    listing = client.get(f"/egenkontroller/?ar={TEST_YEAR}").text
    filtered = client.get(f"/egenkontroller/?ar={TEST_YEAR}&ej_genomford=1").text
    page = client.get(f"/egenkontroller/{skipped.id}").text

    assert listing.count("◆") == 1 and "Inte genomförd" in listing and "Ej genomförd" in listing
    assert "Hoppades över" in filtered
    assert "inte genomförd" in page and "Sjukdom" in page


def test_process_responsible_search_and_archive_filters(manager, client, make_control, make_risk, make_process,
                                                        make_user):
    anna = make_user(name="Anna Ansvarig")
    in_process = make_process(title="Hemtjänst")
    followed = make_control(title="Stickprov av hemtjänst", responsible=anna)
    link_control(None, make_risk(in_process), followed)
    other = make_control(title="Statistik över väntetider")
    link_control(None, make_risk(make_process(title="Mottagning")), other)
    archived = make_control(title="Gammal kontroll")
    archived.is_archived = True
    db.session.commit()

    by_process = client.get(f"/egenkontroller/?process={in_process.id}").text
    by_person = client.get(f"/egenkontroller/?ansvarig={anna.id}").text
    by_text = client.get("/egenkontroller/?sok=v%C3%A4ntetider").text
    default = client.get("/egenkontroller/").text
    with_archived = client.get("/egenkontroller/?arkiverade=1").text

    assert "Stickprov av hemtjänst" in by_process and "Statistik över väntetider" not in by_process
    assert "Stickprov av hemtjänst" in by_person and "Statistik över väntetider" not in by_person
    assert "Statistik över väntetider" in by_text and "Stickprov av hemtjänst" not in by_text
    assert "Gammal kontroll" not in default
    assert "Gammal kontroll" in with_archived and "Arkiverad" in with_archived


def test_list_shows_only_readable_units(client, login, make_user, make_unit, make_control):
    other_unit = make_unit(name="Hemtjänst")
    make_control(title="Vår kontroll")
    make_control(title="Deras kontroll", unit=other_unit)
    login(make_user(role=Role.OWNER))

    html = client.get("/egenkontroller/").text

    assert "Vår kontroll" in html and "Deras kontroll" not in html


@pytest.mark.parametrize(
    "query",
    [
        "sida=abc", "sida=-4", "sida=99999999999999999999", "ar=99999", "ar=abc", "ar=-1", "enhet=foo",
        "enhet=999999", "process=foo", "process=999", "ansvarig=x", "ej_genomford=ja", "arkiverade=2",
        "sok=" + "x" * 500, "enhet=1&enhet=2", "process=99999999999", "ansvarig=99999999999",
        "enhet=99999999999",
    ],
)
def test_bad_query_parameters_never_fail(manager, client, make_control, query):
    make_control()
    response = client.get(f"/egenkontroller/?{query}")
    assert response.status_code == 200


def test_the_list_asks_the_same_number_of_queries_for_10_and_200_controls(app, manager, client, unit, make_risk):
    risk = make_risk()

    def add(n: int) -> int:
        for number in range(n):
            control = create_control(None, unit, title=f"Kontroll {number}", frequency=Frequency.ANNUAL,
                                     responsible=manager)
            link_control(None, risk, control)
            record_check(None, control, performed_on=date(TEST_YEAR, 1, 2), outcome=CheckOutcome.NO_REMARKS)
        db.session.commit()
        return queries_for(client, f"/egenkontroller/?ar={TEST_YEAR}")

    assert add(10) == add(190)


# --- a control's page -----------------------------------------------------------------------------------------------


def test_detail_shows_facts_risks_checks_by_year_and_history(manager, client, make_control, make_risk, make_user):
    control = make_control(title="Journalgranskning", method="Stickprov", responsible=make_user(name="Åsa Öberg"))
    link_control(None, make_risk(title="Barnets bästa utreds inte"), control)
    check(control, date(TEST_YEAR - 1, 4, 1))
    check(control, date(TEST_YEAR, 5, 2), CheckOutcome.DEFICIENCIES, "Saknad dokumentation")
    db.session.commit()

    html = client.get(f"/egenkontroller/{control.id}").text

    assert "Stickprov" in html and "Åsa Öberg" in html and "Kvartalsvis" in html
    assert "Barnets bästa utreds inte" in html
    assert html.index(f"{TEST_YEAR}-05-02") < html.index(f"{TEST_YEAR - 1}-04-01")  # newest year first
    assert "Saknad dokumentation" in html
    assert "Skapade egenkontrollen" in html and "Skapade genomförd egenkontroll" in html
    assert 'action="/egenkontroller/%d/genomforande"' % control.id in html


def test_unknown_control_is_404(manager, client):
    assert client.get("/egenkontroller/99999").status_code == 404
    assert client.post("/egenkontroller/99999/genomforande").status_code == 404
    assert client.post("/egenkontroller/99999/ta-bort").status_code == 404


def test_detail_asks_the_same_number_of_queries_for_10_and_200_checks(app, manager, client, unit, make_control,
                                                                      make_process):
    control = make_control()
    process = make_process()

    def add(n: int) -> int:
        from app.core.services.risks import create_risk

        for number in range(n):
            link_control(None, create_risk(None, process, title=f"Risk {number}"), control)
            record_check(None, control, performed_on=date(TEST_YEAR - number % 3, 1, 2),
                         outcome=CheckOutcome.NO_REMARKS)
        db.session.commit()
        return queries_for(client, f"/egenkontroller/{control.id}?ar={TEST_YEAR}")

    assert add(10) == add(190)


# --- recording a check ----------------------------------------------------------------------------------------------


def test_record_check(manager, client, make_control):
    control = make_control()

    response = client.post(
        f"/egenkontroller/{control.id}/genomforande",
        data={"ar": TEST_YEAR, "performed_on": f"{TEST_YEAR}-04-02", "outcome": "deficiencies",
              "findings": "Tre journaler saknade plan"},
    )

    assert response.status_code == 302
    assert response.location.endswith(f"/egenkontroller/{control.id}?ar={TEST_YEAR}")
    made = db.session.scalar(select(ControlCheck))
    assert (made.year, made.performed_on, made.outcome, made.performed_by_id) == (
        TEST_YEAR, date(TEST_YEAR, 4, 2), CheckOutcome.DEFICIENCIES, manager.id
    )
    page = client.get(response.location).text
    assert "Tre journaler saknade plan" in page and "är registrerat" in page


def test_a_late_check_counts_for_the_year_given(manager, client, make_control):
    control = make_control()
    client.post(f"/egenkontroller/{control.id}/genomforande",
                data={"ar": TEST_YEAR - 1, "performed_on": f"{TEST_YEAR}-01-10", "outcome": "no_remarks"})
    assert db.session.scalar(select(ControlCheck.year)) == TEST_YEAR - 1


def test_without_a_year_the_date_decides(manager, client, make_control):
    control = make_control()
    client.post(f"/egenkontroller/{control.id}/genomforande",
                data={"performed_on": f"{TEST_YEAR}-02-03", "outcome": "no_remarks"})
    assert db.session.scalar(select(ControlCheck.year)) == TEST_YEAR


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"performed_on": f"{TEST_YEAR}-13-45", "outcome": "no_remarks"}, "Inte ett giltigt datum"),
        ({"performed_on": "", "outcome": "no_remarks"}, "Ange datum då den genomfördes."),
        ({"performed_on": f"{TEST_YEAR}-04-02", "outcome": "deficiencies", "findings": "  "},
         "Beskriv vilka brister som hittades."),
        ({"performed_on": f"{TEST_YEAR}-04-02", "outcome": "bra"}, "Inte ett giltigt val"),
        ({"performed_on": "2999-01-01", "outcome": "no_remarks"}, "Datumet kan inte ligga i framtiden."),
        ({"performed_on": f"{TEST_YEAR - 3}-01-01", "outcome": "no_remarks"}, f"Datumet ska ligga i {TEST_YEAR}"),
        ({"performed_on": f"{TEST_YEAR}-04-02", "outcome": "no_remarks", "findings": "x" * 10_001},
         "10000"),
    ],
)
def test_invalid_check_is_refused_with_the_input_kept(manager, client, make_control, data, message):
    control = make_control()
    events = count(AuditEvent)

    response = client.post(f"/egenkontroller/{control.id}/genomforande", data={"ar": TEST_YEAR, **data})

    assert response.status_code == 400
    assert message in response.text
    if data["performed_on"]:
        assert f'value="{data["performed_on"]}"' in response.text
    assert count(ControlCheck) == 0 and count(AuditEvent) == events


def test_a_locked_year_refuses_checks_and_hides_the_form(manager, client, make_control, unit):
    control = make_control()
    ensure_plan(None, unit, TEST_YEAR).status = PlanStatus.LOCKED
    db.session.commit()

    page = client.get(f"/egenkontroller/{control.id}?ar={TEST_YEAR}").text
    response = client.post(f"/egenkontroller/{control.id}/genomforande",
                           data={"ar": TEST_YEAR, "performed_on": f"{TEST_YEAR}-04-02", "outcome": "no_remarks"})

    assert "låst" in page and "Registrera genomförandet" not in page
    assert response.status_code == 400 and "låst" in response.text
    assert count(ControlCheck) == 0


def test_an_archived_control_takes_no_checks(manager, client, make_control):
    control = make_control()
    control.is_archived = True
    db.session.commit()
    response = client.post(f"/egenkontroller/{control.id}/genomforande",
                           data={"ar": TEST_YEAR, "performed_on": f"{TEST_YEAR}-04-02", "outcome": "no_remarks"})
    assert response.status_code == 400 and "arkiverad" in response.text
    assert count(ControlCheck) == 0


# --- creating and changing ------------------------------------------------------------------------------------------


def test_creating_from_a_risk_links_it(client, login, make_user, make_process, make_risk):
    owner = login(make_user(role=Role.OWNER, name="Olle Ägare"))
    risk = make_risk(make_process(owner=owner))

    form = client.get(f"/egenkontroller/ny?risk={risk.id}")
    response = client.post(f"/egenkontroller/ny?risk={risk.id}",
                           data={"title": "Genomgång av akter", "frequency": "monthly", "responsible_id": owner.id})

    assert form.status_code == 200 and risk.title in form.text
    assert response.status_code == 302
    control = db.session.scalar(select(Control))
    assert (control.title, control.frequency, control.unit_id, control.responsible_id) == (
        "Genomgång av akter", Frequency.MONTHLY, risk.process.unit_id, owner.id
    )
    assert control.risks == [risk]


def test_creating_in_a_unit_can_link_several_risks(manager, client, unit, make_risk):
    first, second = make_risk(title="Första risken"), make_risk(title="Andra risken")
    response = client.post(f"/egenkontroller/ny?enhet={unit.id}",
                           data={"title": "Enkät", "frequency": "annual", "risk_ids": [first.id, second.id]})
    assert response.status_code == 302
    assert {r.id for r in db.session.scalar(select(Control)).risks} == {first.id, second.id}


def test_invalid_new_control_keeps_the_input(manager, client, unit):
    response = client.post(f"/egenkontroller/ny?enhet={unit.id}",
                           data={"title": "", "method": "Stickprov av tio akter", "frequency": "sometimes"})
    assert response.status_code == 400
    assert "Ange vad som kontrolleras." in response.text and "Stickprov av tio akter" in response.text
    assert count(Control) == 0


def test_responsible_choices_are_active_people_of_the_unit_in_swedish_order(manager, client, unit, make_user,
                                                                           make_unit):
    for name in ["Örjan Öst", "Åsa Ås", "Zara Zetterlund", "Ärla Äng", "Anna Alm"]:
        make_user(name=name)
    make_user(name="Inaktiv Person").is_active = False
    db.session.commit()
    make_user(name="Bengt Borta", unit=make_unit(name="Annan enhet"))
    html = client.get(f"/egenkontroller/ny?enhet={unit.id}").text
    positions = [html.index(name) for name in ["Anna Alm", "Zara Zetterlund", "Åsa Ås", "Ärla Äng", "Örjan Öst"]]
    assert positions == sorted(positions)
    assert "Bengt Borta" not in html and "Inaktiv Person" not in html


def test_create_needs_a_unit_she_may_contribute_to(client, login, make_user, make_unit, make_risk, make_process):
    login(make_user(role=Role.OWNER))
    other = make_unit(name="Hemtjänst")
    not_hers = make_risk(make_process())  # a risk of her unit, but of a process she does not own
    assert client.get(f"/egenkontroller/ny?enhet={other.id}").status_code == 403
    assert client.get(f"/egenkontroller/ny?risk={not_hers.id}").status_code == 403
    assert client.get("/egenkontroller/ny?enhet=99999").status_code == 404
    assert client.get("/egenkontroller/ny?risk=abc").status_code == 404
    assert client.get("/egenkontroller/ny?risk=99999999999").status_code == 404
    assert client.get("/egenkontroller/ny?enhet=99999999999").status_code == 404


def test_edit_control(manager, client, make_control):
    control = make_control(title="Gammalt namn")
    form = client.get(f"/egenkontroller/{control.id}/redigera")
    response = client.post(f"/egenkontroller/{control.id}/redigera",
                           data={"title": "Nytt namn", "frequency": "annual", "method": "Enkät"})
    assert form.status_code == 200 and "Gammalt namn" in form.text and 'selected value="quarterly"' in form.text
    assert response.status_code == 302
    assert (control.title, control.frequency, control.method) == ("Nytt namn", Frequency.ANNUAL, "Enkät")


def test_owner_edits_a_control_of_her_risk_but_not_another_units(client, login, make_user, make_unit,
                                                                 make_process, make_risk, make_control):
    owner = login(make_user(role=Role.OWNER))
    mine = make_control(title="Min kontroll")
    link_control(None, make_risk(make_process(owner=owner)), mine)
    other_unit = make_unit(name="Hemtjänst")
    theirs = make_control(title="Deras", unit=other_unit)
    db.session.commit()
    data = {"title": "Ändrad", "frequency": "annual"}

    assert client.get(f"/egenkontroller/{mine.id}/redigera").status_code == 200
    assert client.post(f"/egenkontroller/{mine.id}/redigera", data=data).status_code == 302
    assert client.get(f"/egenkontroller/{theirs.id}").status_code == 403
    assert client.post(f"/egenkontroller/{theirs.id}/redigera", data=data).status_code == 403
    assert theirs.title == "Deras"


def test_reader_sees_no_edit_controls_and_every_post_is_403(client, login, make_user, make_control, make_risk):
    control = make_control()
    risk = make_risk()
    login(make_user(role=Role.READER))
    valid_check = {"ar": TEST_YEAR, "performed_on": f"{TEST_YEAR}-04-02", "outcome": "no_remarks"}

    page = client.get(f"/egenkontroller/{control.id}").text
    listing = client.get("/egenkontroller/").text

    assert "Redigera" not in page and "Registrera genomförandet" not in page and "Ta bort" not in page
    assert "Arkivera" not in page and "Ny egenkontroll" not in listing
    for url, data in [
        (f"/egenkontroller/{control.id}/genomforande", valid_check),
        (f"/egenkontroller/{control.id}/redigera", {"title": "x", "frequency": "annual"}),
        (f"/egenkontroller/{control.id}/arkivera", {}),
        (f"/egenkontroller/{control.id}/aterstall", {}),
        (f"/egenkontroller/{control.id}/ta-bort", {}),
        (f"/egenkontroller/ny?risk={risk.id}", {"title": "x", "frequency": "annual"}),
        (f"/egenkontroller/ny?enhet={control.unit_id}", {"title": "x", "frequency": "annual"}),
    ]:
        assert client.post(url, data=data).status_code == 403, url
    assert count(ControlCheck) == 0 and count(Control) == 1


# --- archiving and deleting -----------------------------------------------------------------------------------------


def test_delete_is_refused_for_a_control_with_checks(manager, client, make_control):
    control = make_control()
    check(control, date(TEST_YEAR, 2, 1))

    response = client.post(f"/egenkontroller/{control.id}/ta-bort", follow_redirects=True)

    assert "Arkivera den i stället" in response.text
    assert count(Control) == 1


def test_delete_without_history_unlinks_and_records_it(manager, client, make_control, make_risk):
    control = make_control()
    risk = make_risk()
    link_control(None, risk, control)
    db.session.commit()
    control_id = control.id

    response = client.post(f"/egenkontroller/{control_id}/ta-bort")

    assert response.status_code == 302 and response.location.endswith("/egenkontroller/")
    assert count(Control) == 0 and risk.controls == []
    deleted = db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "delete"))
    assert (deleted.entity_type, deleted.entity_id, deleted.actor_id) == ("Control", control_id, manager.id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "unlink")).entity_id == risk.id


def test_archive_and_restore(manager, client, make_control):
    control = make_control()
    check(control, date(TEST_YEAR, 2, 1))
    page = client.get(f"/egenkontroller/{control.id}").text
    assert "Arkivera" in page and "Ta bort" not in page

    client.post(f"/egenkontroller/{control.id}/arkivera")
    assert control.is_archived
    assert "Återställ" in client.get(f"/egenkontroller/{control.id}").text
    client.post(f"/egenkontroller/{control.id}/aterstall")
    assert not control.is_archived


def test_get_never_changes_anything(manager, client, make_control):
    control = make_control()
    events = count(AuditEvent)
    for url in [f"/egenkontroller/{control.id}/arkivera", f"/egenkontroller/{control.id}/ta-bort",
                f"/egenkontroller/{control.id}/genomforande"]:
        assert client.get(url).status_code == 405
    assert count(AuditEvent) == events


# --- helpers --------------------------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    """How many SQL statements one GET of url runs, with nothing cached from setting up."""
    db.session.expire_all()
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
