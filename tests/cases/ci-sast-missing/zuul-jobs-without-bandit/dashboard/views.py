def index(request):
    return "ok"
