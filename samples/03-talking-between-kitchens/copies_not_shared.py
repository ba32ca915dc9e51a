"""What a child receives is a copy: changing it does not change the parent's object.

The parent sends a recipe (a dict) to a child through one Queue. The child adds an
ingredient and sends its version back through another. The parent ends up with two
different dicts: its own, unchanged, and the child's copy. A global variable changed
by the child stays unchanged in the parent too.
"""
from multiprocessing import Process, Queue

visits = 0  # each process has its own copy of every global variable


def season(inbox, outbox):
    global visits
    visits += 1  # changes the child's copy only
    recipe = inbox.get()  # a new dict, rebuilt from the bytes that came through the queue
    recipe["ingredients"].append("salt")
    outbox.put(recipe)  # pickled again: the parent gets a copy of this copy


if __name__ == "__main__":
    inbox, outbox = Queue(), Queue()
    chef = Process(target=season, args=(inbox, outbox))
    chef.start()
    recipe = {"name": "soup", "ingredients": ["water", "leeks"]}
    inbox.put(recipe)
    seasoned = outbox.get()
    chef.join()
    print("parent's recipe:", recipe["ingredients"])
    print("child's recipe: ", seasoned["ingredients"])
    print("visits seen by the parent:", visits)
