// cpp/00-syscalls-main.cpp -- lesson 00's program, through libc.
//
//   syscalls-cpp [PATH]
//
// Assembly twin: asm/00-syscalls-main.s.  Both must print the same bytes.
// Here libc's wrappers make the system calls: `::write`, `::openat` and
// `::close` put the number in a register, trap, and turn the kernel's error
// report into "-1 and errno" -- the part the assembly does by hand.
#include "00-syscalls.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string_view>

namespace {

void say(std::string_view text) { httpd::write_all(1, text.data(), text.size()); }

void say_number(std::uint64_t value) {
    char digits[20];
    httpd::write_all(1, digits, httpd::format_u64(value, digits));
}

}  // namespace

int main(int argc, char** argv) {
    // choose_path: argv[1] if given, else a path that does not exist
    const char* path = argc >= 2 ? argv[1] : "/nonexistent/metal-httpd";

    // say_hello
    say("hello from metal-httpd: this line went through write(2)\n");

    // excerpt: open-path
    // open_path: the call that may fail.  (We don't wrap the fd in
    // httpd::Fd here, to keep the steps visible; later lessons do.)
    int fd = ::openat(AT_FDCWD, path, O_RDONLY);
    int error = fd < 0 ? errno : 0;   // read errno at once: later calls may change it
    // excerpt end

    // report
    say("openat(\"");
    say(path);
    say(error != 0 ? "\") failed: errno " : "\") succeeded: fd ");
    say_number(error != 0 ? static_cast<std::uint64_t>(error) : static_cast<std::uint64_t>(fd));
    say("\n");

    // finish
    if (error != 0) return error;     // status = errno (echo $? shows it)
    httpd::Fd owned(fd);              // closes it on the way out
    return 0;
}
