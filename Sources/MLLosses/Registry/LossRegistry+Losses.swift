extension LossRegistry {
    /// The losses that train a classifier, proxies or centres; they take plain random batches.
    static let classificationLosses: [LossEntry] = [
        LossEntry(
            name: "cross_entropy", kind: .classification,
            summary: "The paper's head: dropout, Linear classifier, label-smoothed cross-entropy",
            parameters: [.init("smoothing", "0.1", "label smoothing ε"), .init("dropout", "0", "dropout on the embedding"),
                         .init("normalize_weight", "false", "L2-normalise the classifier's weight rows")]
        ) { reader, context in
            try SmoothCrossEntropyLoss(
                classes: context.classes, embeddingSize: context.embeddingSize, smoothing: try reader.double("smoothing"),
                dropout: try reader.double("dropout"), normalizesWeight: try reader.bool("normalize_weight"), seed: context.seed)
        },
        LossEntry(
            name: "normalized_softmax", kind: .classification, summary: "PML NormalizedSoftmaxLoss",
            parameters: [.init("temperature", "0.05", "softmax temperature")]
        ) { reader, context in
            try NormalizedSoftmaxLoss(classes: context.classes, embeddingSize: context.embeddingSize,
                                      temperature: try reader.double("temperature"), seed: context.seed)
        },
        LossEntry(
            name: "arcface", kind: .classification, summary: "PML ArcFaceLoss",
            parameters: [.init("margin", "28.6", "angular margin in degrees"), .init("scale", "64", "logit scale")]
        ) { reader, context in
            try ArcFaceLoss(classes: context.classes, embeddingSize: context.embeddingSize, margin: try reader.double("margin"),
                            scale: try reader.double("scale"), seed: context.seed)
        },
        LossEntry(
            name: "proxy_nca", kind: .classification, summary: "PML ProxyNCALoss",
            parameters: [.init("softmax_scale", "1", "scale of the negative distances")] + ParameterInfo.distance("lp", power: 2)
        ) { reader, context in
            try ProxyNCALoss(classes: context.classes, embeddingSize: context.embeddingSize,
                             softmaxScale: try reader.double("softmax_scale"), distance: try reader.distance(), seed: context.seed)
        },
        LossEntry(
            name: "proxy_anchor", kind: .classification, summary: "PML ProxyAnchorLoss",
            parameters: [.init("margin", "0.1", "margin δ"), .init("alpha", "32", "scale α")]
        ) { reader, context in
            try ProxyAnchorLoss(classes: context.classes, embeddingSize: context.embeddingSize,
                                margin: try reader.double("margin"), alpha: try reader.double("alpha"), seed: context.seed)
        },
        LossEntry(name: "center", kind: .classification, summary: "½ mean ‖z − c_y‖² with learnable centres",
                  parameters: []) { _, context in
            try CenterLoss(classes: context.classes, embeddingSize: context.embeddingSize)
        },
        LossEntry(
            name: "spce", kind: .classification,
            summary: "The paper's simplified pairwise cross-entropy (class-sum prototypes of the batch)",
            parameters: [.init("present_only", "false", "softmax over the classes present in the batch only")]
        ) { reader, context in
            try SPCELoss(classes: context.classes, presentClassesOnly: try reader.bool("present_only"))
        },
    ]

    /// The losses over pairs or triplets of the batch; they default to the m-per-class sampler.
    static let pairwiseLosses: [LossEntry] = [
        LossEntry(
            name: "contrastive", kind: .pairwise, summary: "PML ContrastiveLoss",
            parameters: [.init("pos_margin", "0", "positive pairs farther than this are penalised"),
                         .init("neg_margin", "1", "negative pairs closer than this are penalised")]
                + ParameterInfo.distance("lp") + [ParameterInfo.reducer("avg_non_zero")]
        ) { reader, _ in
            ContrastiveLoss(positiveMargin: try reader.double("pos_margin"), negativeMargin: try reader.double("neg_margin"),
                            distance: try reader.distance(), reducer: try reader.reducer())
        },
        LossEntry(
            name: "triplet", kind: .pairwise, summary: "PML TripletMarginLoss",
            parameters: [.init("margin", "0.05", "margin on d(a,p) − d(a,n)"),
                         .init("swap", "false", "use the harder of d(a,n) and d(p,n)"),
                         .init("smooth_loss", "false", "softplus instead of the hinge")]
                + ParameterInfo.distance("lp") + [ParameterInfo.reducer("avg_non_zero")]
        ) { reader, _ in
            TripletMarginLoss(margin: try reader.double("margin"), swap: try reader.bool("swap"),
                              smoothLoss: try reader.bool("smooth_loss"), distance: try reader.distance(),
                              reducer: try reader.reducer())
        },
        LossEntry(
            name: "multi_similarity", kind: .pairwise, summary: "PML MultiSimilarityLoss", defaultMiner: "multi_similarity",
            parameters: [.init("alpha", "2", "positive scale α"), .init("beta", "50", "negative scale β"),
                         .init("base", "0.5", "similarity offset λ")]
                + ParameterInfo.distance("cosine") + [ParameterInfo.reducer("mean")]
        ) { reader, _ in
            MultiSimilarityLoss(alpha: try reader.double("alpha"), beta: try reader.double("beta"),
                                base: try reader.double("base"), distance: try reader.distance(), reducer: try reader.reducer())
        },
        LossEntry(
            name: "nca", kind: .pairwise, summary: "PML NCALoss",
            parameters: [.init("softmax_scale", "1", "scale of the distances")]
                + ParameterInfo.distance("lp", power: 2) + [ParameterInfo.reducer("mean")]
        ) { reader, _ in
            NCALoss(softmaxScale: try reader.double("softmax_scale"), distance: try reader.distance(), reducer: try reader.reducer())
        },
        LossEntry(
            name: "supcon", kind: .pairwise, summary: "PML SupConLoss",
            parameters: [.init("temperature", "0.1", "softmax temperature")]
                + ParameterInfo.distance("cosine") + [ParameterInfo.reducer("avg_non_zero")]
        ) { reader, _ in
            SupConLoss(temperature: try reader.double("temperature"), distance: try reader.distance(), reducer: try reader.reducer())
        },
        LossEntry(
            name: "circle", kind: .pairwise, summary: "PML CircleLoss (cosine similarity)",
            parameters: [.init("m", "0.4", "relaxation margin"), .init("gamma", "80", "scale γ"),
                         ParameterInfo.reducer("avg_non_zero")]
        ) { reader, _ in
            CircleLoss(m: try reader.double("m"), gamma: try reader.double("gamma"), reducer: try reader.reducer())
        },
    ]
}
