import MLDistributed
import MLFormats

extension Check {
    /// Each collective with rank-dependent values (see `CollectivesTests` for what each rank must get).
    func collectives() throws {
        var file = SafeTensorsFile()
        let broadcast = try communicator.broadcast(variable: rank == 1 ? [1.5, 2.5, Float(rank)] : [], from: 1)
        file.add(floats: broadcast, shape: [broadcast.count], named: "broadcast")
        let values = [Double(rank + 1), Double(rank * 10)]
        for (name, operation) in [("sum", ReductionOperation.sum), ("max", .maximum), ("min", .minimum)] {
            file.add(floats: try communicator.allReduce(values, operation).map(Float.init), shape: [2], named: name)
        }
        let gathered = try communicator.allGather((0...rank).map { rank * 100 + $0 }).flatMap { $0 }
        try file.add(integers: gathered, named: "allgather")
        if let parts = try communicator.gather((0..<(2 - rank % 2)).map { Float(rank) + 0.25 * Float($0) }, to: 0) {
            file.add(floats: parts.flatMap { $0 }, shape: [parts.flatMap { $0 }.count], named: "gather")
        }
        try file.add(integers: [communicator.size], named: "size")
        try write(file)
    }
}
