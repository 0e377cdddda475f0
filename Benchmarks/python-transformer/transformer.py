"""events.raw -> events.clean / events.dlq, the way a data engineer would write it in Python.

The baseline `tributary bench transformer` measures the Swift transformer against: confluent-kafka for Kafka,
the protobuf runtime (upb) for messages, json.loads for the payload, and plain Python for the contract's checks
(ClickstreamModel's ClickstreamContract, in its order: invalid_utf8, invalid_json, missing_field, wrong_type,
out_of_range, duplicate_event_id, plus the non-blocking user_id_format warning). Good events become snake_case
CleanEvents keyed like their input; bad ones become DeadLetters with the reason. Offsets are committed only after
a batch's outputs are delivered (flush, then commit).

Simplifications a reviewer should know about: duplicate JSON keys are not rejected (json.loads keeps the last),
unknown members' values are re-serialised with json.dumps instead of copied byte for byte, and the nesting-depth
and payload-size limits are Python's own. None of these occur in the synthetic stream the bench feeds it.

Usage: transformer.py --proto-dir DIR --bootstrap HOST:PORT --group G --exit-after N
       [--input events.raw] [--output events.clean] [--dlq events.dlq] [--kafka key=value ...]
With --exit-after it stops after N input records and prints one JSON line: records, clean, dead letters by
reason, seconds and cpu_seconds from the first record to the last delivery.
"""

