from krakenbridge.v1 import service_pb2 as _service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ControlErrorCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTROL_ERROR_CODE_UNSPECIFIED: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_MALFORMED: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_UNKNOWN_COMMAND: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_INVALID_ARGUMENT: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_TOO_LARGE: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_UNAUTHORIZED: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_NOT_FOUND: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_UNAVAILABLE: _ClassVar[ControlErrorCode]
    CONTROL_ERROR_CODE_INTERNAL: _ClassVar[ControlErrorCode]
CONTROL_ERROR_CODE_UNSPECIFIED: ControlErrorCode
CONTROL_ERROR_CODE_MALFORMED: ControlErrorCode
CONTROL_ERROR_CODE_UNKNOWN_COMMAND: ControlErrorCode
CONTROL_ERROR_CODE_INVALID_ARGUMENT: ControlErrorCode
CONTROL_ERROR_CODE_TOO_LARGE: ControlErrorCode
CONTROL_ERROR_CODE_UNAUTHORIZED: ControlErrorCode
CONTROL_ERROR_CODE_NOT_FOUND: ControlErrorCode
CONTROL_ERROR_CODE_UNAVAILABLE: ControlErrorCode
CONTROL_ERROR_CODE_INTERNAL: ControlErrorCode

class ControlRequest(_message.Message):
    __slots__ = ("id", "subscribe", "unsubscribe", "add_pair", "remove_pair", "list_subscriptions", "diagnostics", "health", "snapshot", "replay", "config")
    ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    ADD_PAIR_FIELD_NUMBER: _ClassVar[int]
    REMOVE_PAIR_FIELD_NUMBER: _ClassVar[int]
    LIST_SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    REPLAY_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    id: int
    subscribe: SubscribeCommand
    unsubscribe: UnsubscribeCommand
    add_pair: AddPairCommand
    remove_pair: RemovePairCommand
    list_subscriptions: ListSubscriptionsCommand
    diagnostics: DiagnosticsCommand
    health: HealthCommand
    snapshot: SnapshotCommand
    replay: ReplayCommand
    config: ConfigCommand
    def __init__(self, id: _Optional[int] = ..., subscribe: _Optional[_Union[SubscribeCommand, _Mapping]] = ..., unsubscribe: _Optional[_Union[UnsubscribeCommand, _Mapping]] = ..., add_pair: _Optional[_Union[AddPairCommand, _Mapping]] = ..., remove_pair: _Optional[_Union[RemovePairCommand, _Mapping]] = ..., list_subscriptions: _Optional[_Union[ListSubscriptionsCommand, _Mapping]] = ..., diagnostics: _Optional[_Union[DiagnosticsCommand, _Mapping]] = ..., health: _Optional[_Union[HealthCommand, _Mapping]] = ..., snapshot: _Optional[_Union[SnapshotCommand, _Mapping]] = ..., replay: _Optional[_Union[ReplayCommand, _Mapping]] = ..., config: _Optional[_Union[ConfigCommand, _Mapping]] = ...) -> None: ...

class SubscribeCommand(_message.Message):
    __slots__ = ("channels", "symbols", "depth", "interval_minutes")
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    SYMBOLS_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedScalarFieldContainer[str]
    symbols: _containers.RepeatedScalarFieldContainer[str]
    depth: int
    interval_minutes: int
    def __init__(self, channels: _Optional[_Iterable[str]] = ..., symbols: _Optional[_Iterable[str]] = ..., depth: _Optional[int] = ..., interval_minutes: _Optional[int] = ...) -> None: ...

class UnsubscribeCommand(_message.Message):
    __slots__ = ("channels", "symbols", "depth", "interval_minutes")
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    SYMBOLS_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedScalarFieldContainer[str]
    symbols: _containers.RepeatedScalarFieldContainer[str]
    depth: int
    interval_minutes: int
    def __init__(self, channels: _Optional[_Iterable[str]] = ..., symbols: _Optional[_Iterable[str]] = ..., depth: _Optional[int] = ..., interval_minutes: _Optional[int] = ...) -> None: ...

