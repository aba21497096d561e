class Config:
    SESSION_COOKIE_SAMESITE = None
