import Foundation
import Testing
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Debian's `chromium`, headless, driven over the Chrome DevTools Protocol on a pipe
/// (`--remote-debugging-pipe`: it reads commands on its descriptor 3 and writes answers
/// and events on 4, each a JSON object ended by a NUL octet). Only what the browser tests
/// need: open a page, evaluate script in it, take a screenshot. Every wait is bounded; the
/// browser runs in a process group of its own, stopped by its pid with its temporary
/// profile removed.
final class Chromium: Sendable {
    static let executable: String? = ExternalTool.find("chromium")
    /// For `.enabled(if:)`.
    static var available: Bool { executable != nil }
    static let missing = "needs a headless browser: install the Debian package chromium"

    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case timedOut(String)
        case closed(String)
        case protocolError(String)
        var description: String {
            switch self {
            case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
            case .timedOut(let what): return "chromium did not answer \(what) in time"
            case .closed(let output): return "chromium closed its pipe; its output:\n\(output)"
            case .protocolError(let message): return "chromium: \(message)"
            }
        }
    }

    let pid: pid_t
    let profile: TemporaryFolder
    /// Our ends of the pipes: we write commands, read answers.
    let commands: Int32
    let answers: Int32
    /// The attached page's session; the pending octets of a message not yet ended.
    let state = Mutex<(session: String?, nextID: Int, pending: [UInt8])>((nil, 1, []))
    let stopped = Mutex(false)

    init(pid: pid_t, profile: TemporaryFolder, commands: Int32, answers: Int32) {
        self.pid = pid
        self.profile = profile
        self.commands = commands
        self.answers = answers
    }

    /// Starts the browser and opens a blank page in a window of `width`×`height`.
    static func launch(width: Int = 1280, height: Int = 900) async throws -> Chromium {
        guard let executable else { throw Failure.protocolError(missing) }
        let profile = try TemporaryFolder(prefix: "chromium")
        let browser: Chromium
        do { browser = try spawn(executable, profile: profile, width: width, height: height) } catch {
            profile.remove()
            throw error
        }
        do {
            let target = try await browser.call("Target.createTarget", ["url": "about:blank"], page: false)
            guard let id = target["targetId"] as? String else { throw Failure.protocolError("no targetId in \(target)") }
            let attached = try await browser.call("Target.attachToTarget", ["targetId": id, "flatten": true], page: false)
            guard let session = attached["sessionId"] as? String else { throw Failure.protocolError("no sessionId in \(attached)") }
            browser.state.withLock { $0.session = session }
            // The window's size includes what headless keeps of the browser's frame; the
            // page itself gets exactly width×height.
            _ = try await browser.call("Emulation.setDeviceMetricsOverride",
                                       ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
            return browser
        } catch {
            await browser.stop()
            throw error
        }
    }

    // MARK: Protocol

    /// Sends one command (to the page's session unless `page` is false) and returns its
    /// result, skipping the events that come before it.
    func call(_ method: String, _ parameters: [String: Any] = [:], page: Bool = true,
              timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        let data = try await callData(method, JSONSerialization.data(withJSONObject: parameters), page: page, timeout: timeout)
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    private func callData(_ method: String, _ parameters: Data, page: Bool, timeout: Duration) async throws -> Data {
        try await onThread { try self.callBlocking(method, parameters, page: page, timeout: timeout) }
    }

    private func callBlocking(_ method: String, _ parameters: Data, page: Bool, timeout: Duration) throws -> Data {
        let (id, session) = state.withLock { state -> (Int, String?) in
            defer { state.nextID += 1 }
            return (state.nextID, page ? state.session : nil)
        }
        var message: [String: Any] = ["id": id, "method": method,
                                      "params": try JSONSerialization.jsonObject(with: parameters)]
        if let session { message["sessionId"] = session }
        try write(Array(try JSONSerialization.data(withJSONObject: message)) + [0], timeout: timeout, what: method)
        let deadline = ContinuousClock.now + timeout
        // Bounded: the deadline, and at most 100 000 events before the answer.
        for _ in 0..<100_000 {
            let reply = try readMessage(until: deadline, what: method)
            guard let object = (try? JSONSerialization.jsonObject(with: Data(reply))) as? [String: Any],
                  object["id"] as? Int == id else { continue }
            if let error = object["error"] as? [String: Any] {
                throw Failure.protocolError("\(method): \(error["message"] ?? error)")
            }
            return try JSONSerialization.data(withJSONObject: object["result"] ?? [:])
        }
        throw Failure.timedOut(method)
    }

    private func write(_ bytes: [UInt8], timeout: Duration, what: String) throws {
        var offset = 0
        let deadline = ContinuousClock.now + timeout
        while offset < bytes.count {
            guard try wait(for: commands, events: Int16(POLLOUT), until: deadline) else { throw Failure.timedOut(what) }
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(commands, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw errno == EPIPE ? Failure.closed(output) : Failure.system("write", errno)
            }
            offset += written
        }
    }

    /// The next NUL-ended message from the browser.
    private func readMessage(until deadline: ContinuousClock.Instant, what: String) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let message = state.withLock({ state -> [UInt8]? in
                guard let end = state.pending.firstIndex(of: 0) else { return nil }
                defer { state.pending.removeSubrange(...end) }
                return Array(state.pending[..<end])
            }) { return message }
            guard try wait(for: answers, events: Int16(POLLIN), until: deadline) else { throw Failure.timedOut(what) }
            let count = chunk.withUnsafeMutableBytes { read(answers, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw count == 0 ? Failure.closed(output) : Failure.system("read", errno) }
            state.withLock { $0.pending += chunk[..<count] }
        }
    }

    private func wait(for fd: Int32, events: Int16, until deadline: ContinuousClock.Instant) throws -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(max(1, min(left.seconds * 1000, 1000))))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { throw Failure.system("poll", errno) }
        }
    }

    // MARK: What the tests use

    /// Loads `url` in the page (returns once the navigation has committed).
    func navigate(_ url: String) async throws {
        let result = try await call("Page.navigate", ["url": url])
        if let error = result["errorText"] as? String { throw Failure.protocolError("navigating to \(url): \(error)") }
    }

    /// The value of `expression` in the page (a promise is awaited), as JSON decoded to `T`.
    func evaluate<T: Decodable & Sendable>(_ expression: String, as type: T.Type = T.self,
                                           timeout: Duration = .seconds(10)) async throws -> T {
        let result = try await call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true],
                                    timeout: timeout)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let text = (exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? exception
            throw Failure.protocolError("script threw: \(text)")
        }
        let value = (result["result"] as? [String: Any])?["value"] ?? NSNull()
        let data = try JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Runs `source` in every document the page loads from now on, before its own scripts.
    func addScriptOnLoad(_ source: String) async throws {
        _ = try await call("Page.enable")
        _ = try await call("Page.addScriptToEvaluateOnNewDocument", ["source": source])
    }

    /// Launches a browser, runs `body` with it, and stops it whether `body` threw or not.
    static func with<T: Sendable>(width: Int = 1280, height: Int = 900, _ body: (Chromium) async throws -> T) async throws -> T {
        let browser = try await launch(width: width, height: height)
        do {
            let result = try await body(browser)
            await browser.stop()
            return result
        } catch {
            await browser.stop()
            throw error
        }
    }

    /// A PNG of the page's viewport, base64 as the protocol gives it.
    func screenshot() async throws -> String {
        let result = try await call("Page.captureScreenshot", ["format": "png"], timeout: .seconds(20))
        guard let data = result["data"] as? String, !data.isEmpty else { throw Failure.protocolError("no screenshot data") }
        return data
    }

    /// What the browser wrote to stderr and stdout (for failure messages).
    var output: String {
        ["stderr", "stdout"].compactMap { try? String(contentsOf: profile.file($0), encoding: .utf8) }
            .filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// The suites that start a real browser, one at a time: each chromium is several
/// processes that load both cores for a second or two, and the suite's timing-sensitive
/// tests (probes, flips) run beside them.
@Suite(.serialized) enum BrowserSuites {}
