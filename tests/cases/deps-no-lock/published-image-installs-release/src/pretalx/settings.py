INSTALLED_APPS = ["pretalx.common"]
