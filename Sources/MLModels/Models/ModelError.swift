/// A model could not be built from its settings; each case names what was wrong.
public enum ModelError: Error, CustomStringConvertible {
    /// A name (feature norm, …) not in the list of valid ones.
    case unknownName(kind: String, name: String, valid: [String])
    /// A setting out of range or inconsistent with another.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .unknownName(kind, name, valid):
            "unknown \(kind) '\(name)'; valid: \(valid.joined(separator: ", "))"
        case let .invalidSetting(message):
            message
        }
    }
}
