import CImageKernels
import MLEngine

/// A train pipeline of the shape `[Resize?, ColorJitter (no hue)?, RandomResizedCrop, RandomHorizontalFlip?]`
/// (the cub, sop, inshop and fashion-mnist presets) run as one pass that computes only the pixels the
/// crop reads, with output byte-identical to `ImagePipeline.tensor(from:using:)`.
///
/// The random draws come first and in the pipeline's order (the crop's region depends only on the
/// resized size), so the crop's window is known before any pixel is touched:
/// 1. the resize computes only the window's rows and columns — all of them when contrast is drawn, since
///    ImageEnhance.Contrast blends with the mean "L" of the whole image;
/// 2. the jitter runs as one `ColorProgram` over the window only;
/// 3. the crop is resized straight from the window and written as ToTensor's planes, mirrored if drawn.
/// Pixels are 4 bytes (R, G, B, X) so the C loops (`CImageKernels`) load one as a word, as Pillow does.
struct FusedPipeline: Sendable {
    let resize: Resize?
    let jitter: ColorJitter?
    let crop: RandomResizedCrop
    let flip: RandomHorizontalFlip?

    /// The fused form of `pipeline`, or nil when its steps do not have the shape above.
    init?(_ pipeline: ImagePipeline) {
        var steps = pipeline.steps[...]
        resize = steps.first as? Resize
        if resize != nil { steps = steps.dropFirst() }
        jitter = steps.first as? ColorJitter
        if let jitter {
            guard jitter.hue == nil else { return nil }
            steps = steps.dropFirst()
        }
        guard let crop = steps.first as? RandomResizedCrop else { return nil }
        self.crop = crop
        steps = steps.dropFirst()
        flip = steps.first as? RandomHorizontalFlip
        if flip != nil { steps = steps.dropFirst() }
        guard steps.isEmpty else { return nil }
    }

    /// Per-thread buffers, reused from image to image (`source` for the decoded image).
    final class Scratch {
        let source = PixelScratch()
        let across = PixelScratch()
        let resized = PixelScratch()
        let cropAcross = PixelScratch()
        let cropped = PixelScratch()

        init() {}
    }

    /// Transforms `image` (4-byte pixels, changed in place) and writes ToTensor's [3, crop height, crop
    /// width] values to `target`.
    func write(_ image: PixelView, using generator: inout SeededGenerator, scratch: Scratch,
               to target: UnsafeMutablePointer<Float>) {
        let (height, width) = resize?.outputSize(height: image.height, width: image.width) ?? (image.height, image.width)
        let adjustments = jitter?.adjustments(using: &generator) ?? []
        let region = crop.region(imageHeight: height, imageWidth: width) { generator.nextUnit() }
        let mirrored = flip.map { generator.nextUnit() < $0.probability } ?? false

        // The crop's window: the region's rows and columns its resize reads.
        let cropHorizontal = crop.width == region.width ? nil : KernelAxis(inputSize: region.width, outputSize: crop.width)
        let cropVertical = crop.height == region.height ? nil : KernelAxis(inputSize: region.height, outputSize: crop.height)
        let windowColumns = shifted(cropHorizontal?.inputRange ?? 0..<region.width, by: region.left)
        let windowRows = shifted(cropVertical?.inputRange ?? 0..<region.height, by: region.top)
        let whole = adjustments.contains { if case .contrast = $0 { true } else { false } }
        let rows = whole ? 0..<height : windowRows, columns = whole ? 0..<width : windowColumns
        let resized = image.resized(width: width, height: height, rows: rows, columns: columns,
                                    horizontalScratch: scratch.across, verticalScratch: scratch.resized)
        if !adjustments.isEmpty {
            let program = ColorProgram(adjustments, image: resized)
            program.apply(to: resized.offset(left: windowColumns.lowerBound - columns.lowerBound,
                                             top: windowRows.lowerBound - rows.lowerBound,
                                             width: windowColumns.count, height: windowRows.count))
        }
        let regionView = resized.offset(left: region.left - columns.lowerBound, top: region.top - rows.lowerBound,
                                        width: region.width, height: region.height)
        let output = regionView.resized(width: crop.width, height: crop.height, rows: 0..<crop.height,
                                        columns: 0..<crop.width, horizontalScratch: scratch.cropAcross,
                                        verticalScratch: scratch.cropped)
        dml_planar_floats(output.base, output.stride, Int32(output.width), Int32(output.height), mirrored ? 1 : 0,
                          target)
    }

    private func shifted(_ range: Range<Int>, by offset: Int) -> Range<Int> {
        (range.lowerBound + offset)..<(range.upperBound + offset)
    }
}
