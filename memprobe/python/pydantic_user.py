"""The pydantic shape: the model a FastAPI service such as the article's uses."""

from pydantic import BaseModel


class PydanticUser(BaseModel):
    """A user as a pydantic v2 model, validated on construction."""

    id: int
    name: str
    email: str
