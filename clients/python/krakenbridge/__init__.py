"""KrakenBridge Python client: decode bus frames, track sequences, use the control socket — from
plain Python or asyncio.

The main entry points, importable from here:

- :class:`Subscriber` (blocking) and :class:`AsyncSubscriber` (asyncio, repairs gaps by itself);
- :class:`ControlClient` and :class:`AsyncControlClient` for the control socket;
- :class:`LateJoiner` (the Clone pattern for the blocking subscriber), :class:`Books` / :class:`Book`;
- :class:`BusFrame` and :func:`decode_frames`, :class:`SequenceTracker` and :class:`Gap`.

Submodules: ``wire``, ``sequence``, ``subscriber``, ``clone``, ``control``, ``book``,
``decimals``, ``topics``, ``aio``, ``cli`` and the generated protobuf modules in ``v1``;
``krakenbridge.galfriday`` adapts bus events to Gal-Friday's.
"""

__version__ = "0.2.0"
"""The package's version, read by pyproject.toml (``[tool.setuptools.dynamic]``): the only place."""

from krakenbridge.aio import AsyncControlClient, AsyncSubscriber, LivenessTimeout, Recovery, RecoveryFailed
from krakenbridge.book import Book, BookOutOfSync, Books
from krakenbridge.clone import LateJoiner
from krakenbridge.control import (ControlClient, ControlClientError, ControlError, ControlProtocolError, ControlTimeout,
                                  Replay, Snapshot, load_key)
from krakenbridge.sequence import Gap, SequenceTracker
from krakenbridge.subscriber import Subscriber
from krakenbridge.wire import BusFrame, FrameDecodingError, FrameHeader, decode_frames

__all__ = [
    "__version__",
    "AsyncControlClient", "AsyncSubscriber", "LivenessTimeout", "Recovery", "RecoveryFailed",
    "Book", "BookOutOfSync", "Books",
    "LateJoiner",
    "ControlClient", "ControlClientError", "ControlError", "ControlProtocolError", "ControlTimeout", "Replay",
    "Snapshot", "load_key",
    "Gap", "SequenceTracker",
    "Subscriber",
    "BusFrame", "FrameDecodingError", "FrameHeader", "decode_frames",
]
