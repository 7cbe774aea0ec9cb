"""Reading requests: ids and years from URLs and query strings, so a huge or malformed value is a 404 or the default, never a 500."""

from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from app.core.years import current_year
from app.models import MAX_YEAR, MIN_YEAR

MAX_ID = 2_147_483_647


class IdConverter(IntegerConverter):
    """<id:name>: a database id (1 … 2³¹−1)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def parse_id(value: object) -> int | None:
    """An id from a query string or form, or None when it is missing or could not be an id."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None


def requested_year(args: MultiDict[str, str]) -> int:
    """The year a page shows: ?ar= when it is a valid year, else this year."""
    value = args.get("ar", type=int)
    return value if value is not None and MIN_YEAR <= value <= MAX_YEAR else current_year()
