#!/usr/bin/env python3
"""cryptofeed 2.4.1, Kraken v1 (book + trade, checksum on, ZeroMQ backend) against a local wss
replay. Prints one JSON line: frames, elapsed, msg/s, CPU µs per frame, peak RSS, handed to ZMQ."""
import argparse, asyncio, json, os, resource, signal, ssl, sys, time
import zmq.asyncio
from cryptofeed import FeedHandler
from cryptofeed.backends.zmq import BookZMQ, TradeZMQ
from cryptofeed.connection import WebsocketEndpoint
from cryptofeed.defines import KRAKEN, L2_BOOK, TRADES
from cryptofeed.exchanges import Kraken
from cryptofeed.symbols import Symbols

ap = argparse.ArgumentParser()
ap.add_argument('--url', required=True)            # wss://127.0.0.1:PORT/  (sim public listener, v1 at /)
ap.add_argument('--ca', required=True)             # DIR/ca.pem written by `sim --tls-dir DIR`
ap.add_argument('--capture', required=True)        # the `record` capture the sim replays
ap.add_argument('--zmq-port', type=int, default=5555)  # the counting SUB binds here
ap.add_argument('--idle', type=float, default=10.0)    # give up this long after the last frame
ap.add_argument('--start-timeout', type=float, default=30.0)  # ... or this long without a first frame
ap.add_argument('--expect', type=int)               # frames to process (default: the capture's recv count)
ap.add_argument('--log', default='cryptofeed.log')  # cryptofeed's own log (WARNING and up)
a = ap.parse_args()

lines = [json.loads(l) for l in open(a.capture) if l.strip()]
events = lines[1:]
expect = a.expect or sum(e['dir'] == 'recv' for e in events)
asset_pairs = next(e['body'] for e in events if e['dir'] == 'rest' and e['path'].endswith('/AssetPairs'))
Symbols.set(KRAKEN, *Kraken._parse_symbol_data(json.loads(asset_pairs)))   # no REST call at start-up
book_sub = next(json.loads(e['frame']) for e in events if e['dir'] == 'sent' and '"book"' in e['frame'])
std = {v1: s for s, v1 in Symbols.get(KRAKEN)[0].items()}
symbols = [std[p] for p in book_sub['pair']]

st = dict(frames=0, handed=0, t0=None, cpu0=None, wall0=None, last=0.0, error=None)
orig_handler = Kraken.message_handler
async def counting_handler(self, msg, conn, ts):            # every frame the feed processes
    if st['t0'] is None:
        st['t0'], st['cpu0'], st['wall0'] = time.perf_counter(), time.process_time(), time.time_ns()
    try:
        await orig_handler(self, msg, conn, ts)
    except Exception as e:                                     # BadChecksum, KeyError, ...
        st['error'] = repr(e)
        raise
    st['frames'] += 1
    st['last'] = time.perf_counter()
Kraken.message_handler = counting_handler

class Counted:                                                 # count what reaches the ZMQ hand-off queue
    async def write(self, data):
        st['handed'] += 1
        await super().write(data)
class Book(Counted, BookZMQ): pass
class Trade(Counted, TradeZMQ): pass
backends = [Book(port=a.zmq_port), Trade(port=a.zmq_port)]

# A config dict replaces cryptofeed's defaults: say uvloop (its default) explicitly.
fh = FeedHandler(config={'uvloop': True, 'log': {'filename': a.log, 'level': 'WARNING'}})
loop = asyncio.new_event_loop()      # uvloop >= 0.22 no longer creates one in get_event_loop() (cryptofeed#1099)
asyncio.set_event_loop(loop)
feed = Kraken(symbols=symbols, channels=[L2_BOOK, TRADES], max_depth=book_sub['subscription']['depth'],
              checksum_validation=True, retries=0, timeout=-1, delay_start=0.5,
              callbacks={L2_BOOK: backends[0], TRADES: backends[1]})
feed.websocket_endpoints = [WebsocketEndpoint(a.url, limit=None,
                            options={'ssl': ssl.create_default_context(cafile=a.ca), 'proxy': None})]
fh.add_feed(feed)

async def monitor():
    started = time.perf_counter()
    while True:
        await asyncio.sleep(0.01)
        now = time.perf_counter()
        ended = (st['frames'] >= expect or st['error'] or (st['t0'] and now - st['last'] > a.idle)
                 or (st['t0'] is None and now - started > a.start_timeout))
        if ended and all(b.queue.qsize() == 0 for b in backends):
            break
    t1, cpu1, n = time.perf_counter(), time.process_time(), st['frames']
    el, cpu = (t1 - st['t0'], cpu1 - st['cpu0']) if n else (0.0, 0.0)
    st['result'] = dict(impl='cryptofeed-2.4.1', loop=type(loop).__module__, frames=n, expected=expect, elapsed_s=round(el, 3),
                        msg_per_s=round(n / el) if n else 0, cpu_us_per_msg=round(cpu / n * 1e6, 2) if n else None,
                        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                        handed_to_zmq=st['handed'], cpu_s=round(cpu, 4), window_start_ns=st['wall0'],
                        window_end_ns=time.time_ns(),
                        error=st['error'] or (None if n else 'no frames'))
    await asyncio.sleep(0.2)             # let a writer that popped the last batch finish its sends
    os.kill(os.getpid(), signal.SIGINT)                        # cryptofeed's own shutdown path

loop.create_task(monitor())
fh.run()
zmq.asyncio.Context.instance().destroy(linger=5000)           # flush what the PUB sockets still hold
result = st.get('result', {'error': st['error'] or 'no result'})
print(json.dumps(result), flush=True)
sys.exit(1 if result.get('error') or result.get('frames') != expect else 0)
