"""The API's routes, one APIRouter per resource; :func:`mock_api.app.create_app` includes them in order.

The order of inclusion is the order of the OpenAPI document's paths.

Routes that touch the database are plain ``def``: FastAPI runs them in its thread pool, so a slow
query (SQLite blocks) holds up only its own request, never the event loop that serves the rest.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel


def respond(model: BaseModel | list[Any], status: int = 200) -> Response:
    """A model (or a list of them) as JSON, serialized once, as the response_model documents it.

    pydantic writes the JSON itself (in Rust): the same text as JSONResponse over model_dump(mode="json"),
    at a fraction of the cost for a long list (a customer's thousand payees).
    """
    if isinstance(model, list):
        content = b"[" + b",".join(m.__pydantic_serializer__.to_json(m) for m in model) + b"]"
    else:
        content = model.__pydantic_serializer__.to_json(model)
    return Response(content, status_code=status, media_type="application/json")
