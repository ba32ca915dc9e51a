"""Attributes the tracer replaced in library modules and classes, with the originals kept.

Each replacement remembers what it replaced (or that the attribute was inherited or absent),
so that `undo_all()` puts back exactly what was there, newest first. The tracer undoes them
once it has sent its last record: from then on the program's calls go straight to the
originals, as they would without the tracer.
"""

_ABSENT = object()

# (owner, name, what owner.__dict__ held before, or _ABSENT)
_replaced = []


def replace(owner, name, replacement):
    """Sets `owner.name` to `replacement`, keeping what `owner` itself held under that name."""
    _replaced.append((owner, name, vars(owner).get(name, _ABSENT)))
    setattr(owner, name, replacement)


def undo_all():
    while _replaced:
        owner, name, original = _replaced.pop()
        if original is _ABSENT:
            delattr(owner, name)
        else:
            setattr(owner, name, original)
