"""Crawl every route as every role, with real ids and with ids, years and query strings out of range: never a 500.

The issue: "A DomainError anywhere becomes a Swedish message on the form or a 4xx page, never a 500." The crawl goes
through HTTP only. It finds the routes in app.url_map, and the forms to post and the query parameters to garble in the
pages themselves, so a new route, form field or filter is crawled without touching this file. Every 500 (or exception
escaping the app) is written down, and all of them are reported together at the end.
"""

from __future__ import annotations

import json
import re
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import pytest
from flask.testing import FlaskClient

from app.models import Role
from tests.conftest import PASSWORD, TEST_YEAR

ANONYMOUS = "anonymous"
SIGNED_IN = [role.value for role in Role]
ROLES = [ANONYMOUS, *SIGNED_IN]
READER, MANAGER, ADMIN = Role.READER.value, Role.MANAGER.value, Role.ADMIN.value
LOGIN_PATH = "/logga-in"

# A path argument of a rule: <converter(arguments):name> or <name>.
PATH_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
BIG = "99999999999999999999"  # more than any database integer holds
HUGE = str(2**31)  # more than a PostgreSQL integer column holds
ID_OUT_OF_RANGE = [0, -1, 2**31, 2**63, "abc"]
ID_MISSING = [2**31 - 1]  # the largest id the converter lets through, which no row has
YEAR_OUT_OF_RANGE = [0, -1, 1999, 2101, 2**31, "abc"]
YEAR_EDGES = [2000, 2100, TEST_YEAR + 1]  # the converter's bounds, and the year the crawl's carry-over creates
TEXT_ODD = ["finns-inte", "a" * 300, "ÅÄÖ", "%"]

# The query parameters the views read (request.args and the GET filter forms), and what each is sent. A GET route
# gets the parameters that the crawled pages' links and filter forms send it, plus ?ar= everywhere and ?sida= on the
# filtered lists (whose page links only show past 50 items).
QUERY_GARBAGE = {
    "ar": ["abc", "-1", "2100", "2101", BIG],
    "jamfor": ["abc", "1999", "2101", BIG],
    "sida": ["abc", "-1", "0", BIG],
    "sok": ["x" * 1000, "%_'\"\\"],
    "next": ["//exempel.se", "http://exempel.se/", "javascript:alert(1)"],
}
OTHER_QUERY_GARBAGE = ["abc", "-1", BIG]  # enhet, process, risk, status, niva, sannolikhet, … and anything new
# Query parameters that name an item are also sent a real one of the sub-unit and of another unit.
ID_QUERY_PARAMETERS = {"enhet": "unit_id", "process": "process_id", "process_id": "process_id",
                       "parent": "process_id", "risk": "risk_id", "ansvarig": "user_id"}
# Form fields get these one at a time in an otherwise untouched form, and spread over all fields of a form at once.
FIELD_GARBAGE = ["", "abc", "-1", "2101", HUGE, BIG]
TEXT_GARBAGE = ["", "x" * 10_001]  # for text inputs and text areas
NOT_FUZZED = {"csrf_token"}
TEXT_INPUTS = {"text", "email", "search", "url", "tel", "password"}


# --- the register -----------------------------------------------------------------------------------------------------


@dataclass
class Register:
    """Ids of real items by URL argument name (the parent unit's first, then the sub-unit's, then another unit's),
    and a client for every role (users of the parent unit) and one signed out."""

    ids: dict[str, list[int]]
    clients: dict[str, FlaskClient]
    tokens: list[str] = field(default_factory=list)

    def valid(self, name: str, converter: str | None) -> list:
        if name == "year":
            return [TEST_YEAR]
        if name == "token":
            return self.tokens or ["finns-inte"]
        return self.ids.get(name) or ([1] if converter in ("id", "int") else ["x"])

    def other_values(self, name: str, converter: str | None) -> list:
        """Values besides the first valid one: other real items, then what no item could have."""
        if name == "year":
            return [*YEAR_EDGES, *YEAR_OUT_OF_RANGE]
        if converter in ("id", "int"):
            return [*self.valid(name, converter)[1:], *ID_MISSING, *ID_OUT_OF_RANGE]
        return [*self.valid(name, converter)[1:], *TEXT_ODD]


