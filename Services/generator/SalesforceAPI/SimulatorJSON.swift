import PipelineRuntime
import SalesforceModel

/// The JSON the simulator writes (Salesforce's shapes) and the tiny flat JSON objects it reads.
enum SimulatorJSON {
    static func error(_ code: String, _ message: String) -> String {
        "[{\"message\":\(JSONText.quoted(message)),\"errorCode\":\(JSONText.quoted(code))}]"
    }

    /// One query row: `attributes`, then the selected fields in SELECT order.
    static func record(_ record: SalesforceRecord, fields: [SalesforceFieldDescription], version: String) -> String {
        var out = "{\"attributes\":{\"type\":\(JSONText.quoted(record.object)),\"url\":"
        out += JSONText.quoted("/services/data/\(version)/sobjects/\(record.object)/\(record.id)") + "}"
        for field in fields {
            out += ",\(JSONText.quoted(field.name)):\((record[field.name] ?? .null).jsonLiteral)"
        }
        return out + "}"
    }

    static func describe(_ object: SalesforceObjectDescription) -> String {
        let fields = object.fields.map { f in
            var out = "{\"name\":\(JSONText.quoted(f.name)),\"type\":\(JSONText.quoted(f.type))"
            out += ",\"nillable\":\(f.nillable),\"updateable\":\(f.updateable),\"custom\":\(f.isCustom)"
            out += ",\"referenceTo\":[\(f.referenceTo.map(JSONText.quoted) ?? "")]"
            out += ",\"picklistValues\":[" + f.picklistValues.map {
                "{\"value\":\(JSONText.quoted($0)),\"label\":\(JSONText.quoted($0)),\"active\":true}"
            }.joined(separator: ",") + "]}"
            return out
        }
        return "{\"name\":\(JSONText.quoted(object.name)),\"label\":\(JSONText.quoted(object.name))"
            + ",\"keyPrefix\":\(JSONText.quoted(object.keyPrefix)),\"queryable\":true,\"fields\":["
            + fields.joined(separator: ",") + "]}"
    }

    /// Reads a flat JSON object of strings, numbers, booleans and nulls (`{"asOf": 123}`); nil when malformed.
    static func flatObject(_ text: String) -> [String: String]? {
        var chars = Array(text.unicodeScalars)[...]
        func skip() { while let c = chars.first, c == " " || c == "\n" || c == "\t" || c == "\r" { chars.removeFirst() } }
        func string() -> String? {
            guard chars.first == "\"" else { return nil }
            chars.removeFirst()
            var out = String.UnicodeScalarView()
            while let c = chars.popFirst() {
                if c == "\"" { return String(out) }
                if c == "\\" {
                    guard let e = chars.popFirst() else { return nil }
                    out.append(e == "n" ? "\n" : e == "t" ? "\t" : e)
                } else {
                    out.append(c)
                }
            }
            return nil
        }
        skip()
        guard chars.popFirst() == "{" else { return nil }
        var result: [String: String] = [:]
        skip()
        if chars.first == "}" { chars.removeFirst(); skip(); return chars.isEmpty ? result : nil }
        while true {
            skip()
            guard let key = string() else { return nil }
            skip()
            guard chars.popFirst() == ":" else { return nil }
            skip()
            if chars.first == "\"" {
                guard let value = string() else { return nil }
                result[key] = value
            } else {
                var raw = String.UnicodeScalarView()
                while let c = chars.first, c != ",", c != "}", c != " ", c != "\n" { raw.append(chars.removeFirst()) }
                let value = String(raw)
                guard value == "true" || value == "false" || value == "null" || Double(value) != nil else { return nil }
                result[key] = value
            }
            skip()
            guard let c = chars.popFirst() else { return nil }
            if c == "}" { break }
            guard c == "," else { return nil }
        }
        skip()
        return chars.isEmpty ? result : nil
    }
}
