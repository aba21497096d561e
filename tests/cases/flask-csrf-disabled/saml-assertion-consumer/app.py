from flask import Flask, request, session

app = Flask(__name__)


@app.route("/auth/saml/sso", methods=["POST"])
def saml_sso():
    # The identity provider posts the assertion from its own site (SAML POST binding).
    response = parse_authn_response(request.form["SAMLResponse"])
    session["user"] = response.subject
    return "ok"


def prepare_request():
    return {"https": "on", "post_data": request.form.copy()}


@app.route("/transfer", methods=["POST"])
def transfer():
    amount = request.form["amount"]
    return amount
