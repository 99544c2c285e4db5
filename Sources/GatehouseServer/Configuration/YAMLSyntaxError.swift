import Yams

/// Why text is not YAML, with its position but without the text around it.
struct YAMLSyntaxError: Error {
    var message: String

    init(message: String, mark: Yams.Mark? = nil) {
        if let mark {
            self.message = "\(message) (line \(mark.line), column \(mark.column))"
        } else {
            self.message = message
        }
    }

    init(_ error: YamlError) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            self.init(message: "not valid YAML: \(problem)", mark: mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            self.init(
                message: "duplicate key \(duplicates.joined(separator: ", ")) in one mapping",
                mark: context.mark
            )
        case .reader(let problem, _, _, _):
            self.init(message: "not readable as YAML: \(problem)")
        case .dataCouldNotBeDecoded:
            self.init(message: "not UTF-8 text")
        default:
            self.init(message: "not valid YAML")
        }
    }
}
