from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import computed_field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    BACKEND_CORS_ORIGINS: list[str] = []
    FRONTEND_HOST: str = "http://localhost:5173"

    @computed_field
    @property
    def all_cors_origins(self) -> list[str]:
        return [str(o) for o in self.BACKEND_CORS_ORIGINS] + [self.FRONTEND_HOST]


class DevSettings(Settings):
    BACKEND_CORS_ORIGINS: list[str] = ["*"]


settings = Settings()
app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.all_cors_origins,
    allow_credentials=True,
)
