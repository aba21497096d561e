import os
from setuptools.command.build import build


class CustomBuild(build):
    def run(self):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj._build_settings")
        super().run()
