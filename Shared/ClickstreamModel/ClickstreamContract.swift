/// The contract between the synthetic clickstream on `events.raw` and the transformer.
///
/// The transformer must accept exactly the records ``EventSynthesizer`` marks ``RecordKind/good`` (cleaning the
/// messy ones) and dead-letter exactly the others, with ``BadRecordKind/rawValue`` as the reason code.
/// Each bad record has exactly one defect, but a validator should still apply the checks **in this order**
/// and report the first that fails:
///
/// 1. `invalid_utf8` — the payload bytes are not valid UTF-8 (check the raw bytes before parsing: a strict
///    JSON parser would otherwise call these `invalid_json`).
/// 2. `invalid_json` — the payload is not exactly one JSON text per RFC 8259 (surrounding whitespace is
///    fine), or its top-level value is not an object. Generated defects: truncation, an unquoted key,
///    a single-quoted string, a missing colon, a Python literal, an HTML error page.
/// 3. `missing_field` — a required field is absent (a `null` value counts as absent):
///    `eventId`, `userId`, `sessionId`, `eventType`, `timestamp`; `song` when the event type is a song event
///    (``EventType/isSongEvent``); `itemId` and `price` for cart events (``EventType/isCartEvent``); inside a
///    present `song`: `songId`, `artist`, `title`, `lengthSeconds`; inside `device`: `type`, `os`, `browser`;
///    inside `location`: `city`, `country`, `lat`, `lon`.
/// 4. `wrong_type` — a field has a type that cleaning cannot fix:
///    - strings: `eventId`, `userId`, `sessionId`, `eventType`, `page`, `level`, `userAgent`, `itemId`,
///      `song.songId`, `song.artist`, `song.title`, `device.*`, `location.city`, `location.country`;
///    - `timestamp`: an integral JSON number (epoch ms), or a string holding either a decimal integer
///      (epoch ms) or an ISO-8601 UTC date-time `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (the synthesizer writes
///      exactly 3 fraction digits); any other string (such as `"yesterday"`) or any boolean, array, object
///      is `wrong_type`;
///    - numbers: `song.lengthSeconds`, `price`, `location.lat`, `location.lon` — a JSON number, or a string
///      that parses as a decimal number (`"215.347"`); `sequence` — an integral JSON number;
///    - objects: `song`, `device`, `location`.
/// 5. `out_of_range` — a well-typed value outside its domain:
///    - `timestamp` in `[minTimestampMs, maxTimestampMs)` (2000-01-01 to 2100-01-01 UTC);
///    - `eventType`, trimmed of ASCII spaces/tabs and lowercased, is an ``EventType`` raw value;
///    - `level`, trimmed and lowercased, is `free` or `paid`;
///    - `song.lengthSeconds` in `(0, maxSongLengthSeconds]`; `price` in `[0, maxPrice]`;
///    - `location.lat` in `[-90, 90]`, `location.lon` in `[-180, 180]`; `sequence` ≥ 0.
///    The timestamp checked is the event time after the clock-skew correction below.
/// 6. `future_timestamp` — the (corrected) event time is more than ``maxFutureMs`` after the record's receive
///    time (`RawEvent.received_time_ms`; not checked when that is 0, i.e. unknown).
/// 7. `duplicate_event_id` — `eventId` equals the `eventId` of an earlier **good** event. A duplicate carries
///    the original's Kafka key and `userId`, so it lands on the same partition, after the original (when one
///    producer writes the indices in order; with index ranges split across producers, a duplicate near a range
///    boundary may arrive first: then the roles swap, but the counts stay the same). Kafka redelivering the
///    same record (same partition and offset) after a restart is not a duplicate event.
///
/// **Clock skew.** `sentAt`, when present, is the device's send time in its own clock, in any form `timestamp`
/// takes (another type is `wrong_type`). With a known receive time the event time is corrected to
/// `received − (sentAt − timestamp)`, which cancels any constant error of the device clock; the device's own
/// `timestamp` is kept beside it. Generated good events carry no `sentAt` except clock-skew records
/// (``BadRecordKind/futureTimestamp`` draws), whose corrected time is their true time.
///
/// Everything else is good. Cleaning a good event means: parse numeric strings and ISO timestamps, trim and
/// lowercase `eventType` and `level`, ignore unknown fields, and ignore JSON whitespace. Ids (`eventId`,
/// `userId`, `sessionId`, `songId`, `itemId`), `page` and the other strings are already clean and must be kept
/// byte for byte. Optional fields of good events (`page`, `device`, `location`, `level`, `userAgent`,
/// `sequence`) are always present in generated good events.
public enum ClickstreamContract {
    /// 2000-01-01T00:00:00Z: the earliest valid event time (inclusive).
    public static let minTimestampMs: Int64 = 946_684_800_000
    /// 2100-01-01T00:00:00Z: the end of the valid event-time window (exclusive).
    public static let maxTimestampMs: Int64 = 4_102_444_800_000
    /// How far after its receive time an event may be dated (10 minutes, inclusive): the `future_timestamp`
    /// rule's `max_future` in `config/quality-rules.json`.
    public static let maxFutureMs: Int64 = 600_000
    /// The longest valid song, in seconds (inclusive).
    public static let maxSongLengthSeconds: Double = 7200
    /// The highest valid price (inclusive).
    public static let maxPrice: Double = 100_000
    /// Top-level fields every event needs, whatever its type.
    public static let requiredFields: [String] = ["eventId", "userId", "sessionId", "eventType", "timestamp"]
    /// The values `level` may take after trimming and lowercasing.
    public static let levels: [String] = ["free", "paid"]
    /// How long a session lasts: a user's events in the same 30-minute event-time bucket share a `sessionId`.
    public static let sessionBucketMs: Int64 = 1_800_000
}
