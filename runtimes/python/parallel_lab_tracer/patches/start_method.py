"""Makes the start method the host asked for the default one, not a fixed one.

Calling set_start_method() here would make a learner's own set_start_method() call fail
("context has already been set"). Changing the default context's fallback keeps it free:
until the program chooses, multiprocessing uses the requested method.
"""

import os

from .. import config


def patch(context_module):
    method = config.requested_start_method(os.environ)
    concrete = context_module._concrete_contexts.get(method)
    if concrete is not None:  # e.g. "fork" does not exist on Windows
        context_module._default_context._default_context = concrete
