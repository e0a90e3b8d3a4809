// tests/support/refusals.hpp -- lesson 10's refused clients, for the
// native suite (tests/unit/10-hardening_test.cpp) and the target suite
// (tests/asm/10-hardening_test.cpp): a client refused the way
// serve_forever refuses one, driven through either language's functions.
#pragma once

#include <cstddef>
#include <string>
#include <unistd.h>

#include "10-hardening.hpp"
#include "support.hpp"

namespace testsupport {

// What a client that sent `request` reads from lesson 10's parent when it
// is refused, and whether the parent let go of it: refuse(conn) puts the
// connection into the table of refused clients `slots` (REFUSE_SLOTS
// records with .fd and .answered: httpd::Refusal or struct refusal), then
// wait() and tend() run as serve_forever runs wait_clients and
// tend_refusals, until the slot is answered; the client reads to the end
// (the 503 and the parent's FIN) and closes its side; the loop goes on
// until the slot is free again.  rounds: the loop's turns at most (each
// waits at most REFUSE_WAIT_MS, or returns at once when a byte moved).
struct Refused {
    std::string answer;    // all the client read
    bool freed = false;    // the slot was free again once the client had closed
};
template <class Slot, class Refuse, class Wait, class Tend>
Refused refused_client(const std::string& request, Slot* slots, std::size_t count, Refuse refuse, Wait wait,
                       Tend tend, int rounds = 200) {
    Refused out;
    Pair p;
    if (!request.empty()) {
        EXPECT_EQ(::write(p.fd[1], request.data(), request.size()), static_cast<ssize_t>(request.size()));
    }
    refuse(p.fd[0]);
    int conn = p.fd[0];
    p.fd[0] = -1;                                   // the table owns it now
    auto slot_of = [&]() -> Slot* {
        for (std::size_t i = 0; i < count; ++i)
            if (slots[i].fd == conn) return &slots[i];
        return nullptr;
    };
    for (int i = 0; i < rounds; ++i) {              // until it is answered
        Slot* s = slot_of();
        if (s == nullptr || s->answered != 0) break;
        wait();
        tend();
    }
    out.answer = read_all(p.fd[1]);                 // the 503, up to the parent's FIN
    ::close(p.fd[1]);                               // the client leaves
    p.fd[1] = -1;
    for (int i = 0; i < rounds && slot_of() != nullptr; ++i) {
        wait();
        tend();
    }
    out.freed = slot_of() == nullptr;
    return out;
}

// refused_cpp -- refused_client through the C++ functions, with a
// default Config (no -e DIR: lesson 09's built-in page).
inline Refused refused_cpp(const std::string& request) {
    httpd::Config cfg;
    httpd::Refusal table[httpd::kRefuseSlots];
    httpd::init_refusals(table);
    return refused_client(
        request, table, httpd::kRefuseSlots, [&](int conn) { httpd::refuse_client(conn, &cfg, table); },
        [&] { httpd::wait_clients(-1, table); }, [&] { httpd::tend_refusals(table, &cfg); });
}

}  // namespace testsupport
