import Foundation

/// Training progress on the terminal: a progress bar with ETA, loss and images/s on a TTY, otherwise
/// one plain line every `lineEvery` iterations (for logs and pipes).
public final class ProgressReporter {
    private let isTerminal: Bool
    private let lineEvery: Int
    private var lastDraw = Date.distantPast
    private let isSilent: Bool

    /// A reporter writing to standard error; `lineEvery` applies when it is not a terminal.
    public convenience init(lineEvery: Int, isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.init(lineEvery: lineEvery, isTerminal: isTerminal, isSilent: false)
    }

    private init(lineEvery: Int, isTerminal: Bool, isSilent: Bool) {
        self.isTerminal = isTerminal
        self.lineEvery = lineEvery
        self.isSilent = isSilent
    }

    /// A reporter that writes nothing (the processes of a data-parallel run other than rank 0).
    public static var silent: ProgressReporter { ProgressReporter(lineEvery: 1, isTerminal: false, isSilent: true) }

    /// Reports iteration `done` of `total` in `epoch`, with the running means (accuracy shown when the loss
    /// has a classifier) and throughput.
    public func update(epoch: Int, epochs: Int, done: Int, total: Int,
                       means: (loss: Double, spce: Double, accuracy: Double?),
                       imagesPerSecond: Double, secondsLeft: Double) {
        let accuracy = means.accuracy.map { " acc \(Self.format($0))" } ?? ""
        let (loss, spce) = (means.loss, means.spce)
        if isTerminal {
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
            lastDraw = now
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r\u{1B}[2Kepoch \(epoch)/\(epochs) [\(bar)] \(done)/\(total) ETA \(Self.clock(secondsLeft)) "
                + "loss \(Self.format(loss)) spce \(Self.format(spce))\(accuracy) \(Int(imagesPerSecond)) img/s")
            if done == total { write("\n") }
        } else if done % lineEvery == 0 || done == total {
            write("epoch \(epoch)/\(epochs) iter \(done)/\(total) loss \(Self.format(loss)) spce \(Self.format(spce))\(accuracy) "
                + "\(Int(imagesPerSecond)) img/s, \(Self.clock(secondsLeft)) left\n")
        }
    }

    /// Prints a message on its own line.
    public func message(_ text: String) {
        write(text + "\n")
    }

    private func write(_ text: String) {
        guard !isSilent else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Seconds as h:mm:ss or m:ss.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
