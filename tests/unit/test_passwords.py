"""Password rules: long enough, not common, not guessable from the person's own details."""

import pytest
from flask import Flask
from flask_babel import Babel

from webapp.auth.passwords import password_problems


@pytest.fixture(autouse=True)
def _babel():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


@pytest.mark.parametrize("password", [
    "short",
    "elevenchars",
    "password1234",
    "Password1234!",
    "qwertyuiop123",
    "aaaaaaaaaaaaaaaa",
    "123456789012",
    "ann.example@example.org",
])
def test_weak_passwords_are_refused_with_a_reason(password):
    problems = password_problems(password, email="ann.example@example.org", name="Ann Example")
    assert len(problems) == 1 and problems[0].endswith(".")


@pytest.mark.parametrize("password", [
    "plum-harbour-lantern-42",
    "correct horse battery staple",
    "Tea at four, then the river walk",
])
def test_ordinary_strong_passwords_are_accepted(password):
    assert password_problems(password, email="ann@example.org", name="Ann") == []


def test_names_and_emails_make_a_password_guessable():
    assert password_problems("AnnExample2026", email="ann.example@example.org",
                             name="Ann Example")


def test_over_long_passwords_are_refused_rather_than_hashed():
    assert "at most" in password_problems("x" * 129)[0]
