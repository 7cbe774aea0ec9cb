"""The sign-in form."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("E-postadress", validators=[DataRequired("Ange din e-postadress."), Length(max=254)])
    password = PasswordField("Lösenord", validators=[DataRequired("Ange ditt lösenord."), Length(max=200)])
