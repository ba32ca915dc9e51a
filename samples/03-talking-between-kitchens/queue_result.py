"""A child process sends its result back to the parent through a Queue.

Processes do not share variables: the only way the result reaches the parent is as a
pickled copy travelling through the queue.
"""
from multiprocessing import Process, Queue


def cook(orders):
    orders.put("soup is ready")


if __name__ == "__main__":
    orders = Queue()
    chef = Process(target=cook, args=(orders,))
    chef.start()
    print(orders.get())  # blocks until the child has put its message
    chef.join()
