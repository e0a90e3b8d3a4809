// tests/support/asm_exchange.hpp -- the target suite's side-by-side runs
// of the pipeline's steps (tests/asm/*_test.cpp): one assembly record
// (struct exchange, asm/api.h) and one C++ record (httpd::Exchange,
// cpp/exchange.hpp), the same inputs to both, and checks that every scalar
// field, every buffer byte and every byte written to the socket agree.
//
// How a step is run: the step gets a connected AF_UNIX socket at file
// descriptor kSock (the same number for both languages, so the records'
// sock fields can be compared); a helper thread plays the client: it
// writes the given request bytes, shuts its sending side, and reads
// everything the step writes until the step's side is closed.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "01-socket.hpp"
#include "03-parse.hpp"
#include "04-files.hpp"
#include "05-decode.hpp"
#include "06-traversal.hpp"
#include "07-ranges.hpp"
#include "08-listing.hpp"
#include "api.h"
#include "exchange.hpp"
#include "pipeline.hpp"
#include "support.hpp"

namespace testsupport {

// The largest method id: the number of lines of lessons/03-parse/methods.tsv
// (the assembly's METHOD_LAST, which only build/gen/methods.inc defines).
#define METHOD(id, name, text) +1
inline constexpr int kMethodLast = 0
#include "methods.def"
    ;
#undef METHOD

// A method id as the assembly's record holds it.
inline constexpr int method_id(httpd::Method m) { return static_cast<int>(m); }

// The descriptor every step's connection is put at (dup2), in both runs.
inline constexpr int kSock = 77;

// What the records' buffers hold before anything writes them: garbage, the
// same in both, so a stray write shows up as a difference.
inline constexpr unsigned char kGarbage = 0xa5;

// A step in both languages, by the name they share.
using AsmStep = int (*)(struct exchange*);
using CppStepFn = int (*)(httpd::Exchange&);
struct StepPair {
    const char* name;
    AsmStep a;
    CppStepFn c;
};
#define TWIN_STEP(name) ::testsupport::StepPair{#name, ::name, ::httpd::name}

}  // namespace testsupport

// step_by_method -- asm/httpd.s's, for the tests (the spine is not linked
// into them): the assembly's steps of the method's list (METAL_BY_METHOD,
// tests/support/pipeline.hpp), run as the spine's LIST_STEP lines run them.
inline int step_by_method(struct exchange* x) {
    std::vector<testsupport::AsmStep> list;
#define METAL_ASM_LIST_STEP(name) list.push_back(::name);
    METAL_BY_METHOD(x->req.method_id, x->req.path_len == 1 && x->req.path[0] == '*', METAL_ASM_LIST_STEP, [&] {
        for (testsupport::AsmStep step : list) {
            if (int r = step(x); r != STEP_NEXT) return r;
        }
        return 500;
    });
#undef METAL_ASM_LIST_STEP
}

namespace testsupport {

// The two records, each made the way the spine makes it (stack memory:
// here heap memory, its buffers filled with kGarbage) and set up by its start_exchange
// with sock = kSock.  Then, in the test's setup only, both requests are
// reset_request'ed, so that the request records can be compared from the
// start (the asm's would be garbage, the C++'s default-initialized).
class Records {
public:
    explicit Records(const char* docroot = ".") {
        acfg.port = 8080;
        acfg.docroot = docroot;
        acfg.deadline = DEADLINE_DEFAULT;       // lesson 10: what parse_command_line_10
        acfg.child_limit = CHILD_LIMIT_DEFAULT; // leaves without -t and -c (ccfg's defaults)
        // what lesson 06's open_docroot does at start-up (-1 if it is not a
        // directory); the file steps of lessons 04-05 never look at it
        owned_docroot_ = ::open(docroot, O_RDONLY | O_DIRECTORY);
        acfg.docroot_fd = owned_docroot_;
        ccfg.docroot = docroot;
        ccfg.docroot_fd = owned_docroot_;
        a.reset(new struct exchange);
        std::memset(static_cast<void*>(a.get()), kGarbage, sizeof(struct exchange));
        c.reset(new httpd::Exchange);
        // (after the constructor: the compiler may drop stores made before it)
        std::memset(c->extra, kGarbage, sizeof c->extra);
        std::memset(c->path, kGarbage, sizeof c->path);
        std::memset(c->buf, kGarbage, sizeof c->buf);
        start_exchange(a.get(), kSock, &acfg);
        httpd::start_exchange(*c, kSock, &ccfg);
        reset_request(&a->req);
        httpd::reset_request(c->req);
        // start_exchange zeroes read_len and linger (lesson 10): both
        // records agree
        c->linger = a->linger;
    }
    ~Records() {
        if (a && a->file_fd >= 0) ::close(static_cast<int>(a->file_fd));   // the spine's job
        if (owned_docroot_ >= 0) ::close(owned_docroot_);
    }
    Records(const Records&) = delete;
    Records& operator=(const Records&) = delete;

private:
    int owned_docroot_ = -1;

public:

