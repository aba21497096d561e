def main():
    from watcher.app import app

    app.run()
