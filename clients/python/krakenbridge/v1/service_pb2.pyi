from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExchangeSystemState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXCHANGE_SYSTEM_STATE_UNSPECIFIED: _ClassVar[ExchangeSystemState]
    EXCHANGE_SYSTEM_STATE_ONLINE: _ClassVar[ExchangeSystemState]
    EXCHANGE_SYSTEM_STATE_MAINTENANCE: _ClassVar[ExchangeSystemState]
    EXCHANGE_SYSTEM_STATE_CANCEL_ONLY: _ClassVar[ExchangeSystemState]
    EXCHANGE_SYSTEM_STATE_POST_ONLY: _ClassVar[ExchangeSystemState]
    EXCHANGE_SYSTEM_STATE_LIMIT_ONLY: _ClassVar[ExchangeSystemState]

class ConnectionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONNECTION_STATE_UNSPECIFIED: _ClassVar[ConnectionState]
    CONNECTION_STATE_DISCONNECTED: _ClassVar[ConnectionState]
    CONNECTION_STATE_CONNECTING: _ClassVar[ConnectionState]
    CONNECTION_STATE_CONNECTED: _ClassVar[ConnectionState]
    CONNECTION_STATE_AUTHENTICATED: _ClassVar[ConnectionState]
    CONNECTION_STATE_SUBSCRIBING: _ClassVar[ConnectionState]
    CONNECTION_STATE_ACTIVE: _ClassVar[ConnectionState]
    CONNECTION_STATE_RECONNECTING: _ClassVar[ConnectionState]
    CONNECTION_STATE_FAILED: _ClassVar[ConnectionState]
    CONNECTION_STATE_SHUTTING_DOWN: _ClassVar[ConnectionState]

class BookResetReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BOOK_RESET_REASON_UNSPECIFIED: _ClassVar[BookResetReason]
    BOOK_RESET_REASON_CHECKSUM_MISMATCH: _ClassVar[BookResetReason]
    BOOK_RESET_REASON_RECONNECT: _ClassVar[BookResetReason]
    BOOK_RESET_REASON_RESUBSCRIBE: _ClassVar[BookResetReason]
    BOOK_RESET_REASON_STALE: _ClassVar[BookResetReason]
    BOOK_RESET_REASON_OPERATOR: _ClassVar[BookResetReason]

class GapKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GAP_KIND_UNSPECIFIED: _ClassVar[GapKind]
    GAP_KIND_SEQUENCE_SKIPPED: _ClassVar[GapKind]
    GAP_KIND_DUPLICATE: _ClassVar[GapKind]
    GAP_KIND_REORDERED: _ClassVar[GapKind]
    GAP_KIND_STALE: _ClassVar[GapKind]
EXCHANGE_SYSTEM_STATE_UNSPECIFIED: ExchangeSystemState
EXCHANGE_SYSTEM_STATE_ONLINE: ExchangeSystemState
EXCHANGE_SYSTEM_STATE_MAINTENANCE: ExchangeSystemState
EXCHANGE_SYSTEM_STATE_CANCEL_ONLY: ExchangeSystemState
EXCHANGE_SYSTEM_STATE_POST_ONLY: ExchangeSystemState
EXCHANGE_SYSTEM_STATE_LIMIT_ONLY: ExchangeSystemState
CONNECTION_STATE_UNSPECIFIED: ConnectionState
CONNECTION_STATE_DISCONNECTED: ConnectionState
CONNECTION_STATE_CONNECTING: ConnectionState
CONNECTION_STATE_CONNECTED: ConnectionState
CONNECTION_STATE_AUTHENTICATED: ConnectionState
CONNECTION_STATE_SUBSCRIBING: ConnectionState
CONNECTION_STATE_ACTIVE: ConnectionState
CONNECTION_STATE_RECONNECTING: ConnectionState
CONNECTION_STATE_FAILED: ConnectionState
CONNECTION_STATE_SHUTTING_DOWN: ConnectionState
BOOK_RESET_REASON_UNSPECIFIED: BookResetReason
BOOK_RESET_REASON_CHECKSUM_MISMATCH: BookResetReason
BOOK_RESET_REASON_RECONNECT: BookResetReason
BOOK_RESET_REASON_RESUBSCRIBE: BookResetReason
BOOK_RESET_REASON_STALE: BookResetReason
BOOK_RESET_REASON_OPERATOR: BookResetReason
GAP_KIND_UNSPECIFIED: GapKind
GAP_KIND_SEQUENCE_SKIPPED: GapKind
GAP_KIND_DUPLICATE: GapKind
GAP_KIND_REORDERED: GapKind
GAP_KIND_STALE: GapKind

