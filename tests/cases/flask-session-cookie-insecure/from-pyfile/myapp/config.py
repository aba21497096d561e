# loaded with app.config.from_pyfile
DEBUG = False
SESSION_COOKIE_SECURE = False
