import Foundation
import GatehouseServer

/// Loads the configuration for a command, printing every problem with its key path.
enum ConfigLoading {
    static func load(argument: String?) throws -> GatehouseConfiguration {
        let loader = ConfigurationLoader()
        let path = loader.filePath(argument: argument)
        do {
            return try loader.load(fileAt: path)
        } catch {
            for problem in error.problems {
                FileHandle.standardError.write(Data("\(path): \(problem)\n".utf8))
            }
            throw CleanFailure()
        }
    }
}

/// A failure already explained on stderr: exit 1 without another message.
struct CleanFailure: Error {}
