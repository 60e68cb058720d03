// C++17 consumer of an installed rssignal, built twice by CMake: against
// rssignal::rssignal (librssignal.so) and rssignal::rssignal_static (.a).
//
// Installs a C++ handler for SIGUSR1, asks the run script (another process)
// to send a real SIGUSR1, waits for it on the wakeup fd with poll() and
// dispatches it with rs_signal_check().
#include <rssignal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

struct Failure {
    std::string what;
};

void check(bool ok, const char *what) {
    if (!ok) {
        rs_signal_error e{};
        rs_signal_last_error(&e);
        throw Failure{std::string(what) + " (last error: " + (e.message ? e.message : "none") + ")"};
    }
}

// The handler: a C++ object, reached through user_data.
struct Recorder {
    std::vector<int> seen;
    static int on_signal(int signum, void *user_data) noexcept {
        static_cast<Recorder *>(user_data)->seen.push_back(signum);
        return RS_SIGNAL_OK;
    }
};

std::optional<int> wait_wakeup(int fd) {
    pollfd p{fd, POLLIN, 0};
    int n;
    do {
        n = poll(&p, 1, 30000);
    } while (n < 0 && errno == EINTR);
    unsigned char byte = 0;
    if (n != 1 || read(fd, &byte, 1) != 1) return std::nullopt;
    return byte;
}

int run() {
    check(std::string_view(rs_signal_version()) == RSSIGNAL_VERSION_STRING, "version");
    int wake[2];
    check(pipe(wake) == 0, "pipe");
    for (int fd : wake) check(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0, "O_NONBLOCK");
    check(rs_signal_set_wakeup_fd(wake[1], 1, nullptr) == RS_SIGNAL_OK, "set_wakeup_fd");

    Recorder rec;
    const rs_signal_handler h{RS_SIGNAL_HANDLER_CALLBACK, &Recorder::on_signal, &rec};
    check(rs_signal_signal(RS_SIGUSR1, &h, nullptr) == RS_SIGNAL_OK, "signal(SIGUSR1)");

    std::printf("SEND SIGUSR1 %ld\n", static_cast<long>(getpid()));
    const auto byte = wait_wakeup(wake[0]);
    check(byte.has_value() && *byte == RS_SIGUSR1, "wakeup byte SIGUSR1");
    check(rec.seen.empty(), "no callback before the dispatch point");
    check(rs_signal_check() == RS_SIGNAL_OK, "rs_signal_check");
    check(rec.seen == std::vector<int>{RS_SIGUSR1}, "callback ran once for SIGUSR1");
    std::printf("callback ran at rs_signal_check() for %s\n", rs_signal_name(rec.seen.at(0)));

    // Statuses: a callback that "raises" with an application code.
    const rs_signal_handler raising{RS_SIGNAL_HANDLER_CALLBACK,
                                    [](int, void *) noexcept -> int { return RS_SIGNAL_EUSER - 1; }, nullptr};
    check(rs_signal_signal(RS_SIGUSR2, &raising, nullptr) == RS_SIGNAL_OK, "signal(SIGUSR2)");
    check(rs_signal_raise_signal(RS_SIGUSR2) == RS_SIGNAL_EUSER - 1, "raise_signal returns the callback's code");
    rs_signal_error err{};
    check(rs_signal_last_error(&err) == RS_SIGNAL_EUSER - 1 && err.signum == RS_SIGUSR2, "last error of the callback");

    const rs_signal_handler dfl{RS_SIG_DFL, nullptr, nullptr};
    check(rs_signal_signal(RS_SIGUSR1, &dfl, nullptr) == RS_SIGNAL_OK, "SIG_DFL");
    check(rs_signal_signal(RS_SIGUSR2, &dfl, nullptr) == RS_SIGNAL_OK, "SIG_DFL");
    check(rs_signal_finalize() == RS_SIGNAL_OK, "finalize");
    std::printf("OK\n");
    return 0;
}

}  // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    try {
        return run();
    } catch (const Failure &f) {
        std::fprintf(stderr, "check failed: %s\n", f.what.c_str());
        return 1;
    }
}
