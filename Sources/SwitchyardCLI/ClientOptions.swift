import ArgumentParser

/// Options every client command shares: where the admin API is and its token.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Admin API of the running server.", valueName: "url"))
    var admin: String = "http://127.0.0.1:5380"

    @Option(name: .long, help: ArgumentHelp("File holding the admin bearer token (when the server was started with --admin-token-file).", valueName: "file"))
    var tokenFile: String?

    func client() throws -> AdminClient {
        try AdminClient(admin: admin, tokenFile: tokenFile)
    }
}

/// The identity recorded with an override: the user and host running the command.
enum Requester {
    static var current: String {
        let user = ProcessInfoUser.name
        return "\(user)@\(ProcessInfoUser.host) (cli)"
    }
}
