"""Alembic environment: runs on the connection handed in by storage.db.migrate, or on sqlalchemy.url."""

import groundswell.storage.models  # noqa: F401  (registers every table, so autogenerate compares the whole schema)
from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

config = context.config
target_metadata = SQLModel.metadata
EXTERNAL_TABLES = frozenset({"apscheduler_jobs"})  # created by a migration, owned by APScheduler (no model)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate ignores tables another library owns (and their indexes)."""
    owner = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return owner not in EXTERNAL_TABLES


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)
