"""The Python decoder reads exactly the layout docs/wire-format.md describes."""

import pytest

from krakenbridge import decimals, topics
from krakenbridge.v1 import common_pb2, frame_pb2, market_pb2
from krakenbridge.wire import (HEADER, FrameHeader, InvalidHeader, InvalidPayload, InvalidTopic,
                               PayloadLengthMismatch, WrongFrameCount, decode_frames, decode_header)

# The same golden header as Tests/WireFormatTests/FrameHeaderTests.swift.
GOLDEN = bytes([0x4B, 0x42, 1, 56, 1, 0, 4, 0, 9, 0, 0, 0, 4, 3, 2, 1,
                0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 42, 0, 0, 0, 0, 0, 0, 0]) \
    + b"\xff" * 8 + (1_700_000_000_000_000_000).to_bytes(8, "little") + bytes([7, 0, 0, 0, 0, 0, 0, 0])


def test_header_is_56_bytes():
    assert HEADER.size == 56


def test_golden_header_decodes_field_by_field():
    header = decode_header(GOLDEN)
    assert header.message_type == frame_pb2.MESSAGE_TYPE_TRADE
    assert header.flags == frame_pb2.FRAME_FLAG_SNAPSHOT | frame_pb2.FRAME_FLAG_SIMULATED
    assert header.payload_length == 0x01020304
    assert header.publisher_epoch == 0x1122334455667788
    assert header.sequence == 42
    assert header.exchange_ts_ns == -1
    assert header.receive_ts_ns == 1_700_000_000_000_000_000
    assert header.publish_ts_ns == 7
    assert header.is_snapshot and not header.is_replay
    assert header.pack() == GOLDEN


def trade_frames(sequence=1):
    trade = market_pb2.Trade(symbol="BTC/USD", trade_id=9, price=common_pb2.Decimal(mantissa=6543210, scale=1),
                             qty=common_pb2.Decimal(mantissa=5000, scale=5), side=common_pb2.SIDE_BUY)
    payload = trade.SerializeToString()
    header = FrameHeader(frame_pb2.MESSAGE_TYPE_TRADE, 0, len(payload), 5, sequence, 0, 0, 0, 0)
    return [topics.trade("BTC/USD"), header.pack(), payload]


def test_trade_frame_decodes_with_exact_decimals():
    frame = decode_frames(trade_frames())
    assert frame.topic == "trade:BTC/USD:"
    assert decimals.to_text(frame.payload.price) == "654321.0"
    assert decimals.to_text(frame.payload.qty) == "0.05000"


def test_unknown_message_type_is_skippable():
    header = FrameHeader(4000, 0, 3, 5, 1, 0, 0, 0, 0)
    frame = decode_frames([b"new:", header.pack(), b"\x01\x02\x03"])
    assert frame.payload is None


@pytest.mark.parametrize("frames, error", [
    ([b"trade:BTC/USD:"], WrongFrameCount),
    ([b"trade:BTC/USD", GOLDEN, b""], InvalidTopic),
    ([b"trade::", GOLDEN, b""], InvalidTopic),
    ([b"trade:BTC USD:", GOLDEN, b""], InvalidTopic),
    ([b"t:", GOLDEN[:55], b""], InvalidHeader),
    ([b"t:", b"XX" + GOLDEN[2:], b""], InvalidHeader),
    ([b"t:", GOLDEN[:2] + b"\x02" + GOLDEN[3:], b""], InvalidHeader),
    ([b"t:", GOLDEN[:4] + b"\x02" + GOLDEN[5:], b""], InvalidHeader),
    ([b"t:", GOLDEN, b"short"], PayloadLengthMismatch),
])
def test_malformed_frames_raise_typed_errors(frames, error):
    with pytest.raises(error):
        decode_frames(frames)


def test_invalid_payload_raises_invalid_payload():
    header = FrameHeader(frame_pb2.MESSAGE_TYPE_TRADE, 0, 2, 5, 1, 0, 0, 0, 0)
    with pytest.raises(InvalidPayload):
        decode_frames([b"trade:X/Y:", header.pack(), b"\x10\xff"])


def test_topic_prefix_cannot_match_longer_symbol():
    assert not topics.trade("BTC/USDT").startswith(topics.trade("BTC/USD"))
    with pytest.raises(ValueError):
        topics.trade("BTC:USD")
