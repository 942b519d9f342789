from krakenbridge.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BookSnapshot(_message.Message):
    __slots__ = ("symbol", "depth", "generation", "checksum", "price_scale", "qty_scale", "bid_price", "bid_qty", "ask_price", "ask_qty", "bid_price_scales", "bid_qty_scales", "ask_price_scales", "ask_qty_scales")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    PRICE_SCALE_FIELD_NUMBER: _ClassVar[int]
    QTY_SCALE_FIELD_NUMBER: _ClassVar[int]
    BID_PRICE_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_FIELD_NUMBER: _ClassVar[int]
    ASK_PRICE_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_FIELD_NUMBER: _ClassVar[int]
    BID_PRICE_SCALES_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_SCALES_FIELD_NUMBER: _ClassVar[int]
    ASK_PRICE_SCALES_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_SCALES_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    depth: int
    generation: int
    checksum: int
    price_scale: int
    qty_scale: int
    bid_price: _containers.RepeatedScalarFieldContainer[int]
    bid_qty: _containers.RepeatedScalarFieldContainer[int]
    ask_price: _containers.RepeatedScalarFieldContainer[int]
    ask_qty: _containers.RepeatedScalarFieldContainer[int]
    bid_price_scales: _containers.RepeatedScalarFieldContainer[int]
    bid_qty_scales: _containers.RepeatedScalarFieldContainer[int]
    ask_price_scales: _containers.RepeatedScalarFieldContainer[int]
    ask_qty_scales: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, symbol: _Optional[str] = ..., depth: _Optional[int] = ..., generation: _Optional[int] = ..., checksum: _Optional[int] = ..., price_scale: _Optional[int] = ..., qty_scale: _Optional[int] = ..., bid_price: _Optional[_Iterable[int]] = ..., bid_qty: _Optional[_Iterable[int]] = ..., ask_price: _Optional[_Iterable[int]] = ..., ask_qty: _Optional[_Iterable[int]] = ..., bid_price_scales: _Optional[_Iterable[int]] = ..., bid_qty_scales: _Optional[_Iterable[int]] = ..., ask_price_scales: _Optional[_Iterable[int]] = ..., ask_qty_scales: _Optional[_Iterable[int]] = ...) -> None: ...

class BookUpdate(_message.Message):
    __slots__ = ("symbol", "depth", "generation", "checksum", "price_scale", "qty_scale", "bid_price", "bid_qty", "ask_price", "ask_qty", "bid_price_scales", "bid_qty_scales", "ask_price_scales", "ask_qty_scales")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    PRICE_SCALE_FIELD_NUMBER: _ClassVar[int]
    QTY_SCALE_FIELD_NUMBER: _ClassVar[int]
    BID_PRICE_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_FIELD_NUMBER: _ClassVar[int]
    ASK_PRICE_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_FIELD_NUMBER: _ClassVar[int]
    BID_PRICE_SCALES_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_SCALES_FIELD_NUMBER: _ClassVar[int]
    ASK_PRICE_SCALES_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_SCALES_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    depth: int
    generation: int
    checksum: int
    price_scale: int
    qty_scale: int
    bid_price: _containers.RepeatedScalarFieldContainer[int]
    bid_qty: _containers.RepeatedScalarFieldContainer[int]
    ask_price: _containers.RepeatedScalarFieldContainer[int]
    ask_qty: _containers.RepeatedScalarFieldContainer[int]
    bid_price_scales: _containers.RepeatedScalarFieldContainer[int]
    bid_qty_scales: _containers.RepeatedScalarFieldContainer[int]
    ask_price_scales: _containers.RepeatedScalarFieldContainer[int]
    ask_qty_scales: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, symbol: _Optional[str] = ..., depth: _Optional[int] = ..., generation: _Optional[int] = ..., checksum: _Optional[int] = ..., price_scale: _Optional[int] = ..., qty_scale: _Optional[int] = ..., bid_price: _Optional[_Iterable[int]] = ..., bid_qty: _Optional[_Iterable[int]] = ..., ask_price: _Optional[_Iterable[int]] = ..., ask_qty: _Optional[_Iterable[int]] = ..., bid_price_scales: _Optional[_Iterable[int]] = ..., bid_qty_scales: _Optional[_Iterable[int]] = ..., ask_price_scales: _Optional[_Iterable[int]] = ..., ask_qty_scales: _Optional[_Iterable[int]] = ...) -> None: ...

