import NIOCore
import NIOPosix
import Logging
import ServiceLifecycle
import Atomics
enum _WarmServer {}
