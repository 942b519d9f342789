#!/usr/bin/env python3
"""Counting SUB for cryptofeed's ZMQ backend: binds (cryptofeed's PUB sockets connect), subscribes to
everything, counts messages per key until SIGINT/SIGTERM or IDLE seconds without one after the first.
Usage: zmq_count_sub.py PORT [IDLE=5] [RCVHWM=0]   (RCVHWM 0 = unbounded: losses are the publisher's)"""
import json, signal, sys, zmq
port = int(sys.argv[1])
idle = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
rcvhwm = int(sys.argv[3]) if len(sys.argv) > 3 else 0
sock = zmq.Context.instance().socket(zmq.SUB)
sock.setsockopt(zmq.RCVHWM, rcvhwm)
sock.setsockopt(zmq.SUBSCRIBE, b'')
sock.bind(f'tcp://127.0.0.1:{port}')
stop, counts, quiet = [], {}, 0.0
for s in (signal.SIGINT, signal.SIGTERM):
    signal.signal(s, lambda *_: stop.append(1))
print(json.dumps({'ready': port}), flush=True)   # start the feed only after this line
def take(msg):                                   # b'KRAKEN-book-BTC-USD {json}' -> 'book'
    key = msg.split(b' ', 1)[0].split(b'-')[1].decode()
    counts[key] = counts.get(key, 0) + 1
while not stop and not (counts and quiet >= idle):
    if not sock.poll(200):      # keep calling into the socket: a bound SUB sends its subscription
        quiet += 0.2            # to a connecting PUB only when its own thread processes the attach
        continue
    quiet = 0.0
    take(sock.recv())
while True:                     # what is already queued
    try:
        take(sock.recv(zmq.NOBLOCK))
    except zmq.Again:
        break
print(json.dumps({'received': sum(counts.values()), 'by_key': counts}), flush=True)
