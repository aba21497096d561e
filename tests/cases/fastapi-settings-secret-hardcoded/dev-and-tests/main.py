from fastapi import FastAPI
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: str


class DevSettings(Settings):
    secret_key: str = "dev-only-key"


class TestSettings(Settings):
    secret_key: str = "test-key"


app = FastAPI()
