public import Logging
public import PipelineHTTP

extension GoogleAccessTokenSource {
    /// Picks credentials the way Google's Application Default Credentials do, for the two kinds Tributary
    /// deploys with: the key file named by `GOOGLE_APPLICATION_CREDENTIALS`, else the metadata server (at
    /// `GCE_METADATA_HOST` when set, as Google's libraries honour it).
    /// - Parameters:
    ///   - environment: The process environment, read once by the caller's entry point.
    ///   - scopes: OAuth2 scopes; Bigtable data and table admin by default.
    ///   - client: The HTTP client for token requests.
    ///   - logger: For the choice made (at `info`) and refreshes.
    /// - Throws: ``GoogleAuthError`` when the named key file is unusable; the metadata path cannot fail here.
    public static func applicationDefault(
        environment: [String: String], scopes: [String] = GoogleScopes.bigtable, client: HTTPClient, logger: Logger
    ) throws(GoogleAuthError) -> GoogleAccessTokenSource {
        let credentials: any GoogleCredentials
        if let keyFile = environment["GOOGLE_APPLICATION_CREDENTIALS"], !keyFile.isEmpty {
            credentials = try ServiceAccountCredentials(keyFile: keyFile, scopes: scopes, client: client)
        } else {
            let host = environment["GCE_METADATA_HOST"].flatMap { $0.isEmpty ? nil : $0 }
            credentials = MetadataServerCredentials(
                host: host ?? MetadataServerCredentials.defaultHost, scopes: scopes, client: client)
        }
        logger.info("using Google credentials", metadata: ["auth.credentials": "\(credentials.logDescription)"])
        return GoogleAccessTokenSource(credentials: credentials, logger: logger)
    }
}
