/// One sell order of 1 BTC at limit 26599.9 filled in three trades (0.25, 0.25, 0.5), written
/// twice: as Kraken's v2 `executions` sends it and as v1 `openOrders` + `ownTrades` send the same
/// activity (v1's trade key is v2's exec_id; v1 names the pair XBT/USD and writes numbers as
/// strings at the pair's decimals). Shapes follow Kraken's documented examples.
enum Lifecycle {
    static let order = "OK4GJX-KSTLS-7DZZO5"
    static let trade1 = "TGBB7L-HT5LX-J3BZ4A"
    static let trade2 = "T2FHQZ-7YCDB-QPPJHM"
    static let trade3 = "TC4VQX-3ZGLS-5R6BCN"

    static let v2: [String] = [
        Frames.snapshot(1),
        Frames.update(2, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","cl_ord_id":"gf-sig-1","order_userref":3,"symbol":"BTC/USD","order_qty":1.0,"cum_cost":0,
             "time_in_force":"GTC","exec_type":"pending_new","side":"sell","order_type":"limit","limit_price_type":"static",
             "limit_price":26599.9,"order_status":"pending_new","fee_usd_equiv":0,"fee_ccy_pref":"fciq","timestamp":"2023-09-22T10:33:05.500000Z"}
            """#),
        Frames.update(3, #"""
            {"timestamp":"2023-09-22T10:33:05.709993Z","order_status":"new","exec_type":"new","order_userref":3,"order_id":"OK4GJX-KSTLS-7DZZO5"}
            """#),
        Frames.update(4, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","order_userref":3,"exec_id":"TGBB7L-HT5LX-J3BZ4A","exec_type":"trade","trade_id":62887576,
             "symbol":"BTC/USD","side":"sell","last_qty":0.25,"last_price":26599.9,"liquidity_ind":"t","cost":6649.975,"order_type":"limit",
             "timestamp":"2023-09-22T10:33:06.000000Z","order_status":"partially_filled","cum_qty":0.25,"cum_cost":6649.975,
             "avg_price":26599.9,"fee_usd_equiv":17.28994,"fees":[{"asset":"USD","qty":17.28994}]}
            """#),
        Frames.update(5, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","order_userref":3,"exec_id":"T2FHQZ-7YCDB-QPPJHM","exec_type":"trade","trade_id":62887580,
             "symbol":"BTC/USD","side":"sell","last_qty":0.25,"last_price":26600.0,"liquidity_ind":"m","cost":6650.0,"order_type":"limit",
             "timestamp":"2023-09-22T10:33:07.000000Z","order_status":"partially_filled","cum_qty":0.5,"cum_cost":13299.975,
             "avg_price":26599.95,"fee_usd_equiv":17.29,"fees":[{"asset":"USD","qty":17.29}]}
            """#),
        Frames.update(6, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","order_userref":3,"exec_id":"TC4VQX-3ZGLS-5R6BCN","exec_type":"trade","trade_id":62887581,
             "symbol":"BTC/USD","side":"sell","last_qty":0.5,"last_price":26600.5,"liquidity_ind":"m","cost":13300.25,"order_type":"limit",
             "timestamp":"2023-09-22T10:33:08.000000Z","order_status":"filled","cum_qty":1.0,"cum_cost":26600.225,
             "avg_price":26600.225,"fee_usd_equiv":34.5807,"fees":[{"asset":"USD","qty":34.5807}]}
            """#),
        Frames.update(7, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","cl_ord_id":"gf-sig-1","order_userref":3,"exec_type":"filled","cum_qty":1.0,
             "cum_cost":26600.225,"avg_price":26600.225,"fee_usd_equiv":69.16064,"order_status":"filled","timestamp":"2023-09-22T10:33:08.000000Z"}
            """#),
    ]

    static let v1: [String] = [
        #"[[],"openOrders",{"sequence":1}]"#,
        #"[[],"ownTrades",{"sequence":1}]"#,
        #"""
        [[{"OK4GJX-KSTLS-7DZZO5":{"avg_price":"0.00000","cl_ord_id":"gf-sig-1","cost":"0.00000","descr":{"close":null,"leverage":null,
           "order":"sell 1.00000000 XBT/USD @ limit 26599.9","ordertype":"limit","pair":"XBT/USD","price":"26599.9","price2":"0.00000",
           "type":"sell"},"expiretm":null,"fee":"0.00000","limitprice":"26599.9","misc":"","oflags":"fciq","opentm":"1695378785.500000",
           "refid":null,"starttm":null,"status":"pending","stopprice":"0.00000","timeinforce":"GTC","userref":3,"vol":"1.00000000",
           "vol_exec":"0.00000000"}}],"openOrders",{"sequence":2}]
        """#,
        #"[[{"OK4GJX-KSTLS-7DZZO5":{"status":"open","lastupdated":"1695378785.709993","cl_ord_id":"gf-sig-1","userref":3}}],"openOrders",{"sequence":3}]"#,
        #"""
        [[{"TGBB7L-HT5LX-J3BZ4A":{"cost":"6649.97500","fee":"17.28994","margin":"0.00000","ordertxid":"OK4GJX-KSTLS-7DZZO5","ordertype":"limit",
           "pair":"XBT/USD","postxid":"TKH2SE-M7IF5-CFI7LT","price":"26599.9","time":"1695378786.000000","type":"sell","vol":"0.25000000",
           "cl_ord_id":"gf-sig-1","userref":3}}],"ownTrades",{"sequence":2}]
        """#,
        #"""
        [[{"OK4GJX-KSTLS-7DZZO5":{"lastupdated":"1695378786.000000","vol_exec":"0.25000000","cost":"6649.97500","fee":"17.28994",
           "avg_price":"26599.9","cl_ord_id":"gf-sig-1","userref":3}}],"openOrders",{"sequence":4}]
        """#,
        #"""
        [[{"T2FHQZ-7YCDB-QPPJHM":{"cost":"6650.00000","fee":"17.29000","margin":"0.00000","ordertxid":"OK4GJX-KSTLS-7DZZO5","ordertype":"limit",
           "pair":"XBT/USD","postxid":"TKH2SE-M7IF5-CFI7LT","price":"26600.0","time":"1695378787.000000","type":"sell","vol":"0.25000000",
           "cl_ord_id":"gf-sig-1","userref":3}}],"ownTrades",{"sequence":3}]
        """#,
        #"""
        [[{"TC4VQX-3ZGLS-5R6BCN":{"cost":"13300.25000","fee":"34.58070","margin":"0.00000","ordertxid":"OK4GJX-KSTLS-7DZZO5","ordertype":"limit",
           "pair":"XBT/USD","postxid":"TKH2SE-M7IF5-CFI7LT","price":"26600.5","time":"1695378788.000000","type":"sell","vol":"0.50000000",
           "cl_ord_id":"gf-sig-1","userref":3}}],"ownTrades",{"sequence":4}]
        """#,
        #"""
        [[{"OK4GJX-KSTLS-7DZZO5":{"lastupdated":"1695378788.000000","status":"closed","vol_exec":"1.00000000","cost":"26600.22500",
           "fee":"69.16064","avg_price":"26600.225","cl_ord_id":"gf-sig-1","userref":3}}],"openOrders",{"sequence":5}]
        """#,
    ]

    /// What downstream must receive for this order, over either API.
    static let expected = [
        "report NEW OK4GJX-KSTLS-7DZZO5:new qty=0 cum=0",
        "report PARTIALLY_FILLED TGBB7L-HT5LX-J3BZ4A qty=0.25 @26599.9 cum=0.25 fee=17.28994 USD",
        "fill TGBB7L-HT5LX-J3BZ4A 0.25@26599.9 fee=17.28994 USD",
        "report PARTIALLY_FILLED T2FHQZ-7YCDB-QPPJHM qty=0.25 @26600 cum=0.5 fee=17.29 USD",
        "fill T2FHQZ-7YCDB-QPPJHM 0.25@26600 fee=17.29 USD",
        "report FILLED TC4VQX-3ZGLS-5R6BCN qty=0.5 @26600.5 cum=1 fee=34.5807 USD",
        "fill TC4VQX-3ZGLS-5R6BCN 0.5@26600.5 fee=34.5807 USD",
    ]
}
