"""The article's Python user API, reproduced as a variant: NOT canonical.

Written from the article's description (shared/ARTICLE.md) so the report can show
what its configuration costs in correctness. It deliberately keeps the article's
choices: pydantic's Unicode \\w email pattern, FastAPI's default 422 body for
validation errors, id = len(users) + 1, and `uvicorn --workers 4`, which gives
every worker process its own in-memory store.

    python article_app.py serve --port P [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException


class UserCreate(BaseModel):
    name: str = Field(min_length=2, max_length=50)
    email: str = Field(pattern=r"^[\w\.-]+@[\w\.-]+\.\w+$")


class User(UserCreate):
    id: int


users: list[User] = []
started = time.time()


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    global started
    users[:] = [
        User(id=1, name="Alice", email="alice@example.com"),
        User(id=2, name="Bob", email="bob@example.com"),
    ]
    started = time.time()
    yield


app = FastAPI(lifespan=lifespan)


@app.exception_handler(StarletteHTTPException)
async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        {"error": exc.detail, "timestamp": int(time.time())},
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
    if any(u.email == user.email for u in users):
        raise HTTPException(status_code=409, detail="Email already registered")
    created = User(id=len(users) + 1, **user.model_dump())
    users.append(created)
    return created


@app.get("/users/{user_id}")
async def get_user(user_id: int) -> User:
    if user_id <= 0:
        raise HTTPException(status_code=400, detail="Invalid user ID")
    for u in users:
        if u.id == user_id:
            return u
    raise HTTPException(status_code=404, detail="User not found")


def main() -> None:
    parser = argparse.ArgumentParser(prog="article_app.py")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the article's user API")
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    uvicorn.run(
        "article_app:app",
        app_dir=os.path.dirname(os.path.abspath(__file__)),
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
