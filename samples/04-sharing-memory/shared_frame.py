"""A large block of shared memory, painted by several processes without copying it.

The parent creates one video-frame-sized block (1920 x 1080 pixels, 3 bytes each: about
6 MB) with multiprocessing.shared_memory. Each worker attaches to the block by its name
and paints its own band of rows. Nothing is sent back: when the workers are done, the
parent reads the painted frame from the same memory. Sending the frame through a Queue
instead would pickle and copy 6 MB each way.
"""
import os
from multiprocessing import Process
from multiprocessing.shared_memory import SharedMemory

WIDTH, HEIGHT, BYTES_PER_PIXEL = 1920, 1080, 3
ROW_BYTES = WIDTH * BYTES_PER_PIXEL


def paint_band(frame_name, first_row, last_row, shade):
    frame = SharedMemory(name=frame_name)  # attach: no copy, the same memory as the parent's
    frame.buf[first_row * ROW_BYTES : last_row * ROW_BYTES] = bytes([shade]) * ((last_row - first_row) * ROW_BYTES)
    frame.close()  # detach this process; the parent decides when the block is freed


if __name__ == "__main__":
    workers = max(2, min(os.cpu_count() or 1, 4))
    frame = SharedMemory(create=True, size=HEIGHT * ROW_BYTES)
    try:
        rows_per_band = HEIGHT // workers
        bands = [(n * rows_per_band, HEIGHT if n == workers - 1 else (n + 1) * rows_per_band) for n in range(workers)]
        painters = [Process(target=paint_band, args=(frame.name, first, last, 10 + n)) for n, (first, last) in enumerate(bands)]
        for painter in painters:
            painter.start()
        for painter in painters:
            painter.join()
        shades = [frame.buf[first * ROW_BYTES] for first, _ in bands]
        print(f"{workers} bands painted in place, shades {shades}, frame of {frame.size:,} bytes")
    finally:
        frame.close()
        frame.unlink()  # free the block: shared memory outlives processes that forget this
