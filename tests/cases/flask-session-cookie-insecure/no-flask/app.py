class Config:
    SESSION_COOKIE_SECURE = False
