from flask import Flask

app = Flask(__name__)
app.run(debug=False)
app.run(host="127.0.0.1", debug=True)
