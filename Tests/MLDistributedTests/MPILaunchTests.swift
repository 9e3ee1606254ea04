@testable import MLDistributed
import Testing

@Suite struct MPILaunchTests {
    @Test func aPlainProcessIsNoLaunch() throws {
        #expect(try MPILaunch.detect(["PATH": "/usr/bin", "HOME": "/root"]) == nil)
    }

    @Test func openMPIsVariablesGiveSizeAndRank() throws {
        let launch = try MPILaunch.detect(["OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_RANK": "3"])
        #expect(launch == MPILaunch(launcher: "Open MPI", size: 4, rank: 3))
        #expect(launch?.isParallel == true)
    }

    @Test func pmiAndSlurmVariablesAreRead() throws {
        #expect(try MPILaunch.detect(["PMI_SIZE": "2", "PMI_RANK": "0"]) == MPILaunch(launcher: "PMI", size: 2, rank: 0))
        #expect(try MPILaunch.detect(["SLURM_STEP_NUM_TASKS": "8", "SLURM_PROCID": "5"])
                == MPILaunch(launcher: "Slurm", size: 8, rank: 5))
    }

    @Test func oneProcessIsNotParallel() throws {
        #expect(try MPILaunch.detect(["OMPI_COMM_WORLD_SIZE": "1", "OMPI_COMM_WORLD_RANK": "0"])?.isParallel == false)
    }

    @Test func aMalformedVariableIsAnErrorNamingIt() throws {
        #expect(throws: DistributedError.launch("OMPI_COMM_WORLD_RANK=2 is not a rank among OMPI_COMM_WORLD_SIZE=2 processes")) {
            try MPILaunch.detect(["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "2"])
        }
        #expect(throws: DistributedError.launch("PMI_SIZE=two is not a process count")) {
            try MPILaunch.detect(["PMI_SIZE": "two", "PMI_RANK": "0"])
        }
    }
}
