import Foundation

/// A Prometheus histogram read from a service's `/metrics`: cumulative counts per upper bound (`le`).
///
/// Two scrapes subtract to the observations in between, so a bench can show p50/p99 per interval of a run and
/// over the whole run. Quantiles interpolate linearly inside the bucket that holds them, as PromQL's
/// `histogram_quantile` does; they are only as fine as the buckets (`CoreMetricNames.endToEndLatencyBuckets`).
struct LatencyHistogram: Sendable {
    /// (upper bound in seconds, cumulative count), ascending; the last bound is +Inf.
    var buckets: [(bound: Double, count: Double)]

    var count: Double { buckets.last?.count ?? 0 }

    /// The histogram `name` in a text exposition (all label sets summed), or `nil` when absent.
    init?(name: String, exposition: String) {
        var byBound: [Double: Double] = [:]
        let prefix = name + "_bucket{"
        for line in exposition.split(separator: "\n") where line.hasPrefix(prefix) {
            guard let start = line.range(of: "le=\""), let end = line[start.upperBound...].firstIndex(of: "\""),
                let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { continue }
            let text = line[start.upperBound..<end]
            let bound = text == "+Inf" ? Double.infinity : Double(text) ?? .nan
            guard !bound.isNaN else { continue }
            byBound[bound, default: 0] += value
        }
        guard !byBound.isEmpty else { return nil }
        buckets = byBound.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private init(buckets: [(bound: Double, count: Double)]) { self.buckets = buckets }

    /// The observations made after `earlier` (same buckets).
    func subtracting(_ earlier: LatencyHistogram?) -> LatencyHistogram {
        guard let earlier, earlier.buckets.count == buckets.count else { return self }
        return LatencyHistogram(
            buckets: zip(buckets, earlier.buckets).map { ($0.bound, max(0, $0.count - $1.count)) })
    }

    /// The `q` quantile in seconds, `nil` without observations. Above the last finite bound it reports that bound.
    func quantile(_ q: Double) -> Double? {
        let total = count
        guard total > 0 else { return nil }
        let rank = q * total
        var lowerBound = 0.0
        var lowerCount = 0.0
        for (bound, cumulative) in buckets {
            if cumulative >= rank {
                guard bound.isFinite else { return lowerBound }
                let inBucket = cumulative - lowerCount
                return inBucket > 0 ? lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket : bound
            }
            lowerBound = bound
            lowerCount = cumulative
        }
        return lowerBound
    }
}
