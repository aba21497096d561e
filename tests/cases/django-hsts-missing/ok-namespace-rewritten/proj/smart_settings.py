"""The project's own settings loader: values from its config file, written into the module."""


class SettingNamespace:
    def __init__(self, global_symbol_table):
        self.global_symbol_table = global_symbol_table

    def get_values(self):
        return {
            "DEBUG": False,
            "ALLOWED_HOSTS": ["example.com"],
            "SECURE_HSTS_SECONDS": 31536000,
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
            "SECURE_HSTS_PRELOAD": True,
            "SECURE_SSL_REDIRECT": True,
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            "AUTH_PASSWORD_VALIDATORS": [
                {
                    "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                },
            ],
        }

    def update_globals(self):
        self.global_symbol_table.update(self.get_values())
