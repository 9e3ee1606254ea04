import ArgumentParser
import MetricLearning

extension Precision: ExpressibleByArgument {}
