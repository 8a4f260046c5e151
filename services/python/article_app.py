"""The article's Python user API, reproduced as tribench's `article` variant: NOT canonical.

Written from the article's description (shared/ARTICLE.md), so the report can show
what its configuration costs in correctness. It keeps the article's choices on
purpose: a plain list as the store (id = len(users) + 1, linear scans), pydantic's
`pattern` with Unicode `\\w`, FastAPI's own parameter and body handling (`int`
parameters, 422 `{"detail": [...]}` bodies, slash redirects, no body-size limit),
an error handler registered for FastAPI's `HTTPException` with `time.time()` float
timestamps (so the router's own 404/405, a Starlette `HTTPException`, keep FastAPI's
`{"detail": ...}` body, as the published code does when run), and `uvicorn --workers
4`, which gives every worker process its own store.

    python article_app.py serve --port P [--host 127.0.0.1] [--workers 4]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

WORKERS = 4


class UserCreate(BaseModel):
    """The body of POST /users, validated with the article's constraints."""

    name: str = Field(min_length=2, max_length=50)
    email: str = Field(pattern=r"^[\w\.-]+@[\w\.-]+\.\w+$")


class User(UserCreate):
    """A stored user."""

    id: int


users: list[User] = []
started = time.time()


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Seeds the store and records the start time, once per worker process."""
    global started
    users[:] = [
        User(id=1, name="Alice", email="alice@example.com"),
        User(id=2, name="Bob", email="bob@example.com"),
    ]
    started = time.time()
    yield


app = FastAPI(lifespan=lifespan)


@app.exception_handler(HTTPException)
async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
    """Turns the app's own HTTP errors into {"error", "timestamp"}, as the article does.

    Registered for FastAPI's HTTPException, a subclass: the router's own 404/405 are
    Starlette's and keep FastAPI's {"detail": ...} body.
    """
    return JSONResponse(
        {"error": exc.detail, "timestamp": time.time()},
        status_code=exc.status_code,
        headers=dict(exc.headers or {}),
    )


@app.get("/health")
async def health() -> dict[str, object]:
    return {"status": "healthy", "uptime": time.time() - started}


@app.get("/users")
async def list_users(skip: int = 0, limit: int = 10) -> list[User]:
    if skip < 0 or limit <= 0:
        raise HTTPException(status_code=400, detail="Invalid pagination parameters")
    return users[skip : skip + limit]


@app.post("/users", status_code=201)
async def create_user(user: UserCreate) -> User:
    if any(existing.email == user.email for existing in users):
        raise HTTPException(status_code=409, detail="Email already registered")
    created = User(id=len(users) + 1, name=user.name, email=user.email)
    users.append(created)
    return created


@app.get("/users/{user_id}")
async def get_user(user_id: int) -> User:
    if user_id <= 0:
        raise HTTPException(status_code=400, detail="Invalid user ID")
    for user in users:
        if user.id == user_id:
            return user
    raise HTTPException(status_code=404, detail="User not found")


def main(argv: list[str] | None = None) -> None:
    """The command line: `serve --port P [--host H] [--workers N]`."""
    parser = argparse.ArgumentParser(prog="article_app.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the article's user API")
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args(argv)
    # Several workers need the app as an import string, which each worker
    # process imports anew (hence one store per worker).
    uvicorn.run(
        "article_app:app",
        app_dir=str(Path(__file__).resolve().parent),
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