class ExchangeStatus(_message.Message):
    __slots__ = ("system", "raw_system", "api_version", "connection_id", "version", "feed")
    SYSTEM_FIELD_NUMBER: _ClassVar[int]
    RAW_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CONNECTION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FEED_FIELD_NUMBER: _ClassVar[int]
    system: ExchangeSystemState
    raw_system: str
    api_version: str
    connection_id: int
    version: str
    feed: str
    def __init__(self, system: _Optional[_Union[ExchangeSystemState, str]] = ..., raw_system: _Optional[str] = ..., api_version: _Optional[str] = ..., connection_id: _Optional[int] = ..., version: _Optional[str] = ..., feed: _Optional[str] = ...) -> None: ...

class ConnectionStatus(_message.Message):
    __slots__ = ("feed", "endpoint", "state", "previous_state", "detail", "attempt", "next_attempt_ns")
    FEED_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_NS_FIELD_NUMBER: _ClassVar[int]
    feed: str
    endpoint: str
    state: ConnectionState
    previous_state: ConnectionState
    detail: str
    attempt: int
    next_attempt_ns: int
    def __init__(self, feed: _Optional[str] = ..., endpoint: _Optional[str] = ..., state: _Optional[_Union[ConnectionState, str]] = ..., previous_state: _Optional[_Union[ConnectionState, str]] = ..., detail: _Optional[str] = ..., attempt: _Optional[int] = ..., next_attempt_ns: _Optional[int] = ...) -> None: ...

class BookReset(_message.Message):
    __slots__ = ("symbol", "depth", "previous_generation", "generation", "reason", "detail", "expected_checksum", "computed_checksum")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_GENERATION_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    depth: int
    previous_generation: int
    generation: int
    reason: BookResetReason
    detail: str
    expected_checksum: int
    computed_checksum: int
    def __init__(self, symbol: _Optional[str] = ..., depth: _Optional[int] = ..., previous_generation: _Optional[int] = ..., generation: _Optional[int] = ..., reason: _Optional[_Union[BookResetReason, str]] = ..., detail: _Optional[str] = ..., expected_checksum: _Optional[int] = ..., computed_checksum: _Optional[int] = ...) -> None: ...

class Gap(_message.Message):
    __slots__ = ("stream", "kind", "expected", "received", "detail")
    STREAM_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    stream: str
    kind: GapKind
    expected: int
    received: int
    detail: str
    def __init__(self, stream: _Optional[str] = ..., kind: _Optional[_Union[GapKind, str]] = ..., expected: _Optional[int] = ..., received: _Optional[int] = ..., detail: _Optional[str] = ...) -> None: ...

class TopicHeartbeat(_message.Message):
    __slots__ = ("last_data_ns",)
    LAST_DATA_NS_FIELD_NUMBER: _ClassVar[int]
    last_data_ns: int
    def __init__(self, last_data_ns: _Optional[int] = ...) -> None: ...

class FeedHealth(_message.Message):
    __slots__ = ("feed", "state", "last_message_ns", "stale")
    FEED_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_NS_FIELD_NUMBER: _ClassVar[int]
    STALE_FIELD_NUMBER: _ClassVar[int]
    feed: str
    state: ConnectionState
    last_message_ns: int
    stale: bool
    def __init__(self, feed: _Optional[str] = ..., state: _Optional[_Union[ConnectionState, str]] = ..., last_message_ns: _Optional[int] = ..., stale: _Optional[bool] = ...) -> None: ...

class ServiceHeartbeat(_message.Message):
    __slots__ = ("started_ns", "uptime_ns", "version", "feeds")
    STARTED_NS_FIELD_NUMBER: _ClassVar[int]
    UPTIME_NS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FEEDS_FIELD_NUMBER: _ClassVar[int]
    started_ns: int
    uptime_ns: int
    version: str
    feeds: _containers.RepeatedCompositeFieldContainer[FeedHealth]
    def __init__(self, started_ns: _Optional[int] = ..., uptime_ns: _Optional[int] = ..., version: _Optional[str] = ..., feeds: _Optional[_Iterable[_Union[FeedHealth, _Mapping]]] = ...) -> None: ...

class SnapshotEnd(_message.Message):
    __slots__ = ("prefix", "topic_count")
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    TOPIC_COUNT_FIELD_NUMBER: _ClassVar[int]
    prefix: str
    topic_count: int
    def __init__(self, prefix: _Optional[str] = ..., topic_count: _Optional[int] = ...) -> None: ...
