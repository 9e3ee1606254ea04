import CImageKernels

extension PixelView {
    /// Rows `rows` and columns `columns` of this image resized to `width × height` with PIL's
    /// antialiased BILINEAR (`RGBImage.resized(width:height:)`, byte for byte), as a view whose pixel
    /// (0, 0) is output pixel (`columns.lowerBound`, `rows.lowerBound`).
    ///
    /// Only what those outputs read is computed: the horizontal pass runs over the input rows the
    /// vertical pass needs, for the wanted columns only. A pass whose size does not change is skipped
    /// (PIL's rule), and with both skipped the result views this image's own pixels.
    func resized(width outputWidth: Int, height outputHeight: Int, rows: Range<Int>, columns: Range<Int>,
                 horizontalScratch: PixelScratch, verticalScratch: PixelScratch) -> PixelView {
        let horizontal = outputWidth == width ? nil : KernelAxis(inputSize: width, outputSize: outputWidth)
        let vertical = outputHeight == height ? nil : KernelAxis(inputSize: height, outputSize: outputHeight)
        let inputRows = vertical?.inputs(of: rows) ?? rows
        // After the horizontal pass: input rows `inputRows` of output columns `columns`, row 0 = inputRows' first.
        let across: PixelView
        if let horizontal {
            across = horizontalScratch.view(width: columns.count, height: inputRows.count)
            horizontal.withAxis { axis in
                dml_resample_horizontal(base + inputRows.lowerBound * stride, stride, Int32(inputRows.count),
                                        across.base, across.stride, axis, Int32(columns.lowerBound),
                                        Int32(columns.count))
            }
        } else {
            across = offset(left: columns.lowerBound, top: inputRows.lowerBound, width: columns.count,
                            height: inputRows.count)
        }
        guard let vertical else { return across }
        let result = verticalScratch.view(width: columns.count, height: rows.count)
        vertical.withAxis { axis in
            dml_resample_vertical(across.base, across.stride, Int32(inputRows.lowerBound), Int32(columns.count),
                                  result.base, result.stride, axis, Int32(rows.lowerBound), Int32(rows.count))
        }
        return result
    }
}
