"""A lossy relay between a bus endpoint and a test's subscriber: it forwards every message
unchanged, except the ones it was told to drop. It makes a gap on demand, exactly where the
test wants it, while the bridge, its sequences and its control socket stay real."""

from __future__ import annotations

import struct
import threading
from typing import Optional

import zmq

TOPIC_HEARTBEAT = 68
"""MESSAGE_TYPE_TOPIC_HEARTBEAT: not counted as a message to drop."""


class LossyRelay:
    """SUB (everything) from ``upstream`` → PUB on a free loopback port (``endpoint``), in a
    thread of its own with its own context; ``close`` stops it and joins the thread."""

    def __init__(self, upstream: str) -> None:
        self.context = zmq.Context()
        self._lock = threading.Lock()
        self._drops: list[tuple[bytes, int]] = []
        self.dropped: list[tuple[str, int]] = []
        """(topic, sequence) of every message dropped, in order."""
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._upstream = upstream
        self.endpoint = ""
        self._failure: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="lossy-relay", daemon=True)
        self._thread.start()
        assert self._ready.wait(10), "the relay did not start"

    def drop(self, prefix: bytes, count: int) -> None:
        """Drops the next ``count`` data messages (not heartbeats) whose topic starts with ``prefix``."""
        with self._lock:
            self._drops.append((prefix, count))

    def dropping(self) -> bool:
        with self._lock:
            return bool(self._drops)

    def _should_drop(self, topic: bytes, header: bytes) -> bool:
        if struct.unpack_from("<H", header, 6)[0] == TOPIC_HEARTBEAT:
            return False
        with self._lock:
            for index, (prefix, count) in enumerate(self._drops):
                if topic.startswith(prefix):
                    if count <= 1:
                        del self._drops[index]
                    else:
                        self._drops[index] = (prefix, count - 1)
                    self.dropped.append((topic.decode(), struct.unpack_from("<Q", header, 24)[0]))
                    return True
        return False

    def _run(self) -> None:
        sub = self.context.socket(zmq.SUB)
        pub = self.context.socket(zmq.PUB)
        try:
            for socket in (sub, pub):
                socket.setsockopt(zmq.LINGER, 0)
            sub.setsockopt(zmq.RCVHWM, 0)
            pub.setsockopt(zmq.SNDHWM, 0)
            sub.setsockopt(zmq.SUBSCRIBE, b"")
            sub.connect(self._upstream)
            port = pub.bind_to_random_port("tcp://127.0.0.1")
            self.endpoint = f"tcp://127.0.0.1:{port}"
            self._ready.set()
            while not self._stop.is_set():
                if not sub.poll(20):
                    continue
                while True:
                    try:
                        parts = sub.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    if len(parts) == 3 and self._should_drop(parts[0], parts[1]):
                        continue
                    pub.send_multipart(parts)
        except BaseException as error:  # reported by close()
            self._failure = error
            self._ready.set()
        finally:
            sub.close(0)
            pub.close(0)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.context.term()
        assert not self._thread.is_alive(), "the relay thread did not stop"
        if self._failure is not None:
            raise AssertionError(f"the relay failed: {self._failure!r}")

    def __enter__(self) -> "LossyRelay":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
