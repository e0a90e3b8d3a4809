// cpp/00-syscalls.cpp -- lesson 00 helpers.  Assembly twin: asm/00-syscalls.s.
#include "00-syscalls.hpp"

#include <cerrno>
#include <unistd.h>

namespace httpd {

void Fd::reset() {
    if (fd_ >= 0) {
        ::close(fd_);   // close(2) can fail, but there is nothing left to do about it
        fd_ = -1;
    }
}

std::size_t str_len(const char* s) {
    const char* cursor = s;
    while (*cursor != '\0') ++cursor;   // walk to the NUL
    return static_cast<std::size_t>(cursor - s);
}

std::int64_t write_all(int fd, const void* buf, std::size_t len) {
    const char* cursor = static_cast<const char*>(buf);
    std::size_t left = len;
    while (left > 0) {
        ssize_t n = ::write(fd, cursor, left);
        if (n < 0) {
            if (errno == EINTR) continue;   // interrupted by a signal: try again
            return -errno;                  // our convention: -errno
        }
        cursor += n;                        // a short write is not an error:
        left -= static_cast<std::size_t>(n);  // just write the rest
    }
    return 0;
}

std::size_t format_u64(std::uint64_t value, char* out) {
    char scratch[20];                 // digits come out lowest first,
    char* digit = scratch + 20;       // so fill the scratch backwards
    do {
        *--digit = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);             // "do ... while": 0 still prints "0"
    std::size_t count = static_cast<std::size_t>(scratch + 20 - digit);
    for (std::size_t i = 0; i < count; ++i) out[i] = digit[i];   // copy forwards
    return count;
}

}  // namespace httpd
