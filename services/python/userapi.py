"""tribench's Python user API contender: FastAPI + pydantic v2 on uvicorn.

Implements services/CONTRACT.md. One uvicorn process with uvloop and httptools:
the store is in memory, and separate worker processes would each hold their own.

    python userapi.py serve --port P [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from typing import Annotated, Any

import orjson
import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

MAX_BODY_BYTES = 1 << 20
MAX_INT64 = (1 << 63) - 1
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
# ASCII classes, matched with fullmatch: Python's \w is Unicode and its $ also
# matches before a trailing newline.
EMAIL = re.compile(r"[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\.[A-Za-z0-9_]+", re.ASCII)
DECIMAL = re.compile(r"[0-9]+", re.ASCII)


class ApiError(Exception):
    """An error answered with the contract's error body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def parse_decimal(raw: str) -> int | None:
    """Parses a contract integer: ASCII digits, base 10, fitting int64.

    int() alone would accept "+1", " 1", "1_0" and non-ASCII digits.
    """
    if not DECIMAL.fullmatch(raw):
        return None
    value = int(raw, 10)
    return value if value <= MAX_INT64 else None


def _name_length(name: str) -> str:
    # len() counts code points, which is what the contract counts.
    if not 2 <= len(name) <= 50:
        raise ValueError("name must be 2 to 50 code points")
    return name


def _email_pattern(email: str) -> str:
    if not EMAIL.fullmatch(email):
        raise ValueError("email must match ^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\\.[A-Za-z0-9_]+$")
    return email


class UserIn(BaseModel):
    """The body of POST /users; strict, so 123 is not a name."""

    model_config = ConfigDict(strict=True, extra="ignore")
    name: Annotated[str, AfterValidator(_name_length)]
    email: Annotated[str, AfterValidator(_email_pattern)]


class User(BaseModel):
    """A stored user."""

    id: int
    name: str
    email: str


class UserStore:
    """Users in id order; ids are dense list positions, so a page is a slice and
    a lookup an index; the email set makes the duplicate check O(1)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: list[User] = []
        self._emails: set[str] = set()
        for name, email in (("Alice", "alice@example.com"), ("Bob", "bob@example.com")):
            self.create(name, email)

    def create(self, name: str, email: str) -> User | None:
        """Adds a user, or returns None if the email is taken (one atomic step)."""
        with self._lock:
            if email in self._emails:
                return None
            user = User(id=len(self._users) + 1, name=name, email=email)
            self._users.append(user)
            self._emails.add(email)
            return user

    def get(self, user_id: int) -> User | None:
        with self._lock:
            return self._users[user_id - 1] if 1 <= user_id <= len(self._users) else None

    def page(self, skip: int, limit: int) -> list[User]:
        with self._lock:
            return self._users[skip : skip + limit]


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": message, "timestamp": int(time.time())}, status_code=status, headers=headers
    )


def create_app() -> FastAPI:
    """Builds the application with a fresh store."""
    app = FastAPI(
        redirect_slashes=False,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    store = UserStore()
    started = time.monotonic()

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Routing's own 404 and 405 get the error body too. Starlette's Allow names
        # only the first route matching the path; the contract wants all of them.
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            methods: set[str] = set()
            for route in app.router.routes:
                match, _ = route.matches(request.scope)
                if match != Match.NONE:
                    methods |= getattr(route, "methods", None) or set()
            headers["Allow"] = ", ".join(sorted(methods))
        return error_response(exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, str(exc.errors()[0].get("msg", "invalid request")))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, f"internal error: {type(exc).__name__}")

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "healthy", "uptime": time.monotonic() - started}

    @app.get("/users")
    async def list_users(request: Request) -> list[User]:
        query = request.query_params
        skip, limit = 0, DEFAULT_LIMIT
        if "skip" in query:
            parsed = parse_decimal(query["skip"])
            if parsed is None:
                raise ApiError(400, "skip must be a decimal integer >= 0")
            skip = parsed
        if "limit" in query:
            parsed = parse_decimal(query["limit"])
            if parsed is None or not 1 <= parsed <= MAX_LIMIT:
                raise ApiError(400, "limit must be a decimal integer in 1..1000")
            limit = parsed
        return store.page(skip, limit)

    @app.get("/users/{user_id}")
    async def get_user(user_id: str) -> User:
        parsed = parse_decimal(user_id)
        if parsed is None or parsed <= 0:
            raise ApiError(400, "id must be a decimal integer >= 1")
        user = store.get(parsed)
        if user is None:
            raise ApiError(404, "user not found")
        return user

    @app.post("/users", status_code=201)
    async def create_user(request: Request) -> User:
        body = await read_bounded(request)
        try:
            # orjson is strict RFC 8259: UTF-8 only, one value, no trailing data.
            document = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(400, f"body is not well-formed JSON: {exc}") from None
        if not isinstance(document, dict):
            raise ApiError(400, "body must be a JSON object")
        try:
            payload = UserIn.model_validate(document)
        except ValidationError as exc:
            raise ApiError(422, str(exc.errors()[0]["msg"])) from None
        user = store.create(payload.name, payload.email)
        if user is None:
            raise ApiError(409, "email already registered")
        return user

    return app


async def read_bounded(request: Request) -> bytes:
    """Reads the body, refusing more than MAX_BODY_BYTES without buffering it all."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, "body larger than 1 MiB")
        chunks.append(chunk)
    return b"".join(chunks)


app = create_app()


def main() -> None:
    parser = argparse.ArgumentParser(prog="userapi.py")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the user API")
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
