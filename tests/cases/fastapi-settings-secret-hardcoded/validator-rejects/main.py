from fastapi import FastAPI
from pydantic import field_validator
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: str = "insecure-default"

    @field_validator("secret_key")
    @classmethod
    def must_be_changed(cls, value: str) -> str:
        if value in ("insecure-default", ""):
            raise ValueError("set SECRET_KEY")
        return value


app = FastAPI()
