INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "fitness"]
ROOT_URLCONF = "fitness.urls"
