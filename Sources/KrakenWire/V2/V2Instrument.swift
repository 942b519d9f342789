import FixedPoint

/// A v2 `instrument` message: reference data for assets and pairs (`data` is an object here).
/// Updates carry only the changed entries. `price_precision`/`qty_precision` are what book
/// checksums are formatted with.
public struct V2InstrumentMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var assets: [V2Asset]
    public var pairs: [V2Pair]

    public init(kind: MessageKind, assets: [V2Asset], pairs: [V2Pair]) {
        self.kind = kind
        self.assets = assets
        self.pairs = pairs
    }

    static func readData(_ reader: inout JSONReader) throws(WireError) -> V2Data {
        var assets: [V2Asset] = []
        var pairs: [V2Pair] = []
        try reader.readObject(field: "data") { (key, reader) throws(WireError) in
            if key.equals("assets") {
                try reader.readArray(field: "assets") { (reader) throws(WireError) in assets.append(try V2Asset.read(&reader)) }
            } else if key.equals("pairs") {
                try reader.readArray(field: "pairs") { (reader) throws(WireError) in pairs.append(try V2Pair.read(&reader)) }
            } else {
                try reader.skipValue()
            }
        }
        return .instrument(assets, pairs)
    }
}

/// One asset of the `instrument` channel.
public struct V2Asset: Sendable, Equatable {
    public var id: String
    /// `enabled`, `depositonly`, `withdrawalonly`, … (kept as text; Kraken extends the list).
    public var status: String
    public var precision: Int
    public var precisionDisplay: Int?
    public var borrowable: Bool?
    public var collateralValue: FixedDecimal?
    public var marginRate: FixedDecimal?

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2Asset {
        let start = reader.offset
        var id: String?
        var status: String?
        var precision: Int?
        var asset = V2Asset(id: "", status: "", precision: 0)
        try reader.readObject(field: "assets[]") { (key, reader) throws(WireError) in
            if key.equals("id") { id = try reader.readString(field: "id") }
            else if key.equals("status") { status = try reader.readString(field: "status") }
            else if key.equals("precision") { precision = try reader.readInt(field: "precision") }
            else if key.equals("precision_display") { asset.precisionDisplay = try reader.readInt(field: "precision_display") }
            else if key.equals("borrowable") { asset.borrowable = try reader.readBool(field: "borrowable") }
            else if key.equals("collateral_value") { asset.collateralValue = try reader.readOptionalDecimal(field: "collateral_value") }
            else if key.equals("margin_rate") { asset.marginRate = try reader.readOptionalDecimal(field: "margin_rate") }
            else { try reader.skipValue() }
        }
        asset.id = try required(id, "id", at: start)
        asset.status = try required(status, "status", at: start)
        asset.precision = try required(precision, "precision", at: start)
        return asset
    }
}

/// One trading pair of the `instrument` channel.
public struct V2Pair: Sendable, Equatable {
    public var symbol: String
    public var base: String
    public var quote: String
    /// `online`, `cancel_only`, `post_only`, `limit_only`, `reduce_only`, `maintenance`, `delisted`, …
    public var status: String
    public var pricePrecision: Int
    public var quantityPrecision: Int
    public var costPrecision: Int?
    public var priceIncrement: FixedDecimal?
    public var quantityIncrement: FixedDecimal?
    public var quantityMinimum: FixedDecimal?
    public var costMinimum: FixedDecimal?
    public var marginable: Bool?

    public init(
        symbol: String, base: String, quote: String, status: String, pricePrecision: Int, quantityPrecision: Int,
        costPrecision: Int? = nil, priceIncrement: FixedDecimal? = nil, quantityIncrement: FixedDecimal? = nil,
        quantityMinimum: FixedDecimal? = nil, costMinimum: FixedDecimal? = nil, marginable: Bool? = nil
    ) {
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.status = status
        self.pricePrecision = pricePrecision
        self.quantityPrecision = quantityPrecision
        self.costPrecision = costPrecision
        self.priceIncrement = priceIncrement
        self.quantityIncrement = quantityIncrement
        self.quantityMinimum = quantityMinimum
        self.costMinimum = costMinimum
        self.marginable = marginable
    }

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2Pair {
        let start = reader.offset
        var symbol: String?
        var base: String?
        var quote: String?
        var status: String?
        var pricePrecision: Int?
        var quantityPrecision: Int?
        var pair = V2Pair(symbol: "", base: "", quote: "", status: "", pricePrecision: 0, quantityPrecision: 0)
        try reader.readObject(field: "pairs[]") { (key, reader) throws(WireError) in
            if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
            else if key.equals("base") { base = try reader.readString(field: "base") }
            else if key.equals("quote") { quote = try reader.readString(field: "quote") }
            else if key.equals("status") { status = try reader.readString(field: "status") }
            else if key.equals("price_precision") { pricePrecision = try reader.readInt(field: "price_precision") }
            else if key.equals("qty_precision") { quantityPrecision = try reader.readInt(field: "qty_precision") }
            else if key.equals("cost_precision") { pair.costPrecision = try reader.readInt(field: "cost_precision") }
            else if key.equals("price_increment") { pair.priceIncrement = try reader.readOptionalDecimal(field: "price_increment") }
            else if key.equals("qty_increment") { pair.quantityIncrement = try reader.readOptionalDecimal(field: "qty_increment") }
            else if key.equals("qty_min") { pair.quantityMinimum = try reader.readOptionalDecimal(field: "qty_min") }
            else if key.equals("cost_min") { pair.costMinimum = try reader.readOptionalDecimal(field: "cost_min") }
            else if key.equals("marginable") { pair.marginable = try reader.readBool(field: "marginable") }
            else { try reader.skipValue() }
        }
        pair.symbol = try required(symbol, "symbol", at: start)
        pair.base = try required(base, "base", at: start)
        pair.quote = try required(quote, "quote", at: start)
        pair.status = try required(status, "status", at: start)
        pair.pricePrecision = try required(pricePrecision, "price_precision", at: start)
        pair.quantityPrecision = try required(quantityPrecision, "qty_precision", at: start)
        return pair
    }
}
