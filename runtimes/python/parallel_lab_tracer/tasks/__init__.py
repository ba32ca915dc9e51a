"""The tracer's view of pool tasks: submits, the pools' own queues, and task bounds in workers."""
