import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive right to write into a run folder: a POSIX record lock (`fcntl(F_SETLK)`) on the folder's
/// `.lock` file, held until `release()` or deinitialisation. The kernel drops the lock with the process, so a
/// run killed with `kill -9` never leaves its folder locked; the file itself stays (empty) in the folder.
///
/// A POSIX lock names its holder (`F_GETLK` reports the pid), so a refused process can say which one writes
/// the folder. Such locks do not conflict within one process, so locks held by this process are also kept in
/// a table by the lock file's device and inode: a second trainer of the same folder in the same process is
/// refused too.
public final class RunFolderLock: @unchecked Sendable {
    /// The locked folder.
    public let folder: RunFolder
    /// Whether taking the lock created the folder (so a run that fails before writing anything can remove it).
    public let createdFolder: Bool
    private var descriptor: Int32
    private let identity: FileIdentity

    /// Creates `folder` (and its parents) when missing and locks it; throws naming the folder when it cannot
    /// be created or another process (by pid and command line) or this one holds it.
    public init(_ folder: RunFolder) throws {
        self.folder = folder
        let path = folder.url.path
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed && !isDirectory.boolValue {
            throw TrainingError.invalidRun("cannot use \(path) as the run folder: it is a file")
        }
        try folder.create()
        createdFolder = !existed
        let lockPath = folder.lockFile.path
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TrainingError.invalidRun("cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw TrainingError.invalidRun("cannot read \(lockPath): \(message)")
        }
        identity = FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        guard Self.heldHere.insert(identity) else {
            close(descriptor)
            throw TrainingError.invalidRun("the run folder \(path) is in use by this process (another trainer writes into it)")
        }
        var lock = Self.wholeFile(F_WRLCK)
        if fcntl(descriptor, F_SETLK, &lock) != 0 {
            let code = errno
            var conflict = Self.wholeFile(F_WRLCK)
            let pid = fcntl(descriptor, F_GETLK, &conflict) == 0 && conflict.l_type != F_UNLCK ? conflict.l_pid : nil
            close(descriptor)
            Self.heldHere.remove(identity)
            guard code == EAGAIN || code == EACCES else {
                throw TrainingError.invalidRun("cannot lock \(lockPath): \(String(cString: strerror(code)))")
            }
            let holder = pid.map { pid in "process \(pid)" + (Self.commandLine(of: pid).map { " (\($0))" } ?? "") }
            throw TrainingError.invalidRun("the run folder \(path) is in use by \(holder ?? "another process"); "
                + "wait for it to end or stop it first")
        }
    }

    deinit { release() }

    /// Gives up the lock (idempotent).
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)  // closing the descriptor drops the process's lock on the file
        descriptor = -1
        Self.heldHere.remove(identity)
    }

    /// Whether this lock is still held.
    public var isHeld: Bool { descriptor >= 0 }

    /// Releases the lock and, when taking it created the folder and nothing but the lock file was written
    /// since, removes the folder again: a run that could not start leaves nothing behind.
    public func abandon() {
        let path = folder.url.path
        let untouched = createdFolder && (try? FileManager.default.contentsOfDirectory(atPath: path)) == [RunFolder.lockFileName]
        if untouched { unlink(folder.lockFile.path) }
        release()
        if untouched { rmdir(path) }
    }

    /// An `fcntl` lock description of `type` covering the whole file.
    private static func wholeFile(_ type: Int32) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        return lock
    }

    /// Process `pid`'s command line from `/proc` (nil where there is none).
    private static func commandLine(of pid: pid_t) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.joined(separator: " ")
    }

    /// A file by device and inode.
    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// The lock files this process holds.
    private static let heldHere = HeldLocks()

    private final class HeldLocks: @unchecked Sendable {
        private let mutex = NSLock()
        private var identities: Set<FileIdentity> = []

        /// Adds `identity`; false when this process holds it already.
        func insert(_ identity: FileIdentity) -> Bool { mutex.withLock { identities.insert(identity).inserted } }

        func remove(_ identity: FileIdentity) { _ = mutex.withLock { identities.remove(identity) } }
    }
}
