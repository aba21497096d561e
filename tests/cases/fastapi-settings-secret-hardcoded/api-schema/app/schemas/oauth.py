from pydantic import BaseModel


class OAuthConfigSchema(BaseModel):
    client_id: str
    client_secret: str = "**********"


class OAuthConfigResponse(BaseModel):
    client_id: str
    client_secret: str = "**********"  # Always masked in responses


class ProviderConfig(BaseModel):
    client_secret: str = "Zx81-kq0LmA9-real-looking"  # expect: fastapi-settings-secret-hardcoded
