"""Every line the tracer sends, built here: the Python half of the wire contract.

The other half is src/extension/engine/tracer/tracerProtocol.ts. Each builder below names
its TypeScript counterpart and writes the fields in the order that declares them. The
version, the roles and the field orders of event tuples are checked equal to the
TypeScript ones by test/unit/wireContract.test.ts.

Lines are encoded without importing `json`: `import json` pulls in `re` and costs
milliseconds at every interpreter start; the tracer's records are small dicts of strings,
numbers, booleans, None, lists and dicts, which this encoder writes with the C string
quoter that `json` itself uses.
"""

try:
    from _json import encode_basestring_ascii as _quote
    from _json import make_encoder as _make_encoder
except ImportError:  # Interpreters without the C accelerator.
    from json.encoder import encode_basestring_ascii as _quote

    _make_encoder = None

# TRACER_PROTOCOL_VERSION. Raise both together whenever a record changes in a way the
# other side would misread: the host ignores a connection whose hello carries another.
PROTOCOL_VERSION = 2

# ProcessRole (src/shared/runRecord.ts). A Manager()'s server process is MANAGER; other
# helpers (resource tracker, forkserver) and Pythons the program starts itself are OTHER,
# told apart by their names.
MAIN = "main"
PROCESS = "process"
POOL_WORKER = "pool-worker"
MANAGER = "manager"
OTHER = "other"
PROCESS_ROLES = (MAIN, PROCESS, POOL_WORKER, MANAGER, OTHER)

# ---- Connection lines --------------------------------------------------------------------


def hello(token, pid, t):
    """HelloRecord: the first line of every connection."""
    return {"type": "hello", "v": PROTOCOL_VERSION, "token": token, "pid": pid, "t": t}


def clock_line(t):
    """ClockLine, ahead of each batch on the socket (encoded here: it goes out at every flush)."""
    return '{"type":"clock","t":%r}\n' % t


def spool_line(file_name):
    """SpoolLine: the last line on a socket, naming the spool file that carries on from it."""
    return {"type": "spool", "file": file_name}


# ---- Lifecycle records ---------------------------------------------------------------------


def process_start(pid, ppid, t, role, name, start_method, cpu_ms, tid=None, thread_name=None):
    """ProcessStartRecord; `start_method` None (left out) except in the main. `tid` and
    `thread_name`: the thread the process began with (left out where there are no native ids)."""
    record = {"type": "process-start", "pid": pid, "ppid": ppid, "t": t, "role": role, "name": name}
    if start_method:
        record["startMethod"] = start_method
    record["cpuMs"] = cpu_ms
    if tid is not None:
        record["tid"] = tid
    if thread_name is not None:
        record["threadName"] = thread_name
    return record


def process_role(pid, role, name):
    """ProcessRoleRecord."""
    return {"type": "process-role", "pid": pid, "role": role, "name": name}


def process_end(pid, t, exit_code, cpu_ms):
    """ProcessEndRecord; `exit_code` None when unknown."""
    return {"type": "process-end", "pid": pid, "t": t, "exitCode": exit_code, "cpuMs": cpu_ms}


def child_start(pid, ppid, t, command):
    """ChildStartRecord."""
    return {"type": "child-start", "pid": pid, "ppid": ppid, "t": t, "command": command}


def child_exit(pid, t, exit_code):
    """ChildExitRecord."""
    return {"type": "child-exit", "pid": pid, "t": t, "exitCode": exit_code}


def start_method(pid, method):
    """StartMethodRecord."""
    return {"type": "start-method", "pid": pid, "method": method}


def warning(pid, message):
    """WarningRecord."""
    return {"type": "warning", "pid": pid, "message": message}


def scale_report(pid, t, report):
    """ScaleReportRecord; `report` is the harness's JSON text."""
    return {"type": "scale-report", "pid": pid, "t": t, "report": report}


# ---- Sites, locks, channels ------------------------------------------------------------------


def site(pid, site_id, file_name, line, function):
    """SiteRecord."""
    return {"type": "site", "pid": pid, "id": site_id, "file": file_name, "line": line, "function": function}


def lock_new(pid, lock, kind, api, internal, site_id, name=None):
    """LockNewRecord; `name` (the learner's, see learner_names.py) left out when None."""
    record = {"type": "lock-new", "pid": pid, "lock": lock, "kind": kind, "api": api, "internal": internal, "site": site_id}
    if name is not None:
        record["name"] = name
    return record


def lock_open(pid, tid, lock, request_ms, acquired_ms, site_id, held):
    """LockOpenRecord; `held` in wire form (held_locks)."""
    return {
        "type": "lock-open", "pid": pid, "tid": tid, "lock": lock, "requestMs": request_ms,
        "acquiredMs": acquired_ms, "site": site_id, "held": held,
    }


def lock_stats(pid, lock, since_ms, acquisitions, total_wait_ms, max_wait_ms, total_hold_ms, buckets_ms,
               wait_histogram, hold_histogram):
    """LockStatsRecord."""
    return {
        "type": "lock-stats", "pid": pid, "lock": lock, "sinceMs": since_ms, "acquisitions": acquisitions,
        "totalWaitMs": total_wait_ms, "maxWaitMs": max_wait_ms, "totalHoldMs": total_hold_ms,
        "bucketsMs": buckets_ms, "waitHistogram": wait_histogram, "holdHistogram": hold_histogram,
    }


