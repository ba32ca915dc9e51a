"""Instance attributes whose assignments the tracer observes, without wrapping any method.

A property on the class takes the attribute's place. It keeps the value in the instance's
own __dict__, where it would be without the tracer (vars() and copies see no difference),
and after each assignment calls `on_set(instance, previous, value)`, `previous` being UNSET
the first time. Unlike a wrapper of the methods that assign, it adds no frame to the
tracebacks of the exceptions those methods raise, and it sees every method that assigns.
"""

from . import replacements
from .quiet import quietly

UNSET = object()


def observe(cls, name, on_set):
    if isinstance(vars(cls).get(name), property):
        return  # already observed: the module was imported again
    on_set = quietly(on_set)

    def get(instance):
        try:
            return instance.__dict__[name]
        except KeyError:
            pass
        raise AttributeError("'%s' object has no attribute '%s'" % (type(instance).__name__, name))

    def set_(instance, value):
        state = instance.__dict__
        previous = state.get(name, UNSET)
        state[name] = value
        on_set(instance, previous, value)

    replacements.replace(cls, name, property(get, set_))
