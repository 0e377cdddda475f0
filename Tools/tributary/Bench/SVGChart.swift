import Foundation

/// A plain SVG line chart (no dependencies, readable in any browser and on GitHub) for the bench's figures:
/// one x axis, one y axis from zero, a line per series with a legend.
struct SVGChart: Sendable {
    struct Series: Sendable {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// Draw points as markers too (few points, e.g. throughput per instance count).
    var markers = false

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    func render(width: Double = 720, height: Double = 360) -> String {
        let left = 70.0, right = 160.0, top = 40.0, bottom = 50.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let xMin = xs.min() ?? 0, xMax = max((xs.max() ?? 1), xMin + 1e-9)
        let yMax = Self.niceCeiling(ys.max() ?? 1)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { top + plotHeight - y / yMax * plotHeight }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="15" font-weight="bold">\(Self.escaped(title))</text>

            """
        for tick in 0...4 {
            let value = yMax * Double(tick) / 4
            let y = py(value)
            svg += "<line x1=\"\(left)\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(value))</text>\n"
        }
        for tick in 0...4 {
            let value = xMin + (xMax - xMin) * Double(tick) / 4
            svg += "<text x=\"\(f(px(value)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(Self.label(value))</text>\n"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"#333\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(f(top + plotHeight))\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
        svg += "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escaped(yLabel))</text>\n"
        for (index, line) in series.enumerated() {
            let color = Self.colors[index % Self.colors.count]
            let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            if markers {
                for point in line.points {
                    svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"3.5\" fill=\"\(color)\"/>\n"
                }
            }
            let legendY = top + 10 + Double(index) * 18
            svg += "<rect x=\"\(f(left + plotWidth + 14))\" y=\"\(f(legendY - 9))\" width=\"12\" height=\"3\" fill=\"\(color)\"/>\n"
            svg += "<text x=\"\(f(left + plotWidth + 30))\" y=\"\(f(legendY - 3))\">\(Self.escaped(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    func write(to path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try render().write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// 1, 2, 2.5 or 5 times a power of ten at or above `value`, so the axis has round ticks.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func label(_ value: Double) -> String {
        switch abs(value) {
        case 1_000_000...: String(format: "%.1fM", value / 1_000_000)
        case 10_000...: String(format: "%.0fK", value / 1_000)
        case 100...: String(format: "%.0f", value)
        case 1...: String(format: "%.1f", value)
        case 0: "0"
        default: String(format: "%.3f", value)
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
