from flask import Flask
from flask_limiter import Limiter

app = Flask(__name__)
