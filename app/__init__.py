"""Riskregistret: the risk-and-control register of SOSFS 2011:9, as a Flask application."""

from __future__ import annotations

from flask import Flask

import config

FEATURES = [
    "app.main",
    "app.auth",
    "app.units",
    "app.plans",
    "app.processes",
    "app.risks",
    "app.controls",
    "app.actions",
]
FEATURE_VIEW_MODULES = [
    "app.main.views",
    "app.auth.views",
    "app.units.views",
    "app.units.graph_views",
    "app.units.matrix_edit",
    "app.processes.views",
    "app.risks.views",
    "app.risks.manage",
    "app.controls.views",
    "app.controls.manage",
    "app.actions.views",
    "app.actions.manage",
    "app.plans.views",
    "app.plans.imports",
    "app.plans.cycle",
]


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, then one register_* step per concern."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config.ensure_secret_key(app.config, app.instance_path)

    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every table must be known before migrate binds)
    from app.database import register_sqlite_pragmas
    from app.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    register_sqlite_pragmas(app)
    migrate.init_app(app, db, directory=str(_project_root(app) / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        from app.models import User

        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from app.auth import guard
    from app.web.routing import IdConverter

    app.url_map.converters["id"] = IdConverter
    # Importing a feature's view modules attaches their routes to the feature's blueprint.
    for module in FEATURE_VIEW_MODULES:
        import_module(module)
    for feature in FEATURES:
        app.register_blueprint(import_module(feature).blueprint)
    guard.register(app)


def register_error_handlers(app: Flask) -> None:
    from app.web.boundary import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from app.web.security_headers import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.web.template_helpers import register

    register(app)


def register_commands(app: Flask) -> None:
    from importlib import import_module

    from app.auth.commands import users
    from app.demo.commands import demo
    from app.plans.commands import plan
    from app.units.graph_commands import graph

    # Importing the subcommand modules attaches them to the plan group.
    for module in ("app.plans.cli_export", "app.plans.cli_import", "app.plans.cli_rollover"):
        import_module(module)
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(plan)
    app.cli.add_command(graph)


def _project_root(app: Flask):
    from pathlib import Path

    return Path(app.root_path).parent
