FLASK_APP=app:create_app
FLASK_RUN_PORT=8000
FLASK_RUN_KEY=certs/dev-key.pem
