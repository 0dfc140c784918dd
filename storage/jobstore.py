"""The scheduler's job store: APScheduler's SQLAlchemyJobStore in the application database (table apscheduler_jobs).

Job functions are stored as import paths with picklable arguments, so every worker process rebuilds them.
"""

from __future__ import annotations

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from groundswell.storage.db import Engine

__all__ = ["JOBS_TABLE", "build_job_store"]

JOBS_TABLE = "apscheduler_jobs"


def build_job_store(engine: Engine) -> SQLAlchemyJobStore:
    """A job store sharing the application's engine (its table is created on first start)."""
    return SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
