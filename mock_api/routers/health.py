"""GET /health: is the mock API up, and which version."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.routers import respond

VERSION = "1.0.0"

router = APIRouter(tags=["service"])


@router.get("/health", response_model=schemas.Health)
async def health() -> Response:
    return respond(schemas.Health(status="ok", version=VERSION))
