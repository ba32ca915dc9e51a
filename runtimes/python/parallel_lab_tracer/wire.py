"""Records as lines of JSON, without importing `json`.

`import json` pulls in `re` and costs milliseconds at every interpreter start; the tracer's
records are small dicts of strings, numbers, booleans, None, lists and dicts, which this
encoder writes with the C string quoter that `json` itself uses.
"""

try:
    from _json import encode_basestring_ascii as _quote
    from _json import make_encoder as _make_encoder
except ImportError:  # Interpreters without the C accelerator.
    from json.encoder import encode_basestring_ascii as _quote

    _make_encoder = None

# The C encoder `json` itself uses, for batch records of hundreds of events: the Python
# encoder below costs about 4 us per event, a third of it here. It refuses what JSON has no
# form for (NaN, infinity, other types): those records take the Python path.
_c_encode = _make_encoder(None, None, _quote, None, ":", ",", False, False, False) if _make_encoder else None


def encode_line(record):
    """One record as an ASCII JSON line, newline included."""
    if _c_encode is not None:
        try:
            return "".join(_c_encode(record, 0)) + "\n"
        except (TypeError, ValueError):
            pass
    return _value(record) + "\n"


def _value(value):
    if value is None or value is True or value is False:
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        # JSON has no NaN or infinity; the host rejects them, so they travel as null.
        return float.__repr__(value) if value - value == 0 else "null"
    if isinstance(value, dict):
        return "{" + ",".join(_quote(str(k)) + ":" + _value(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_value(v) for v in value) + "]"
    return _quote(str(value))