class BookTop(_message.Message):
    __slots__ = ("symbol", "levels", "generation", "book_sequence", "price_scale", "qty_scale", "bid_price", "bid_qty", "ask_price", "ask_qty", "bid_price_scales", "bid_qty_scales", "ask_price_scales", "ask_qty_scales")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    BOOK_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PRICE_SCALE_FIELD_NUMBER: _ClassVar[int]
    QTY_SCALE_FIELD_NUMBER: _ClassVar[int]
    BID_PRICE_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_FIELD_NUMBER: _ClassVar[int]
    ASK_PRICE_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_FIELD_NUMBER: _ClassVar[int]
    BID_PRICE_SCALES_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_SCALES_FIELD_NUMBER: _ClassVar[int]
    ASK_PRICE_SCALES_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_SCALES_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    levels: int
    generation: int
    book_sequence: int
    price_scale: int
    qty_scale: int
    bid_price: _containers.RepeatedScalarFieldContainer[int]
    bid_qty: _containers.RepeatedScalarFieldContainer[int]
    ask_price: _containers.RepeatedScalarFieldContainer[int]
    ask_qty: _containers.RepeatedScalarFieldContainer[int]
    bid_price_scales: _containers.RepeatedScalarFieldContainer[int]
    bid_qty_scales: _containers.RepeatedScalarFieldContainer[int]
    ask_price_scales: _containers.RepeatedScalarFieldContainer[int]
    ask_qty_scales: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, symbol: _Optional[str] = ..., levels: _Optional[int] = ..., generation: _Optional[int] = ..., book_sequence: _Optional[int] = ..., price_scale: _Optional[int] = ..., qty_scale: _Optional[int] = ..., bid_price: _Optional[_Iterable[int]] = ..., bid_qty: _Optional[_Iterable[int]] = ..., ask_price: _Optional[_Iterable[int]] = ..., ask_qty: _Optional[_Iterable[int]] = ..., bid_price_scales: _Optional[_Iterable[int]] = ..., bid_qty_scales: _Optional[_Iterable[int]] = ..., ask_price_scales: _Optional[_Iterable[int]] = ..., ask_qty_scales: _Optional[_Iterable[int]] = ...) -> None: ...

class Trade(_message.Message):
    __slots__ = ("symbol", "trade_id", "price", "qty", "side", "ord_type", "timestamp_ns", "from_snapshot")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    TRADE_ID_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    QTY_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    ORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    FROM_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    trade_id: int
    price: _common_pb2.Decimal
    qty: _common_pb2.Decimal
    side: _common_pb2.Side
    ord_type: _common_pb2.OrderType
    timestamp_ns: int
    from_snapshot: bool
    def __init__(self, symbol: _Optional[str] = ..., trade_id: _Optional[int] = ..., price: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., qty: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., side: _Optional[_Union[_common_pb2.Side, str]] = ..., ord_type: _Optional[_Union[_common_pb2.OrderType, str]] = ..., timestamp_ns: _Optional[int] = ..., from_snapshot: _Optional[bool] = ...) -> None: ...

class Ticker(_message.Message):
    __slots__ = ("symbol", "bid", "bid_qty", "ask", "ask_qty", "last", "volume", "vwap", "low", "high", "change", "change_pct", "trades_24h", "timestamp_ns")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    BID_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_FIELD_NUMBER: _ClassVar[int]
    ASK_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    VWAP_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_PCT_FIELD_NUMBER: _ClassVar[int]
    TRADES_24H_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    bid: _common_pb2.Decimal
    bid_qty: _common_pb2.Decimal
    ask: _common_pb2.Decimal
    ask_qty: _common_pb2.Decimal
    last: _common_pb2.Decimal
    volume: _common_pb2.Decimal
    vwap: _common_pb2.Decimal
    low: _common_pb2.Decimal
    high: _common_pb2.Decimal
    change: _common_pb2.Decimal
    change_pct: _common_pb2.Decimal
    trades_24h: int
    timestamp_ns: int
    def __init__(self, symbol: _Optional[str] = ..., bid: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., bid_qty: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., ask: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., ask_qty: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., last: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., volume: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., vwap: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., low: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., high: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., change: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., change_pct: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., trades_24h: _Optional[int] = ..., timestamp_ns: _Optional[int] = ...) -> None: ...

