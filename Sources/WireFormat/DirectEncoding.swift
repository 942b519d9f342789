import Foundation
import SwiftProtobuf

/// Protobuf's wire encoding written by hand for the hottest payloads (`BookUpdate`, `Trade`),
/// straight into the bytes the ZeroMQ thread sends: no intermediate array and no visitor pass.
/// The output is exactly what SwiftProtobuf's `serializedBytes()` gives for the same message —
/// proto3 rules: fields in number order, defaults left out, repeated numbers packed, unknown
/// fields last — which the tests check byte for byte on generated messages.
public protocol DirectlyEncodedPayload {
    /// The encoded length in bytes.
    var directEncodedSize: Int { get }
    /// Writes exactly `directEncodedSize` bytes at the start of `buffer`.
    func directEncode(into buffer: UnsafeMutableRawBufferPointer)
}

extension DirectlyEncodedPayload {
    /// The encoding as a new array (for tests and the last-value cache).
    public func directEncodedBytes() -> [UInt8] {
        let size = directEncodedSize
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            directEncode(into: UnsafeMutableRawBufferPointer(buffer))
            count = size
        }
    }
}

/// A forward-only writer of protobuf wire primitives. Callers size the buffer first (with the
/// `ProtobufSize` functions), so no write checks bounds beyond a debug assertion.
struct ProtobufWriter {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    var position = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
        capacity = buffer.count
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            write(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        write(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        assert(position < capacity)
        base.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
        position += 1
    }

    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let start = source.baseAddress, !source.isEmpty else { return }
        assert(position + source.count <= capacity)
        (base + position).copyMemory(from: start, byteCount: source.count)
        position += source.count
    }

    @inline(__always)
    mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// A varint field (uint32, uint64, bool, enum); proto3 leaves out zero.
    @inline(__always)
    mutating func varintField(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, 0)
        varint(value)
    }

    mutating func stringField(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        var text = value
        text.withUTF8 { utf8 in
            tag(field, 2)
            varint(UInt64(utf8.count))
            bytes(UnsafeRawBufferPointer(utf8))
        }
    }

    mutating func packedSInt64Field(_ field: Int, _ values: [Int64]) {
        guard !values.isEmpty else { return }
        tag(field, 2)
        varint(UInt64(ProtobufSize.packedSInt64Body(values)))
        for value in values { varint(ProtobufSize.zigZag(value)) }
    }

    mutating func packedUInt32Field(_ field: Int, _ values: [UInt32]) {
        guard !values.isEmpty else { return }
        tag(field, 2)
        varint(UInt64(ProtobufSize.packedUInt32Body(values)))
        for value in values { varint(UInt64(value)) }
    }

    /// The unknown fields a message carries, written last as SwiftProtobuf does.
    mutating func unknownFields(_ fields: UnknownStorage) {
        guard !fields.data.isEmpty else { return }
        fields.data.withUnsafeBytes { bytes($0) }
    }
}

/// Encoded lengths of the same primitives.
enum ProtobufSize {
    @inline(__always)
    static func varint(_ value: UInt64) -> Int {
        // 1 + floor(bit length - 1) / 7, with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    @inline(__always)
    static func zigZag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inline(__always)
    static func tag(_ field: Int) -> Int { varint(UInt64(field) << 3) }

    @inline(__always)
    static func varintField(_ field: Int, _ value: UInt64) -> Int { value == 0 ? 0 : tag(field) + varint(value) }

    static func stringField(_ field: Int, _ value: String) -> Int {
        let count = value.utf8.count
        return count == 0 ? 0 : tag(field) + varint(UInt64(count)) + count
    }

    static func packedSInt64Body(_ values: [Int64]) -> Int {
        var total = 0
        for value in values { total += varint(zigZag(value)) }
        return total
    }

    static func packedUInt32Body(_ values: [UInt32]) -> Int {
        var total = 0
        for value in values { total += varint(UInt64(value)) }
        return total
    }

    static func packedSInt64Field(_ field: Int, _ values: [Int64]) -> Int {
        guard !values.isEmpty else { return 0 }
        let body = packedSInt64Body(values)
        return tag(field) + varint(UInt64(body)) + body
    }

    static func packedUInt32Field(_ field: Int, _ values: [UInt32]) -> Int {
        guard !values.isEmpty else { return 0 }
        let body = packedUInt32Body(values)
        return tag(field) + varint(UInt64(body)) + body
    }

    /// An enum's wire value: negative values are sign-extended to ten bytes, as protobuf says.
    @inline(__always)
    static func enumValue(_ rawValue: Int) -> UInt64 { UInt64(bitPattern: Int64(rawValue)) }
}

extension KBBookUpdate: DirectlyEncodedPayload {
    public var directEncodedSize: Int {
        ProtobufSize.stringField(1, symbol) + ProtobufSize.varintField(2, UInt64(depth))
            + ProtobufSize.varintField(3, generation) + ProtobufSize.varintField(4, UInt64(checksum))
            + ProtobufSize.varintField(5, UInt64(priceScale)) + ProtobufSize.varintField(6, UInt64(qtyScale))
            + ProtobufSize.packedSInt64Field(7, bidPrice) + ProtobufSize.packedSInt64Field(8, bidQty)
            + ProtobufSize.packedSInt64Field(9, askPrice) + ProtobufSize.packedSInt64Field(10, askQty)
            + ProtobufSize.packedUInt32Field(11, bidPriceScales) + ProtobufSize.packedUInt32Field(12, bidQtyScales)
            + ProtobufSize.packedUInt32Field(13, askPriceScales) + ProtobufSize.packedUInt32Field(14, askQtyScales)
            + unknownFields.data.count
    }

