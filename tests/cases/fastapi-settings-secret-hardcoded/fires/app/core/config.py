from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_")

    project_name: str = "api"
    secret_key: str = "change-me"  # expect: fastapi-settings-secret-hardcoded
    jwt_secret: str = "jwt-signing-secret-1234"  # expect: fastapi-settings-secret-hardcoded
    access_token_expire_minutes: int = 60
    jwt_algorithm: str = "HS256"
    token_url: str = "/auth/token"
    smtp_password: str = ""
    sentry_dsn: str | None = None


settings = Settings()
