extension DatasetSplit {
    /// The images at `indices` (in that order) as a split called `name`, their labels renumbered to
    /// 0..<C in ascending order of the original labels (the numbering a classifier over them needs); class
    /// names follow their labels.
    public func subset(_ indices: [Int], name: String) -> DatasetSplit {
        let labels = ContiguousLabels.of(indices.map { self.labels[$0] })
        let source: ImageSource
        switch self.source {
        case .files(let root, let paths):
            source = .files(root: root, paths: indices.map { paths[$0] })
        case .preloaded(let root, let paths, let contents):
            source = .preloaded(root: root, paths: indices.map { paths[$0] }, contents: indices.map { contents[$0] })
        case .decoded(let root, let paths, let images):
            source = .decoded(root: root, paths: indices.map { paths[$0] }, images: indices.map { images[$0] })
        case .grey(let images):
            source = .grey(GreyImages(width: images.width, height: images.height,
                                      pixels: Array(indices.map { images[$0] }.joined())))
        }
        let names = classNames.map { names in ContiguousLabels.names(indices.map { self.labels[$0] }) { names[$0] } }
        return DatasetSplit(name: name, labels: labels, source: source, classNames: names)
    }
}
