"""I/O-bound work with threads: waiting together instead of one after the other.

Ten "downloads" each wait 150 ms for a reply. Here time.sleep stands in for the wait on a
network or a disk; a real download would spend that time in the operating system too,
not in Python. A thread that waits releases the GIL, so while one thread waits the
others can start their own waits: ten waits overlap, and the whole batch takes about
as long as one. The cores stay almost idle the whole time.
"""
import time
from concurrent.futures import ThreadPoolExecutor

DOWNLOADS = 10
REPLY_SECONDS = 0.15


def download(n):
    time.sleep(REPLY_SECONDS)  # waiting, not computing: no CPU is used
    return f"page {n}"


if __name__ == "__main__":
    started = time.perf_counter()
    pages = [download(n) for n in range(DOWNLOADS)]
    print(f"one by one: {time.perf_counter() - started:.2f} s for {len(pages)} pages")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=DOWNLOADS) as threads:
        pages = list(threads.map(download, range(DOWNLOADS)))
    print(f"threads:    {time.perf_counter() - started:.2f} s for {len(pages)} pages")