import argparse
import collections
import json
import re
import resource
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proto-dir", required=True, help="Where protoc --python_out wrote tributary/v1/*_pb2.py")
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--input", default="events.raw")
    parser.add_argument("--output", default="events.clean")
    parser.add_argument("--dlq", default="events.dlq")
    parser.add_argument("--exit-after", type=int, required=True)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--window", type=int, default=100_000, help="Duplicate-id window per partition")
    parser.add_argument("--pipeline-version", default="1.0.0")
    parser.add_argument("--kafka", action="append", default=[], help="Extra consumer setting key=value")
    return parser.parse_args()


ARGS = parse_args()
sys.path.insert(0, ARGS.proto_dir)

from confluent_kafka import Consumer, Producer  # noqa: E402
from tributary.v1 import clean_event_pb2, dead_letter_pb2, raw_event_pb2  # noqa: E402

# --- the contract ----------------------------------------------------------------------------------------------

MIN_TIMESTAMP_MS = 946_684_800_000
MAX_TIMESTAMP_MS = 4_102_444_800_000
MAX_FUTURE_MS = 600_000  # the future_timestamp rule's max_future
MAX_SONG_LENGTH_SECONDS = 7200
MAX_PRICE = 100_000
EVENT_TYPES = {
    "page_view", "song_play", "click", "search", "ad_impression", "thumbs_up", "thumbs_down", "add_to_playlist",
    "add_to_cart", "remove_from_cart", "purchase", "login", "logout",
}
SONG_EVENTS = {"song_play", "thumbs_up", "thumbs_down", "add_to_playlist"}
CART_EVENTS = {"add_to_cart", "remove_from_cart", "purchase"}
LEVELS = {"free", "paid"}
REQUIRED = ("eventId", "userId", "sessionId", "eventType", "timestamp")
NESTED_REQUIRED = {
    "song": ("songId", "artist", "title", "lengthSeconds"),
    "device": ("type", "os", "browser"),
    "location": ("city", "country", "lat", "lon"),
}
TOP_STRINGS = ("eventId", "userId", "sessionId", "page", "userAgent", "itemId")
NESTED_STRINGS = {"song": ("songId", "artist", "title"), "device": ("type", "os", "browser"),
                  "location": ("city", "country")}
KNOWN_TOP = {"eventId", "userId", "sessionId", "eventType", "timestamp", "page", "song", "itemId", "price",
             "device", "location", "level", "userAgent", "sequence", "sentAt"}
KNOWN_NESTED = {"song": {"songId", "artist", "title", "lengthSeconds"}, "device": {"type", "os", "browser"},
                "location": {"city", "country", "lat", "lon"}}
DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z")
USER_ID = re.compile(r"u-[0-9a-f]{16}")
DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class Reject(Exception):
    def __init__(self, reason, detail):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def is_number(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool))


def as_number(value, path, cleaned):
    """A JSON number, or a string holding a decimal number (then marked cleaned)."""
    if is_number(value):
        return value
    if isinstance(value, str) and DECIMAL.fullmatch(value):
        cleaned.add("cleaned_number")
        return float(value)
    raise Reject("wrong_type", f"{path} is not a number")


def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def timestamp_ms(value, cleaned):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        if INTEGER.fullmatch(value):
            cleaned.add("cleaned_timestamp")
            return int(value)
        match = ISO.fullmatch(value)
        if match:
            year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
            leap = month == 2 and ((year % 4 == 0 and year % 100 != 0) or year % 400 == 0)
            if 1 <= month <= 12 and 1 <= day <= DAYS[month - 1] + leap and hour < 24 and minute < 60 and second < 60:
                fraction = int((match.group(7) or "0")[:3].ljust(3, "0"))
                cleaned.add("cleaned_timestamp")
                return (((days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second) * 1000 + fraction
    raise Reject("wrong_type", "timestamp is neither epoch ms nor an ISO-8601 UTC date-time")


def label(value, path, cleaned):
    if not isinstance(value, str):
        raise Reject("wrong_type", f"{path} is not a string")
    clean = value.strip(" \t").lower()
    if clean != value:
        cleaned.add("cleaned_text")
    return clean


def scaled(number, factor):
    """Rounded half away from zero, as the Swift transformer scales decimal digits."""
    product = number * factor
    return int(product + 0.5) if product >= 0 else -int(-product + 0.5)


def snake(key):
    return CAMEL.sub("_", key).lower()


def check(event, received_ms):
    """The contract's checks in order; returns the cleaned values or raises Reject."""
    if not isinstance(event, dict):
        raise Reject("invalid_json", "the payload is not a JSON object")
    # missing_field
    for name in REQUIRED:
        if event.get(name) is None:
            raise Reject("missing_field", f"{name} is missing")
    raw_type = event["eventType"]
    type_guess = raw_type.strip(" \t").lower() if isinstance(raw_type, str) else None
    if type_guess in SONG_EVENTS and event.get("song") is None:
        raise Reject("missing_field", "song is missing")
    if type_guess in CART_EVENTS:
        for name in ("itemId", "price"):
            if event.get(name) is None:
                raise Reject("missing_field", f"{name} is missing")
    for parent, names in NESTED_REQUIRED.items():
        inner = event.get(parent)
        if isinstance(inner, dict):
            for name in names:
                if inner.get(name) is None:
                    raise Reject("missing_field", f"{parent}.{name} is missing")
    # wrong_type
    cleaned = set()
    for name in TOP_STRINGS:
        value = event.get(name)
        if value is not None and not isinstance(value, str):
            raise Reject("wrong_type", f"{name} is not a string")
    event_type = label(raw_type, "eventType", cleaned)
    level = event.get("level")
    if level is not None:
        level = label(level, "level", cleaned)
    event_time = timestamp_ms(event["timestamp"], cleaned)
    sent_at = event.get("sentAt")
    if sent_at is not None:
        sent_at = timestamp_ms(sent_at, set())
        if received_ms > 0:
            # Clock skew: the event on the collector's clock.
            event_time = received_ms - (sent_at - event_time)
    for parent in NESTED_REQUIRED:
        inner = event.get(parent)
        if inner is not None and not isinstance(inner, dict):
            raise Reject("wrong_type", f"{parent} is not an object")
        if inner:
            for name in NESTED_STRINGS[parent]:
                value = inner.get(name)
                if value is not None and not isinstance(value, str):
                    raise Reject("wrong_type", f"{parent}.{name} is not a string")
    song = event.get("song")
    location = event.get("location")
    length = as_number(song["lengthSeconds"], "song.lengthSeconds", cleaned) if song else None
    price = event.get("price")
    if price is not None:
        price = as_number(price, "price", cleaned)
    lat = as_number(location["lat"], "location.lat", cleaned) if location else None
    lon = as_number(location["lon"], "location.lon", cleaned) if location else None
    sequence = event.get("sequence")
    if sequence is not None and (not isinstance(sequence, int) or isinstance(sequence, bool)):
        raise Reject("wrong_type", "sequence is not an integer")
    # out_of_range
    if event_type not in EVENT_TYPES:
        raise Reject("out_of_range", f"eventType {event_type!r} is not a known event type")
    if not MIN_TIMESTAMP_MS <= event_time < MAX_TIMESTAMP_MS:
        raise Reject("out_of_range", "timestamp is outside 2000-01-01..2100-01-01")
    if level is not None and level not in LEVELS:
        raise Reject("out_of_range", f"level {level!r} is neither free nor paid")
    if length is not None and not 0 < length <= MAX_SONG_LENGTH_SECONDS:
        raise Reject("out_of_range", "song.lengthSeconds is out of range")
    if price is not None and not 0 <= price <= MAX_PRICE:
        raise Reject("out_of_range", "price is out of range")
    if lat is not None and not -90 <= lat <= 90:
        raise Reject("out_of_range", "location.lat is out of range")
    if lon is not None and not -180 <= lon <= 180:
        raise Reject("out_of_range", "location.lon is out of range")
    if sequence is not None and sequence < 0:
        raise Reject("out_of_range", "sequence is negative")
    if received_ms > 0 and event_time - received_ms > MAX_FUTURE_MS:
        raise Reject("future_timestamp", "timestamp is more than 10 minutes after its receive time")
    return event_type, level, event_time, length, price, lat, lon, cleaned


def clean_event(event, checked, raw, now_ms):
    event_type, level, event_time, length, price, lat, lon, cleaned = checked
    out = clean_event_pb2.CleanEvent(
        event_id=event["eventId"], user_id=event["userId"], session_id=event["sessionId"], event_type=event_type,
        event_time_ms=event_time, ingest_time_ms=raw.received_time_ms, processed_time_ms=now_ms,
        page=event.get("page") or "", level=level or "", item_id=event.get("itemId") or "",
        user_agent=event.get("userAgent") or "", sequence=event.get("sequence") or 0, source=raw.source,
        pipeline_version=ARGS.pipeline_version)
    if price is not None:
        out.price_micros = scaled(price, 1_000_000)
    song = event.get("song")
    if song is not None:
        out.song.song_id = song["songId"]
        out.song.title = song["title"]
        out.song.artist = song["artist"]
        out.song.length_ms = scaled(length, 1000)
    device = event.get("device")
    if device is not None:
        out.device.device_type = device["type"]
        out.device.os = device["os"]
        out.device.browser = device["browser"]
    location = event.get("location")
    if location is not None:
        out.location.city = location["city"]
        out.location.country = location["country"]
        out.location.latitude = lat
        out.location.longitude = lon
    for key, value in event.items():
        if key not in KNOWN_TOP:
            name = snake(key)
            if name not in out.attributes:
                out.attributes[name] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        elif key in KNOWN_NESTED and isinstance(value, dict):
            for inner_key, inner_value in value.items():
                if inner_key not in KNOWN_NESTED[key]:
                    name = key + "." + snake(inner_key)
                    if name not in out.attributes:
                        out.attributes[name] = json.dumps(inner_value, separators=(",", ":"), ensure_ascii=False)
    warned = not USER_ID.fullmatch(event["userId"])
    if warned:
        out.failed_checks.append("user_id_format")
    for name in ("cleaned_timestamp", "cleaned_number", "cleaned_text"):
        if name in cleaned:
            out.warned_checks.append(name)
    out.quality_verdict = (clean_event_pb2.QUALITY_VERDICT_WARN if warned or cleaned
                           else clean_event_pb2.QUALITY_VERDICT_PASS)
    return out.SerializeToString()


class IdWindow:
    """The last `capacity` accepted event ids of one partition, with the offset each was accepted at."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.offsets = {}
        self.order = collections.deque()

    def seen_before(self, event_id, offset):
        seen = self.offsets.get(event_id)
        return seen is not None and seen < offset

    def remember(self, event_id, offset):
        if event_id in self.offsets:
            return
        self.offsets[event_id] = offset
        self.order.append(event_id)
        if len(self.order) > self.capacity:
            del self.offsets[self.order.popleft()]


def dead_letter(message, reason, detail, now_ms):
    key, value = message.key(), message.value()
    return dead_letter_pb2.DeadLetter(
        original_key=key or b"", original_value=value or b"", original_key_null=key is None,
        original_value_null=value is None, topic=message.topic(), partition=message.partition(),
        offset=message.offset(), original_timestamp_ms=message.timestamp()[1], stage="transformer",
        reason=reason, detail=detail, time_ms=now_ms).SerializeToString()


def main():
    extra = dict(setting.split("=", 1) for setting in ARGS.kafka)
    consumer = Consumer({
        "bootstrap.servers": ARGS.bootstrap, "group.id": ARGS.group, "auto.offset.reset": "earliest",
        "enable.auto.commit": False, "session.timeout.ms": 6000, **extra})
    failures = []
    producer = Producer({
        "bootstrap.servers": ARGS.bootstrap, "enable.idempotence": True, "linger.ms": 5,
        "queue.buffering.max.messages": 500_000})
    consumer.subscribe([ARGS.input])

    def delivered(error, _message):
        if error is not None:
            failures.append(error)

    windows = {}
    reasons = collections.Counter()
    records = clean = 0
    started = cpu_started = None
    while records < ARGS.exit_after:
        batch = consumer.consume(num_messages=ARGS.batch_size, timeout=0.1)
        if not batch:
            continue
        if started is None:
            started, cpu_started = time.monotonic(), time.process_time()
        now_ms = int(time.time() * 1000)
        for message in batch:
            if message.error():
                continue
            records += 1
            try:
                raw = raw_event_pb2.RawEvent.FromString(message.value())
            except Exception as error:  # noqa: BLE001 - any decode failure is a dead letter
                reasons["malformed_protobuf"] += 1
                producer.produce(ARGS.dlq, dead_letter(message, "malformed_protobuf", str(error), now_ms),
                                 message.key(), on_delivery=delivered)
                continue
            try:
                try:
                    text = raw.payload.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise Reject("invalid_utf8", str(error))
                try:
                    event = json.loads(text, parse_constant=refuse_constant)
                except ValueError as error:
                    raise Reject("invalid_json", str(error))
                checked = check(event, raw.received_time_ms)
                window = windows.get(message.partition())
                if window is None:
                    window = windows[message.partition()] = IdWindow(ARGS.window)
                if window.seen_before(event["eventId"], message.offset()):
                    raise Reject("duplicate_event_id", "eventId was already accepted")
                value = clean_event(event, checked, raw, now_ms)
                window.remember(event["eventId"], message.offset())
            except Reject as reject:
                reasons[reject.reason] += 1
                producer.produce(ARGS.dlq, dead_letter(message, reject.reason, reject.detail, now_ms),
                                 message.key(), on_delivery=delivered)
                continue
            clean += 1
            while True:
                try:
                    producer.produce(ARGS.output, value, message.key(), on_delivery=delivered)
                    break
                except BufferError:
                    producer.poll(0.01)
        producer.poll(0)
        # At-least-once: the batch's outputs are delivered before its offsets are committed.
        producer.flush()
        if failures:
            print(f"delivery failed: {failures[0]}", file=sys.stderr)
            return 1
        consumer.commit(asynchronous=False)
    seconds = time.monotonic() - started
    cpu = time.process_time() - cpu_started
    consumer.close()
    print(json.dumps({"relay": "python", "messages": records, "clean": clean, "dead_letters": dict(reasons),
                      "seconds": round(seconds, 6), "cpu_seconds": round(cpu, 6),
                      "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
