from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    BACKEND_CORS_ORIGINS: list[str] = ["*"]
    CORS_CREDENTIALS: bool = True


settings = Settings()
