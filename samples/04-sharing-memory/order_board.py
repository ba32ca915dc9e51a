"""Four kitchens count the dishes they cook on one shared order board.

`Array("i", 4)` is four C ints in shared memory: every kitchen sees the same four
numbers. Like a Value, the whole Array has one lock, `board.get_lock()`. `board[dish] += 1`
reads a slot and writes it back, so two kitchens adding to the same dish at once could
lose one dish; holding the board's lock around the addition keeps every count exact.
"""
from multiprocessing import Array, Process

DISHES = ["soup", "salad", "pasta", "cake"]
ORDERS_PER_KITCHEN = 400


def cook(board, kitchen):
    for order in range(ORDERS_PER_KITCHEN):
        dish = (kitchen + order) % len(DISHES)  # every kitchen cooks every dish in turn
        with board.get_lock():  # one lock for the whole board
            board[dish] += 1


if __name__ == "__main__":
    board = Array("i", len(DISHES))  # four C ints in shared memory, all 0
    kitchens = [Process(target=cook, args=(board, kitchen)) for kitchen in range(4)]
    for kitchen in kitchens:
        kitchen.start()
    for kitchen in kitchens:
        kitchen.join()
    for dish, count in zip(DISHES, board[:]):
        print("%s: %d" % (dish, count))  # 400 each, every time
