from flask_limiter import Limiter
