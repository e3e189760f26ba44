"""What /proc says about the server and the machine: CPU, RSS, descriptors."""
import os
import resource

CLK = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid):
    """User and system CPU seconds of a process (all its threads)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / CLK
    except (OSError, IndexError):
        return None


def proc_rss_mib(pid):
    """Resident set size of a process, MiB."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def proc_socket_fds(pid):
    """How many of a process's descriptors are sockets (its listeners and connections)."""
    try:
        count = 0
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:"):
                    count += 1
            except OSError:
                pass
        return count
    except OSError:
        return None


def proc_nofile(pid):
    """The descriptor limits a process runs with."""
    try:
        with open("/proc/%d/limits" % pid) as f:
            for line in f:
                if line.startswith("Max open files"):
                    fields = line.split()
                    return {"soft": fields[3], "hard": fields[4]}
    except OSError:
        pass
    return None


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / CLK   # user nice system irq softirq


def steal_seconds():
    """CPU seconds the hypervisor took from this machine since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[7] if len(fields) > 7 else 0) / CLK


def own_cpu_seconds():
    """CPU seconds of this process and its finished children (dnsperf, the built-in generator)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
