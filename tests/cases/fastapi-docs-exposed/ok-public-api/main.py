from fastapi import FastAPI

app = FastAPI(title="Public weather API", description="Documented on purpose")
