from fastapi import FastAPI
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    DEBUG: bool = True  # expect: fastapi-debug-enabled
    project_name: str = "api"


class LocalSettings(Settings):
    DEBUG: bool = True


settings = Settings()
app = FastAPI(debug=settings.DEBUG)
