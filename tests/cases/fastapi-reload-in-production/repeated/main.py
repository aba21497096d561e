import uvicorn

uvicorn.run("main:app", reload=False)
uvicorn.run("main:app", reload=True)
