import Foundation
import MetricLearning

let checkpoint = try Checkpoint.read(from: URL(fileURLWithPath: "runs/fm/best.safetensors"))
let embedder = try checkpoint.makeEmbedder(workers: 1)      // its model, test transform and batch size
let test = try Dataset.load(.fashionMNIST, at: nil).split("test")
let embeddings = try embedder.embed(test)                   // [n, 512] with labels
let neighbors = try ExactSearch.neighbors(queries: embeddings.values, k: 5, distance: .cosine)
print(neighbors.indices(of: 0), neighbors.values.prefix(5)) // image 0's nearest images and similarities
