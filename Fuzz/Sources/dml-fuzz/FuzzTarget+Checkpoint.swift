import MLTraining

extension FuzzTarget {
    /// A checkpoint file (the seeds hold metadata only): read, checksum and metadata validation, and
    /// the transforms its metadata names.
    static let checkpoint = FuzzTarget("checkpoint") { bytes in
        let folder = try ScratchFolder.holding([("last.safetensors", bytes)])
        let checkpoint = try Checkpoint.read(from: folder.appendingPathComponent("last.safetensors"))
        _ = (checkpoint.head, checkpoint.transforms.test(), checkpoint.model.embeddingSize)
    }
}