class Ohlc(_message.Message):
    __slots__ = ("symbol", "interval_minutes", "interval_begin_ns", "open", "high", "low", "close", "vwap", "volume", "trades", "closed", "timestamp_ns")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_BEGIN_NS_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    VWAP_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TRADES_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    interval_minutes: int
    interval_begin_ns: int
    open: _common_pb2.Decimal
    high: _common_pb2.Decimal
    low: _common_pb2.Decimal
    close: _common_pb2.Decimal
    vwap: _common_pb2.Decimal
    volume: _common_pb2.Decimal
    trades: int
    closed: bool
    timestamp_ns: int
    def __init__(self, symbol: _Optional[str] = ..., interval_minutes: _Optional[int] = ..., interval_begin_ns: _Optional[int] = ..., open: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., high: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., low: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., close: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., vwap: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., volume: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., trades: _Optional[int] = ..., closed: _Optional[bool] = ..., timestamp_ns: _Optional[int] = ...) -> None: ...

class Spread(_message.Message):
    __slots__ = ("symbol", "bid", "ask", "bid_qty", "ask_qty", "timestamp_ns")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    BID_FIELD_NUMBER: _ClassVar[int]
    ASK_FIELD_NUMBER: _ClassVar[int]
    BID_QTY_FIELD_NUMBER: _ClassVar[int]
    ASK_QTY_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    bid: _common_pb2.Decimal
    ask: _common_pb2.Decimal
    bid_qty: _common_pb2.Decimal
    ask_qty: _common_pb2.Decimal
    timestamp_ns: int
    def __init__(self, symbol: _Optional[str] = ..., bid: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., ask: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., bid_qty: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., ask_qty: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., timestamp_ns: _Optional[int] = ...) -> None: ...

class Instrument(_message.Message):
    __slots__ = ("symbol", "base", "quote", "status", "price_precision", "qty_precision", "price_increment", "qty_increment", "qty_min", "cost_min", "marginable", "v1_name", "rest_name")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    BASE_FIELD_NUMBER: _ClassVar[int]
    QUOTE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRICE_PRECISION_FIELD_NUMBER: _ClassVar[int]
    QTY_PRECISION_FIELD_NUMBER: _ClassVar[int]
    PRICE_INCREMENT_FIELD_NUMBER: _ClassVar[int]
    QTY_INCREMENT_FIELD_NUMBER: _ClassVar[int]
    QTY_MIN_FIELD_NUMBER: _ClassVar[int]
    COST_MIN_FIELD_NUMBER: _ClassVar[int]
    MARGINABLE_FIELD_NUMBER: _ClassVar[int]
    V1_NAME_FIELD_NUMBER: _ClassVar[int]
    REST_NAME_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    base: str
    quote: str
    status: str
    price_precision: int
    qty_precision: int
    price_increment: _common_pb2.Decimal
    qty_increment: _common_pb2.Decimal
    qty_min: _common_pb2.Decimal
    cost_min: _common_pb2.Decimal
    marginable: bool
    v1_name: str
    rest_name: str
    def __init__(self, symbol: _Optional[str] = ..., base: _Optional[str] = ..., quote: _Optional[str] = ..., status: _Optional[str] = ..., price_precision: _Optional[int] = ..., qty_precision: _Optional[int] = ..., price_increment: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., qty_increment: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., qty_min: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., cost_min: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., marginable: _Optional[bool] = ..., v1_name: _Optional[str] = ..., rest_name: _Optional[str] = ...) -> None: ...
