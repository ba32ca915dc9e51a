"""What a manager proxy stands for: its referent, the same in every process.

A proxy's `_token` (typeid, address, id) names one object in one manager's server process:
every proxy of it, in any process, carries the same address and id. The referent's id on
the wire is built from them, so the cycles of a managed Lock from three workers land on one
lock, and a managed Queue's puts and gets on one channel.

What the referent is decides how its calls are shown:
- LOCK (Lock, RLock, Semaphore, BoundedSemaphore), CONDITION, EVENT, BARRIER: lock records,
  like the locks of multiprocessing.synchronize (locks/records.py);
- QUEUE (Queue, JoinableQueue): each put and get a message on the queue's channel;
- CALLS (dict, list, Namespace, Value, Array, anything else): each call one message from the
  caller to the manager, on a channel of that object.
"""

import os

from ..channels.ends import PIPE, QUEUE as QUEUE_CHANNEL, Channel, ChannelEnd

LOCK, CONDITION, EVENT, BARRIER, QUEUE, CALLS = "lock", "condition", "event", "barrier", "queue", "calls"

# The instance attribute caching a proxy's Referent (written into __dict__ directly: a
# NamespaceProxy's __setattr__ would send it to the manager).
ATTRIBUTE = "_parallel_lab_referent"

_LOCK_TYPEIDS = ("Lock", "RLock", "Semaphore", "BoundedSemaphore")
_QUEUE_TYPEIDS = ("Queue", "JoinableQueue")

# The proxy classes of multiprocessing.managers, set by configure().
_proxy_classes = {}
# (address, id) -> site id where this process created the object (manager.Lock() ...)
_created_here = {}


class Referent(object):
    __slots__ = ("id", "role", "kind", "api", "recursive", "end", "site", "site_pid", "typeid", "name")

    def __init__(self, referent_id, role, kind, api, typeid, site, name=None):
        self.id = referent_id
        # As the learner's code names it (`lock = manager.Lock()` is `lock`), or None: known
        # in the process that made it, which announces it first.
        self.name = name
        self.role = role
        self.kind = kind
        self.api = api
        self.typeid = typeid
        self.recursive = typeid == "RLock"
        self.site = site
        self.site_pid = os.getpid()
        self.end = None
        if role == QUEUE:
            self.end = ChannelEnd(Channel(referent_id, QUEUE_CHANNEL, api, False, site, name), 0)
        elif role == CALLS:
            self.end = ChannelEnd(Channel(referent_id, PIPE, api, False, site, name), 0)

    def site_here(self):
        """The creation site if this process created the object (site ids are per process)."""
        return self.site if self.site_pid == os.getpid() else None


def configure(managers):
    for name in ("AcquirerProxy", "ConditionProxy", "EventProxy", "BarrierProxy"):
        proxy_class = getattr(managers, name, None)
        if proxy_class is not None:
            _proxy_classes[name] = proxy_class


def created(manager, token, site, name):
    """The learner's manager.X() made the object `token` names, at `site` of this process,
    and named it `name` (or None): its Referent (None when the manager's registry does not say
    what its proxy is)."""
    _created_here[(token.address, token.id)] = site
    entry = getattr(manager, "_registry", {}).get(token.typeid)
    return _referent(token, entry[-1], name) if entry else None


def of(proxy):
    """The Referent of `proxy`, cached on it."""
    referent = _referent(proxy._token, type(proxy))
    proxy.__dict__[ATTRIBUTE] = referent
    return referent


def _referent(token, proxy_type, name=None):
    typeid = token.typeid
    role = _role(proxy_type, typeid)
    kind = {CONDITION: "Condition", EVENT: "Event", BARRIER: "Barrier"}.get(role, typeid)
    site = _created_here.get((token.address, token.id))
    return Referent(referent_id(token), role, kind, "Manager()." + typeid, typeid, site, name)


def referent_id(token):
    """"manager:<server address, short>:<object id in the server>"."""
    address = token.address
    if isinstance(address, tuple):
        where = ":".join(str(part) for part in address)
    else:
        if isinstance(address, bytes):
            address = address.decode("utf-8", "replace")
        where = str(address).replace("\\", "/").rstrip("/").rpartition("/")[2] or str(address)
    return "manager:%s:%s" % (where, token.id)


def _role(proxy_type, typeid):
    """`proxy_type` is the proxy's class, or the AutoProxy function (the proxy of a Queue, a dict)."""
    if isinstance(proxy_type, type):
        for name, role in (("ConditionProxy", CONDITION), ("EventProxy", EVENT), ("BarrierProxy", BARRIER)):
            proxy_class = _proxy_classes.get(name)
            if proxy_class is not None and issubclass(proxy_type, proxy_class):
                return role
        acquirer = _proxy_classes.get("AcquirerProxy")
        if acquirer is not None and issubclass(proxy_type, acquirer):
            return LOCK
    if typeid in _LOCK_TYPEIDS:
        return LOCK
    if typeid in _QUEUE_TYPEIDS:
        return QUEUE
    return CALLS


def _forget_parent_creations():
    # Site ids are per process: the child made none of these.
    _created_here.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_creations)
