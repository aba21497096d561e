"""privacyIDEA's shape: module constants that bandit's B105 mistakes for passwords, silenced
with a reason. They are not settings."""
from flask import current_app

FAILED_TO_DECRYPT_PASSWORD = "FAILED TO DECRYPT PASSWORD!"  # nosec B105 # placeholder in case of error
CENSORED = "__CENSORED__"  # nosec B105 # placeholder for censored secrets in API responses


def secret():
    return current_app.config["SECRET_KEY"]
