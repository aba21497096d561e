"""Settings composed from mixins (a real-world shape: one BaseSettings class, many BaseModel groups)."""
from fastapi import FastAPI
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings


class AppSettingsBase(BaseModel):
    pass


class StripeProvider(AppSettingsBase):
    stripe_api_secret_key: str = Field(default="sk_test_in_source")  # expect: fastapi-settings-secret-hardcoded
    stripe_success_url: str = Field(default="https://example.com/thanks")


class FakeWalletFundingSource(AppSettingsBase):
    fake_wallet_secret: str = Field(default="ToTheMoon1")


class ProvidersSettings(StripeProvider, FakeWalletFundingSource):
    pass


class Settings(ProvidersSettings, BaseSettings):
    pass


settings = Settings()
app = FastAPI()
