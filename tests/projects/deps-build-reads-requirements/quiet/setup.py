from setuptools import find_packages, setup

install_requires = open("requirements.txt").readlines()

setup(
    name="watcher",
    version="0.60.10",
    packages=find_packages(),
    install_requires=install_requires,
    entry_points={"console_scripts": ["watcher = watcher:main"]},
)
