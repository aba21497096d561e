from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    api_token: str = "not-a-web-app"
