from krakenbridge.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORDER_STATUS_UNSPECIFIED: _ClassVar[OrderStatus]
    ORDER_STATUS_PENDING_NEW: _ClassVar[OrderStatus]
    ORDER_STATUS_NEW: _ClassVar[OrderStatus]
    ORDER_STATUS_PARTIALLY_FILLED: _ClassVar[OrderStatus]
    ORDER_STATUS_FILLED: _ClassVar[OrderStatus]
    ORDER_STATUS_CANCELED: _ClassVar[OrderStatus]
    ORDER_STATUS_REJECTED: _ClassVar[OrderStatus]
    ORDER_STATUS_EXPIRED: _ClassVar[OrderStatus]

class Liquidity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIQUIDITY_UNSPECIFIED: _ClassVar[Liquidity]
    LIQUIDITY_MAKER: _ClassVar[Liquidity]
    LIQUIDITY_TAKER: _ClassVar[Liquidity]
ORDER_STATUS_UNSPECIFIED: OrderStatus
ORDER_STATUS_PENDING_NEW: OrderStatus
ORDER_STATUS_NEW: OrderStatus
ORDER_STATUS_PARTIALLY_FILLED: OrderStatus
ORDER_STATUS_FILLED: OrderStatus
ORDER_STATUS_CANCELED: OrderStatus
ORDER_STATUS_REJECTED: OrderStatus
ORDER_STATUS_EXPIRED: OrderStatus
LIQUIDITY_UNSPECIFIED: Liquidity
LIQUIDITY_MAKER: Liquidity
LIQUIDITY_TAKER: Liquidity

class ExecutionReport(_message.Message):
    __slots__ = ("exec_id", "order_id", "client_order_id", "symbol", "order_status", "kraken_exec_type", "kraken_order_status", "kraken_order_type", "order_type", "side", "quantity_ordered", "quantity_filled", "cumulative_quantity", "average_fill_price", "limit_price", "stop_price", "commission", "commission_asset", "error_message", "timestamp_ns", "kraken_sequence", "trade_id", "from_snapshot")
    EXEC_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    ORDER_STATUS_FIELD_NUMBER: _ClassVar[int]
    KRAKEN_EXEC_TYPE_FIELD_NUMBER: _ClassVar[int]
    KRAKEN_ORDER_STATUS_FIELD_NUMBER: _ClassVar[int]
    KRAKEN_ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_ORDERED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FILLED_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_FILL_PRICE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    STOP_PRICE_FIELD_NUMBER: _ClassVar[int]
    COMMISSION_FIELD_NUMBER: _ClassVar[int]
    COMMISSION_ASSET_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    KRAKEN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TRADE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    exec_id: str
    order_id: str
    client_order_id: str
    symbol: str
    order_status: OrderStatus
    kraken_exec_type: str
    kraken_order_status: str
    kraken_order_type: str
    order_type: _common_pb2.OrderType
    side: _common_pb2.Side
    quantity_ordered: _common_pb2.Decimal
    quantity_filled: _common_pb2.Decimal
    cumulative_quantity: _common_pb2.Decimal
    average_fill_price: _common_pb2.Decimal
    limit_price: _common_pb2.Decimal
    stop_price: _common_pb2.Decimal
    commission: _common_pb2.Decimal
    commission_asset: str
    error_message: str
    timestamp_ns: int
    kraken_sequence: int
    trade_id: str
    from_snapshot: bool
    def __init__(self, exec_id: _Optional[str] = ..., order_id: _Optional[str] = ..., client_order_id: _Optional[str] = ..., symbol: _Optional[str] = ..., order_status: _Optional[_Union[OrderStatus, str]] = ..., kraken_exec_type: _Optional[str] = ..., kraken_order_status: _Optional[str] = ..., kraken_order_type: _Optional[str] = ..., order_type: _Optional[_Union[_common_pb2.OrderType, str]] = ..., side: _Optional[_Union[_common_pb2.Side, str]] = ..., quantity_ordered: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., quantity_filled: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., cumulative_quantity: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., average_fill_price: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., limit_price: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., stop_price: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., commission: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., commission_asset: _Optional[str] = ..., error_message: _Optional[str] = ..., timestamp_ns: _Optional[int] = ..., kraken_sequence: _Optional[int] = ..., trade_id: _Optional[str] = ..., from_snapshot: _Optional[bool] = ...) -> None: ...

class Fill(_message.Message):
    __slots__ = ("fill_id", "order_id", "exec_id", "client_order_id", "symbol", "side", "price", "quantity", "fee", "fee_asset", "liquidity", "cost", "timestamp_ns")
    FILL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    EXEC_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    FEE_ASSET_FIELD_NUMBER: _ClassVar[int]
    LIQUIDITY_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    fill_id: str
    order_id: str
    exec_id: str
    client_order_id: str
    symbol: str
    side: _common_pb2.Side
    price: _common_pb2.Decimal
    quantity: _common_pb2.Decimal
    fee: _common_pb2.Decimal
    fee_asset: str
    liquidity: Liquidity
    cost: _common_pb2.Decimal
    timestamp_ns: int
    def __init__(self, fill_id: _Optional[str] = ..., order_id: _Optional[str] = ..., exec_id: _Optional[str] = ..., client_order_id: _Optional[str] = ..., symbol: _Optional[str] = ..., side: _Optional[_Union[_common_pb2.Side, str]] = ..., price: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., quantity: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., fee: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., fee_asset: _Optional[str] = ..., liquidity: _Optional[_Union[Liquidity, str]] = ..., cost: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., timestamp_ns: _Optional[int] = ...) -> None: ...

class WalletBalance(_message.Message):
    __slots__ = ("type", "id", "balance")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    type: str
    id: str
    balance: _common_pb2.Decimal
    def __init__(self, type: _Optional[str] = ..., id: _Optional[str] = ..., balance: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ...) -> None: ...

class Balance(_message.Message):
    __slots__ = ("asset", "balance", "wallets", "ledger_id", "ledger_type", "amount", "fee", "timestamp_ns", "from_snapshot")
    ASSET_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    WALLETS_FIELD_NUMBER: _ClassVar[int]
    LEDGER_ID_FIELD_NUMBER: _ClassVar[int]
    LEDGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NS_FIELD_NUMBER: _ClassVar[int]
    FROM_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    asset: str
    balance: _common_pb2.Decimal
    wallets: _containers.RepeatedCompositeFieldContainer[WalletBalance]
    ledger_id: str
    ledger_type: str
    amount: _common_pb2.Decimal
    fee: _common_pb2.Decimal
    timestamp_ns: int
    from_snapshot: bool
    def __init__(self, asset: _Optional[str] = ..., balance: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., wallets: _Optional[_Iterable[_Union[WalletBalance, _Mapping]]] = ..., ledger_id: _Optional[str] = ..., ledger_type: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., fee: _Optional[_Union[_common_pb2.Decimal, _Mapping]] = ..., timestamp_ns: _Optional[int] = ..., from_snapshot: _Optional[bool] = ...) -> None: ...
