"""Small and large messages through a Pipe: the cost grows with the size.

A cook process has two dishes ready: a small one (a few numbers) and a large one (a
million numbers). The parent asks for each in turn and times how long it waits for the
answer. Everything sent through a Pipe or a Queue is pickled (turned into bytes), pushed
through the operating system, and unpickled on the other side, so a large message keeps
both ends busy for longer. Look at the messages view: the bytes of each message, and how
long each side was blocked.
"""
import time
from multiprocessing import Pipe, Process

SMALL_DISH = list(range(10))
LARGE_DISH = list(range(1_000_000))


def cook(connection):
    dishes = {"small": SMALL_DISH, "large": LARGE_DISH}
    # Say "ready" first, so that the parent's timings below measure the messages only,
    # not the time it takes to start this process.
    connection.send("ready")
    while True:
        order = connection.recv()  # waits for the parent's next order
        if order == "done":
            break
        connection.send(dishes[order])  # blocks while the parent has not read it all yet
    connection.close()


def order_and_wait(connection, order):
    started = time.perf_counter()
    connection.send(order)
    dish = connection.recv()  # the copy arrives here, rebuilt from bytes
    waited_ms = (time.perf_counter() - started) * 1000
    print(f"{order:5} dish: {len(dish):>9,} numbers, waited {waited_ms:6.1f} ms")


if __name__ == "__main__":
    parent_end, cook_end = Pipe()
    cook_process = Process(target=cook, args=(cook_end,))
    cook_process.start()
    parent_end.recv()  # "ready"
    order_and_wait(parent_end, "small")
    order_and_wait(parent_end, "large")
    parent_end.send("done")
    cook_process.join()
