"""Today's date for every step of this app, in one place (tests move it; a form never sets it)."""

from django.utils import timezone


def today():
    return timezone.localdate()
