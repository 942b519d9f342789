import ZeroMQ

/// What `krakenbridge --version` prints: the release, the git commit the binary was built from
/// (BuildInfo, written by the build plugin) and the libzmq it runs with.
enum Version {
    static let release = "0.1.0"

    static var line: String {
        let zmq = ZMQLibrary.version
        return "krakenbridge \(release) (commit \(BuildInfo.commit), libzmq \(zmq.major).\(zmq.minor).\(zmq.patch))"
    }
}