    // The same request path (a slice of `p`) in both request records.
    void set_req_path(const char* p, std::size_t n) {
        a->req.path = p;
        a->req.path_len = n;
        c->req.path = std::string_view(p, n);
    }
    void set_is_head(bool v) {
        a->req.is_head = v ? 1 : 0;
        c->req.is_head = v;
    }
    void set_linger(std::uint64_t v) { a->linger = c->linger = v; }
    // x.head_len and x.read_len in both.
    void set_lengths(std::uint64_t head_len, std::uint64_t read_len) {
        a->head_len = c->head_len = head_len;
        a->read_len = c->read_len = read_len;
    }
    void set_method_id(int id) {
        a->req.method_id = static_cast<std::uint64_t>(id);
        c->req.method_id = static_cast<httpd::Method>(id);
    }
    // x.path and x.path_len in both (the bytes after them stay garbage).
    void set_path(const std::string& p) {
        std::memcpy(a->path, p.data(), p.size());
        std::memcpy(c->path, p.data(), p.size());
        a->path_len = c->path_len = p.size();
    }
    // x.extra and x.extra_len in both.
    void set_extra(const std::string& lines) {
        std::memcpy(a->extra, lines.data(), lines.size());
        std::memcpy(c->extra, lines.data(), lines.size());
        a->extra_len = c->extra_len = lines.size();
    }
    // The first bytes of x.buf in both.
    void set_buf(const std::string& bytes) {
        std::memcpy(a->buf, bytes.data(), bytes.size());
        std::memcpy(c->buf, bytes.data(), bytes.size());
    }

    struct config acfg {};
    httpd::Config ccfg;
    std::unique_ptr<struct exchange> a;
    std::unique_ptr<httpd::Exchange> c;
};

// One step's run: its result and the bytes it wrote to the connection.
struct StepRun {
    int result = -12345;
    std::string wrote;
};

// Run step(kSock) with a client on the other end that sends `input` and
// then shuts its sending side (input "" -- the client sent nothing).
// `client_gone`: the client has closed the connection before the step
// runs (writes fail with EPIPE; SIGPIPE is ignored meanwhile).
template <class F>
StepRun on_socket(const std::string& input, F&& step, bool client_gone = false) {
    StepRun run;
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        ADD_FAILURE() << "socketpair: " << std::strerror(errno);
        return run;
    }
    if (::dup2(fds[0], kSock) != kSock) {
        ADD_FAILURE() << "dup2: " << std::strerror(errno);
        return run;
    }
    ::close(fds[0]);
    struct sigaction ignore {}, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    if (client_gone) {
        ::close(fds[1]);
        run.result = step(kSock);
    } else {
        std::thread client([&] {
            if (!input.empty()) httpd::write_all(fds[1], input.data(), input.size());
            ::shutdown(fds[1], SHUT_WR);
            run.wrote = read_all(fds[1]);
        });
        run.result = step(kSock);
        ::close(kSock);   // the end of the response: the client's read ends
        client.join();
        ::close(fds[1]);
    }
    if (client_gone) ::close(kSock);
    ::sigaction(SIGPIPE, &old, nullptr);
    return run;
}

// "<offset into buf>" of a slice, or -1 when it points elsewhere (path "/"
// of "http://host") or nowhere.
inline long offset_in(const char* p, const char* buf, std::size_t size) {
    if (p == nullptr || p < buf || p > buf + size) return -1;
    return static_cast<long>(p - buf);
}

// A slice's bytes (nothing for a null pointer or length 0).
inline std::string bytes_of(const char* p, std::uint64_t n) { return n == 0 ? std::string() : std::string(p, n); }

