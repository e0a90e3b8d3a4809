// harness/client.cpp -- see client.hpp.
#include "client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "util.hpp"

namespace harness {

int connect_local(int port, int timeout_ms, std::string& error) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        error = std::string("socket: ") + std::strerror(errno);
        return -1;
    }
    // Each write() becomes its own TCP segment: split_bytes and chunks
    // really arrive in pieces instead of being merged by Nagle's algorithm.
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Connect without blocking forever: non-blocking connect + poll.
    int fl = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (rc < 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        rc = ::poll(&p, 1, timeout_ms);
        if (rc == 0) {
            error = "connect to 127.0.0.1:" + std::to_string(port) + " timed out";
            ::close(fd);
            return -1;
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err ? -1 : 0;
        errno = err;
    }
    if (rc < 0) {
        error = "connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, fl);
    return fd;
}

namespace {
// Writes all of `data`; false when the server stopped accepting bytes
// (it may have answered early and closed: that is not our error).
bool send_all(int fd, std::string_view data, std::string& error) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), 0);   // SIGPIPE is ignored in main
        if (n < 0) {
            if (errno == EINTR) continue;
            error = std::string("sending stopped: ") + std::strerror(errno) + " (the server closed early?)";
            return false;
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// The pieces to write, with the pause before each one.
std::vector<Chunk> plan(const Fixture& f) {
    if (f.split_bytes <= 0) return f.chunks;
    std::vector<Chunk> out;
    for (size_t i = 0; i < f.request.size(); i += static_cast<size_t>(f.split_bytes))
        out.push_back({f.request.substr(i, static_cast<size_t>(f.split_bytes)), i == 0 ? 0 : 2});
    return out;
}
}  // namespace

Exchange exchange(int port, const Fixture& f) {
    Exchange ex;
    long start = now_ms();
    long deadline = start + f.timeout_ms;
    int fd = connect_local(port, f.timeout_ms, ex.error);
    if (fd < 0) return ex;
    ex.connected = true;

    // Send, watching for early bytes from the server in between (a server
    // may answer 431 before the request is complete).
    bool sending = true;
    for (const auto& piece : plan(f)) {
        sleep_ms(piece.delay_ms);
        if (!send_all(fd, piece.data, ex.error)) {
            sending = false;
            break;
        }
    }
    if (sending && f.half_close) ::shutdown(fd, SHUT_WR);
    if (f.read_after_ms > 0) sleep_ms(f.read_after_ms);   // not reading meanwhile

    // Read until EOF, reset or the deadline.
    char buf[65536];
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) {
            ex.timed_out = true;
            break;
        }
        pollfd p{fd, POLLIN, 0};
        int rc = ::poll(&p, 1, static_cast<int>(std::min<long>(left, 1000)));
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) continue;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            ex.received.append(buf, static_cast<size_t>(n));
            if (f.reset_after_bytes > 0 && ex.received.size() >= static_cast<size_t>(f.reset_after_bytes)) {
                // a client that goes away mid-download: SO_LINGER 0 makes
                // close() send a reset (RST) instead of a FIN
                linger off{1, 0};
                ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof off);
                ex.client_reset = true;
                break;
            }
        } else if (n == 0) {
            ex.closed = true;
            break;
        } else if (errno != EINTR) {
            if (errno == ECONNRESET) ex.reset = true;
            else ex.error = std::string("read: ") + std::strerror(errno);
            break;
        }
    }
    ::close(fd);
    ex.elapsed_ms = now_ms() - start;
    return ex;
}

BackgroundClients::BackgroundClients(int port, const std::vector<BackgroundClient>& clients) {
    for (const auto& c : clients) {
        std::string err;
        int fd = connect_local(port, 2000, err);
        if (fd < 0) {
            problems_.push_back("background client: " + err);
            continue;
        }
        if (!c.send.empty() && !send_all(fd, c.send, err)) problems_.push_back("background client: " + err);
        fds_.push_back(fd);
        close_at_.push_back(now_ms() + c.hold_ms);
    }
    closer_ = std::thread([this] {
        std::unique_lock lock(mu_);
        while (!released_ && !fds_.empty()) {
            long next = *std::min_element(close_at_.begin(), close_at_.end());
            cv_.wait_for(lock, std::chrono::milliseconds(std::max<long>(0, next - now_ms())));
            close_due(released_);
        }
        close_due(true);
    });
    // Give the server a moment to accept them before the main request.
    sleep_ms(50);
}

void BackgroundClients::close_due(bool all) {
    long now = now_ms();
    for (size_t i = 0; i < fds_.size();) {
        if (all || close_at_[i] <= now) {
            ::close(fds_[i]);
            fds_.erase(fds_.begin() + static_cast<long>(i));
            close_at_.erase(close_at_.begin() + static_cast<long>(i));
        } else {
            ++i;
        }
    }
}

void BackgroundClients::release() {
    {
        std::lock_guard lock(mu_);
        released_ = true;
    }
    cv_.notify_all();
    if (closer_.joinable()) closer_.join();
}

BackgroundClients::~BackgroundClients() { release(); }

}  // namespace harness
