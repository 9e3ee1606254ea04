import CMalloc

/// glibc allocator settings for image pipelines.
///
/// Decoded images and their intermediates are Swift arrays of hundreds of kilobytes. With glibc's
/// defaults such blocks are mmap'd or trimmed back to the OS when freed, so every image page-faults its
/// buffers in again (measured: a quarter of the data benchmark's CPU time in the kernel). Tensors avoid
/// this through `CachingAllocator`; for arrays the fix is process-wide.
public enum ProcessMemory {
    /// Keeps freed blocks of up to 32 MiB (glibc's maximum) in the heap and trims only above 256 MiB free at its top
    /// (`mallopt` M_MMAP_THRESHOLD, M_TRIM_THRESHOLD). Call once at start-up of a data-heavy command;
    /// idempotent. Returns false where glibc is not the allocator or refused the settings.
    @discardableResult
    public static func retainFreedBlocks() -> Bool {
        cmalloc_set_thresholds(32 << 20, 256 << 20) == 1
    }
}
