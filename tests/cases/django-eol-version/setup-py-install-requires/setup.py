"""OpenREM 0.10's shape: the Django range is a module-level list setup() names."""
from setuptools import setup

requires = [
    'django>=1.8,<1.9',
    'celery[redis]>=3.1,<4.3',
]

setup(
    name='openrem',
    version='0.10.0',
    install_requires=requires,
)
