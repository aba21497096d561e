from fastapi import FastAPI

from app.config import settings

app = FastAPI(title="Orders", openapi_url="/openapi.json" if settings.show_docs else None)