def channel_new(pid, channel, kind, api, internal, site_id, name=None):
    """ChannelNewRecord; `name` left out when None."""
    record = {"type": "channel-new", "pid": pid, "channel": channel, "kind": kind, "api": api, "internal": internal, "site": site_id}
    if name is not None:
        record["name"] = name
    return record


# ---- Batches of events -------------------------------------------------------------------------
#
# Hot paths (a lock cycle, a message) cost about 1 us, and a call would add 50-80 ns: they
# build their tuple inline, in the order of the *_FIELDS below (EVENT_FIELDS in
# tracerProtocol.ts), with times as raw clock.monotonic_ns() readings and native thread ids
# (thread_id.py). The batch builders turn such tuples into the wire's lists at flush, one
# call per batch.

LOCK_CYCLE_FIELDS = ("tid", "lock", "requestMs", "acquiredMs", "releasedMs", "site")


def lock_batch(pid, cycles, to_ms):
    """LockBatchRecord."""
    events = [
        [tid, lock, to_ms(request_ns), None if acquired_ns is None else to_ms(acquired_ns),
         None if released_ns is None else to_ms(released_ns), site_id]
        for tid, lock, request_ns, acquired_ns, released_ns, site_id in cycles
    ]
    return {"type": "lock-batch", "pid": pid, "events": events}


LOCK_RELEASE_FIELDS = ("tid", "lock", "releasedMs", "site")


def lock_release(pid, releases, to_ms):
    """LockReleaseRecord."""
    events = [[tid, lock, to_ms(released_ns), site_id] for tid, lock, released_ns, site_id in releases]
    return {"type": "lock-release", "pid": pid, "events": events}


HELD_LOCK_FIELDS = ("lock", "acquiredMs", "site")


def held_locks(held, to_ms):
    """LockOpenRecord's `held`."""
    return [[lock, to_ms(acquired_ns), site_id] for lock, acquired_ns, site_id in held]


MESSAGE_FIELDS = ("op", "channel", "endpoint", "t", "waitMs", "bytes", "site")


def ipc_batch(pid, messages, to_ms):
    """IpcBatchRecord; a message is stored with its wait as a raw duration in ns."""
    # Whole microseconds as ms: integer division is several times cheaper than round(x, 3).
    events = [
        [op, channel, endpoint, to_ms(end_ns), wait_ns // 1000 / 1000, size, site_id]
        for op, channel, endpoint, end_ns, wait_ns, size, site_id in messages
    ]
    return {"type": "ipc-batch", "pid": pid, "events": events}


TASK_FIELDS = ("pool", "fn", "items", "startMs", "endMs", "ok", "site", "submitKey")
TASK_START_FIELDS = ("pool", "poolType", "fn", "items", "startMs", "submitKey", "call")

# A pool worker writes two lines per task, the start before the learner's function runs and
# the end before the result leaves: each its own record with one event, preformatted here
# rather than built as dicts and encoded (a third of the tracer's cost per small task).
# The strings come quoted (quote), once per task. Fields in *_FIELDS order.
_TASK_START_LINE = '{"type":"task-start","pid":%d,"events":[[%s,%s,%s,%d,%s,%s,%s]]}\n'
_TASK_END_LINE = '{"type":"task-batch","pid":%d,"events":[[%s,%s,%d,%s,%s,%s,null,%s]]}\n'


# A str as a JSON string (ASCII, escaped): a field of a preformatted line.
quote = _quote


def task_start_line(pid, pool, pool_type, fn, items, start_ms, key, call):
    """TaskStartRecord of one task this worker took, sent before it runs it (a task that kills
    its worker then still has its start on record). `pool`, `pool_type`, `fn`, `key` and `call`
    come through quote."""
    return _TASK_START_LINE % (pid, pool, pool_type, fn, items, float.__repr__(start_ms), key, call)


def task_end_line(pid, pool, fn, items, start_ms, end_ms, ok, key):
    """TaskBatchRecord of one task this worker finished. No site: the learner's submit site is
    the parent's (task-submit, paired through the key). Strings as in task_start_line."""
    return _TASK_END_LINE % (
        pid, pool, fn, items, float.__repr__(start_ms), float.__repr__(end_ms), "true" if ok else "false", key,
    )


TASK_SUBMIT_FIELDS = ("submitKey", "submitMs", "site")


def task_submit(pid, submits, to_ms):
    """TaskSubmitRecord."""
    events = [[key, to_ms(submit_ns), site_id] for key, submit_ns, site_id in submits]
    return {"type": "task-submit", "pid": pid, "events": events}


THREAD_FIELDS = ("tid", "name", "startMs", "endMs", "cpuMs")


def thread_batch(pid, threads, to_ms):
    """ThreadBatchRecord: a thread's start (end and CPU None) or its end, with its CPU time in ns."""
    events = [
        [tid, name, to_ms(start_ns), None if end_ns is None else to_ms(end_ns), None if cpu_ns is None else cpu_ns // 1000 / 1000]
        for tid, name, start_ns, end_ns, cpu_ns in threads
    ]
    return {"type": "thread-batch", "pid": pid, "events": events}


# ---- Encoding ------------------------------------------------------------------------------------

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
