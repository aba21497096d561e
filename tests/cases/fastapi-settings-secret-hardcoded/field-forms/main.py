import os

from fastapi import FastAPI
from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    api_token: SecretStr = SecretStr("tok-123456")  # expect: fastapi-settings-secret-hardcoded
    signing: SecretStr = Field(default="sig-abcdef", description="JWT key")  # expect: fastapi-settings-secret-hardcoded
    admin_password: str = Field("hunter2")  # expect: fastapi-settings-secret-hardcoded
    secret_key: str = os.getenv("SECRET_KEY", "dev-key")  # expect: fastapi-settings-secret-hardcoded
    other_secret: str = os.environ.get("LEGACY_SECRET", "dev")  # expect: fastapi-settings-secret-hardcoded
    required_secret: str = Field(..., description="set me")
    generated_secret: str = Field(default_factory=lambda: os.urandom(16).hex())


class AppConfig(BaseModel):
    jwt_secret_key: str = "plain-model-secret"  # expect: fastapi-settings-secret-hardcoded


settings = Settings()
app = FastAPI()
