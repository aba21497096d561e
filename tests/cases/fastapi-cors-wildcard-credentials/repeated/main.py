from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
other = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://a.example"], allow_credentials=True)
other.add_middleware(CORSMiddleware, allow_origins=["https://a.example", "*"], allow_credentials=True)
