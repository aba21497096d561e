from setuptools import setup

setup(name="cms-plugin", install_requires=["Django"])
