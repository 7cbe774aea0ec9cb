"""The åtgärd pages: the list and its filters, an åtgärd's page, marking it genomförd, and stale edits."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.core.services.actions import complete_action, create_action, update_action
from app.core.services.risks import link_action
from app.core.unit_year import ensure_plan
from app.core.years import today
from app.extensions import db
from app.models import Action, ActionStatus, AuditEvent, PlanStatus, Role
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


def edit_data(action: Action, **changes) -> dict:
    """What the edit form posts for the action as it is, with some fields changed."""
    return {
        "version": action.version,
        "title": action.title,
        "description": action.description,
        "responsible_id": action.responsible_id or "None",
        "start_year": action.start_year,
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "status": action.status.value,
        "follow_up": action.follow_up,
        "completed_on": action.completed_on.isoformat() if action.completed_on else "",
    } | changes


# --- the list -------------------------------------------------------------------------------------------------------


def test_list_shows_responsible_due_date_status_and_risks(manager, client, make_action, make_risk, make_user):
    action = make_action(title="Ta fram en checklista", responsible=make_user(name="Åke Ström"))
    link_action(None, make_risk(title="Barnets röst hörs inte"), action)
    db.session.commit()

    html = client.get(f"/atgarder/?ar={TEST_YEAR}").text

    assert "Ta fram en checklista" in html and "Åke Ström" in html and "Barnets röst hörs inte" in html
    assert f"{TEST_YEAR}-06-30" in html and "Planerad" in html


def test_overdue_filter_and_tag(manager, client, make_action):
    make_action(title="Försenad åtgärd", due_on=today() - timedelta(days=1))
    make_action(title="I tid", due_on=today() + timedelta(days=30))
    done = make_action(title="Klar sent", due_on=today() - timedelta(days=10))
    complete_action(None, done, follow_up="Gjort", completed_on=today())
    db.session.commit()

    html = client.get("/atgarder/?forsenad=1").text

    assert "Försenad åtgärd" in html
    assert "I tid" not in html and "Klar sent" not in html
    assert 'class="tag tag-overdue">Försenad' in html


def test_status_filter(manager, client, make_action):
    make_action(title="Planerad åtgärd")
    make_action(title="Pågående åtgärd", status=ActionStatus.IN_PROGRESS)

    html = client.get("/atgarder/?status=in_progress").text

    assert "Pågående åtgärd" in html and "Planerad åtgärd" not in html


def test_year_filter_follows_the_visibility_rule(manager, client, make_action):
    make_action(title="Startar nästa år", start_year=TEST_YEAR + 1, due_on=None)
    earlier = make_action(title="Klar i fjol", start_year=TEST_YEAR - 2)
    complete_action(None, earlier, follow_up="Gjort", completed_on=date(TEST_YEAR - 1, 5, 1))
    make_action(title="Pågår sedan länge", start_year=TEST_YEAR - 2)
    db.session.commit()

    this_year = client.get(f"/atgarder/?ar={TEST_YEAR}").text
    last_year = client.get(f"/atgarder/?ar={TEST_YEAR - 1}").text

    assert "Pågår sedan länge" in this_year
    assert "Klar i fjol" not in this_year and "Startar nästa år" not in this_year
    assert "Klar i fjol" in last_year and "Pågår sedan länge" in last_year


def test_process_responsible_search_and_archive_filters(manager, client, make_action, make_risk, make_process,
                                                        make_user):
    anna = make_user(name="Anna Ansvarig")
    process = make_process(title="Hemtjänst")
    ours = make_action(title="Utbilda personalen", responsible=anna)
    link_action(None, make_risk(process), ours)
    other = make_action(title="Ny rutin för mottagning")
    link_action(None, make_risk(make_process(title="Mottagning")), other)
    archived = make_action(title="Gammal åtgärd")
    archived.is_archived = True
    db.session.commit()

    by_process = client.get(f"/atgarder/?process={process.id}").text
    by_person = client.get(f"/atgarder/?ansvarig={anna.id}").text
    by_text = client.get("/atgarder/?sok=rutin").text

    assert "Utbilda personalen" in by_process and "Ny rutin för mottagning" not in by_process
    assert "Utbilda personalen" in by_person and "Ny rutin för mottagning" not in by_person
    assert "Ny rutin för mottagning" in by_text and "Utbilda personalen" not in by_text
    assert "Gammal åtgärd" not in client.get("/atgarder/").text
    assert "Gammal åtgärd" in client.get("/atgarder/?arkiverade=1").text


def test_list_shows_only_readable_units(client, login, make_user, make_unit, make_action):
    make_action(title="Vår åtgärd")
    make_action(title="Deras åtgärd", unit=make_unit(name="Hemtjänst"))
    login(make_user(role=Role.OWNER))

    html = client.get("/atgarder/").text

    assert "Vår åtgärd" in html and "Deras åtgärd" not in html


@pytest.mark.parametrize(
    "query",
    [
        "sida=abc", "sida=0", "sida=99999999999999999999", "ar=99999", "ar=x", "enhet=foo", "enhet=424242",
        "process=foo", "status=klar", "status=", "ansvarig=%20", "forsenad=ja", "arkiverade=x", "sok=" + "å" * 400,
        "status=done&status=planned", "process=99999999999", "ansvarig=99999999999", "enhet=99999999999",
    ],
)
def test_bad_query_parameters_never_fail(manager, client, make_action, query):
    make_action()
    assert client.get(f"/atgarder/?{query}").status_code == 200


def test_the_list_asks_the_same_number_of_queries_for_10_and_200_actions(app, manager, client, unit, make_risk):
    risk = make_risk()

    def add(n: int) -> int:
        for number in range(n):
            action = create_action(None, unit, title=f"Åtgärd {number}", start_year=TEST_YEAR,
                                   responsible=manager, due_on=date(TEST_YEAR, 1, 1) + timedelta(days=number))
            link_action(None, risk, action)
        db.session.commit()
        return queries_for(client, f"/atgarder/?ar={TEST_YEAR}")

    assert add(10) == add(190)


# --- an åtgärd's page and marking it genomförd ----------------------------------------------------------------------


def test_detail_shows_facts_risks_and_history(manager, client, make_action, make_risk):
    action = make_action(description="Checklistan ska täcka alla steg")
    link_action(None, make_risk(title="Utredningen blir inte klar i tid"), action)
    db.session.commit()

    html = client.get(f"/atgarder/{action.id}").text

    assert "Checklistan ska täcka alla steg" in html and "Utredningen blir inte klar i tid" in html
    assert "Skapade åtgärden" in html
    assert "Markera som genomförd" in html and f'name="version" type="hidden" value="{action.version}"' in html


def test_complete_shows_the_done_mark_on_detail_and_list(manager, client, make_action):
    action = make_action(title="Ta fram en checklista")

    response = client.post(f"/atgarder/{action.id}/genomford", data={
        "version": action.version, "follow_up": "Checklistan används sedan maj", "completed_on": f"{TEST_YEAR}-05-02",
    })

    assert response.status_code == 302
    assert (action.status, action.completed_on) == (ActionStatus.DONE, date(TEST_YEAR, 5, 2))
    detail = client.get(f"/atgarder/{action.id}").text
    listing = client.get(f"/atgarder/?ar={TEST_YEAR}").text
    assert 'class="done-mark"' in detail and "Checklistan används sedan maj" in detail
    assert "Markera som genomförd" not in detail
    assert 'class="done-mark"' in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"follow_up": "  ", "completed_on": f"{TEST_YEAR}-05-02"}, "Beskriv vad som gjordes"),
        ({"follow_up": "Klart", "completed_on": ""}, "Ange datum då åtgärden genomfördes."),
        ({"follow_up": "Klart", "completed_on": f"{TEST_YEAR}-02-30"}, "Inte ett giltigt datum"),
        ({"follow_up": "Klart", "completed_on": "2999-01-01"}, "Datumet kan inte ligga i framtiden."),
        ({"follow_up": "Klart", "completed_on": f"{TEST_YEAR - 1}-12-31"}, "före sitt startår"),
    ],
)
def test_invalid_completion_is_refused_with_the_input_kept(manager, client, make_action, data, message):
    action = make_action()
    events = count(AuditEvent)

    response = client.post(f"/atgarder/{action.id}/genomford", data={"version": action.version, **data})

    assert response.status_code == 400 and message in response.text
    if data["completed_on"]:
        assert f'value="{data["completed_on"]}"' in response.text
    db.session.expire_all()
    assert action.status is ActionStatus.PLANNED and count(AuditEvent) == events


def test_completing_twice_is_refused(manager, client, make_action):
    action = make_action()
    complete_action(None, action, follow_up="Först", completed_on=date(TEST_YEAR, 3, 1))
    db.session.commit()
    response = client.post(f"/atgarder/{action.id}/genomford",
                           data={"version": action.version, "follow_up": "Igen", "completed_on": f"{TEST_YEAR}-04-01"})
    assert response.status_code == 400 and "redan genomförd" in response.text
    assert action.follow_up == "Först"


# --- stale edits ----------------------------------------------------------------------------------------------------


def test_a_stale_edit_keeps_her_input_and_names_who_changed_it(manager, client, make_action, make_user):
    action = make_action(title="Ta fram en checklista")
    loaded = client.get(f"/atgarder/{action.id}/redigera")
    old_version = action.version
    anna = make_user(name="Anna Berg")
    update_action(anna, action, title="Annas titel", start_year=action.start_year, status=ActionStatus.IN_PROGRESS,
                  due_on=action.due_on)
    db.session.commit()
    saved = (action.title, action.status, action.version)

    response = client.post(f"/atgarder/{action.id}/redigera",
                           data=edit_data(action, version=old_version, title="Mitt förslag",
                                          description="Min beskrivning", status="planned"))

    assert loaded.status_code == 200 and f'value="{old_version}"' in loaded.text
    assert response.status_code == 409
    assert "Ändrad av Anna Berg" in response.text
    assert "Mitt förslag" in response.text and "Min beskrivning" in response.text
    assert f'name="version" type="hidden" value="{action.version}"' in response.text
    db.session.expire_all()
    assert (action.title, action.status, action.version) == saved

    # Having seen Anna's save, she saves again on purpose: now it goes through.
    again = client.post(f"/atgarder/{action.id}/redigera",
                        data=edit_data(action, title="Mitt förslag", status="planned"))
    assert again.status_code == 302
    db.session.expire_all()
    assert action.title == "Mitt förslag"


def test_a_stale_completion_keeps_her_input(manager, client, make_action, make_user):
    action = make_action()
    old_version = action.version
    update_action(make_user(name="Anna Berg"), action, title="Ändrad av Anna", start_year=action.start_year,
                  status=ActionStatus.IN_PROGRESS)
    db.session.commit()

    response = client.post(f"/atgarder/{action.id}/genomford", data={
        "version": old_version, "follow_up": "Min uppföljning", "completed_on": f"{TEST_YEAR}-05-02",
    })

    assert response.status_code == 409
    assert "Ändrad av Anna Berg" in response.text and "Min uppföljning" in response.text
    assert f'name="version" type="hidden" value="{action.version}"' in response.text
    db.session.expire_all()
    assert action.status is ActionStatus.IN_PROGRESS and action.follow_up == ""


# --- creating and changing ------------------------------------------------------------------------------------------


def test_creating_from_a_risk_links_it_and_starts_this_year(client, login, make_user, make_process, make_risk):
    owner = login(make_user(role=Role.OWNER))
    risk = make_risk(make_process(owner=owner))

    form = client.get(f"/atgarder/ny?risk={risk.id}")
    response = client.post(f"/atgarder/ny?risk={risk.id}", data={
        "title": "Inför checklista", "start_year": TEST_YEAR, "due_on": f"{TEST_YEAR}-12-31", "status": "planned",
        "responsible_id": owner.id,
    })

    assert form.status_code == 200 and f'value="{TEST_YEAR}"' in form.text
    assert "Genomförd datum" not in form.text  # a new åtgärd is planned; it is completed from its page
    assert response.status_code == 302
    action = db.session.scalar(select(Action))
    assert (action.unit_id, action.start_year, action.due_on, action.responsible_id) == (
        risk.process.unit_id, TEST_YEAR, date(TEST_YEAR, 12, 31), owner.id
    )
    assert action.risks == [risk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Beskriv åtgärden kort."),
        ({"start_year": "tjugo"}, "Inte ett giltigt heltal"),
        ({"start_year": "1850"}, "Startåret måste vara mellan"),
        ({"due_on": f"{TEST_YEAR}-13-45"}, "Inte ett giltigt datum"),
        ({"status": "klar"}, "Inte ett giltigt val"),
        ({"status": "done", "follow_up": "Gjort", "completed_on": ""}, "Ange datum då åtgärden genomfördes."),
        ({"status": "done", "follow_up": "", "completed_on": f"{TEST_YEAR}-03-01"}, "Beskriv vad som gjordes"),
    ],
)
def test_invalid_edit_is_refused_with_the_input_kept(manager, client, make_action, changes, message):
    action = make_action()
    saved = (action.title, action.status, action.version)

    response = client.post(f"/atgarder/{action.id}/redigera", data=edit_data(action, **changes))

    assert response.status_code == 400 and message in response.text
    for name, value in changes.items():
        if value and name != "status":  # an unknown status cannot be shown in the select; the rest can
            assert str(value) in response.text
    db.session.expire_all()
    assert (action.title, action.status, action.version) == saved


def test_edit_can_reopen_and_change_everything(manager, client, make_action, make_user):
    person = make_user(name="Berit")
    action = make_action()
    response = client.post(f"/atgarder/{action.id}/redigera", data=edit_data(
        action, title="Nytt namn", status="in_progress", responsible_id=person.id, due_on=f"{TEST_YEAR}-10-01",
        follow_up="Halvvägs",
    ))
    assert response.status_code == 302
    assert (action.title, action.status, action.responsible_id, action.due_on, action.follow_up) == (
        "Nytt namn", ActionStatus.IN_PROGRESS, person.id, date(TEST_YEAR, 10, 1), "Halvvägs"
    )


def test_an_action_completed_in_a_locked_year_cannot_change(manager, client, unit, make_action):
    action = make_action(start_year=TEST_YEAR - 1)
    complete_action(None, action, follow_up="Gjort", completed_on=date(TEST_YEAR - 1, 11, 1))
    ensure_plan(None, unit, TEST_YEAR - 1).status = PlanStatus.LOCKED
    db.session.commit()

    page = client.get(f"/atgarder/{action.id}").text
    response = client.post(f"/atgarder/{action.id}/redigera", data=edit_data(action, title="Ändrad i efterhand"))

    assert "låst" in page and "Redigera åtgärden" not in page
    assert response.status_code == 400 and "låst" in response.text
    db.session.expire_all()
    assert action.title == "Ta fram en checklista"


def test_reader_sees_no_edit_controls_and_every_post_is_403(client, login, make_user, make_action, make_risk):
    action = make_action()
    risk = make_risk()
    login(make_user(role=Role.READER))

    page = client.get(f"/atgarder/{action.id}").text
    listing = client.get("/atgarder/").text

    assert "Redigera" not in page and "Markera som genomförd" not in page
    assert "Arkivera" not in page and "Ta bort" not in page and "Ny åtgärd" not in listing
    for url, data in [
        (f"/atgarder/{action.id}/genomford", {"version": 1, "follow_up": "x", "completed_on": f"{TEST_YEAR}-02-01"}),
        (f"/atgarder/{action.id}/redigera", edit_data(action)),
        (f"/atgarder/{action.id}/arkivera", {}),
        (f"/atgarder/{action.id}/aterstall", {}),
        (f"/atgarder/{action.id}/ta-bort", {}),
        (f"/atgarder/ny?risk={risk.id}", {"title": "x", "start_year": TEST_YEAR, "status": "planned"}),
        (f"/atgarder/ny?enhet={action.unit_id}", {"title": "x", "start_year": TEST_YEAR, "status": "planned"}),
    ]:
        assert client.post(url, data=data).status_code == 403, url
    assert count(Action) == 1 and action.status is ActionStatus.PLANNED


def test_owner_may_not_touch_another_units_action(client, login, make_user, make_unit, make_action):
    login(make_user(role=Role.OWNER))
    theirs = make_action(unit=make_unit(name="Hemtjänst"))
    assert client.get(f"/atgarder/{theirs.id}").status_code == 403
    assert client.post(f"/atgarder/{theirs.id}/redigera", data=edit_data(theirs)).status_code == 403


def test_unknown_action_is_404(manager, client):
    assert client.get("/atgarder/4711").status_code == 404
    assert client.post("/atgarder/4711/genomford").status_code == 404
    assert client.get("/atgarder/4711/redigera").status_code == 404
    for query in ["risk=abc", "risk=99999999999", "enhet=99999999999", "enhet=-1"]:
        assert client.get(f"/atgarder/ny?{query}").status_code == 404, query


# --- archiving and deleting -----------------------------------------------------------------------------------------


def test_delete_a_planned_action_without_history(manager, client, make_action, make_risk):
    action = make_action()
    risk = make_risk()
    link_action(None, risk, action)
    db.session.commit()
    action_id = action.id

    page = client.get(f"/atgarder/{action_id}").text
    response = client.post(f"/atgarder/{action_id}/ta-bort")

    assert "Ta bort" in page
    assert response.status_code == 302 and count(Action) == 0 and risk.actions == []
    deleted = db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "delete"))
    assert (deleted.entity_type, deleted.entity_id, deleted.actor_id) == ("Action", action_id, manager.id)


@pytest.mark.parametrize("history", ["started", "followed_up", "completed_then_reopened"])
def test_delete_is_refused_once_the_action_has_history(manager, client, make_action, history):
    action = make_action()
    fields = {"title": action.title, "start_year": action.start_year, "due_on": action.due_on}
    if history == "started":
        update_action(None, action, status=ActionStatus.IN_PROGRESS, **fields)
    elif history == "followed_up":
        update_action(None, action, status=ActionStatus.PLANNED, follow_up="Påbörjad", **fields)
    else:
        complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR, 3, 1))
        update_action(None, action, status=ActionStatus.PLANNED, **fields)
    db.session.commit()

    page = client.get(f"/atgarder/{action.id}").text
    response = client.post(f"/atgarder/{action.id}/ta-bort", follow_redirects=True)

    assert "Ta bort" not in page and "Arkivera" in page
    assert "Arkivera den i stället" in response.text and count(Action) == 1


def test_archive_and_restore(manager, client, make_action):
    action = make_action(status=ActionStatus.IN_PROGRESS)
    client.post(f"/atgarder/{action.id}/arkivera")
    assert action.is_archived
    page = client.get(f"/atgarder/{action.id}").text
    assert "Återställ" in page and "Markera som genomförd" not in page
    client.post(f"/atgarder/{action.id}/aterstall")
    assert not action.is_archived


def test_detail_asks_the_same_number_of_queries_for_10_and_200_risks(manager, client, make_action, make_process):
    from app.core.services.risks import create_risk

    action = make_action()
    process = make_process()

    def add(n: int) -> int:
        for number in range(n):
            risk = create_risk(None, process, title=f"Risk {number}")
            link_action(None, risk, action)
            update_action(None, action, title=f"Titel {number}", start_year=TEST_YEAR, status=ActionStatus.PLANNED)
        db.session.commit()
        return queries_for(client, f"/atgarder/{action.id}")

    assert add(10) == add(190)


# --- helpers --------------------------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    """How many SQL statements one GET of url runs, with nothing cached from setting up."""
    db.session.expire_all()
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
