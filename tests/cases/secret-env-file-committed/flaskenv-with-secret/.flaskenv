FLASK_APP=app
SECRET_KEY=harden-test-value-not-a-real-secret