@pytest.fixture
def register(app, client, unit, make_unit, make_user, make_process, make_risk, make_assessment, make_control,
             make_action) -> Register:
    """A parent unit with a sub-unit, and another unit; in each a process tree, a risk assessed this year and one not
    assessed, an egenkontroll with a check, an åtgärd under way (done, in the parent unit) and one planned."""
    sub_unit = make_unit(code="under", name="Underenhet", parent=unit)
    foreign_unit = make_unit(code="annan", name="Annan enhet")
    users = {role.value: make_user(role=role, name=f"Användare {role.label}") for role in Role}
    owners = [users[Role.OWNER.value], make_user(role=Role.OWNER, unit=sub_unit, name="Underenhetens ägare"),
              make_user(role=Role.OWNER, unit=foreign_unit, name="Utomstående")]
    kinds = ("unit_id", "process_id", "risk_id", "control_id", "action_id")
    ids: dict[str, list[int]] = {kind: [] for kind in kinds} | {"user_id": [owner.id for owner in owners]}
    links, seconds = [], {}
    for home, owner in zip((unit, sub_unit, foreign_unit), owners, strict=True):
        top = make_process(unit=home, owner=owner, title=f"Huvudprocess {home.code}")
        process = make_process(unit=home, owner=owner, title=f"Delprocess {home.code}", parent=top)
        risk = make_risk(process=process, title=f"Risk {home.code}")
        make_assessment(risk=risk)
        unassessed = make_risk(process=process, title=f"Obedömd risk {home.code}")
        control = make_control(unit=home, title=f"Egenkontroll {home.code}")
        action = make_action(unit=home, title=f"Åtgärd {home.code}")
        planned = make_action(unit=home, title=f"Planerad åtgärd {home.code}")
        for kind, item in zip(kinds, (home, process, risk, control, action), strict=True):
            ids[kind].append(item.id)
        if home is unit:
            seconds = {"process_id": top.id, "risk_id": unassessed.id, "action_id": planned.id}
        links.append((risk.id, control.id, action.id, planned.id))
    for kind, item_id in seconds.items():  # the parent unit's other items come right after its first
        ids[kind].insert(1, item_id)

    clients = {ANONYMOUS: client}
    for role in Role:
        clients[role.value] = client.application.test_client()
        response = clients[role.value].post(LOGIN_PATH, data={"email": users[role.value].email, "password": PASSWORD})
        assert response.status_code == 302, response.text
    register = Register(ids, clients)

    # History made as a user makes it; items with history cannot be deleted, so the crawl keeps finding them.
    admin = clients[ADMIN]
    for risk_id, control_id, action_id, planned_id in links:
        submit(admin, f"/egenkontroller/{control_id}", f"/egenkontroller/{control_id}/genomforande",
               performed_on=f"{TEST_YEAR}-03-01", outcome="no_remarks")
        submit(admin, f"/risker/{risk_id}", f"/risker/{risk_id}/egenkontroller", **{"control-item_id": control_id})
        for linked in (action_id, planned_id):
            submit(admin, f"/risker/{risk_id}", f"/risker/{risk_id}/atgarder", **{"action-item_id": linked})
        submit(admin, f"/atgarder/{action_id}/redigera", f"/atgarder/{action_id}/redigera", status="in_progress")
    done = links[0][2]
    submit(admin, f"/atgarder/{done}", f"/atgarder/{done}/genomford", follow_up="Klart.",
           completed_on=f"{TEST_YEAR}-05-01")

    # A real upload, so that the import preview and confirmation have a token to find.
    export = admin.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx")
    assert export.status_code == 200, export.status_code
    workbook = export.data
    export.close()
    upload = admin.post(f"/enheter/{unit.id}/ar/{TEST_YEAR}/import",
                        data={"file": (BytesIO(workbook), "export.xlsx")}, content_type="multipart/form-data")
    assert upload.status_code == 302, upload.text
    register.tokens = [urlsplit(upload.location).path.rstrip("/").rsplit("/", 1)[1]]
    return register


