"""Tables of the programmatic surfaces (REST, MCP): API tokens mapped to viewers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

__all__ = ["ApiToken"]


class ApiToken(SQLModel, table=True):
    """A bearer token for one viewer. Only the sha256 of the secret is kept; ``prefix`` identifies it in lists."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    viewer: str = Field(index=True)  # a configured viewer's name (resolved on every request)
    prefix: str  # the secret's first characters, shown in `tokens list`
    secret_hash: str = Field(unique=True)  # sha256 hex of the whole token
    label: str = ""
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
