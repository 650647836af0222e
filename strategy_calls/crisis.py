"""Placeholder: the crisis-detection helper (branch h-crisis) replaces this module at merge."""


def find_warning_signs(text):
    """Names of the warning signs matched in `text`."""
    return []
