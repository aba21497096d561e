from flask import request
from flask_wtf import FlaskForm


class ProfileForm(FlaskForm):
    pass


def profile():
    form = ProfileForm()
    if form.validate_on_submit():
        return request.form["name"]
