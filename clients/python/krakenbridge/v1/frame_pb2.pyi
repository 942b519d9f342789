from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class MessageType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESSAGE_TYPE_UNSPECIFIED: _ClassVar[MessageType]
    MESSAGE_TYPE_BOOK_SNAPSHOT: _ClassVar[MessageType]
    MESSAGE_TYPE_BOOK_UPDATE: _ClassVar[MessageType]
    MESSAGE_TYPE_BOOK_TOP: _ClassVar[MessageType]
    MESSAGE_TYPE_TRADE: _ClassVar[MessageType]
    MESSAGE_TYPE_TICKER: _ClassVar[MessageType]
    MESSAGE_TYPE_OHLC: _ClassVar[MessageType]
    MESSAGE_TYPE_SPREAD: _ClassVar[MessageType]
    MESSAGE_TYPE_INSTRUMENT: _ClassVar[MessageType]
    MESSAGE_TYPE_EXECUTION_REPORT: _ClassVar[MessageType]
    MESSAGE_TYPE_FILL: _ClassVar[MessageType]
    MESSAGE_TYPE_BALANCE: _ClassVar[MessageType]
    MESSAGE_TYPE_EXCHANGE_STATUS: _ClassVar[MessageType]
    MESSAGE_TYPE_CONNECTION_STATUS: _ClassVar[MessageType]
    MESSAGE_TYPE_BOOK_RESET: _ClassVar[MessageType]
    MESSAGE_TYPE_GAP: _ClassVar[MessageType]
    MESSAGE_TYPE_TOPIC_HEARTBEAT: _ClassVar[MessageType]
    MESSAGE_TYPE_SERVICE_HEARTBEAT: _ClassVar[MessageType]
    MESSAGE_TYPE_SNAPSHOT_END: _ClassVar[MessageType]
    MESSAGE_TYPE_CONTROL_REQUEST: _ClassVar[MessageType]
    MESSAGE_TYPE_CONTROL_REPLY: _ClassVar[MessageType]

class FrameFlag(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FRAME_FLAG_NONE: _ClassVar[FrameFlag]
    FRAME_FLAG_SNAPSHOT: _ClassVar[FrameFlag]
    FRAME_FLAG_REPLAY: _ClassVar[FrameFlag]
    FRAME_FLAG_RECONCILED: _ClassVar[FrameFlag]
    FRAME_FLAG_SIMULATED: _ClassVar[FrameFlag]
MESSAGE_TYPE_UNSPECIFIED: MessageType
MESSAGE_TYPE_BOOK_SNAPSHOT: MessageType
MESSAGE_TYPE_BOOK_UPDATE: MessageType
MESSAGE_TYPE_BOOK_TOP: MessageType
MESSAGE_TYPE_TRADE: MessageType
MESSAGE_TYPE_TICKER: MessageType
MESSAGE_TYPE_OHLC: MessageType
MESSAGE_TYPE_SPREAD: MessageType
MESSAGE_TYPE_INSTRUMENT: MessageType
MESSAGE_TYPE_EXECUTION_REPORT: MessageType
MESSAGE_TYPE_FILL: MessageType
MESSAGE_TYPE_BALANCE: MessageType
MESSAGE_TYPE_EXCHANGE_STATUS: MessageType
MESSAGE_TYPE_CONNECTION_STATUS: MessageType
MESSAGE_TYPE_BOOK_RESET: MessageType
MESSAGE_TYPE_GAP: MessageType
MESSAGE_TYPE_TOPIC_HEARTBEAT: MessageType
MESSAGE_TYPE_SERVICE_HEARTBEAT: MessageType
MESSAGE_TYPE_SNAPSHOT_END: MessageType
MESSAGE_TYPE_CONTROL_REQUEST: MessageType
MESSAGE_TYPE_CONTROL_REPLY: MessageType
FRAME_FLAG_NONE: FrameFlag
FRAME_FLAG_SNAPSHOT: FrameFlag
FRAME_FLAG_REPLAY: FrameFlag
FRAME_FLAG_RECONCILED: FrameFlag
FRAME_FLAG_SIMULATED: FrameFlag
