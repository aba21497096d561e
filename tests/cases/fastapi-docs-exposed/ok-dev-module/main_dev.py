from fastapi import FastAPI

from main import app as production_app

app = FastAPI(title="local playground")
