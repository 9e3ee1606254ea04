// The umbrella module: `import MetricLearning` gives the core library — the engine, file formats, layers
// and models, losses, data, evaluation and training — and nothing optional. Modules that bring system
// dependencies of their own (MPI, the search service, ONNX export) are imported by name.
@_exported import MLData
@_exported import MLEngine
@_exported import MLEvaluation
@_exported import MLFormats
@_exported import MLLosses
@_exported import MLModels
@_exported import MLTraining
