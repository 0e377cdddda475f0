/// The repository's `config/quality-rules.json`, built in so the transformer runs with no files beside it.
///
/// `ClickstreamTransformTests` fails when this copy and the file differ; refresh it with
/// `scripts/embed-quality-rules.sh` after editing the file.
public enum BuiltInQualityRules {
    public static let json = #"""
{
  "version": 1,
  "description": "The transformer's quality rules, in check order. The blocking rules reproduce ClickstreamModel's ClickstreamContract exactly: missing_field, then wrong_type, then out_of_range, then future_timestamp (and stale_timestamp when enabled), then duplicate_event_id (invalid_utf8 and invalid_json are checked before any rule). Time rules read the event time after the clock-skew correction (received - (sentAt - timestamp)) and are skipped when the receive time is unknown. Format: Shared/ClickstreamTransform/QualityRules+Loading.swift.",
  "expectations": [
    {"expect": "not_null", "fields": ["eventId", "userId", "sessionId", "eventType", "timestamp"],
     "reason": "missing_field", "severity": "block", "mostly": 0.99},
    {"expect": "not_null", "field": "song",
     "when": {"field": "eventType", "in": ["song_play", "thumbs_up", "thumbs_down", "add_to_playlist"]},
     "reason": "missing_field", "severity": "block", "mostly": 0.99},
    {"expect": "not_null", "fields": ["itemId", "price"],
     "when": {"field": "eventType", "in": ["add_to_cart", "remove_from_cart", "purchase"]},
     "reason": "missing_field", "severity": "block", "mostly": 0.99},
    {"expect": "not_null", "fields": ["song.songId", "song.artist", "song.title", "song.lengthSeconds"],
     "reason": "missing_field", "severity": "block", "mostly": 0.99},
    {"expect": "not_null", "fields": ["device.type", "device.os", "device.browser"],
     "reason": "missing_field", "severity": "block", "mostly": 0.99},
    {"expect": "not_null", "fields": ["location.city", "location.country", "location.lat", "location.lon"],
     "reason": "missing_field", "severity": "block", "mostly": 0.99},

    {"expect": "type", "type": "string",
     "fields": ["eventId", "userId", "sessionId", "page", "userAgent", "itemId"],
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},
    {"expect": "type", "type": "label", "fields": ["eventType", "level"],
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},
    {"expect": "type", "type": "timestamp", "fields": ["timestamp", "sentAt"],
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},
    {"expect": "type", "type": "object", "fields": ["song", "device", "location"],
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},
    {"expect": "type", "type": "string",
     "fields": ["song.songId", "song.artist", "song.title", "device.type", "device.os", "device.browser",
                "location.city", "location.country"],
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},
    {"expect": "type", "type": "number", "fields": ["song.lengthSeconds", "price", "location.lat", "location.lon"],
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},
    {"expect": "type", "type": "integer", "field": "sequence",
     "reason": "wrong_type", "severity": "block", "mostly": 0.99},

    {"expect": "in_set", "field": "eventType",
     "values": ["page_view", "song_play", "click", "search", "ad_impression", "thumbs_up", "thumbs_down",
                "add_to_playlist", "add_to_cart", "remove_from_cart", "purchase", "login", "logout"],
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "between", "field": "timestamp", "min": 946684800000, "max": 4102444800000, "max_exclusive": true,
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "in_set", "field": "level", "values": ["free", "paid"],
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "between", "field": "song.lengthSeconds", "min": 0, "min_exclusive": true, "max": 7200,
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "between", "field": "price", "min": 0, "max": 100000,
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "between", "field": "location.lat", "min": -90, "max": 90,
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "between", "field": "location.lon", "min": -180, "max": 180,
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},
    {"expect": "between", "field": "sequence", "min": 0,
     "reason": "out_of_range", "severity": "block", "mostly": 0.99},

    {"name": "future_timestamp", "expect": "received_within", "field": "timestamp", "max_future": "10m",
     "description": "A device clock ahead of real time (a broken clock, no sentAt to correct it) would date the event after it arrived and drag the aggregator's watermark forward.",
     "reason": "future_timestamp", "severity": "block", "mostly": 0.99},
    {"name": "stale_timestamp", "expect": "received_within", "field": "timestamp", "max_past": "30d",
     "description": "Off by default: it would also reject legitimate back-fills and replays of old data, whose receive time is when they were re-sent. Enable it only for live-only streams.",
     "reason": "stale_timestamp", "severity": "block", "mostly": 0.99, "enabled": false},

    {"name": "user_id_format", "expect": "regex", "field": "userId", "pattern": "^u-[0-9a-f]{16}$",
     "reason": "malformed_user_id", "severity": "warn", "mostly": 0.999},

    {"expect": "unique", "field": "eventId", "window": 100000,
     "reason": "duplicate_event_id", "severity": "block", "mostly": 0.99}
  ]
}
"""#

    /// The built-in rules, compiled.
    public static func load() throws(TransformError) -> QualityRules {
        try QualityRules.parse(Array(json.utf8), source: "built-in config/quality-rules.json")
    }
}
