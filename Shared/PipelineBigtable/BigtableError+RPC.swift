internal import GRPCCore

extension BigtableError {
    /// Maps whatever an RPC threw to a ``BigtableError`` with the gRPC status.
    ///
    /// The message names the method only: server messages go in the status, never payloads.
    static func from(_ error: any Error, method: String) -> BigtableError {
        if let error = error as? BigtableError { return error }
        if let rpc = error as? RPCError {
            let status = BigtableStatus(code: BigtableStatusCode(wireValue: Int32(rpc.code.rawValue)), message: rpc.message)
            return BigtableError(.rpcFailed, status: status, message: "\(method) failed")
        }
        if error is CancellationError {
            return BigtableError(.rpcFailed, status: BigtableStatus(code: .cancelled), message: "\(method) cancelled")
        }
        return BigtableError(
            .rpcFailed, status: BigtableStatus(code: .unknown, message: "\(type(of: error))"),
            message: "\(method) failed")
    }
}
