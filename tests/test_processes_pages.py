"""The process pages: the tree per unit, a process's page, and adding, changing, archiving and deleting processes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.services.actions import create_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import create_control
from app.core.services.processes import set_archived
from app.core.services.risks import create_risk, link_action, link_control
from app.extensions import db
from app.models import (
    ActionStatus,
    AuditEvent,
    Base,
    Frequency,
    Process,
    RiskStatus,
    Role,
)
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.MANAGER, name="Maria Chef")


@pytest.fixture
def switch_to(client, login):
    """Sign out whoever is signed in, then sign in as the given user."""

    def switch(user):
        client.post("/logga-ut")
        return login(user)

    return switch


def database_contents() -> dict[str, list[tuple]]:
    return {
        table.name: sorted(db.session.execute(select(table)).tuples(), key=repr)
        for table in Base.metadata.sorted_tables
    }


def add_risks(process, count: int, control, action) -> None:
    """Many assessed risks, each linked to the egenkontroll and the åtgärd; one commit."""
    for number in range(count):
        risk = create_risk(None, process, title=f"Risk {number:03}")
        assess_risk(None, risk, year=TEST_YEAR, likelihood=1 + number % 4, consequence=1 + number % 3,
                    status=RiskStatus.NEW)
        link_control(None, risk, control)
        link_action(None, risk, action)
    db.session.commit()


# --- the tree -------------------------------------------------------------------------------------------------------


def test_index_shows_the_tree_with_owner_risks_and_highest_level(
    client, login, unit, manager, make_user, make_process, make_risk, make_assessment
):
    owner = make_user(name="Olle Ägare")
    top = make_process(title="Myndighetsutövning", owner=owner)
    make_process(title="Uppföljning", parent=top)  # siblings follow the plan's order: the order they were added
    child = make_process(title="Utredning", parent=top)
    make_assessment(make_risk(child, title="Sen utredning"), likelihood=4, consequence=4)
    make_assessment(make_risk(child, title="Brister i dokumentation"), likelihood=1, consequence=2)
    make_risk(child, title="Ej bedömd risk")
    archived = make_process(title="Gammal process")
    set_archived(None, archived, True)
    db.session.commit()
    login(manager)

    page = client.get("/processer/")

    assert page.status_code == 200
    text = page.text
    assert text.index("Myndighetsutövning") < text.index("Uppföljning") < text.index("Utredning")
    assert "Olle Ägare" in text
    assert "3 risker" in text and "1 ej bedömd 2026" in text
    assert re.search(r'style="background: #c62828; color: #ffffff"\s+title="Högsta riskvärde 16 \(Mycket hög\)"', text)
    assert "Ingen riskanalys" in text  # Uppföljning has no risks
    assert "Gammal process" not in text
    assert f'href="/processer/ny?enhet={unit.id}"' in text
    assert "Gammal process" in client.get("/processer/?arkiverade=1").text


def test_index_lists_only_readable_units(client, login, unit, make_unit, make_user, make_process):
    other = make_unit(code="hvo", name="Hemtjänst")
    make_process(title="Hemtjänstinsats", unit=other)
    make_process(title="Utredning")
    login(make_user(role=Role.READER))

    text = client.get("/processer/").text

    assert "Utredning" in text and "Hemtjänstinsats" not in text
    assert "Ny process" not in text
    assert client.get(f"/processer/?enhet={other.id}").status_code == 403


# --- a process's page ------------------------------------------------------------------------------------------------


def test_detail_shows_risks_links_subprocesses_and_history(
    client, login, manager, make_user, make_process, make_risk, make_assessment, make_control, make_action
):
    owner = make_user(name="Olle Ägare")
    parent = make_process(title="Myndighetsutövning")
    process = make_process(title="Utredning", parent=parent, owner=owner)
    make_process(title="Barnsamtal", parent=process)
    risk = make_risk(process, title="Sen utredning")
    make_assessment(risk, likelihood=3, consequence=4, status=RiskStatus.IN_PROGRESS)
    control, action = make_control(title="Journalgranskning"), make_action(title="Checklista för utredning")
    link_control(None, risk, control)
    link_action(None, risk, action)
    make_control(title="Okopplad kontroll")
    db.session.commit()
    login(manager)

    text = client.get(f"/processer/{process.id}?ar={TEST_YEAR}").text

    assert "Olle Ägare" in text and "Myndighetsutövning" in text and "Barnsamtal" in text
    assert "Sen utredning" in text and "Pågående" in text and "Riskvärde 12 (Mycket hög)" in text
    assert f'href="/egenkontroller/{control.id}?ar={TEST_YEAR}">Journalgranskning</a>' in text
    assert f'href="/atgarder/{action.id}">Checklista för utredning</a>' in text
    assert "Okopplad kontroll" not in text
    assert f'href="/risker/ny?process={process.id}"' in text
    assert "Skapade processen" in text  # the audit history
    assert "Ta bort" not in text  # it has risks and a sub-process


def test_detail_of_an_unknown_or_unreadable_process(client, login, make_unit, make_user, make_process):
    other = make_process(title="Hemtjänstinsats", unit=make_unit(code="hvo", name="Hemtjänst"))
    login(make_user(role=Role.READER))
    assert client.get("/processer/999999").status_code == 404
    assert client.get(f"/processer/{other.id}").status_code == 403


# --- creating and changing ------------------------------------------------------------------------------------------


def test_manager_creates_a_subprocess(client, login, unit, manager, make_user, make_process):
    parent = make_process(title="Myndighetsutövning")
    owner = make_user(name="Olle Ägare")
    login(manager)
    form = client.get(f"/processer/ny?enhet={unit.id}&parent={parent.id}")
    assert form.status_code == 200
    assert f'<option selected value="{parent.id}">' in form.text

    response = client.post(
        f"/processer/ny?enhet={unit.id}",
        data={"title": " Utredning ", "description": "BBIC", "parent": parent.id, "owner": owner.id, "sort_order": 2},
    )

    assert response.status_code == 302
    process = db.session.scalar(select(Process).where(Process.title == "Utredning"))
    assert (process.parent_id, process.owner_id, process.sort_order, process.unit_id) == (
        parent.id, owner.id, 2, unit.id
    )
    assert response.headers["Location"].endswith(f"/processer/{process.id}")
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_id == process.id,
                                                         AuditEvent.entity_type == "Process"))
    assert created.verb == "create" and created.actor_id == manager.id


def test_parent_from_another_unit_is_refused_and_nothing_written(client, login, unit, make_unit, manager,
                                                                 make_process):
    foreign = make_process(title="Hemtjänstinsats", unit=make_unit(code="hvo", name="Hemtjänst"))
    login(manager)
    before = database_contents()

    response = client.post(f"/processer/ny?enhet={unit.id}", data={"title": "Utredning", "parent": foreign.id})

    assert response.status_code == 400
    assert "Den överordnade processen måste tillhöra samma enhet." in response.text
    assert 'value="Utredning"' in response.text  # the typed input is kept
    db.session.expire_all()
    assert database_contents() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Ange processens namn."),
        ({"title": "x" * 301}, "Högst 300 tecken."),
        ({"title": "Ny", "owner": "987654"}, "Den valda processägaren finns inte."),
        ({"title": "Ny", "owner": "abc"}, "Den valda processägaren finns inte."),
        ({"title": "Ny", "parent": "987654"}, "Den valda överordnade processen finns inte."),
        ({"title": "Ny", "parent": "99999999999999999999"}, "Den valda överordnade processen finns inte."),
        ({"title": "Ny", "sort_order": "abc"}, "Inte ett giltigt heltal"),
        ({"title": "Ny", "sort_order": "100000"}, "Ordningen ska vara ett heltal mellan 0 och 9999."),
    ],
)
def test_bad_form_input_is_refused_in_swedish(client, login, unit, manager, data, message):
    login(manager)
    before = database_contents()
    response = client.post(f"/processer/ny?enhet={unit.id}", data=data)
    assert response.status_code == 400
    assert message in response.text
    db.session.expire_all()
    assert database_contents() == before


def test_manager_edits_a_process(client, login, manager, make_user, make_process):
    process = make_process(title="Utredning")
    new_owner = make_user(name="Nina Ny")
    login(manager)
    form = client.get(f"/processer/{process.id}/redigera")
    assert form.status_code == 200 and 'value="Utredning"' in form.text

    response = client.post(f"/processer/{process.id}/redigera",
                           data={"title": "Utredning enligt BBIC", "owner": new_owner.id, "sort_order": 1})

    assert response.status_code == 302
    db.session.expire_all()
    assert (process.title, process.owner_id, process.sort_order) == ("Utredning enligt BBIC", new_owner.id, 1)
    changed = db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "update"))
    assert changed.changes["title"] == ["Utredning", "Utredning enligt BBIC"]


def test_a_process_cannot_move_under_itself(client, login, manager, make_process):
    top = make_process(title="Myndighetsutövning")
    child = make_process(title="Utredning", parent=top)
    login(manager)
    response = client.post(f"/processer/{top.id}/redigera", data={"title": top.title, "parent": child.id})
    assert response.status_code == 400
    assert "En process kan inte ligga under sig själv." in response.text


# --- archiving and deleting -----------------------------------------------------------------------------------------


def test_archive_restore_and_delete(client, login, manager, make_process, make_risk):
    with_risk = make_process(title="Utredning")
    make_risk(with_risk)
    empty = make_process(title="Felregistrerad")
    login(manager)

    refused = client.post(f"/processer/{with_risk.id}/ta-bort", follow_redirects=True)
    assert "Processen har risker och kan inte tas bort. Arkivera den i stället." in refused.text
    assert db.session.get(Process, with_risk.id) is not None

    assert client.post(f"/processer/{with_risk.id}/arkivera").status_code == 302
    db.session.expire_all()
    assert with_risk.is_archived
    assert client.post(f"/processer/{with_risk.id}/aterstall").status_code == 302
    db.session.expire_all()
    assert not with_risk.is_archived

    empty_id = empty.id
    deleted = client.post(f"/processer/{empty_id}/ta-bort")
    assert deleted.status_code == 302 and deleted.headers["Location"].startswith("/processer/?enhet=")
    db.session.expire_all()
    assert db.session.get(Process, empty_id) is None
    removed = db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "delete"))
    assert (removed.entity_type, removed.entity_id, removed.changes["title"]) == (
        "Process", empty_id, ["Felregistrerad", None]
    )


def test_delete_refused_with_subprocesses_and_archive_refused_with_active_ones(client, login, manager,
                                                                                make_process):
    top = make_process(title="Myndighetsutövning")
    make_process(title="Utredning", parent=top)
    login(manager)

    deleted = client.post(f"/processer/{top.id}/ta-bort", follow_redirects=True)
    archived = client.post(f"/processer/{top.id}/arkivera", follow_redirects=True)

    assert "Processen har delprocesser och kan inte tas bort." in deleted.text
    assert "Processen har delprocesser som inte är arkiverade (Utredning)." in archived.text
    db.session.expire_all()
    assert db.session.get(Process, top.id).is_archived is False

    child = db.session.scalar(select(Process).where(Process.title == "Utredning"))
    client.post(f"/processer/{child.id}/arkivera")
    client.post(f"/processer/{top.id}/arkivera")
    restored = client.post(f"/processer/{child.id}/aterstall", follow_redirects=True)
    assert "Den överordnade processen Myndighetsutövning är arkiverad. Återställ den först." in restored.text
    assert db.session.get(Process, child.id).is_archived is True


# --- who may do what ------------------------------------------------------------------------------------------------


def test_reader_sees_no_edit_controls_and_gets_403_on_every_change(client, login, unit, make_user, make_process,
                                                                   make_risk):
    process = make_process(title="Utredning")
    make_risk(process)
    login(make_user(role=Role.READER))

    text = client.get(f"/processer/{process.id}").text
    assert "Redigera" not in text and "Ny risk" not in text and "Arkivera" not in text
    assert 'action="/processer/' not in text and "Ta bort" not in text

    assert client.get(f"/processer/ny?enhet={unit.id}").status_code == 403
    assert client.get(f"/processer/{process.id}/redigera").status_code == 403
    for path in ("ny", f"{process.id}/redigera", f"{process.id}/arkivera", f"{process.id}/aterstall",
                 f"{process.id}/ta-bort"):
        assert client.post(f"/processer/{path}?enhet={unit.id}", data={"title": "X"}).status_code == 403, path
    db.session.expire_all()
    assert db.session.get(Process, process.id).title == "Utredning"


def test_owner_edits_her_own_process_only(client, login, unit, make_user, make_process):
    owner = make_user(name="Olle Ägare")
    top = make_process(title="Myndighetsutövning", owner=owner)
    hers = make_process(title="Utredning", parent=top)
    other = make_process(title="Hemtjänst", owner=make_user(name="Annan Ägare"))
    login(owner)

    assert "Redigera" in client.get(f"/processer/{hers.id}").text
    assert "Redigera" not in client.get(f"/processer/{other.id}").text
    assert client.post(f"/processer/{hers.id}/redigera",
                       data={"title": "Utredning BBIC", "parent": top.id}).status_code == 302
    assert client.post(f"/processer/{other.id}/redigera", data={"title": "Nej"}).status_code == 403
    assert client.post(f"/processer/ny?enhet={unit.id}", data={"title": "Ny huvudprocess"}).status_code == 403
    assert "Ny process" not in client.get("/processer/").text

    to_top = client.post(f"/processer/{hers.id}/redigera", data={"title": "Utredning BBIC", "parent": ""})
    assert to_top.status_code == 400
    assert "Bara enhetschef eller kvalitetssamordnare kan göra en process till huvudprocess." in to_top.text
    elsewhere = client.post(f"/processer/{hers.id}/redigera", data={"title": "Utredning BBIC", "parent": other.id})
    assert elsewhere.status_code == 400
    assert "Du kan bara lägga processen under en process som du är processägare för." in elsewhere.text
    db.session.expire_all()
    assert (hers.title, hers.parent_id, other.title) == ("Utredning BBIC", top.id, "Hemtjänst")


# --- no N+1, no 500 -------------------------------------------------------------------------------------------------


def test_query_counts_do_not_grow_with_the_number_of_risks(client, login, unit, manager, make_process):
    process = make_process(title="Utredning")
    make_process(title="Barnsamtal", parent=process)
    control = create_control(None, unit, title="Journalgranskning", frequency=Frequency.QUARTERLY)
    action = create_action(None, unit, title="Checklista", start_year=TEST_YEAR, status=ActionStatus.PLANNED)
    login(manager)

    def counts() -> tuple[int, int]:
        lengths = []
        for path in ("/processer/", f"/processer/{process.id}"):
            with count_queries() as queries:
                assert client.get(path).status_code == 200
            lengths.append(len(queries))
        return tuple(lengths)

    add_risks(process, 10, control, action)
    few = counts()
    add_risks(process, 190, control, action)
    assert db.session.scalar(select(func.count()).select_from(Process)) == 2
    assert counts() == few


@pytest.mark.parametrize(
    "path",
    [
        "/processer/?enhet=x",
        "/processer/?enhet=-1",
        "/processer/?enhet=99999999999999999999",
        "/processer/?ar=abc&arkiverade=ja",
        "/processer/?ar=99999",
        "/processer/99999999999999999999",
        "/processer/{process}?ar=abc",
        "/processer/{process}?ar=1066",
        "/processer/ny?enhet=abc&parent=xyz",
        "/processer/ny?parent=99999999999999999999",
        "/processer/ny?parent=987654",
        "/processer/99999999999999999999/redigera",
    ],
)
def test_bad_parameters_never_give_a_server_error(client, login, manager, make_process, path):
    process = make_process()
    login(manager)
    response = client.get(path.format(process=process.id))
    assert response.status_code in (200, 400, 403, 404), response.status_code
    assert not re.search(r"Traceback|Något gick fel", response.text)
