class Config:
    MAX_CONTENT_LENGTH = None
