"""The tracer's promise to the learner's program: its own errors never reach it."""


def quietly(function):
    """Runs `function`, turning any error of the tracer's into a return value of None.

    Only Exception is swallowed: KeyboardInterrupt and SystemExit belong to the program.
    """

    def guarded(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            return None

    guarded.__name__ = function.__name__
    guarded.__doc__ = function.__doc__
    return guarded
