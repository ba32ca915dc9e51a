"""loky starts its workers with a pickler of its own (cloudpickle with loky's reducers): its
reducers for Connection (and PipeConnection on Windows) are wrapped like multiprocessing's
(patches/connection.py), so that a worker's queue ends keep their channel, and a pool's
queues their label."""

import sys

from ..channels import ends as channel_ends


def patch(reduction_module):
    connection_module = sys.modules["multiprocessing.connection"]
    table = reduction_module._dispatch_table
    for name in ("Connection", "PipeConnection"):
        connection_class = getattr(connection_module, name, None)
        reduce_connection = table.get(connection_class) if connection_class is not None else None
        if reduce_connection is not None:
            # A dict entry, not an attribute: left in place at exit, where it only passes through.
            table[connection_class] = channel_ends.carrying_end(reduce_connection)
