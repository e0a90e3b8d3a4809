// harness/wrong-server.cpp -- a tiny HTTP server that obeys the server
// contract (BINARY [flags] [PORT [DOCROOT]], binds 127.0.0.1, prints
// "listening on http://127.0.0.1:PORT/", one response per connection, then
// close) and answers wrongly on request, so the harness's own tests can
// check that it notices.  Flags:
//   -s CODE     answer with this status instead of 200
//   -d NAME     drop this header (Server, Content-Length, Content-Type, ...)
//   -b TEXT     answer with this body instead of "hello\n"
//   -x          exit (crash) right after answering
//   -n          never answer: read the request, then keep the connection open
//   -q          close without answering
//   -o          answer with the file right outside DOCROOT, DOCROOT/../secret.txt
//               (what a server that lets `..` through would send)
//   -u          answer in a forked child, as the lesson servers do, which
//               then reads a heap block it has freed: a bug the client never
//               sees and only AddressSanitizer reports (tests/harness/
//               sanitize_test.cpp runs this file built with the sanitizers)
//   -U          the same with a signed overflow, which UBSan reports
// Without flags: 200, "hello\n", Server, Content-Type, Content-Length,
// Connection: close.  A HEAD request gets the same head and no body.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Options {
    int status = 200;
    std::vector<std::string> drop;
    std::string body = "hello\n";
    bool crash = false, never = false, quiet = false, outside = false;
    char bug = 0;   // -u, -U: 'u' a use after free, 'U' a signed overflow, after answering
};

bool dropped(const Options& o, const char* name) {
    for (const auto& d : o.drop)
        if (strcasecmp(d.c_str(), name) == 0) return true;
    return false;
}

void write_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
        ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n <= 0) return;
        off += static_cast<size_t>(n);
    }
}

void serve(int c, const Options& o) {
    // Read until the empty line (or EOF).
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos && req.find("\n\n") == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
    }
    if (req.empty() || o.quiet) return;
    if (o.never) {
        while (::read(c, buf, sizeof buf) > 0) {
        }
        return;
    }
    std::string head = "HTTP/1.1 " + std::to_string(o.status) + " Whatever\r\n";
    if (!dropped(o, "Server")) head += "Server: metal-httpd\r\n";
    if (!dropped(o, "Content-Type")) head += "Content-Type: text/plain; charset=utf-8\r\n";
    if (!dropped(o, "Content-Length")) head += "Content-Length: " + std::to_string(o.body.size()) + "\r\n";
    if (!dropped(o, "Connection")) head += "Connection: close\r\n";
    head += "\r\n";
    write_all(c, head + (req.rfind("HEAD ", 0) == 0 ? "" : o.body));
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        std::string f = argv[i];
        if (f == "-s" && i + 1 < argc) o.status = std::atoi(argv[++i]);
        else if (f == "-d" && i + 1 < argc) o.drop.push_back(argv[++i]);
        else if (f == "-b" && i + 1 < argc) o.body = argv[++i];
        else if (f == "-x") o.crash = true;
        else if (f == "-n") o.never = true;
        else if (f == "-q") o.quiet = true;
        else if (f == "-o") o.outside = true;
        else if (f == "-u") o.bug = 'u';
        else if (f == "-U") o.bug = 'U';
        else {
            std::fprintf(stderr, "wrong-server: unknown flag %s\n", argv[i]);
            return 2;
        }
    }
    int port = i < argc ? std::atoi(argv[i]) : 8080;
    if (o.outside) {
        std::string docroot = i + 1 < argc ? argv[i + 1] : ".";
        std::ifstream in(docroot + "/../secret.txt", std::ios::binary);
        std::stringstream all;
        all << in.rdbuf();
        o.body = all.str();
    }
    ::signal(SIGPIPE, SIG_IGN);
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s, 16) != 0) {
        std::perror("wrong-server: bind/listen");
        return 1;
    }
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    std::printf("listening on http://127.0.0.1:%d/\n", ntohs(a.sin_port));
    std::fflush(stdout);
    for (;;) {
        int c = ::accept(s, nullptr, nullptr);
        if (c < 0) continue;
        if (o.bug) {
            ::signal(SIGCHLD, SIG_IGN);   // no zombies
            if (::fork() == 0) {
                ::close(s);
                serve(c, o);   // the response is out; the client waits for the close
                if (o.bug == 'u') {
                    char* volatile block = new char[8]();   // volatile: the compiler cannot see the bug coming
                    delete[] block;
                    volatile char freed = block[0];   // heap-use-after-free
                    (void)freed;
                } else {
                    volatile int big = 0x7fffffff, one = 1;   // volatile: computed when it runs
                    volatile int more = big + one;              // signed integer overflow
                    (void)more;
                }
                ::_exit(0);
            }
            ::close(c);
            continue;
        }
        serve(c, o);
        ::close(c);
        if (o.crash) std::abort();

    }
}
