"""tribench's Python user API contender: FastAPI + pydantic v2 on uvicorn.

Implements services/CONTRACT.md. It runs as ONE uvicorn process with uvloop and
httptools: the store lives in memory, and separate worker processes would each
hold a store of their own.

    python userapi.py serve --port P [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, NoReturn

import orjson
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

MAX_BODY_BYTES = 1 << 20
MAX_INT64 = (1 << 63) - 1
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
# How long an idle keep-alive connection stays open, as in the Go reference
# (fasthttp IdleTimeout); uvicorn's default of 5 s would make the load
# generator's idle connections fail on their next request.
KEEP_ALIVE_SECONDS = 120
# The contract's pattern with its classes spelt out in ASCII. pydantic checks it
# with the Rust regex engine, whose `$` matches only at the very end of the text
# (Python's `re` would also match before a final newline).
EMAIL_PATTERN = r"^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\.[A-Za-z0-9_]+$"
# str.isdigit() and int() accept non-ASCII digits; int() also "+1", " 1", "1_0".
DECIMAL = re.compile(r"[0-9]+", re.ASCII)
SEED_USERS = (("Alice", "alice@example.com"), ("Bob", "bob@example.com"))


class UserIn(BaseModel):
    """The body of POST /users. Strict: 123 is not a name; unknown keys are ignored.

    Field lengths count code points (pydantic counts Rust chars, as Python's len does).
    """

    model_config = ConfigDict(strict=True, extra="ignore", regex_engine="rust-regex")

    name: str = Field(min_length=2, max_length=50)
    email: str = Field(pattern=EMAIL_PATTERN)


class User(BaseModel):
    """A stored user, rendered as exactly {"id", "name", "email"}."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    email: str


class Health(BaseModel):
    """The body of GET /health."""

    status: str
    uptime: float


class DuplicateEmailError(Exception):
    """Raised by UserStore.create when the email is already registered."""


class UserStore:
    """Users in creation order behind one lock.

    Ids are dense list positions (user n sits at index n-1), so a lookup is an index
    and a page a slice, O(limit); a set of emails makes the duplicate check O(1).
    A threading.Lock keeps it safe for threads as well as for one event loop.
    """

    def __init__(self, seed: tuple[tuple[str, str], ...] = SEED_USERS) -> None:
        self._lock = threading.Lock()
        self._users: list[User] = []
        self._emails: set[str] = set()
        for name, email in seed:
            self.create(name, email)

    def create(self, name: str, email: str) -> User:
        """Adds a user with the next id; checking the email and inserting is one step."""
        with self._lock:
            if email in self._emails:
                raise DuplicateEmailError(email)
            user = User(id=len(self._users) + 1, name=name, email=email)
            self._users.append(user)
            self._emails.add(email)
            return user

    def get(self, user_id: int) -> User | None:
        """Returns the user with that id, or None."""
        with self._lock:
            if 1 <= user_id <= len(self._users):
                return self._users[user_id - 1]
            return None

    def page(self, skip: int, limit: int) -> list[User]:
        """Returns the users at positions [skip, skip+limit) (shorter past the end)."""
        with self._lock:
            return self._users[skip : skip + limit]

    def __len__(self) -> int:
        with self._lock:
            return len(self._users)


def parse_decimal(raw: str) -> int | None:
    """Parses a contract integer (ASCII digits, base 10, fits int64), else None."""
    if DECIMAL.fullmatch(raw) is None:
        return None
    value = int(raw, 10)
    return value if value <= MAX_INT64 else None


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> object:
    """Parses an RFC 8259 JSON text, raising ValueError if it is malformed.

    orjson is strict (UTF-8 only, one value, no NaN) but also refuses two valid
    texts: a number beyond a double's range and nesting deeper than 1024. The
    standard library, held to the same strictness, has the last word on those
    (its own nesting limit is the interpreter's recursion limit: about 1,000
    levels on 3.11, more on 3.12+).
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        # Strict UTF-8 first: json.loads(bytes) would also take UTF-16 and UTF-32.
        return json.loads(
            body.decode("utf-8"),
            parse_int=Decimal,
            parse_float=Decimal,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """Reads the body as it arrives, answering 413 once it passes limit bytes.

    The bytes are counted, not the Content-Length header, and no more than limit
    plus one chunk is ever held.
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, "body larger than 1 MiB")
        chunks.append(chunk)
    return b"".join(chunks)


