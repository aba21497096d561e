import os

from flask import Flask

app = Flask(__name__)
app.run(host=os.environ.get("HOST", "0.0.0.0"))
