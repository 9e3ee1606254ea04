/// swift-argument-parser reads every argument that starts with "-" as an option name, so a negative
/// value given as its own argument never reached the option: `--lr -1` failed with "Missing value for
/// '--lr <lr>'". Before parsing, `dml` attaches each negative number that follows an option name to it
/// (`--lr=-1`, `-k=-1`), which the parser reads as that option's value: every numeric option of every
/// subcommand then accepts a negative number, and its own checks refuse one with their own message
/// ("--lr must be positive, got -1.0", "The value '-1' is invalid for '--seed <seed>'").
enum NegativeNumberArguments {
    /// `arguments` with each negative number after an option name attached to it with "=".
    static func attached(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { return result + arguments[index...] }
            let next = arguments.index(after: index)
            if isOptionName(argument), next < arguments.endIndex, isNegativeNumber(arguments[next]) {
                result.append(argument + "=" + arguments[next])
                index = arguments.index(after: next)
            } else {
                result.append(argument)
                index = next
            }
        }
        return result
    }

    /// "-1", "-0.5", "-1e-3", "-inf", "-nan": what `Double` reads, with a minus sign.
    static func isNegativeNumber(_ argument: String) -> Bool {
        argument.hasPrefix("-") && Double(argument) != nil
    }

    /// "--name" or "-n", without an attached value.
    private static func isOptionName(_ argument: String) -> Bool {
        argument.hasPrefix("-") && argument.count > 1 && !argument.contains("=") && !isNegativeNumber(argument)
    }
}
