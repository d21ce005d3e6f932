/// What a test needed before it could check anything, and did not get: a program that would not run or
/// end, a server that would not start.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
