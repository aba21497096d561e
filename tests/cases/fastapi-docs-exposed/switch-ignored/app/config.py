from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    show_docs: bool = False
    database_url: str


settings = Settings()
