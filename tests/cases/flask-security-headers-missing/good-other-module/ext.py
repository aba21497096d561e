from flask_talisman import Talisman
