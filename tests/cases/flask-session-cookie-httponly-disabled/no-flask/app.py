class Config:
    SESSION_COOKIE_HTTPONLY = False
