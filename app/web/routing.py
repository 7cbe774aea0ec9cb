"""URL converters: ids in URLs are positive and fit the database's integer, so a huge number is a 404, not a 500."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2_147_483_647


class IdConverter(IntegerConverter):
    """<id:name>: a database id (1 … 2³¹−1)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def parse_id(value: object) -> int | None:
    """An id from a query string or form, or None when it is missing or could not be an id."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None
