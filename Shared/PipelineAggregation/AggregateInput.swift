public import PipelineMessages
public import PipelineTables

/// The parts of a clean event the aggregates use, and the (dimension, value) pairs it counts under.
public struct AggregateInput: Sendable, Hashable {
    public var userID: String
    public var eventType: String
    public var eventTimeMs: Int64
    public var page: String
    public var songID: String
    /// Play length of a song event, ms; `nil` for events without a song.
    public var playMs: Int64?
    public var itemID: String
    /// Price of an item event, micros; `nil` for events without an item.
    public var priceMicros: Int64?
    /// When the pipeline received it (`ingest_time_ms`), bounding how far it moves the watermark; 0 when unknown.
    public var ingestTimeMs: Int64

    public init(
        userID: String, eventType: String, eventTimeMs: Int64, page: String = "", songID: String = "",
        playMs: Int64? = nil, itemID: String = "", priceMicros: Int64? = nil, ingestTimeMs: Int64 = 0
    ) {
        self.userID = userID
        self.eventType = eventType
        self.eventTimeMs = eventTimeMs
        self.page = page
        self.songID = songID
        self.playMs = playMs
        self.itemID = itemID
        self.priceMicros = priceMicros
        self.ingestTimeMs = ingestTimeMs
    }

    public init(_ event: CleanEvent) {
        let song = event.song.flatMap { $0.songID.isEmpty ? nil : $0 }
        self.init(
            userID: event.userID, eventType: event.eventType, eventTimeMs: event.eventTimeMs, page: event.page,
            songID: song?.songID ?? "", playMs: song?.lengthMs, itemID: event.itemID,
            priceMicros: event.itemID.isEmpty ? nil : event.priceMicros, ingestTimeMs: event.ingestTimeMs)
    }

    /// Every (dimension, value) this event counts under; empty attributes are not a value.
    public var dimensionValues: [(EventsAggregateTable.Dimension, String)] {
        var values: [(EventsAggregateTable.Dimension, String)] = [(.all, EventsAggregateTable.allValue), (.user, userID)]
        if !eventType.isEmpty { values.append((.eventType, eventType)) }
        if !page.isEmpty { values.append((.page, page)) }
        if !songID.isEmpty { values.append((.song, songID)) }
        if !itemID.isEmpty { values.append((.item, itemID)) }
        return values
    }
}
