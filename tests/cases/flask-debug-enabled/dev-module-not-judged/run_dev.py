from app import app

app.run(debug=True)
