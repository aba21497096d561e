DEBUG = True

def broken(:
    pass
