from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Side(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIDE_UNSPECIFIED: _ClassVar[Side]
    SIDE_BUY: _ClassVar[Side]
    SIDE_SELL: _ClassVar[Side]

class OrderType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORDER_TYPE_UNSPECIFIED: _ClassVar[OrderType]
    ORDER_TYPE_LIMIT: _ClassVar[OrderType]
    ORDER_TYPE_MARKET: _ClassVar[OrderType]
    ORDER_TYPE_STOP_LOSS: _ClassVar[OrderType]
    ORDER_TYPE_TAKE_PROFIT: _ClassVar[OrderType]
    ORDER_TYPE_STOP_LOSS_LIMIT: _ClassVar[OrderType]
    ORDER_TYPE_TAKE_PROFIT_LIMIT: _ClassVar[OrderType]
    ORDER_TYPE_TRAILING_STOP: _ClassVar[OrderType]
    ORDER_TYPE_TRAILING_STOP_LIMIT: _ClassVar[OrderType]
    ORDER_TYPE_ICEBERG: _ClassVar[OrderType]
    ORDER_TYPE_SETTLE_POSITION: _ClassVar[OrderType]
SIDE_UNSPECIFIED: Side
SIDE_BUY: Side
SIDE_SELL: Side
ORDER_TYPE_UNSPECIFIED: OrderType
ORDER_TYPE_LIMIT: OrderType
ORDER_TYPE_MARKET: OrderType
ORDER_TYPE_STOP_LOSS: OrderType
ORDER_TYPE_TAKE_PROFIT: OrderType
ORDER_TYPE_STOP_LOSS_LIMIT: OrderType
ORDER_TYPE_TAKE_PROFIT_LIMIT: OrderType
ORDER_TYPE_TRAILING_STOP: OrderType
ORDER_TYPE_TRAILING_STOP_LIMIT: OrderType
ORDER_TYPE_ICEBERG: OrderType
ORDER_TYPE_SETTLE_POSITION: OrderType

class Decimal(_message.Message):
    __slots__ = ("mantissa", "scale")
    MANTISSA_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    mantissa: int
    scale: int
    def __init__(self, mantissa: _Optional[int] = ..., scale: _Optional[int] = ...) -> None: ...
