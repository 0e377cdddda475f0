internal import BigtableProto
internal import GRPCCore

/// The rows of one ReadRows stream, pulled as the caller iterates (back-pressured: a large
/// scan never buffers more than one response message).
///
/// Only valid inside the closure passed to
/// ``BigtableClient/readRows(table:rows:filter:limit:_:)``.
public struct BigtableRowSequence: AsyncSequence, Sendable {
    public typealias Element = BigtableRow

    let responses: RPCAsyncSequence<Google_Bigtable_V2_ReadRowsResponse, any Error>

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(responses: responses.makeAsyncIterator())
    }

    /// Feeds each response's chunks through a ``ReadRowsStateMachine``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var responses: RPCAsyncSequence<Google_Bigtable_V2_ReadRowsResponse, any Error>.AsyncIterator
        private var machine = ReadRowsStateMachine()
        private var chunks: [Google_Bigtable_V2_ReadRowsResponse.CellChunk] = []
        private var nextChunk = 0
        private var finished = false

        init(responses: RPCAsyncSequence<Google_Bigtable_V2_ReadRowsResponse, any Error>.AsyncIterator) {
            self.responses = responses
        }

        /// The next complete row, or nil at the end of the stream.
        ///
        /// - Throws: `BigtableError` (`.rpcFailed`, or `.invalidReadRowsResponse` when the
        ///   chunks break the protocol or the stream ends inside a row).
        public mutating func next() async throws -> BigtableRow? {
            while !finished {
                while nextChunk < chunks.count {
                    let chunk = ReadRowsChunk(chunks[nextChunk])
                    nextChunk += 1
                    if let row = try machine.process(chunk) { return row }
                }
                let response: Google_Bigtable_V2_ReadRowsResponse?
                do {
                    response = try await responses.next()
                } catch {
                    throw BigtableError.from(error, method: "ReadRows")
                }
                guard let response else {
                    finished = true
                    try machine.finish()
                    return nil
                }
                chunks = response.chunks
                nextChunk = 0
            }
            return nil
        }
    }
}
