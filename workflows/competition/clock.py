"""Today's date for every gate of this app, in one place (tests move it; views never take it from a form)."""

from django.utils import timezone


def today():
    return timezone.localdate()


def now():
    return timezone.now()
