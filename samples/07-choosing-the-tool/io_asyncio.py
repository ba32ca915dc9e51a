"""I/O-bound work with asyncio: many waits overlapping in ONE thread.

The same ten "downloads" as io_threads.py, written as coroutines. `await` hands control
back to the event loop while a coroutine waits, and the loop runs another one in the
meantime. There is a single process with a single thread, and still the ten waits
overlap. asyncio scales to thousands of waits, where thousands of threads would not.
"""
import asyncio
import time

DOWNLOADS = 10
REPLY_SECONDS = 0.15


async def download(n):
    await asyncio.sleep(REPLY_SECONDS)  # a real program would await a network reply here
    return f"page {n}"


async def download_all():
    return await asyncio.gather(*(download(n) for n in range(DOWNLOADS)))


if __name__ == "__main__":
    started = time.perf_counter()
    pages = asyncio.run(download_all())
    print(f"asyncio:    {time.perf_counter() - started:.2f} s for {len(pages)} pages")
