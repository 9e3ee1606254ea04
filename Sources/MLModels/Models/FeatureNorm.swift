/// The neck's feature normalisation (DESIGN §3), both without affine parameters.
public enum FeatureNorm: String, Codable, Sendable, CaseIterable {
    /// None.
    case none
    /// `BatchNorm1d(affine: false)`.
    case batch
    /// `LayerNorm(affine: false)`.
    case layer

    /// The normalisation called `name`; throws the list of valid names otherwise.
    public static func named(_ name: String) throws -> FeatureNorm {
        guard let value = FeatureNorm(rawValue: name) else {
            throw ModelError.unknownName(kind: "feature norm", name: name, valid: allCases.map(\.rawValue))
        }
        return value
    }
}
