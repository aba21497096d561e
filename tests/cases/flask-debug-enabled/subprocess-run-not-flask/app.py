import subprocess

from flask import Flask

app = Flask(__name__)
subprocess.run(["ls"], check=True)