async def user_body(request: Request) -> UserIn:
    """The POST /users body, checked in contract order: 413, 400, then 422."""
    body = await read_body(request)
    try:
        document = parse_json(body)
    except ValueError as exc:
        raise HTTPException(400, f"body is not well-formed JSON: {exc}") from None
    if not isinstance(document, dict):
        raise HTTPException(400, "body must be a JSON object")
    try:
        return UserIn.model_validate(document)
    except ValidationError as exc:
        raise HTTPException(422, describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """The first validation error as "field: message"."""
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The contract's error body: {"error": message, "timestamp": unix seconds}."""
    return JSONResponse(
        {"error": message, "timestamp": int(time.time())},
        status_code=status,
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Gives every error, the framework's own included, the contract's body."""

    def allowed_methods(request: Request) -> str:
        # Starlette's 405 names the methods of the first route matching the path
        # only (GET for /users); the contract wants all of the path's methods.
        methods: set[str] = set()
        for route in app.router.routes:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= getattr(route, "methods", None) or set()
        return ", ".join(sorted(methods))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return error_response(exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Parameters are taken as plain strings and parsed by hand, so this is a
        # safety net: it keeps FastAPI's {"detail": [...]} body from ever leaking.
        errors = exc.errors()
        return error_response(422, str(errors[0]["msg"]) if errors else "invalid request")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, f"internal error: {type(exc).__name__}")


def create_app(
    store: UserStore | None = None, clock: Callable[[], float] = time.monotonic
) -> FastAPI:
    """Builds the application over store (a fresh, seeded one by default).

    Uptime counts from this call, with clock (a monotonic one by default).
    """
    users = store if store is not None else UserStore()
    started = clock()
    # No /docs, /redoc or /openapi.json (they would be routes the contract does
    # not have) and no slash redirects (/users/ is a 404).
    app = FastAPI(redirect_slashes=False, openapi_url=None, docs_url=None, redoc_url=None)
    install_error_handlers(app)

    @app.get("/health")
    async def health() -> Health:
        return Health(status="healthy", uptime=clock() - started)

    @app.get("/users")
    async def list_users(skip: str | None = None, limit: str | None = None) -> list[User]:
        start = 0 if skip is None else parse_decimal(skip)
        if start is None:
            raise HTTPException(400, "skip must be a decimal integer >= 0")
        size = DEFAULT_LIMIT if limit is None else parse_decimal(limit)
        if size is None or not 1 <= size <= MAX_LIMIT:
            raise HTTPException(400, f"limit must be a decimal integer in 1..{MAX_LIMIT}")
        return users.page(start, size)

    @app.post("/users", status_code=201)
    async def create_user(payload: Annotated[UserIn, Depends(user_body)]) -> User:
        try:
            return users.create(payload.name, payload.email)
        except DuplicateEmailError:
            raise HTTPException(409, "email already registered") from None

    @app.get("/users/{user_id}")
    async def get_user(user_id: str) -> User:
        wanted = parse_decimal(user_id)
        if wanted is None or wanted <= 0:
            raise HTTPException(400, "id must be a decimal integer >= 1")
        user = users.get(wanted)
        if user is None:
            raise HTTPException(404, "user not found")
        return user

    return app


def main(argv: list[str] | None = None) -> None:
    """The command line: `serve --port P [--host H]`."""
    parser = argparse.ArgumentParser(prog="userapi.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the user API over HTTP/1.1")
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


if __name__ == "__main__":
    main()
