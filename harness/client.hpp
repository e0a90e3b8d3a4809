// harness/client.hpp -- the client side of one fixture: connect to
// 127.0.0.1:PORT, send the request the way the fixture says (all at once,
// in chunks with pauses, N bytes per write), optionally half-close, then
// read until the server closes the connection or the time is up.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace harness {

// What happened on one connection.
struct Exchange {
    bool connected = false;
    std::string error;        // connect error, or why sending/reading stopped
    std::string received;     // every byte the server sent
    bool closed = false;      // the server closed the connection (read returned 0)
    bool reset = false;       // ... or reset it (ECONNRESET)
    bool timed_out = false;   // neither happened before the deadline
    bool client_reset = false;   // we reset it ourselves (reset_after_bytes)
    long elapsed_ms = 0;
};

// Connects to 127.0.0.1:port within timeout_ms; returns the socket or -1
// (with `error` set).
int connect_local(int port, int timeout_ms, std::string& error);

// Sends the fixture's request (chunks / split_bytes / half_close) and reads
// the answer.  Never throws; every problem is recorded in the Exchange.
Exchange exchange(int port, const Fixture& f);

// Connections opened before the main request ("background_clients"): each
// sends its bytes and stays open until hold_ms has passed or release() is
// called, whichever comes first.
class BackgroundClients {
public:
    BackgroundClients(int port, const std::vector<BackgroundClient>& clients);
    ~BackgroundClients();
    // Closes every connection now (the main request is done).
    void release();
    // Problems opening them (reported with the fixture).
    const std::vector<std::string>& problems() const { return problems_; }

private:
    void close_due(bool all);   // closes connections whose time is up

    std::mutex mu_;
    std::condition_variable cv_;
    bool released_ = false;
    std::vector<int> fds_;
    std::vector<long> close_at_;
    std::vector<std::string> problems_;
    std::thread closer_;       // closes each connection at its hold_ms
};

}  // namespace harness
