from setuptools import find_packages, setup

setup(
    name="Superdesk-Core",
    packages=find_packages(),
    install_requires=["eve>=1.1", "flask>=2.0", "celery[redis]>=5.2"],
)
