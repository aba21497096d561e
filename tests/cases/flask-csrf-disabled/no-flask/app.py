class Config:
    WTF_CSRF_ENABLED = False
