import ClickstreamTransform
import Foundation
import PipelineMessages
import Testing

/// Every cleaning rule, on hand-written payloads, read back through `CleanEvent(decoding:)`.
@Suite struct CleaningTests {
    @Test func aCleanEventIsRenamedTypedAndEnriched() throws {
        let e = try #require(Fixtures.clean(Fixtures.songPlay))
        #expect(e.eventID == "e-1-42" && e.userID == "u-00112233445566aa" && e.sessionID == "s-0123456789abcdef")
        #expect(e.eventType == "song_play" && e.eventTimeMs == 1_767_225_600_123)
        #expect(e.ingestTimeMs == Fixtures.receivedTimeMs && e.processedTimeMs == Fixtures.processedTimeMs)
        #expect(e.page == "/song" && e.level == "paid" && e.userAgent == "Mozilla/5.0" && e.sequence == 42)
        #expect(e.song == CleanEvent.Song(songID: "so-1", title: "\"Heroes\"", artist: "AC\\DC", lengthMs: 215_347))
        #expect(e.device == CleanEvent.Device(deviceType: "mobile", os: "iOS", browser: "Safari"))
        #expect(e.location == CleanEvent.Location(city: "Montréal", country: "CA", latitude: 45.5017, longitude: -73.5673))
        #expect(e.itemID == "" && e.priceMicros == 0 && e.attributes.isEmpty)
        #expect(e.source == "test" && e.pipelineVersion == "test-1")
        #expect(e.qualityVerdict == .pass && e.failedChecks.isEmpty && e.warnedChecks.isEmpty)
    }

    @Test func pricesBecomeExactMicros() throws {
        for (price, micros) in [("9.99", 9_990_000), ("\"9.99\"", 9_990_000), ("0", 0), ("100000", 100_000_000_000),
                                ("0.1234565", 123_457), ("1e2", 100_000_000), ("12.5E-1", 1_250_000)] as [(String, Int64)] {
            let e = try #require(Fixtures.clean(Fixtures.purchase(replacing: "price", with: price)), "\(price)")
            #expect(e.priceMicros == micros, "\(price)")
        }
    }

