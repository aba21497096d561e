import os

from setuptools import setup


def requirements(fname):
    path = os.path.join(os.path.dirname(__file__), "requirements", fname)
    with open(path) as f:
        return [line for line in f.read().splitlines() if line and not line.startswith("#")]


setup(
    name="django-sql-explorer",
    packages=["explorer"],
    install_requires=[
        requirements("base.txt"),
    ],
    extras_require={
        "charts": requirements("extra/charts.txt"),
    },
)
