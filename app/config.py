"""Settings from the environment (TIMELINE_*)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIMELINE_")

    database_url: str = f"sqlite:///{PROJECT_DIR / 'timeline.db'}"
    # Where pages, the API and exports read from (a PostgreSQL replica); writes (ingest, migrate)
    # always go to database_url.
    database_read_url: str | None = None
    # Absolute links (canonical, Open Graph) use this when set; otherwise the request's own host.
    base_url: str | None = None
    page_size: int = 50
    # Requests inside the app at once: each has a worker thread and a pooled database connection.
    worker_threads: int = 8
    # The longest a database query may run before the request is refused (503): a bound on what
    # any one request can cost the server.
    query_seconds: float = 10.0
    # Rendered pages and API answers kept in memory until the data changes (0 turns it off).
    response_cache_mb: int = 32
    site_name: str = "Relations Timeline"
    # Where readers send corrections (the about page links it when set).
    corrections_url: str | None = None


settings = Settings()
