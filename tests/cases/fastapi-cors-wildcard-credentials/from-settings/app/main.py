from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.config import settings

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=[str(origin) for origin in settings.BACKEND_CORS_ORIGINS],  # expect: fastapi-cors-wildcard-credentials
    allow_credentials=settings.CORS_CREDENTIALS,
)
