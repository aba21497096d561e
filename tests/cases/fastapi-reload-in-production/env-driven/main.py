import os

import uvicorn

uvicorn.run("main:app", reload=os.getenv("RELOAD", "1") == "1")
