import PipelineMessages
import SalesforceRouting

/// A `salesforce.cdc` record as the cdc-router takes it: protobuf decoding, then the validation that guards
/// row keys, column names and SOQL.
enum CDCFuzzTargets {
    static let all = [changeEvent]

    static let changeEvent = FuzzTarget(
        name: "cdc.change-event", summary: "ChangeEvent(decoding:) then ChangeEventValidator.check",
        seeds: ProtobufSeeds.changeEvents.map { $0.encode() }, maximumInputBytes: 2048
    ) { bytes in
        let event: ChangeEvent
        do throws(MessageDecodingError) {
            event = try ChangeEvent(decoding: bytes)
        } catch {
            return .rejection(kind: "MessageDecodingError.\(error.reason)", message: error.description)
        }
        return FuzzOutcome.checking(
            kind: { (rejection: CDCRejection) in "CDCRejection.\(rejection.reason)" },
            { () throws(CDCRejection) in try ChangeEventValidator().check(event) },
            contract: { checked in
                // Only canonical 18-character ids go on to row keys.
                checked.recordIDs.allSatisfy { $0.utf8.count == 18 } ? nil : "a non-canonical record id passed"
            })
    }
}
