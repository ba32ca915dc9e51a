"""The tracer's view of channels (Pipe ends and Queues): labels, sizes, events, wrappers."""
