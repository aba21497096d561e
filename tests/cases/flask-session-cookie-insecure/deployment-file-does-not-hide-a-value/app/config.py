class ProductionConfig:
    SESSION_COOKIE_SECURE = False