# --- pages: their forms and links -------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    page: str = ""  # where it was found
    fields: dict[str, list[str]] = field(default_factory=dict)
    texts: set[str] = field(default_factory=set)  # the free-text fields among them
    files: list[str] = field(default_factory=list)

    def data(self, **changes: object) -> dict:
        """What a browser sends, with some fields changed; a file field gets the text as its content."""
        values = dict(self.fields) | {name: [str(value)] for name, value in changes.items() if name not in self.files}
        files = {name: (BytesIO(str(changes.get(name, "")).encode()), "fil.xlsx") for name in self.files}
        return values | files

    def garbage(self, name: str) -> list[str]:
        return TEXT_GARBAGE if name in self.texts else FIELD_GARBAGE


class PageParser(HTMLParser):
    """A page's links, and its forms, each with the values a browser would send if it were submitted as it is."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = Form(attributes.get("action") or self.page_url, attributes.get("method", "get").upper(),
                              self.page_url)
            self.forms.append(self._form)
        elif self._form is None or (not name and tag != "option"):
            return
        elif tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind == "file":
                self._form.files.append(name)
            elif kind in ("checkbox", "radio"):
                values = self._form.fields.setdefault(name, [])
                if "checked" in attributes:
                    values.append(attributes.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image"):
                self._form.fields[name] = [attributes.get("value", "")]
                if kind in TEXT_INPUTS:
                    self._form.texts.add(name)
        elif tag == "select":
            self._select, self._selected = name, False
            self._form.fields[name] = []
        elif tag == "option" and self._select is not None:
            values, value = self._form.fields[self._select], attributes.get("value", "")
            if "selected" in attributes:
                if not self._selected:
                    values.clear()
                self._selected = True
                values.append(value)
            elif not values and not self._selected:
                values.append(value)  # with nothing selected, a browser sends the first option
        elif tag == "textarea":
            self._textarea = name
            self._form.fields[name] = [""]
            self._form.texts.add(name)

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(page_url: str, html: str) -> PageParser:
    parser = PageParser(page_url)
    parser.feed(html)
    return parser


def submit(client: FlaskClient, page: str, action: str, **changes) -> None:
    """Fill in the form that posts to `action` on `page` as a user would, and send it: it must be accepted."""
    response = client.get(page)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    form = next((form for form in parse_page(page, response.text).forms if urlsplit(form.action).path == action), None)
    assert form is not None, f"{page} has no form that posts to {action}"
    answer = client.post(action, data=form.data(**changes))
    assert answer.status_code == 302, f"{action}: {answer.status_code}\n{answer.text}"


# --- the crawl --------------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    mimetype: str
    text: str | None  # read only when asked for: a download would be read in vain


@dataclass
class Route:
    rule: str
    method: str
    endpoint: str
    default: str  # every argument a real item of the parent unit
    reaching: list[str]  # other real items, and values the converters let through to the view
    refused: list[str]  # values the converters refuse: a 404 from routing, before any view, whoever asks

    @property
    def changes_the_user(self) -> bool:
        """Signing in and out: crawled at the very end, for it changes who each client is."""
        return self.endpoint.startswith("auth.")

    @property
    def changes_the_year(self) -> bool:
        """Locking, unlocking, carrying over and importing: crawled after the rest, which sees an open year."""
        return self.method == "POST" and "<int" in self.rule


class Crawl:
    def __init__(self, app, register: Register):
        self.register = register
        self.adapter = app.url_map.bind("localhost")
        self.failures: dict[tuple[str, str, str], list[str]] = {}
        self.requests = 0
        self.forms: dict[str, Form] = {}  # by the rule it posts to: the first one met, with real values
        self.query_names: dict[str, set[str]] = defaultdict(set)  # by rule: what links and filter forms send it
        self.filtered: set[str] = set()  # rules with a filter form
        self.link_queries: dict[str, str] = {}  # by rule: the query string of the first link to it that has one
        self.json_answers: list[str] = []
        self.json_failures: list[str] = []
        self.routes = sorted(
            (self._route(rule.rule, method, rule.endpoint) for rule in app.url_map.iter_rules()
             if rule.endpoint != "static" for method in ("GET", "POST") if method in rule.methods),
            key=lambda route: (route.changes_the_user, route.changes_the_year, route.rule, route.method),
        )

    def _route(self, rule: str, method: str, endpoint: str) -> Route:
        arguments = [(match.group(2), match.group(1)) for match in PATH_ARGUMENT.finditer(rule)]
        default = {name: self.register.valid(name, converter)[0] for name, converter in arguments}
        others = [fill(rule, default | {name: value})
                  for name, converter in arguments for value in self.register.other_values(name, converter)]
        reaching = [url for url in others if self.rule_of(url, method) == rule]
        refused = [url for url in others if url not in reaching]
        return Route(rule, method, endpoint, fill(rule, default), reaching, refused)

    def rule_of(self, url: str, method: str) -> str | None:
        try:
            rule, _ = self.adapter.match(unquote(urlsplit(url).path), method=method, return_rule=True)
        except Exception:  # noqa: BLE001 (NotFound, MethodNotAllowed, RequestRedirect: not a route)
            return None
        return rule.rule

    def send(self, role: str, method: str, url: str, rule: str, *, data=None, headers=None, learn=False,
             read=False) -> Answer | None:
        """One request; a 500, or an exception escaping the app (TESTING propagates them), is written down."""
        self.requests += 1
        options = {"method": method, "headers": headers or {}}
        if method == "POST":
            options["data"] = data or {}
            if any(isinstance(value, tuple) for value in options["data"].values()):
                options["content_type"] = "multipart/form-data"
        try:
            response = self.register.clients[role].open(url, **options)
        except Exception as error:  # noqa: BLE001
            self.failures.setdefault((method, rule, role), []).append(f"{method} {url}: {_summary(error)}")
            return None
        text = response.text if (learn or read) and (response.mimetype == "text/html" or response.is_json) else None
        response.close()  # a download streams from a temporary file until its response is closed
        answer = Answer(response.status_code, response.location or "", response.mimetype, text)
        if answer.status >= 500:
            self.failures.setdefault((method, rule, role), []).append(f"{method} {url}: {answer.status}")
        if learn and answer.status == 200 and answer.mimetype == "text/html":
            self._learn(url, text)
        return answer

    def _learn(self, url: str, html: str) -> None:
        page = parse_page(url, html)
        for form in page.forms:
            target = self.rule_of(form.action, form.method)
            if target and form.method == "POST":
                self.forms.setdefault(target, form)
            elif target and form.fields:
                self.query_names[target].update(form.fields)
                self.filtered.add(target)
        for link in page.links:
            target, query = self.rule_of(link, "GET"), urlsplit(link).query
            if target:
                self.query_names[target].update(name for name, _ in parse_qsl(query))
                if query:
                    self.link_queries.setdefault(target, query)

    def learn(self) -> None:
        """Every page as the administrator, to learn the forms to post and the query parameters of each route.
        A route that answers only with a query string (a new risk needs ?process=) is crawled with the one its
        links carry."""
        unreached = set()
        for route in self.routes:
            if route.method == "GET":
                for url in [route.default, *route.reaching]:
                    answer = self.send(ADMIN, "GET", url, route.rule, learn=True)
                    if url == route.default and (answer is None or answer.status != 200):
                        unreached.add(route.rule)
        for route in self.routes:
            query = self.link_queries.get(route.rule)
            if route.rule in unreached and query:
                route.default, route.reaching = f"{route.default}?{query}", [f"{url}?{query}" for url in route.reaching]
                if route.method == "GET":
                    self.send(ADMIN, "GET", route.default, route.rule, learn=True)

    def query_variants(self, route: Route) -> list[str]:
        """The default URL with each query parameter the route reads set, in turn, to garbage and to real items."""
        names = self.query_names[route.rule] | {"ar"} | ({"sida"} if route.rule in self.filtered else set())
        path, base = urlsplit(route.default).path, dict(parse_qsl(urlsplit(route.default).query))
        urls = []
        for name in sorted(names):
            real = self.register.ids.get(ID_QUERY_PARAMETERS.get(name, ""), [])[-2:]
            urls += [f"{path}?{urlencode(base | {name: value})}"
                     for value in [*real, *QUERY_GARBAGE.get(name, OTHER_QUERY_GARBAGE)]]
        return urls

    def garbage_forms(self, route: Route) -> list[dict]:
        """The route's form (or, if no page shows it, every field of every form) with garbage in every field."""
        own = self.forms.get(route.rule)
        forms = [own] if own else list(self.forms.values())
        names = sorted({name for form in forms for name in form.fields} - NOT_FUZZED)
        files = sorted({name for form in forms for name in form.files})
        return [
            Form(route.default, "POST", files=files).data(
                **{name: FIELD_GARBAGE[(index + shift) % len(FIELD_GARBAGE)] for index, name in enumerate(names)},
                **dict.fromkeys(files, "abc"),
            )
            for shift in (1, 4)
        ]

    def crawl(self, route: Route) -> None:
        """The route as every role: real items, values out of range, garbage queries, and empty and garbage forms."""
        for role in ROLES:
            answer = self.send(role, route.method, route.default, route.rule)
            if role == ANONYMOUS and answer is not None and urlsplit(answer.location).path == LOGIN_PATH:
                continue  # signed out, every variant is sent to the login page before any view runs
            for url in route.reaching:
                self.send(role, route.method, url, route.rule)
            if route.method == "POST":
                for data in self.garbage_forms(route):
                    self.send(role, "POST", route.default, route.rule, data=data)
        for url in route.refused:  # a 404 from routing, which no role, view or form could change
            self.send(ADMIN, route.method, url, route.rule)
        if route.method == "GET":
            # Each query string as one role, in turn: they are read alike by all, and list pages are slow to render.
            for index, url in enumerate(self.query_variants(route)):
                self.send(SIGNED_IN[index % len(SIGNED_IN)], "GET", url, route.rule)

    def fuzz(self, rule: str) -> None:
        """The form as a page shows it (blank text filled in), sent as it is, then with one field at a time set to
        each garbage value. A form that is only a button (archive, delete, lock, …) is left to the crawl."""
        form = self.forms.get(rule)
        names = sorted((set(form.fields) | set(form.files)) - NOT_FUZZED) if form else []
        if not names:
            return
        filled = {name: "Ifylld av genomsökningen" for name in form.texts if not "".join(form.fields[name]).strip()}
        changes = [{}] + [{name: value} for name in names for value in form.garbage(name)]
        for change in changes:
            answer = self.send(ADMIN, "POST", form.action, rule, data=form.data(**filled | change))
            if answer is not None and answer.status == 302:
                form = self._reload(form)  # it was saved: the next change starts from the new version

    def _reload(self, form: Form) -> Form:
        response = self.register.clients[ADMIN].get(form.page)
        forms = parse_page(form.page, response.text).forms if response.status_code == 200 else []
        return next((found for found in forms if found.action == form.action), form)

    def ask_for_json(self, role: str, method: str, url: str, **changes) -> None:
        """A request that a DomainError refuses, asking for JSON: it must answer a 4xx JSON problem."""
        rule = self.rule_of(url, method) or url
        form = self.forms.get(rule) if method == "POST" else None
        data = form.data(**changes) if form else dict(changes)
        answer = self.send(role, method, url, rule, data=data, headers={"Accept": "application/json"}, read=True)
        if answer is None:
            self.json_answers.append(f"{method} {url} as {role}: an exception escaped the app")
            return
        try:
            kind = "JSON" if answer.text is not None and json.loads(answer.text) is not None else "not JSON"
        except ValueError:
            kind = "not JSON"
        self.json_answers.append(f"{method} {url} as {role}: {answer.status} {answer.mimetype} ({kind})")
        if kind != "JSON" or not 400 <= answer.status < 500:
            self.json_failures.append(self.json_answers[-1])

    def report(self, signed_out: list[str]) -> str:
        lines = [f"{len(self.failures)} (method, route, role) answered 500, among {self.requests} requests:"]
        for (method, rule, role), details in sorted(self.failures.items()):
            lines.append(f"  {method} {rule} as {role}, {len(details)}×, e.g. {details[0]}")
        if signed_out:
            lines.append(f"The crawl lost the session of {', '.join(signed_out)} before its end: it did not reach "
                         "the views as them.")
        lines.append("Asked for JSON, a refused request answered:")
        lines += [f"  {answer}" for answer in self.json_answers]
        return "\n".join(lines)


