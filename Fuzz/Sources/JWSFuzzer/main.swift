// The entry point: SwiftPM links an executable's own main, so libFuzzer's is not used and its
// driver is started here instead, with the usual libFuzzer command line.
import Foundation
import FuzzKeys

warmUpJWS()
exit(runFuzzer(CommandLine.arguments) { fuzzJWS($0, $1) })
