"""How the rows of an appendix, which carry no ids, are matched to the items of the Register beside it.

By title first; what is left is an edited title or a row replaced, told apart by what the row keeps (pair_rows).
Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from app.excel.importing.parsed import ParsedItem, title_key


def pair_rows(found: list, known: list, titles: Callable[[ParsedItem], Iterable[str]] | None = None,
             contents: tuple[Callable[[Any], set[str]], Callable[[Any], set[str]]] | None = None,
             renamed_in_order: bool = False) -> tuple[list[tuple[Any, list]], list]:
    """(pairs, appendix items left over): by title, then what is left over as an edited title.

    The appendix cannot tell apart two items of the same title in the same place (it reads them as one), so an
    appendix item stands for every register item of its title there. Of what is left, an item whose contents
    (a process's risks, a risk's egenkontroller and åtgärder; titles from contents) are partly those of a
    register item is that item renamed; items without contents are paired in order. One with contents that
    shares none is new, and the register item it met is no longer in the appendix: a row replaced, not renamed.
    With renamed_in_order, what is left after that is paired in order all the same (processes are renamed far
    more often than replaced).
    """
    titles = titles or (lambda item: [item.title or ""])
    by_title: dict[str, list[ParsedItem]] = {}
    for item in known:
        by_title.setdefault(title_key(item.title or ""), []).append(item)
    pairs: list[tuple[ParsedItem, list[ParsedItem]]] = []
    used: set[str] = set()
    left = []
    for item in found:
        match = next((by_title[key] for key in map(title_key, titles(item))
                      if key in by_title and not any(k.key in used for k in by_title[key])), None)
        if match is None:
            left.append(item)
        else:
            pairs.append((item, match))
            used.update(k.key for k in match)
    rest = [item for item in known if item.key not in used]
    if contents is None:
        pairs += [(item, [other]) for item, other in zip(left, rest)]
        return pairs, left[len(rest):]
    of_found, of_known = contents
    inside = {id(item): of_found(item) for item in left} | {id(item): of_known(item) for item in rest}
    # Most in common first, then least apart (a renamed risk keeps its status, a neighbour may share an item).
    shared = sorted(((len(inside[id(a)] & inside[id(b)]), len(inside[id(a)] ^ inside[id(b)]), i, j)
                     for i, a in enumerate(left) for j, b in enumerate(rest)),
                    key=lambda entry: (-entry[0], entry[1], entry[2], entry[3]))
    taken_left: set[int] = set()
    taken_rest: set[int] = set()
    for count, _, i, j in shared:
        if count and i not in taken_left and j not in taken_rest:
            pairs.append((left[i], [rest[j]]))
            taken_left.add(i)
            taken_rest.add(j)
    empty_left = [i for i, item in enumerate(left) if i not in taken_left and (renamed_in_order or
                                                                               not inside[id(item)])]
    empty_rest = [j for j, item in enumerate(rest) if j not in taken_rest and (renamed_in_order or
                                                                               not inside[id(item)])]
    for i, j in zip(empty_left, empty_rest):
        pairs.append((left[i], [rest[j]]))
        taken_left.add(i)
    return pairs, [item for i, item in enumerate(left) if i not in taken_left]
