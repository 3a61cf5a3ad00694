"""Placeholder blueprint; see server/app.py for what this module will serve."""

from flask import Blueprint

bp = Blueprint("ui", __name__)
