import uvicorn

uvicorn.run("main:app", reload=True)