def fill(rule: str, values: dict[str, object]) -> str:
    return PATH_ARGUMENT.sub(lambda match: quote(str(values[match.group(2)]), safe=""), rule)


def _summary(error: BaseException) -> str:
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "/app/" in frame.filename]
    where = f" ({frames[-1].filename.rsplit('/app/', 1)[1]}:{frames[-1].lineno})" if frames else ""
    message = " ".join(str(error).split("[SQL:")[0].split())  # one line, without SQLAlchemy's statement
    return f"{type(error).__name__}: {message[:160]}{where}"


def test_no_route_answers_500(app, register):
    """Learn the pages; fuzz their forms; crawl every route as every role; again in a locked year; then ask for JSON,
    and last sign in and out. Then report every 500 at once."""
    crawl = Crawl(app, register)
    ids = register.ids
    unit, risk, foreign_control = ids["unit_id"][0], ids["risk_id"][0], ids["control_id"][-1]
    open_year = [route for route in crawl.routes if not route.changes_the_year and not route.changes_the_user]
    year = [route for route in crawl.routes if route.changes_the_year]

    crawl.learn()
    # In an open year: every form sent as a page shows it, then garbled a field at a time; then the crawl proper.
    for route in open_year:
        if route.method == "POST":
            crawl.fuzz(route.rule)
    for route in open_year + year:
        crawl.crawl(route)
    for route in year:
        crawl.fuzz(route.rule)  # only POST routes change the year

    # In a locked year, every form again, as a page showed it: the refusals must be messages too.
    lock = f"/enheter/{unit}/ar/{TEST_YEAR}/las"
    crawl.send(ADMIN, "POST", lock, crawl.rule_of(lock, "POST") or lock)
    for route in open_year:
        if route.method == "POST" and route.rule in crawl.forms:
            for role in (MANAGER, ADMIN):
                crawl.send(role, "POST", crawl.forms[route.rule].action, route.rule,
                           data=crawl.forms[route.rule].data())

    # Refusals by a DomainError, asked for as JSON.
    crawl.ask_for_json(MANAGER, "GET", f"/enheter/{unit}/ar/2100/overfor")
    crawl.ask_for_json(ADMIN, "POST", f"/enheter/{unit}/ar/{TEST_YEAR}/las")  # already locked
    crawl.ask_for_json(ADMIN, "POST", f"/risker/{risk}/bedomning", likelihood=2)  # locked year
    crawl.ask_for_json(ADMIN, "POST", f"/risker/{risk}/ta-bort")  # it has assessments
    crawl.ask_for_json(ADMIN, "POST", f"/egenkontroller/{ids['control_id'][0]}/ta-bort")  # it has checks
    crawl.ask_for_json(ADMIN, "POST", f"/processer/{ids['process_id'][0]}/ta-bort")  # it has risks
    crawl.ask_for_json(ADMIN, "POST", f"/risker/{risk}/egenkontroller", **{"control-item_id": foreign_control})
    crawl.ask_for_json(READER, "GET", f"/risker/{ids['risk_id'][-1]}")  # another unit's

    signed_out = [role for role in SIGNED_IN
                  if urlsplit(register.clients[role].get("/").location or "").path == LOGIN_PATH]
    for route in crawl.routes:
        if route.changes_the_user:
            crawl.crawl(route)

    if crawl.failures or signed_out or crawl.json_failures:
        pytest.fail(crawl.report(signed_out), pytrace=False)
