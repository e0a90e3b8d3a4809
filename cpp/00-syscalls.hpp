// cpp/00-syscalls.hpp -- lesson 00: the first helpers that talk to the kernel.
// Assembly twin: asm/00-syscalls.s (same names, same results).
//
// Convention for every function the course writes: failure is reported the
// C way, as a negative number (-errno) -- never an exception -- so the C++
// and the assembly can be called and compared by the same tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace httpd {

// Fd -- owns one file descriptor and closes it when it goes out of scope
// (RAII).  The assembly has no destructors: there every path that leaves a
// function has to `close` by hand, which is exactly what this type saves.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    ~Fd() { reset(); }

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }  // give up ownership
    void reset();                                       // close now

private:
    int fd_ = -1;
};

// str_len -- bytes before the terminating NUL (what strlen does).
std::size_t str_len(const char* s);

// write_all -- write every byte, retrying short writes and EINTR.
// Returns 0 when everything was written, -errno on failure.
std::int64_t write_all(int fd, const void* buf, std::size_t len);

// format_u64 -- `value` in decimal into out (no NUL); returns the digit
// count.  out needs room for 20 bytes.
std::size_t format_u64(std::uint64_t value, char* out);

}  // namespace httpd
