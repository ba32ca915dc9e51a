"""What the tracer's wrappers of library methods share: they pass for the method they wrap,
and they stay out of the tracebacks the learner reads.

A wrapper around a call that can raise into the learner's code (Queue.get raising Empty,
recv raising EOFError) would show its own frame between the learner's line and the
library's. The wrapper catches the exception, unlinks its own entry (and any other of the
tracer's) from the traceback and re-raises with a bare `raise`, which then adds none: see
tracebacks.py, which on Python 3.8 to 3.10 also makes that traceback the one re-raised.
"""

from ..tracebacks import drop_tracer_frames


def drop_own_frame(error):
    """Call from the wrapper's `except` block, right before a bare `raise`."""
    try:
        drop_tracer_frames(error)
    except Exception:
        pass  # late in interpreter shutdown, with this module's globals gone: re-raise as caught


def like(original, wrapper):
    """Gives `wrapper` the names of `original`: a wrong call's TypeError reads as it would untraced."""
    wrapper.__name__ = original.__name__
    wrapper.__qualname__ = original.__qualname__
    wrapper.__doc__ = original.__doc__
    wrapper.__wrapped__ = original
    return wrapper


def calling_after(original, after):
    """A wrapper of the method `original` that, once it has returned, calls
    `after(self, *args, **kwargs)`. The method's exceptions reach the caller as they would
    untraced: this wrapper's frame is dropped from their traceback."""

    def wrapper(self, *args, **kwargs):
        try:
            result = original(self, *args, **kwargs)
        except BaseException as error:
            drop_own_frame(error)
            raise
        after(self, *args, **kwargs)
        return result

    return like(original, wrapper)
