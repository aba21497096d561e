# wagtail's shape: `cms start NAME` copies this directory into a new project; the repository
# itself deploys none of it.
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "cms"]
ROOT_URLCONF = "{{ project_name }}.urls"
