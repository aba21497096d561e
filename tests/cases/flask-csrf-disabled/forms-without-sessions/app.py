"""A stateless webhook receiver: no sessions, no logins, nothing for a forged request to ride."""
from flask import Flask, request

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False


@app.route("/hook", methods=["POST"])
def hook():
    return request.form["payload"]
