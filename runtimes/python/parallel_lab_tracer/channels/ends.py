"""Which channel a Connection belongs to, the same in every process holding one of its ends.

A Pipe gets an id when it is created; both of its Connection ends carry it with their end
number (0 and 1). A fork child inherits the ends as they are; a spawn or forkserver child
receives them through pickling, where the reducer multiprocessing registers for Connection
is wrapped so that the rebuilt Connection carries the same channel. A Queue or SimpleQueue
is built on a Pipe and keeps that Pipe's id: creating the queue relabels its two ends.
"""

import itertools
import os

# The Connection attribute holding its ChannelEnd; the class default None means untraced
# (a Listener/Client connection, a manager's connection).
END_ATTRIBUTE = "_parallel_lab_end"

PIPE = "pipe"
QUEUE = "queue"

# The two sides of a pool's own queues (Channel.tasks).
TASKS = "tasks"
RESULTS = "results"

_numbers = itertools.count()


class Channel(object):
    def __init__(self, channel_id, kind, api, internal, site, name=None, place=None):
        self.id = channel_id
        # As the learner's code names it (learner_names.py), or None.
        self.name = name
        # (file, line, function) of the creation site, for other processes (sites.place_of).
        self.place = place
        self.kind = kind
        self.api = api
        self.internal = internal
        # Site ids are per process: the creation site means something only where it was made.
        self.site = site
        self.site_pid = os.getpid() if site is not None else None
        # For a pool's own queues: (pool id, pool type, TASKS | RESULTS); else None.
        self.tasks = None

    def state(self):
        """What travels with a pickled end (the creation site stays in its process)."""
        return (self.id, self.kind, self.api, self.internal, self.tasks, self.name, self.place)

    @classmethod
    def from_state(cls, state):
        channel_id, kind, api, internal, tasks = state[:5]
        extra = tuple(state[5:]) + (None, None)
        channel = cls(channel_id, kind, api, internal, None, extra[0], extra[1])
        channel.tasks = tasks
        return channel


class ChannelEnd(object):
    def __init__(self, channel, endpoint):
        self.channel = channel
        self.endpoint = endpoint
        # A Queue's writer end only: its puts waiting for the feeder thread (see fed_puts.py).
        self.fed_puts = None


def new_pipe(first, second, internal, site, names=None, place=None, duplex=True):
    """Labels the ends Pipe() returned as 0 and 1: a send on one end is received on the other.

    Pipe(duplex=False) returns (reader, writer): the reader is end 0. `names`: the learner's
    name of the pipe (or of the queue built on it), or the names of its two ends.
    """
    if isinstance(names, list):
        names = ("%s \u2194 %s" if duplex else "%s \u2190 %s") % (names[0], names[1]) if len(names) == 2 else None
    channel = Channel("%d:%d" % (os.getpid(), next(_numbers)), PIPE, "Pipe", internal, site, names, place)
    setattr(first, END_ATTRIBUTE, ChannelEnd(channel, 0))
    setattr(second, END_ATTRIBUTE, ChannelEnd(channel, 1))


def relabel_as_queue(reader, writer, api):
    """A queue is one channel: both of its pipe's ends become its end 0."""
    end = getattr(reader, END_ATTRIBUTE, None)
    if end is None:
        return
    channel = end.channel
    channel.kind = QUEUE
    channel.api = api
    end.endpoint = 0
    writer_end = getattr(writer, END_ATTRIBUTE, None)
    if writer_end is not None:
        writer_end.endpoint = 0


def end_of(connection):
    return getattr(connection, END_ATTRIBUTE, None)


def carrying_end(reduce_connection):
    """Wraps multiprocessing's reducer for a Connection class so the end travels with it."""

    def reduce_with_end(connection):
        rebuild, args = reduce_connection(connection)
        end = getattr(connection, END_ATTRIBUTE, None)
        if end is None:
            return rebuild, args
        return rebuild_with_end, (rebuild, args, end.channel.state(), end.endpoint)

    return reduce_with_end


def rebuild_with_end(rebuild, args, channel_state, endpoint):
    """Runs in the receiving process (traced or not), hence no dependency on the tracer's state."""
    connection = rebuild(*args)
    try:
        setattr(connection, END_ATTRIBUTE, ChannelEnd(Channel.from_state(channel_state), endpoint))
    except Exception:
        pass
    return connection
