from fastapi import FastAPI

app = FastAPI(title="Shop API", docs_url=None, redoc_url=None, openapi_url=None)
admin = FastAPI(title="Shop admin")
app.mount("/admin", admin)
