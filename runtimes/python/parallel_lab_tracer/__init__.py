"""Parallel Lab's tracer: reports every Python process of a run to the host.

`start()` is called by sitecustomize when PARALLEL_LAB_SOCKET is set. It connects to the
host, reports this interpreter's start, wraps the os functions every program has (the waits
that collect children's exits, and os._exit), registers the library patches (applied only
if the program imports their modules) and reports the end at exit. If the host cannot be
reached the tracer stays out of the way entirely.
"""

import atexit
import os
import sys

# First: their fork hooks must run before those of the modules below (see process_id).
from . import process_id, thread_id  # noqa: F401  (isort: skip)
from . import clock, config, lifecycle, os_waits, own_exit, patches, record_buffer, replacements, transport
from .quiet import quietly


def start():
    if config.requested_start_method(os.environ):
        patches.register((patches.START_METHOD_PATCH,))
    settings = config.tracer_config(os.environ)
    if settings is None:
        return
    # Before connecting: the hello carries this process's clock reading.
    clock.current = clock.RunClock(settings.t0_ns)
    connection = transport.connect(settings.endpoint, settings.token)
    if connection is None:
        return
    record_buffer.open_outbox(lambda: transport.connect(settings.endpoint, settings.token), connection, settings.spool_folder)
    lifecycle.begin(clock.current, config.requested_start_method(os.environ))
    os_waits.install()
    own_exit.install()
    patches.register(patches.TRACING_PATCHES)
    atexit.register(_at_exit)


@quietly
def _at_exit():
    # Only spawn and forkserver children can hit the missing-main-guard error.
    if "multiprocessing.spawn" in sys.modules:
        from . import main_guard

        main_guard.warn_if_missing_at_exit()
    lifecycle.end(None)
    record_buffer.close()
    # Nothing more can be sent: the rest of the shutdown calls the originals.
    replacements.undo_all()
