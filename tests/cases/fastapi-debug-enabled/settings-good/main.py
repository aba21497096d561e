from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    debug: bool = Field(default=False)


class DevelopmentSettings(Settings):
    debug: bool = True


settings = Settings()
app = FastAPI(debug=settings.debug)
