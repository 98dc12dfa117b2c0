"""Every failure leaves the API as the shared error envelope (see :mod:`mock_api.errors`)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mock_api.errors import ApiError

log = logging.getLogger("mock_api")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, internal_error)


async def api_error(request: Request, error: ApiError) -> Response:
    return JSONResponse(error.envelope(), status_code=error.status)


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    problems = error.errors()
    first = problems[0] if problems else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "header")]
    message = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in problems[:5])
    api_error = ApiError("validation_failed", message or None, param=".".join(location) or None)
    missing_key = ("header", "Idempotency-Key")
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == missing_key for e in problems):
        api_error = ApiError("idempotency_key_missing", param="Idempotency-Key")
    return JSONResponse(api_error.envelope(), status_code=api_error.status)


async def http_error(request: Request, error: StarletteHTTPException) -> Response:
    # A body Starlette cannot even decode is bad input like any other: validation_failed.
    codes = {400: "validation_failed", 404: "not_found", 405: "method_not_allowed"}
    code = codes.get(error.status_code, "http_error")
    body = {
        "error": {
            "type": "invalid_request" if error.status_code != 404 else "not_found",
            "code": code,
            "message": str(error.detail),
            "param": None,
        }
    }
    headers = dict(getattr(error, "headers", None) or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(sorted(_allowed_methods(request)))
    return JSONResponse(body, status_code=error.status_code, headers=headers)


def _allowed_methods(request: Request) -> frozenset[str]:
    """For the Allow header of a 405: the methods of every route at that path, whichever route serves them."""
    matches = [
        (template, methods)
        for regex, template, methods in request.app.state.methods_by_path
        if regex.match(request.scope["path"])
    ]
    # As in OpenAPI, a concrete path (/v1/payees/name-check) is its own resource, not a {payee_id}.
    concrete = [methods for template, methods in matches if "{" not in template]
    return frozenset().union(*(concrete or [methods for _, methods in matches]))


async def internal_error(request: Request, error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    body = {
        "error": {
            "type": "internal_error",
            "code": "internal_error",
            "message": "Something went wrong on our side.",
            "param": None,
        }
    }
    return JSONResponse(body, status_code=500)
