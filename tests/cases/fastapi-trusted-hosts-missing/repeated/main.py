from fastapi import FastAPI

api = FastAPI()
admin = FastAPI()
