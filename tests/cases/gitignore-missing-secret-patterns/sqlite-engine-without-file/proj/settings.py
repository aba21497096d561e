SECRET_KEY = "test-only"

# Django's test runner keeps a SQLite database without a NAME in memory.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
