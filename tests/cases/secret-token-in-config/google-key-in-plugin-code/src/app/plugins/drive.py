class DriveFolder:
    __name__ = "DriveFolder"
    API_KEY = "AIzaSyHardenTestKeyForTheCases-01234567"

    def api_url(self, folder):
        return f"https://www.googleapis.com/drive/v3/files?q={folder}&key={self.API_KEY}"
