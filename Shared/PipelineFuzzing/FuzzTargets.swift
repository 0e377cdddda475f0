/// The fuzz targets of every decoder and parser of outside input that needs no gRPC (the Bigtable and Google
/// auth ones are in `PipelineFuzzingGoogle`, which adds them to these).
public enum FuzzTargets {
    public static let core: [FuzzTarget] =
        ProtobufFuzzTargets.all + ClickstreamFuzzTargets.all + SalesforceFuzzTargets.all + CDCFuzzTargets.all
        + HTTPFuzzTargets.all + AlertingFuzzTargets.all
}
