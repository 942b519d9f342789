"""The console scripts ``krakenbridge-tap`` and ``krakenbridge-ctl`` (installed by pip).

``krakenbridge-tap`` prints the frames of one or more bus endpoints, one line each (or one JSON
object each with ``--json``), checks every topic's sequence and reports gaps on standard error;
with ``--control`` it repairs them as :class:`krakenbridge.aio.AsyncSubscriber` does. It stops
after ``--count`` frames, ``--idle-timeout`` seconds without one, or on Ctrl-C, and prints a
summary line on standard error.

``krakenbridge-ctl`` sends one command to the control socket and prints the reply readably (or
as JSON lines with ``--json``: the reply, then each snapshot or replay frame). Exit status: 0 on
success, 1 on an error reply (and for ``health`` when the bridge is not healthy), 2 when the bridge
does not answer in time, 3 when the reply breaks the control socket's contract, 64 on a usage
error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn, Optional, Sequence, TextIO, Union

import zmq
from google.protobuf import json_format, text_format
from google.protobuf.message import Message

from krakenbridge import decimals
from krakenbridge.aio import AsyncSubscriber, LivenessTimeout, Recovery, RecoveryFailed
from krakenbridge.control import (ControlClient, ControlError, ControlProtocolError, ControlTimeout, Replay, Snapshot,
                                  load_key)
from krakenbridge.v1 import account_pb2, common_pb2, control_pb2, frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import (FLAG_RECONCILED, FLAG_REPLAY, FLAG_SIMULATED, FLAG_SNAPSHOT, BusFrame, FrameDecodingError,
                               decode_frames, decode_header)

EX_USAGE = 64


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 64 (EX_USAGE), so that 2 keeps meaning "the bridge did not answer"."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EX_USAGE, f"{self.prog}: error: {message}\n")


# -- frames as text and JSON ----------------------------------------------------------------------

FLAG_NAMES = ((FLAG_SNAPSHOT, "snapshot"), (FLAG_REPLAY, "replay"), (FLAG_RECONCILED, "reconciled"),
              (FLAG_SIMULATED, "simulated"))


def type_name(frame: BusFrame) -> str:
    """``trade``, ``book_update``, … (the message type without its prefix, lower case)."""
    return frame.header.type_name.removeprefix("MESSAGE_TYPE_").lower()


def frame_json(frame: BusFrame) -> dict[str, Any]:
    """A frame as a JSON object: header fields, then the payload as protobuf's canonical JSON
    (decimals as ``{"mantissa": "…", "scale": n}``; None for an unknown message type)."""
    header = frame.header
    return {
        "topic": frame.topic, "type": type_name(frame), "sequence": header.sequence, "epoch": header.publisher_epoch,
        "flags": header.flags, "exchangeTsNs": header.exchange_ts_ns, "receiveTsNs": header.receive_ts_ns,
        "publishTsNs": header.publish_ts_ns,
        "payload": None if frame.payload is None else json_format.MessageToDict(frame.payload),
    }


def frame_line(frame: BusFrame) -> str:
    """``16:04:54.237892 trade:BTC/USD: #11 trade [simulated] sell 0.01992098 @ 64990.4 id=11``:
    publish time (UTC), topic, sequence, type, flags and the payload with exact decimals."""
    header = frame.header
    when = datetime.fromtimestamp(header.publish_ts_ns / 1e9, timezone.utc).strftime("%H:%M:%S.%f") \
        if header.publish_ts_ns > 0 else "-"
    flags = ",".join(name for bit, name in FLAG_NAMES if header.flags & bit)
    return " ".join(part for part in (when, frame.topic, f"#{header.sequence}", type_name(frame),
                                      f"[{flags}]" if flags else "", payload_text(frame.payload)) if part)


def payload_text(payload: Optional[Message]) -> str:
    if payload is None:
        return "(unknown message type)"
    if isinstance(payload, market_pb2.Trade):
        return f"{_side(payload.side)} {decimals.to_text(payload.qty)} @ {decimals.to_text(payload.price)} id={payload.trade_id}"
    if isinstance(payload, (market_pb2.BookSnapshot, market_pb2.BookUpdate, market_pb2.BookTop)):
        bids, asks = decimals.book_sides(payload)
        levels = " ".join(f"{format(q, 'f')}@{format(p, 'f')}" for p, q in bids[:3])
        levels += " | " + " ".join(f"{format(q, 'f')}@{format(p, 'f')}" for p, q in asks[:3])
        extra = f" checksum={payload.checksum}" if not isinstance(payload, market_pb2.BookTop) else ""
        return f"{payload.symbol} {len(bids)} bids {len(asks)} asks: {levels}{extra}"
    if isinstance(payload, account_pb2.ExecutionReport):
        status = account_pb2.OrderStatus.Name(payload.order_status).removeprefix("ORDER_STATUS_").lower()
        fill = f" filled {decimals.to_text(payload.quantity_filled)} @ {decimals.to_text(payload.average_fill_price)}" \
            if payload.quantity_filled.mantissa else ""
        return f"{payload.symbol} {_side(payload.side)} {status} order {payload.order_id}{fill} exec={payload.exec_id}"
    return text_format.MessageToString(payload, as_one_line=True)


def _side(side: int) -> str:
    return common_pb2.Side.Name(side).removeprefix("SIDE_").lower()


# -- krakenbridge-tap ----------------------------------------------------------------------------

def tap_main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _Parser(prog="krakenbridge-tap", description="Print the frames a KrakenBridge bus endpoint publishes, "
                     "checking per-topic sequences; gaps go to standard error.")
    parser.add_argument("--connect", action="append", required=True, metavar="ENDPOINT",
                        help="endpoint to connect to, e.g. tcp://127.0.0.1:5555 (repeatable: market and account at once)")
    parser.add_argument("--topic", action="append", default=[], metavar="PREFIX",
                        help="topic prefix to subscribe to (repeatable; default: everything)")
    parser.add_argument("--count", type=int, help="exit after this many frames")
    parser.add_argument("--json", action="store_true", help="one JSON object per frame instead of text")
    parser.add_argument("--control", metavar="ENDPOINT",
                        help="the bridge's control endpoint: repair gaps (snapshot, journal replay) instead of only reporting them")
    parser.add_argument("--idle-timeout", type=float, metavar="SECONDS", help="exit when no frame arrives for this long")
    parser.add_argument("--liveness", type=float, metavar="SECONDS",
                        help="exit with status 2 when not even a heartbeat arrives for this long")
    _curve_options(parser)
    options = parser.parse_args(argv)
    server_key, public_key, secret_key = _curve_keys(parser, options)
    out = sys.stdout
    counts = {"frames": 0, "gaps": 0, "missing": 0, "malformed": 0}

    def on_gap(recovery: Recovery) -> None:
        gap = recovery.gap
        counts["gaps"] += 1
        counts["missing"] += gap.missing
        done = {"snapshot": f": repaired from a snapshot ({recovery.frames} state)",
                "replay": f": {recovery.frames} events replayed from the journal" +
                          (f", {recovery.lost} lost to retention" if recovery.lost else ""),
                "none": ""}[recovery.method]
        if recovery.error is not None:
            done = f": {recovery.method} failed: {recovery.error}"
        print(f"gap on {gap.topic} expected {gap.expected} received {gap.received} ({gap.missing} missing){done}",
              file=sys.stderr, flush=True)

    async def run() -> int:
        async with AsyncSubscriber(options.connect, options.topic or [b""], control=options.control,
                                   synchronise=False, idle_timeout=options.idle_timeout,
                                   liveness_timeout=options.liveness, on_gap=on_gap, server_key=server_key,
                                   public_key=public_key, secret_key=secret_key) as sub:
            while options.count is None or counts["frames"] < options.count:
                try:
                    frame = await sub.receive(options.idle_timeout)
                except FrameDecodingError as error:
                    counts["malformed"] += 1
                    print(f"malformed message: {error}", file=sys.stderr, flush=True)
                    continue
                except RecoveryFailed:
                    continue  # reported by on_gap
                except LivenessTimeout as error:
                    print(f"krakenbridge-tap: {error}", file=sys.stderr)
                    return 2
                if frame is None:
                    break
                counts["frames"] += 1
                _write(out, json.dumps(frame_json(frame), separators=(",", ":")) if options.json else frame_line(frame))
        return 0

    status = 0
    try:
        status = asyncio.run(run())
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        _quiet_broken_pipe()
    print(f"krakenbridge-tap: {counts['frames']} frames, {counts['gaps']} gaps ({counts['missing']} missing), "
          f"{counts['malformed']} malformed", file=sys.stderr)
    return status


def _write(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()


def _quiet_broken_pipe() -> None:
    """The reader went away (``| head``): stop without a second error at interpreter exit."""
    try:
        sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - replaced for the rest of the process
    except OSError:
        pass


# -- krakenbridge-ctl ----------------------------------------------------------------------------

COMMANDS = ("health", "diagnostics", "config", "list", "add-pair", "remove-pair", "subscribe", "unsubscribe",
            "snapshot", "replay")


def ctl_main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _Parser(prog="krakenbridge-ctl", description="Send one command to a KrakenBridge control socket and "
                     "print the reply. COMMAND is one of: " + ", ".join(COMMANDS) + ", or a ControlRequest as JSON "
                     "(e.g. '{\"health\":{}}'), whose reply is printed as JSON.")
    parser.add_argument("words", nargs="+", metavar="COMMAND", help="the command, then its argument (a symbol, a prefix, a topic)")
    parser.add_argument("--connect", default="tcp://127.0.0.1:5557", metavar="ENDPOINT", help="the control endpoint")
    parser.add_argument("--channel", action="append", default=[], help="subscribe/unsubscribe: book, trade, ticker, ohlc (repeatable)")
    parser.add_argument("--symbol", action="append", default=[], help="subscribe/unsubscribe: a pair (repeatable)")
    parser.add_argument("--depth", type=int, default=0, help="subscribe/unsubscribe: book depth (0: the bridge's default)")
    parser.add_argument("--interval", type=int, default=0, help="subscribe/unsubscribe: ohlc interval in minutes")
    parser.add_argument("--after", type=int, default=0, help="replay: events after this sequence")
    parser.add_argument("--max", type=int, default=0, help="replay: at most this many events (0: the bridge's default)")
    parser.add_argument("--binary", action="store_true", help="send binary protobuf instead of JSON")
    parser.add_argument("--json", action="store_true", help="print JSON lines: the reply, then each snapshot or replay frame")
    parser.add_argument("--timeout", type=int, default=5000, metavar="MS", help="milliseconds to wait for the reply")
    _curve_options(parser)
    options = parser.parse_args(argv)
    server_key, public_key, secret_key = _curve_keys(parser, options)
    words: list[str] = options.words
    command = words[0]
    arguments = words[1:]
    expected_arguments = {"add-pair": 1, "remove-pair": 1, "replay": 1, "snapshot": (0, 1)}.get(command, 0)
    if command.lstrip().startswith("{"):
        expected_arguments = 0
    elif command not in COMMANDS:
        parser.error(f"unknown command {command!r} (one of {', '.join(COMMANDS)}, or a JSON request)")
    allowed = expected_arguments if isinstance(expected_arguments, tuple) else (expected_arguments,)
    if len(arguments) not in allowed:
        parser.error(f"{command} takes {' or '.join(map(str, allowed))} argument(s), got {len(arguments)}")
    if command in ("subscribe", "unsubscribe") and not options.channel:
        parser.error(f"{command} needs at least one --channel")

    out = sys.stdout
    try:
        with ControlClient(options.connect, encoding="binary" if options.binary else "json", timeout_ms=options.timeout,
                           server_key=server_key, public_key=public_key, secret_key=secret_key) as client:
            if command.lstrip().startswith("{"):
                request = control_pb2.ControlRequest()
                try:
                    json_format.Parse(command, request)
                except json_format.ParseError as error:
                    parser.error(f"not a ControlRequest: {error}")
                reply, rest = client.request(request)
                if reply.HasField("error"):
                    raise ControlError(reply)
                # Any request as JSON: the reply as JSON, then its frames, if any, one per line.
                _print_reply(out, reply, True)
                for index in range(0, len(rest) - 2, 3):
                    header = decode_header(rest[index + 1])
                    if header.message_type == frame_pb2.MESSAGE_TYPE_SNAPSHOT_END:
                        continue  # the snapshot's end marker (its topic is the prefix, not a topic)
                    _write(out, json.dumps(frame_json(decode_frames(rest[index:index + 3])), separators=(",", ":")))
                return 0
            if command == "snapshot":
                snapshot = client.snapshot(arguments[0] if arguments else "")
                _print_frames(out, snapshot, options.json)
                return 0
            if command == "replay":
                replay = client.replay(arguments[0], after=options.after, max_events=options.max)
                _print_frames(out, replay, options.json)
                return 0
            if command in ("subscribe", "unsubscribe"):
                method = client.subscribe if command == "subscribe" else client.unsubscribe
                reply = method(options.channel, options.symbol, depth=options.depth, interval_minutes=options.interval)
            elif command == "add-pair":
                reply = client.add_pair(arguments[0])
            elif command == "remove-pair":
                reply = client.remove_pair(arguments[0])
            elif command == "list":
                reply = client.list_subscriptions()
            elif command == "health":
                reply = client.health()
            elif command == "diagnostics":
                reply = client.diagnostics()
            else:
                reply = client.config()
            _print_reply(out, reply, options.json)
            if command == "health" and not reply.health.healthy:
                return 1
            return 0
    except ControlError as error:
        if options.json:
            _write(out, _reply_json(error.reply))
        print(f"krakenbridge-ctl: {error}", file=sys.stderr)
        return 1
    except ControlTimeout as error:
        print(f"krakenbridge-ctl: {error}", file=sys.stderr)
        return 2
    except (ControlProtocolError, FrameDecodingError) as error:
        print(f"krakenbridge-ctl: the reply breaks the control socket's contract: {error}", file=sys.stderr)
        return 3


def _reply_json(reply: control_pb2.ControlReply) -> str:
    return json.dumps(json_format.MessageToDict(reply), separators=(",", ":"))


def _print_reply(out: TextIO, reply: control_pb2.ControlReply, as_json: bool) -> None:
    if as_json:
        _write(out, _reply_json(reply))
        return
    result = reply.WhichOneof("result")
    if result == "ack":
        _write(out, reply.ack.message or "ok")
    elif result == "health":
        health = reply.health
        _write(out, "healthy" if health.healthy else "unhealthy")
        for problem in health.problems:
            _write(out, f"  - {problem}")
    elif result == "subscriptions":
        for entry in reply.subscriptions.subscriptions:
            depth = f" depth {entry.depth}" if entry.depth else ""
            interval = f" interval {entry.interval_minutes}m" if entry.interval_minutes else ""
            _write(out, f"{entry.feed:8} {entry.channel:11} {entry.symbol or '-':10}{depth}{interval} {entry.state}")
    elif result == "config":
        try:
            _write(out, json.dumps(json.loads(reply.config.json), indent=2))
        except ValueError:
            _write(out, reply.config.json)
    elif result == "diagnostics":
        _print_diagnostics(out, reply.diagnostics)
    else:
        _write(out, text_format.MessageToString(reply).rstrip())


def _print_diagnostics(out: TextIO, diagnostics: control_pb2.Diagnostics) -> None:
    _write(out, "connections:")
    for connection in diagnostics.connections:
        state = service_pb2.ConnectionState.Name(connection.state).removeprefix("CONNECTION_STATE_").lower()
        _write(out, f"  {connection.feed:8} {state:12} {connection.endpoint}")
    _write(out, "rates (messages/s, total):")
    for rate in diagnostics.rates:
        _write(out, f"  {rate.channel:11} {rate.messages_per_second:10.1f} {rate.messages_total:12}")
    latency = diagnostics.latency
    _write(out, f"latency: p50 {latency.p50_ns / 1e3:.0f} µs, p95 {latency.p95_ns / 1e3:.0f} µs, "
                f"p99 {latency.p99_ns / 1e3:.0f} µs, max {latency.max_ns / 1e3:.0f} µs ({latency.samples} samples)")
    _write(out, f"journal: {diagnostics.journal_events} events, {diagnostics.journal_bytes} bytes")
    _write(out, "counters:")
    for name in sorted(diagnostics.counters):
        _write(out, f"  {name} {diagnostics.counters[name]}")


def _print_frames(out: TextIO, result: Union[Snapshot, Replay], as_json: bool) -> None:
    begin = result.begin
    if as_json:
        key = "snapshot" if isinstance(result, Snapshot) else "replay"
        _write(out, json.dumps({key: json_format.MessageToDict(begin)}, separators=(",", ":")))
        for frame in result.frames:
            _write(out, json.dumps(frame_json(frame), separators=(",", ":")))
        return
    for frame in result.frames:
        _write(out, frame_line(frame))
    if isinstance(result, Snapshot):
        _write(out, f"snapshot of {result.begin.topic_prefix!r}: {result.end.topic_count} topics")
    else:
        replay = result.begin
        _write(out, f"replay of {replay.topic}: {replay.event_count} events "
                    f"(the journal holds from sequence {replay.first_available_sequence})")


# -- CURVE ---------------------------------------------------------------------------------------

def _curve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server-key", metavar="KEY_OR_FILE",
                        help="the server's public CURVE key (Z85, 40 characters) or a file holding it")
    parser.add_argument("--client-secret-key-file", metavar="FILE",
                        help="this client's secret CURVE key (Z85), as written by `krakenbridge keygen`")


def _curve_keys(parser: argparse.ArgumentParser,
                options: argparse.Namespace) -> tuple[Optional[bytes], Optional[bytes], Optional[bytes]]:
    if options.server_key is None and options.client_secret_key_file is None:
        return None, None, None
    if options.server_key is None or options.client_secret_key_file is None:
        parser.error("CURVE needs both --server-key and --client-secret-key-file")
    given: str = options.server_key
    try:
        server_key = given.encode("ascii") if len(given) == 40 and not Path(given).exists() else load_key(given)
        secret_key = load_key(options.client_secret_key_file)
    except (OSError, ValueError) as error:
        parser.error(str(error))
    return server_key, zmq.curve_public(secret_key), secret_key


if __name__ == "__main__":  # pragma: no cover
    sys.exit(ctl_main())
