import os

from fastapi import FastAPI

app = FastAPI()
if os.path.exists("/etc/app/verbose"):
    app = FastAPI(debug=True)
