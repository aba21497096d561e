import os

from fastapi import FastAPI

app = FastAPI(debug=os.getenv("DEBUG", "true").lower() == "true")
