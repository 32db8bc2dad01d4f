"""The sign-in form of the admin and of enterprise accounts."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's form with the username's length enforced: AuthenticationForm sets
    ``max_length`` after the field is built, so no validator checks it and an
    oversized name reached ``authenticate()`` and the lockout's records (a database
    error on PostgreSQL). Now it is a form error like any other."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
