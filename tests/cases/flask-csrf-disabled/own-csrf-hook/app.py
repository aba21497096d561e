import secrets

from flask import Flask, abort, request, session

app = Flask(__name__)


@app.before_request
def csrf_protect():
    if request.method == "POST":
        token = session.get("_csrf_token")
        if not token or token != request.form.get("_csrf_token"):
            abort(403)


def csrf_token():
    if "_csrf_token" not in session:
        session["_csrf_token"] = secrets.token_hex(16)
    return session["_csrf_token"]


@app.route("/transfer", methods=["POST"])
def transfer():
    return request.form["amount"]
