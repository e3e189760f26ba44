import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Starting and stopping the browser process: posix_spawn with the DevTools pipes on
// descriptors 3 and 4, a process group of its own, and a bounded stop by pid.
extension Chromium {
    static let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func spawn(_ executable: String, profile: TemporaryFolder, width: Int, height: Int) throws -> Chromium {
        // Both pipes start close-on-exec; the child's ends are moved above 3 and 4 first, so
        // dup2 onto 3 and 4 cannot overwrite one with the other.
        var commandPipe: [Int32] = [0, 0], answerPipe: [Int32] = [0, 0]
        guard LibC.pipe2(&commandPipe) == 0 else { throw Failure.system("pipe2", errno) }
        guard LibC.pipe2(&answerPipe) == 0 else {
            close(commandPipe[0]); close(commandPipe[1])
            throw Failure.system("pipe2", errno)
        }
        let childIn = fcntl(commandPipe[0], F_DUPFD_CLOEXEC, 10), childOut = fcntl(answerPipe[1], F_DUPFD_CLOEXEC, 10)
        close(commandPipe[0]); close(answerPipe[1])
        defer { close(childIn); close(childOut) }
        guard childIn >= 0, childOut >= 0 else {
            close(commandPipe[1]); close(answerPipe[0])
            throw Failure.system("fcntl F_DUPFD_CLOEXEC", errno)
        }
        // A browser that dies must give EPIPE on our next write, not end the test process.
        _ = brokenPipesIgnored

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, profile.file("stdout").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, profile.file("stderr").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, childIn, 3)
        posix_spawn_file_actions_adddup2(&actions, childOut, 4)
        LibC.closeFrom(&actions, 5)

        // Its own process group, so stopping it reaches its renderer and helper processes;
        // default signal dispositions and an empty mask whatever the test process set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let arguments = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--user-data-dir=\(profile.file("profile").path)", "--no-first-run", "--no-default-browser-check",
                         "--window-size=\(width),\(height)", "--force-device-scale-factor=1", "--hide-scrollbars",
                         "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--disable-default-apps", "--disable-dev-shm-usage", "--mute-audio",
                         "--password-store=basic", "about:blank"]
        var environment = ProcessInfo.processInfo.environment
        // Crash reports and caches go to the profile folder, not the user's home.
        environment["XDG_CONFIG_HOME"] = profile.file("config").path
        environment["XDG_CACHE_HOME"] = profile.file("cache").path
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(commandPipe[1]); close(answerPipe[0])
            throw Failure.system("posix_spawn \(executable)", result)
        }
        return Chromium(pid: pid, profile: profile, commands: commandPipe[1], answers: answerPipe[0])
    }

    /// Closes the pipes (the browser quits when its command pipe ends), then SIGTERM to its
    /// process group and up to 5 s, then SIGKILL and up to 5 s more; removes the profile.
    /// Only the first call does anything (the descriptors are closed once).
    func stop() async {
        guard stopped.withLock({ stopped in defer { stopped = true }; return !stopped }) else { return }
        await onOwnThread { [self] in
            close(commands)
            close(answers)
            if !reaped(within: .seconds(3)) {
                kill(-pid, SIGTERM)
                if !reaped(within: .seconds(5)) {
                    kill(-pid, SIGKILL)
                    _ = reaped(within: .seconds(5))
                }
            }
            // Helpers that outlived the browser process are in its group too.
            kill(-pid, SIGKILL)
            profile.remove()
        }
    }

    func reaped(within limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { return true }
            usleep(20_000)
        }
        return false
    }
}

/// glibc calls Swift's Glibc module leaves out (they need _GNU_SOURCE), looked up at run
/// time, with a fallback when the C library lacks them.
private enum LibC {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static func symbol<F>(_ name: String, as type: F.Type) -> F? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: F.self) }
    }

    /// A pipe whose ends are close-on-exec from the start, so a process another test
    /// spawns meanwhile cannot inherit them.
    static func pipe2(_ fds: UnsafeMutablePointer<Int32>) -> Int32 {
        if let pipe2 = symbol("pipe2", as: Pipe2.self) { return pipe2(fds, O_CLOEXEC) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// The child closes every descriptor from `lowest` up (those the test process left
    /// open without close-on-exec), where the C library can.
    static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) {
        _ = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)?(actions, lowest)
    }
}