class AddPairCommand(_message.Message):
    __slots__ = ("symbol",)
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    def __init__(self, symbol: _Optional[str] = ...) -> None: ...

class RemovePairCommand(_message.Message):
    __slots__ = ("symbol",)
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    def __init__(self, symbol: _Optional[str] = ...) -> None: ...

class ListSubscriptionsCommand(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DiagnosticsCommand(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthCommand(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SnapshotCommand(_message.Message):
    __slots__ = ("topic_prefix",)
    TOPIC_PREFIX_FIELD_NUMBER: _ClassVar[int]
    topic_prefix: str
    def __init__(self, topic_prefix: _Optional[str] = ...) -> None: ...

class ReplayCommand(_message.Message):
    __slots__ = ("topic", "after_sequence", "max_events")
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MAX_EVENTS_FIELD_NUMBER: _ClassVar[int]
    topic: str
    after_sequence: int
    max_events: int
    def __init__(self, topic: _Optional[str] = ..., after_sequence: _Optional[int] = ..., max_events: _Optional[int] = ...) -> None: ...

class ConfigCommand(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ControlError(_message.Message):
    __slots__ = ("code", "message", "field")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    code: ControlErrorCode
    message: str
    field: str
    def __init__(self, code: _Optional[_Union[ControlErrorCode, str]] = ..., message: _Optional[str] = ..., field: _Optional[str] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ("channel", "symbol", "depth", "interval_minutes", "state", "feed")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    FEED_FIELD_NUMBER: _ClassVar[int]
    channel: str
    symbol: str
    depth: int
    interval_minutes: int
    state: str
    feed: str
    def __init__(self, channel: _Optional[str] = ..., symbol: _Optional[str] = ..., depth: _Optional[int] = ..., interval_minutes: _Optional[int] = ..., state: _Optional[str] = ..., feed: _Optional[str] = ...) -> None: ...

class SubscriptionList(_message.Message):
    __slots__ = ("subscriptions",)
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    subscriptions: _containers.RepeatedCompositeFieldContainer[Subscription]
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[Subscription, _Mapping]]] = ...) -> None: ...

class LatencySummary(_message.Message):
    __slots__ = ("p50_ns", "p95_ns", "p99_ns", "max_ns", "samples")
    P50_NS_FIELD_NUMBER: _ClassVar[int]
    P95_NS_FIELD_NUMBER: _ClassVar[int]
    P99_NS_FIELD_NUMBER: _ClassVar[int]
    MAX_NS_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    p50_ns: int
    p95_ns: int
    p99_ns: int
    max_ns: int
    samples: int
    def __init__(self, p50_ns: _Optional[int] = ..., p95_ns: _Optional[int] = ..., p99_ns: _Optional[int] = ..., max_ns: _Optional[int] = ..., samples: _Optional[int] = ...) -> None: ...

class ConnectionDiagnostics(_message.Message):
    __slots__ = ("feed", "endpoint", "state", "reconnections", "circuit_breaker", "last_message_ns")
    FEED_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RECONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    CIRCUIT_BREAKER_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_NS_FIELD_NUMBER: _ClassVar[int]
    feed: str
    endpoint: str
    state: _service_pb2.ConnectionState
    reconnections: int
    circuit_breaker: str
    last_message_ns: int
    def __init__(self, feed: _Optional[str] = ..., endpoint: _Optional[str] = ..., state: _Optional[_Union[_service_pb2.ConnectionState, str]] = ..., reconnections: _Optional[int] = ..., circuit_breaker: _Optional[str] = ..., last_message_ns: _Optional[int] = ...) -> None: ...

class ChannelRate(_message.Message):
    __slots__ = ("channel", "messages_per_second", "messages_total")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_TOTAL_FIELD_NUMBER: _ClassVar[int]
    channel: str
    messages_per_second: float
    messages_total: int
    def __init__(self, channel: _Optional[str] = ..., messages_per_second: _Optional[float] = ..., messages_total: _Optional[int] = ...) -> None: ...

class Diagnostics(_message.Message):
    __slots__ = ("connections", "rates", "latency", "gaps", "duplicates", "checksum_failures", "drops", "journal_bytes", "journal_events", "counters")
    class CountersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    RATES_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FAILURES_FIELD_NUMBER: _ClassVar[int]
    DROPS_FIELD_NUMBER: _ClassVar[int]
    JOURNAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    JOURNAL_EVENTS_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    connections: _containers.RepeatedCompositeFieldContainer[ConnectionDiagnostics]
    rates: _containers.RepeatedCompositeFieldContainer[ChannelRate]
    latency: LatencySummary
    gaps: int
    duplicates: int
    checksum_failures: int
    drops: int
    journal_bytes: int
    journal_events: int
    counters: _containers.ScalarMap[str, int]
    def __init__(self, connections: _Optional[_Iterable[_Union[ConnectionDiagnostics, _Mapping]]] = ..., rates: _Optional[_Iterable[_Union[ChannelRate, _Mapping]]] = ..., latency: _Optional[_Union[LatencySummary, _Mapping]] = ..., gaps: _Optional[int] = ..., duplicates: _Optional[int] = ..., checksum_failures: _Optional[int] = ..., drops: _Optional[int] = ..., journal_bytes: _Optional[int] = ..., journal_events: _Optional[int] = ..., counters: _Optional[_Mapping[str, int]] = ...) -> None: ...

class Health(_message.Message):
    __slots__ = ("healthy", "problems")
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    healthy: bool
    problems: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, healthy: _Optional[bool] = ..., problems: _Optional[_Iterable[str]] = ...) -> None: ...

class SnapshotBegin(_message.Message):
    __slots__ = ("topic_prefix", "topic_count")
    TOPIC_PREFIX_FIELD_NUMBER: _ClassVar[int]
    TOPIC_COUNT_FIELD_NUMBER: _ClassVar[int]
    topic_prefix: str
    topic_count: int
    def __init__(self, topic_prefix: _Optional[str] = ..., topic_count: _Optional[int] = ...) -> None: ...

class ReplayBegin(_message.Message):
    __slots__ = ("topic", "event_count", "first_available_sequence")
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    EVENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    FIRST_AVAILABLE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    topic: str
    event_count: int
    first_available_sequence: int
    def __init__(self, topic: _Optional[str] = ..., event_count: _Optional[int] = ..., first_available_sequence: _Optional[int] = ...) -> None: ...

class EffectiveConfig(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: str
    def __init__(self, json: _Optional[str] = ...) -> None: ...

class Ack(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: str
    def __init__(self, message: _Optional[str] = ...) -> None: ...

class ControlReply(_message.Message):
    __slots__ = ("id", "error", "ack", "subscriptions", "diagnostics", "health", "snapshot", "replay", "config")
    ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ACK_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    REPLAY_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    id: int
    error: ControlError
    ack: Ack
    subscriptions: SubscriptionList
    diagnostics: Diagnostics
    health: Health
    snapshot: SnapshotBegin
    replay: ReplayBegin
    config: EffectiveConfig
    def __init__(self, id: _Optional[int] = ..., error: _Optional[_Union[ControlError, _Mapping]] = ..., ack: _Optional[_Union[Ack, _Mapping]] = ..., subscriptions: _Optional[_Union[SubscriptionList, _Mapping]] = ..., diagnostics: _Optional[_Union[Diagnostics, _Mapping]] = ..., health: _Optional[_Union[Health, _Mapping]] = ..., snapshot: _Optional[_Union[SnapshotBegin, _Mapping]] = ..., replay: _Optional[_Union[ReplayBegin, _Mapping]] = ..., config: _Optional[_Union[EffectiveConfig, _Mapping]] = ...) -> None: ...
