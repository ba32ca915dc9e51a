"""What it costs to start a process, with each start method this system offers.

For each start method, the parent starts a process that does nothing, waits for it to
end, and does it again, a few times over. It prints the average time of one
start-and-finish. Each process is named after its method ("fork-3", "spawn-1", ...),
so you can find them in the processes view and compare their start and end times.

- fork copies the running parent: quick, but only on Linux and macOS (and risky on
  macOS, which is why spawn is its default).
- spawn starts a fresh Python that imports your main file again: slow, but works
  everywhere (the default on Windows and macOS).
- forkserver starts one server process first (once), then forks each child from it
  (the default on Linux from Python 3.14).
"""
import multiprocessing
import time

ROUNDS = 5


def do_nothing():
    pass


def average_start_ms(method):
    context = multiprocessing.get_context(method)
    durations = []
    for n in range(1, ROUNDS + 1):
        started = time.perf_counter()
        kitchen = context.Process(target=do_nothing, name=f"{method}-{n}")
        kitchen.start()
        kitchen.join()
        durations.append((time.perf_counter() - started) * 1000)
    # The first forkserver round also starts the server itself: report it apart.
    return durations[0], sum(durations[1:]) / (ROUNDS - 1)


if __name__ == "__main__":
    for method in multiprocessing.get_all_start_methods():
        first_ms, later_ms = average_start_ms(method)
        print(f"{method:10} first: {first_ms:6.1f} ms, then {later_ms:6.1f} ms per process")
