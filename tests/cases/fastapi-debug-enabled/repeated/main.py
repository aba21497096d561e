from fastapi import FastAPI

api = FastAPI(debug=False)
admin = FastAPI(debug=True)
