"""create_app(): routers, static files, error handlers."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.config import PROJECT_DIR, Settings, settings
from app.db import make_engine
from app.errors import install_error_handlers
from app.routes import api, exports, pages


def create_app(app_settings: Settings = settings) -> FastAPI:
    app = FastAPI(
        title=app_settings.site_name,
        summary="Dated, sourced events between countries, filterable by country, topic, date and words.",
        version="1",
    )
    app.state.engine = make_engine(app_settings.database_url)
    app.state.settings = app_settings
    app.mount("/static", StaticFiles(directory=PROJECT_DIR / "static"), name="static")
    # Exports first: /events/{slug}.ics must win over the event page's /events/{slug}.
    app.include_router(exports.router)
    app.include_router(pages.router)
    app.include_router(api.router)
    install_error_handlers(app)
    return app
