"""The learner's mistakes the harness recognises: a kind the host turns into a sentence,
and the details that sentence needs. Never a traceback of ours."""


class LearnerMistake(Exception):
    def __init__(self, kind, **details):
        Exception.__init__(self, kind)
        self.kind = kind
        self.details = details


def error_line(error):
    """The last line of Python's own report of an error, e.g. "ZeroDivisionError: division by zero"."""
    text = str(error)
    name = type(error).__name__
    return "%s: %s" % (name, text) if text else name


def short_repr(value, limit=80):
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ is the learner's, not a reason to fail
        text = "<%s: repr failed: %s>" % (type(value).__name__, error_line(error))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
