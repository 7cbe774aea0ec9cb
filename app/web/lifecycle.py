"""Archive, restore and delete from the browser, the same way for processes, risks, egenkontroller and åtgärder.

Each POST loads the item for editing (403/404 otherwise), calls one service, flashes and goes back; the request
boundary (app/web/boundary.py) commits.
A refusal (something with history cannot be deleted) rolls back and is shown on the item's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from app.web.boundary import flashed


@dataclass(frozen=True)
class Lifecycle:
    """What a feature tells add_lifecycle_routes: how to load, change and name its items, and where to go."""

    id_name: str  # the URL parameter, e.g. "risk_id"
    load: Callable[..., Any]  # get_<thing>_or_404(id, for_edit=True)
    set_archived: Callable[[Any, Any, bool], Any]
    delete: Callable[[Any, Any], Any]
    archived: str  # the Swedish flash messages
    restored: str
    deleted: str
    after_delete: Callable[[Any], str]  # where to go once the item is gone


def change_and_return(change: Callable[[Any], Any], success: str, back_to: str, failed_to: str | None = None):
    """Run change(current_user); a refusal rolls back and is shown where the user came from."""
    with flashed() as refusal:
        change(current_user)
    if refusal.error:
        return redirect(failed_to or back_to)
    flash(success, "success")
    return redirect(back_to)


def add_lifecycle_routes(blueprint: Blueprint, spec: Lifecycle) -> None:
    """<blueprint>.archive, .restore and .delete at /<id>/arkivera, /aterstall and /ta-bort."""

    def page_of(item) -> str:
        return url_for(f"{blueprint.name}.detail", **{spec.id_name: item.id})

    def archive(**ids):
        item = spec.load(ids[spec.id_name], for_edit=True)
        return change_and_return(lambda actor: spec.set_archived(actor, item, True), spec.archived, page_of(item))

    def restore(**ids):
        item = spec.load(ids[spec.id_name], for_edit=True)
        return change_and_return(lambda actor: spec.set_archived(actor, item, False), spec.restored, page_of(item))

    def delete(**ids):
        item = spec.load(ids[spec.id_name], for_edit=True)
        return change_and_return(
            lambda actor: spec.delete(actor, item), spec.deleted, spec.after_delete(item), failed_to=page_of(item)
        )

    for path, view in (("arkivera", archive), ("aterstall", restore), ("ta-bort", delete)):
        blueprint.add_url_rule(f"/<id:{spec.id_name}>/{path}", view.__name__, view, methods=["POST"])