// The request records agree: every slice (content, and offset into each
// record's own buf), the numbers, and the stored fields.
inline void expect_same_request(const struct exchange& a, const httpd::Exchange& c, const std::string& label) {
    const struct request& ra = a.req;
    const httpd::Request& rc = c.req;
    auto same_slice = [&](const char* what, const char* pa, std::uint64_t na, std::string_view vc) {
        EXPECT_EQ(bytes_of(pa, na), std::string(vc)) << label << ": req." << what;
        if (na != 0 && !vc.empty()) {
            EXPECT_EQ(offset_in(pa, a.buf, sizeof a.buf), offset_in(vc.data(), c.buf, sizeof c.buf))
                << label << ": req." << what << " points elsewhere";
        }
    };
    same_slice("method", ra.method, ra.method_len, rc.method);
    same_slice("target", ra.target, ra.target_len, rc.target);
    same_slice("path", ra.path, ra.path_len, rc.path);
    same_slice("query", ra.query, ra.query_len, rc.query);
    EXPECT_EQ(ra.method_id, static_cast<std::uint64_t>(rc.method_id)) << label << ": req.method_id";
    EXPECT_EQ(ra.version_minor, static_cast<std::uint64_t>(rc.version_minor)) << label << ": req.version_minor";
    EXPECT_EQ(ra.is_head, rc.is_head ? 1u : 0u) << label << ": req.is_head";
    EXPECT_EQ(ra.body_kind, static_cast<std::uint64_t>(rc.body_kind)) << label << ": req.body_kind";
    EXPECT_EQ(ra.content_length, rc.content_length) << label << ": req.content_length";
    ASSERT_EQ(ra.header_count, rc.header_count) << label << ": req.header_count";
    for (std::size_t i = 0; i < ra.header_count && i < REQ_MAX_HEADERS; ++i) {
        same_slice("headers[].name", ra.headers[i].name, ra.headers[i].name_len, rc.headers[i].name);
        same_slice("headers[].value", ra.headers[i].value, ra.headers[i].value_len, rc.headers[i].value);
    }
}

// Both descriptors are -1, or both are open on the same file.
inline void expect_same_file(std::int64_t fa, int fc, const std::string& label) {
    EXPECT_EQ(fa >= 0, fc >= 0) << label << ": file_fd " << fa << " vs " << fc;
    if (fa < 0 || fc < 0) {
        EXPECT_EQ(fa, -1) << label << ": file_fd";
        EXPECT_EQ(fc, -1) << label << ": file";
        return;
    }
    struct stat sa {}, sc {};
    ASSERT_EQ(::fstat(static_cast<int>(fa), &sa), 0) << label;
    ASSERT_EQ(::fstat(fc, &sc), 0) << label;
    EXPECT_EQ(sa.st_dev, sc.st_dev) << label << ": not the same file";
    EXPECT_EQ(sa.st_ino, sc.st_ino) << label << ": not the same file";
}

// The whole records agree: every scalar field, the three buffers byte for
// byte (garbage included: nobody wrote where the other did not), and the
// request record.
inline void expect_same_records(const Records& r, const std::string& label) {
    const struct exchange& a = *r.a;
    const httpd::Exchange& c = *r.c;
    EXPECT_EQ(a.sock, c.sock) << label << ": sock";
    EXPECT_EQ(a.sock, kSock) << label << ": sock";
    EXPECT_EQ(a.cfg, &r.acfg) << label << ": cfg";
    EXPECT_EQ(c.cfg, &r.ccfg) << label << ": cfg";
    EXPECT_EQ(a.status, c.status) << label << ": status";
    EXPECT_EQ(a.head_len, c.head_len) << label << ": head_len";
    EXPECT_EQ(a.read_len, c.read_len) << label << ": read_len";
    EXPECT_EQ(a.linger, c.linger) << label << ": linger";
    EXPECT_EQ(a.path_len, c.path_len) << label << ": path_len";
    expect_same_file(a.file_fd, c.file.get(), label);
    EXPECT_EQ(a.file_mode, c.file_mode) << label << ": file_mode";
    EXPECT_EQ(a.file_size, c.file_size) << label << ": file_size";
    EXPECT_EQ(a.type == nullptr, c.type == nullptr) << label << ": type";
    if (a.type != nullptr && c.type != nullptr) { EXPECT_STREQ(a.type, c.type) << label << ": type"; }
    EXPECT_EQ(a.body_first, c.body_first) << label << ": body_first";
    EXPECT_EQ(a.body_len, c.body_len) << label << ": body_len";
    EXPECT_EQ(a.extra_len, c.extra_len) << label << ": extra_len";
    EXPECT_TRUE(std::memcmp(a.extra, c.extra, sizeof a.extra) == 0) << label << ": extra[] differs";
    EXPECT_TRUE(std::memcmp(a.path, c.path, sizeof a.path) == 0) << label << ": path[] differs";
    EXPECT_TRUE(std::memcmp(a.buf, c.buf, sizeof a.buf) == 0) << label << ": buf[] differs";
    expect_same_request(a, c, label);
}