    @Test func timestampsInEveryAcceptedForm() throws {
        let forms: [(String, Int64)] = [
            ("1767225600123", 1_767_225_600_123), ("\"1767225600123\"", 1_767_225_600_123),
            ("\"2026-01-01T00:00:00.123Z\"", 1_767_225_600_123), ("\"2026-01-01T00:00:00Z\"", 1_767_225_600_000),
            ("\"2026-01-01T00:00:00.1Z\"", 1_767_225_600_100), ("\"2026-01-01T00:00:00.123999Z\"", 1_767_225_600_123),
            ("\"2024-02-29T12:30:45.678Z\"", 1_709_209_845_678),
        ]
        for (raw, ms) in forms {
            let e = try #require(Fixtures.clean(Fixtures.songPlay(replacing: "timestamp", with: raw)), "\(raw)")
            #expect(e.eventTimeMs == ms, "\(raw)")
            #expect(e.warnedChecks == (raw.hasPrefix("\"") ? ["cleaned_timestamp"] : []), "\(raw)")
            #expect(e.qualityVerdict == (raw.hasPrefix("\"") ? .warn : .pass))
        }
        for bad in ["\"yesterday\"", "\"\"", "\"N/A\"", "true", "[]", "{}", "\"2026-02-30T00:00:00Z\"",
                    "\"2026-01-01T24:00:00Z\"", "\"2026-01-01T00:00:00+01:00\"", "\"2026-01-01 00:00:00Z\"",
                    "\"2026-01-01T00:00:00.Z\"", "\"1767225600123.5\""] {
            #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: bad)) == "wrong_type", "\(bad)")
        }
        for outside in ["946684799999", "4102444800000", "1767225600", "\"1999-12-31T23:59:59.999Z\"", "-5"] {
            #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: outside)) == "out_of_range", "\(outside)")
        }
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: "946684800000")) == nil)
    }

    @Test func labelsAreTrimmedAndLowercased() throws {
        let e = try #require(Fixtures.clean(
            Fixtures.songPlay(replacing: "eventType", with: "\"  Song_Play\\t\"").replacingOccurrences(
                of: "\"level\":\"paid\"", with: "\"level\":\"PAID \"")))
        #expect(e.eventType == "song_play" && e.level == "paid")
        #expect(e.warnedChecks == ["cleaned_text"] && e.qualityVerdict == .warn)
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "eventType", with: "\"song play\"")) == "out_of_range")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "eventType", with: "\"\"")) == "out_of_range")
    }

    @Test func numericStringsAreCleaned() throws {
        let json = Fixtures.songPlay
            .replacingOccurrences(of: "215.347", with: "\"215.347\"")
            .replacingOccurrences(of: "45.5017", with: "\"45.5017\"")
        let e = try #require(Fixtures.clean(json))
        #expect(e.song?.lengthMs == 215_347 && e.location?.latitude == 45.5017)
        #expect(e.warnedChecks == ["cleaned_number"])
        for bad in ["\"free\"", "\" 1\"", "\"1,5\"", "\"0x10\"", "\"\"", "true", "null"] {
            let r = Fixtures.reason(Fixtures.purchase(replacing: "price", with: bad))
            #expect(r == (bad == "null" ? "missing_field" : "wrong_type"), "\(bad)")
        }
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "sequence", with: "\"42\"")) == "wrong_type")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "sequence", with: "-1")) == "out_of_range")
        #expect(Fixtures.clean(Fixtures.songPlay(replacing: "sequence", with: "4.2e1"))?.sequence == 42)
    }

    @Test func unknownFieldsBecomeSnakeCaseAttributes() throws {
        let json = String(Fixtures.songPlay.dropLast())
            + #","clientVersion":"5.2.1","_experiment":{"name":"home-v2","arm":"b"},"referrer":null,"#
            + #""HTTPStatus":200,"userID2":[1, 2],"sample\u0052ate":0.25}"#
        let e = try #require(Fixtures.clean(json))
        #expect(e.attributes == [
            "client_version": "\"5.2.1\"", "_experiment": #"{"name":"home-v2","arm":"b"}"#, "referrer": "null",
            "http_status": "200", "user_id2": "[1, 2]", "sample_rate": "0.25",
        ])
        #expect(e.qualityVerdict == .pass)
        let nested = Fixtures.songPlay.replacingOccurrences(of: "\"songId\":", with: "\"genreName\":\"pop\",\"songId\":")
        #expect(try #require(Fixtures.clean(nested)).attributes == ["song.genre_name": "\"pop\""])
    }

    @Test func nullsCountAsAbsent() throws {
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "eventId", with: "null")) == "missing_field")
        let e = try #require(Fixtures.clean(Fixtures.songPlay(replacing: "page", with: "null")))
        #expect(e.page == "")
        #expect(try #require(Fixtures.clean(Fixtures.songPlay(replacing: "device", with: nil))).device == nil)
    }

    @Test func conditionalRequirementsFollowTheEventType() {
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "song", with: nil)) == "missing_field")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "eventType", with: "\"Page_View\"")) == nil)
        #expect(Fixtures.reason(Fixtures.purchase(replacing: "price", with: nil)) == "missing_field")
        #expect(Fixtures.reason(Fixtures.purchase(replacing: "itemId", with: nil)) == "missing_field")
        #expect(Fixtures.reason(Fixtures.purchase(replacing: "eventType", with: "\"login\"").replacingOccurrences(
            of: "\"price\":9.99,", with: "")) == nil)
        // A wrongly typed eventType triggers no conditional requirement: the type check reports it.
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "eventType", with: "3").replacingOccurrences(
            of: "\"song\":", with: "\"_song\":")) == "wrong_type")
    }

    @Test func nestedChecksApplyOnlyToObjects() {
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "song", with: "\"Heroes - Bowie\"")) == "wrong_type")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "song", with: "{\"songId\":\"x\"}")) == "missing_field")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "location", with: "[1,2]")) == "wrong_type")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "userId", with: "{\"id\":\"u-1\"}")) == "wrong_type")
    }

    @Test func rangesAreInclusiveOrExclusiveAsDeclared() {
        func song(_ length: String) -> String? {
            Fixtures.reason(Fixtures.songPlay.replacingOccurrences(of: "215.347", with: length))
        }
        #expect(song("0") == "out_of_range" && song("0.001") == nil && song("7200") == nil && song("7200.001") == "out_of_range")
        #expect(song("-215.347") == "out_of_range")
        let lat = { (v: String) in Fixtures.reason(Fixtures.songPlay.replacingOccurrences(of: "45.5017", with: v)) }
        #expect(lat("90") == nil && lat("-90") == nil && lat("90.0001") == "out_of_range")
        #expect(Fixtures.reason(Fixtures.purchase(replacing: "price", with: "-0.01")) == "out_of_range")
        #expect(Fixtures.reason(Fixtures.purchase(replacing: "price", with: "100000.01")) == "out_of_range")
    }

    @Test func duplicatesOfAcceptedEventsAreRejectedAndOnlyThose() {
        let t = Fixtures.transformer()
        func run(_ json: String) -> String? {
            t.transform(payload: Array(json.utf8), source: "s", receivedTimeMs: 0, processedTimeMs: 0).rejection?.reason
        }
        let badFirst = Fixtures.songPlay(replacing: "level", with: "\"gold\"")
        #expect(run(badFirst) == "out_of_range")
        #expect(run(Fixtures.songPlay) == nil)  // the rejected one did not enter the window
        #expect(run(Fixtures.songPlay) == "duplicate_event_id")
        #expect(run(Fixtures.songPlay.replacingOccurrences(of: "\"level\":\"paid\"", with: "\"level\":\"free\"")) == "duplicate_event_id")
        #expect(run(Fixtures.purchase) == nil)
        #expect(t.window.count == 2)
    }

    @Test func observeRebuildsTheWindowWithoutOutput() {
        let t = Fixtures.transformer()
        #expect(t.observe(payload: Array(Fixtures.songPlay.utf8)))
        #expect(!t.observe(payload: Array("{".utf8)))
        #expect(t.window.contains("e-1-42"))
        let outcome = t.transform(payload: Array(Fixtures.songPlay.utf8), source: "s", receivedTimeMs: 0, processedTimeMs: 0)
        #expect(outcome.rejection?.reason == "duplicate_event_id")
    }

    @Test func encodedBytesEqualProtobufC() throws {
        for json in [Fixtures.songPlay, Fixtures.purchase,
                     String(Fixtures.songPlay.dropLast()) + ",\"zeta\":1,\"alpha\":[true]}",
                     Fixtures.songPlay(replacing: "timestamp", with: "\"2026-01-01T00:00:00.123Z\""),
                     // Found by the fuzz suite: -0.0 (protobuf-c leaves it out like 0), and members whose key is
                     // empty (an attribute with an empty key, which protobuf-c leaves out of the map entry).
                     Fixtures.songPlay.replacingOccurrences(of: "\"lon\":-73.5673", with: "\"lon\":-0.0"),
                     Fixtures.songPlay.replacingOccurrences(of: "\"lat\":45.5017", with: "\"lat\":-0e5"),
                     Fixtures.songPlay.replacingOccurrences(of: "\"page\":", with: "\"\":"),
                     String(Fixtures.songPlay.dropLast()) + ",\"\":\"\",\"empty\":\"\"}"] {
            let encoded = try #require(Fixtures.transform(json).encoded, "\(json)")
            #expect(try encoded.decoded().encode() == encoded.bytes, "\(json)")
        }
    }
}
