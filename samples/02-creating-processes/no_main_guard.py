# A deliberate mistake: this file starts a process WITHOUT the main guard.
#
# Run it with the spawn start method (the default on Windows and macOS):
#     node dist/cli.js run samples/02-creating-processes/no_main_guard.py --start-method spawn
#
# Under spawn, the child is a fresh Python that imports this file again to find
# `greet`. The import runs the top-level code below once more, so the child tries to
# start a child of its own while it is still starting up. multiprocessing refuses:
# the child stops with a RuntimeError about the "bootstrapping phase", and the greeting
# is never printed. The fix is in two_kitchens.py: put the last three lines under
#     if __name__ == "__main__":
# (Under fork the child is a copy of the running parent and does not import the file
# again, so this mistake goes unnoticed there, until someone runs it on another system.)
from multiprocessing import Process


def greet():
    print("hello from the child")


child = Process(target=greet)
child.start()
child.join()
