class Config:
    REMEMBER_COOKIE_SECURE = False