    public func directEncode(into buffer: UnsafeMutableRawBufferPointer) {
        var writer = ProtobufWriter(buffer)
        writer.stringField(1, symbol)
        writer.varintField(2, UInt64(depth))
        writer.varintField(3, generation)
        writer.varintField(4, UInt64(checksum))
        writer.varintField(5, UInt64(priceScale))
        writer.varintField(6, UInt64(qtyScale))
        writer.packedSInt64Field(7, bidPrice)
        writer.packedSInt64Field(8, bidQty)
        writer.packedSInt64Field(9, askPrice)
        writer.packedSInt64Field(10, askQty)
        writer.packedUInt32Field(11, bidPriceScales)
        writer.packedUInt32Field(12, bidQtyScales)
        writer.packedUInt32Field(13, askPriceScales)
        writer.packedUInt32Field(14, askQtyScales)
        writer.unknownFields(unknownFields)
    }
}

extension KBDecimal {
    var directEncodedBodySize: Int {
        ProtobufSize.varintField(1, ProtobufSize.zigZag(mantissa)) + ProtobufSize.varintField(2, UInt64(scale))
            + unknownFields.data.count
    }

    /// Field `field` holding this decimal (written even when empty: presence is what counts).
    func directEncodedFieldSize(_ field: Int) -> Int {
        let body = directEncodedBodySize
        return ProtobufSize.tag(field) + ProtobufSize.varint(UInt64(body)) + body
    }

    func directEncode(field: Int, into writer: inout ProtobufWriter) {
        writer.tag(field, 2)
        writer.varint(UInt64(directEncodedBodySize))
        writer.varintField(1, ProtobufSize.zigZag(mantissa))
        writer.varintField(2, UInt64(scale))
        writer.unknownFields(unknownFields)
    }
}

extension KBTrade: DirectlyEncodedPayload {
    public var directEncodedSize: Int {
        ProtobufSize.stringField(1, symbol) + ProtobufSize.varintField(2, tradeID)
            + (hasPrice ? price.directEncodedFieldSize(3) : 0) + (hasQty ? qty.directEncodedFieldSize(4) : 0)
            + ProtobufSize.varintField(5, ProtobufSize.enumValue(side.rawValue))
            + ProtobufSize.varintField(6, ProtobufSize.enumValue(ordType.rawValue))
            + ProtobufSize.varintField(7, UInt64(bitPattern: timestampNs)) + ProtobufSize.varintField(8, fromSnapshot ? 1 : 0)
            + unknownFields.data.count
    }

    public func directEncode(into buffer: UnsafeMutableRawBufferPointer) {
        var writer = ProtobufWriter(buffer)
        writer.stringField(1, symbol)
        writer.varintField(2, tradeID)
        if hasPrice { price.directEncode(field: 3, into: &writer) }
        if hasQty { qty.directEncode(field: 4, into: &writer) }
        writer.varintField(5, ProtobufSize.enumValue(side.rawValue))
        writer.varintField(6, ProtobufSize.enumValue(ordType.rawValue))
        writer.varintField(7, UInt64(bitPattern: timestampNs))
        writer.varintField(8, fromSnapshot ? 1 : 0)
        writer.unknownFields(unknownFields)
    }
}
