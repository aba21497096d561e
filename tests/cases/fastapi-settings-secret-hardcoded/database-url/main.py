from fastapi import FastAPI
from pydantic import PostgresDsn
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: PostgresDsn = "postgresql://app:s3cret@db:5432/app"  # expect: fastapi-settings-secret-hardcoded
    redis_url: str = "redis://localhost:6379/0"
    sqlite_url: str = "sqlite:///./app.db"
    templated_url: str = "postgresql://app:${DB_PASSWORD}@db/app"


app = FastAPI()
