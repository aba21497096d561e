def test_upload(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAHARDENTESTKEY001")