// Run one step on both records, each with a fresh connection whose client
// sends `input`; expect the same result, the same bytes written and the
// same records afterwards.  Returns the asm run.
inline StepRun step_both(Records& r, const StepPair& s, const std::string& input, const std::string& label,
                         bool client_gone = false) {
    StepRun ra = on_socket(input, [&](int) { return s.a(r.a.get()); }, client_gone);
    StepRun rc = on_socket(input, [&](int) { return s.c(*r.c); }, client_gone);
    std::string where = label + " [" + s.name + "]";
    EXPECT_EQ(ra.result, rc.result) << where;
    EXPECT_TRUE(ra.wrote == rc.wrote) << where << "\nasm wrote: " << ra.wrote.substr(0, 300)
                                      << "\ncpp wrote: " << rc.wrote.substr(0, 300);
    expect_same_records(r, where);
    return ra;
}

// answer_error on both, like the spine after a step stopped with `status`.
inline StepRun answer_both(Records& r, int status, const std::string& label) {
    StepRun ra = on_socket("", [&](int) {
        answer_error(r.a.get(), status);
        return 0;
    });
    StepRun rc = on_socket("", [&](int) {
        httpd::answer_error(*r.c, status);
        return 0;
    });
    std::string where = label + " [answer_error " + std::to_string(status) + "]";
    EXPECT_TRUE(ra.wrote == rc.wrote) << where << "\nasm wrote: " << ra.wrote.substr(0, 300)
                                      << "\ncpp wrote: " << rc.wrote.substr(0, 300);
    expect_same_records(r, where);
    return ra;
}

// linger_close on both, like the spine after the answer: a fresh
// connection whose client sends `input`, shuts its sending side and reads
// until the end.  StepRun.result = the bytes the asm dropped (the same as
// the C++'s, or the test fails).
inline StepRun linger_both(Records& r, const std::string& input, const std::string& label) {
    std::uint64_t da = 0, dc = 0;
    StepRun ra = on_socket(input, [&](int) {
        da = linger_close(r.a.get());
        return 0;
    });
    StepRun rc = on_socket(input, [&](int) {
        dc = httpd::linger_close(*r.c);
        return 0;
    });
    std::string where = label + " [linger_close]";
    EXPECT_EQ(da, dc) << where;
    EXPECT_TRUE(ra.wrote == rc.wrote) << where;
    expect_same_records(r, where);
    ra.result = static_cast<int>(da);
    return ra;
}

// What a whole pipeline run did: the result that stopped it (as the spine
// sees it) and everything the client received.
struct PipelineRun {
    int result = -12345;
    std::string response;
};

// The spine's handle_connection, on both records: the steps in order, the
// client's `request` offered to each (only the reading steps read it),
// comparing after every step; a step that stops with a status is answered
// with answer_error, and then linger_close runs, as the spine does from
// lesson 03 on.  A list that runs out means 500, as in the spine.
inline PipelineRun pipeline_both(Records& r, const std::vector<StepPair>& steps, const std::string& request,
                                 const std::string& label, bool answer_errors = true) {
    PipelineRun run;
    run.result = 500;
    for (const StepPair& s : steps) {
        StepRun sr = step_both(r, s, request, label);
        run.response += sr.wrote;
        if (sr.result != STEP_NEXT) {
            run.result = sr.result;
            break;
        }
    }
    if (answer_errors && run.result != STEP_DONE) run.response += answer_both(r, run.result, label).wrote;
    if (answer_errors) linger_both(r, request, label);
    return run;
}

// lesson_steps(N) -- lesson N's step list in both languages, from the one
// list the tests have (METAL_LESSON_STEPS, tests/support/pipeline.hpp),
// which tests/asm/spine_test.cpp checks against both spines.
inline std::vector<StepPair> lesson_steps(int lesson) {
    std::vector<StepPair> s;
#define METAL_TWIN_STEP(name) s.push_back(TWIN_STEP(name));
    METAL_LESSON_STEPS(lesson, METAL_TWIN_STEP);
#undef METAL_TWIN_STEP
    return s;
}


}  // namespace testsupport
