from flask import Flask, request, session

app = Flask(__name__)


@app.route("/transfer", methods=["POST"])
def transfer():
    amount = request.form["amount"]
    return amount
