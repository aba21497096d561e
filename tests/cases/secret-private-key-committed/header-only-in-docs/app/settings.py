# Set JWT_PRIVATE_KEY to a PEM key ("-----BEGIN PRIVATE KEY-----\n...").
import os

JWT_PRIVATE_KEY = os.environ["JWT_PRIVATE_KEY"]
