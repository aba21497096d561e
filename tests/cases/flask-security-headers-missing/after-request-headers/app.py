from flask import Flask

app = Flask(__name__)


@app.after_request
def headers(response):
    response.headers["X-Frame-Options"] = "DENY"
    return response
