// harness/runner.cpp -- see runner.hpp.
#include "runner.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <ctime>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "tree.hpp"
#include "util.hpp"

namespace harness {

namespace {

// Shared-server fixtures are cut into batches of this many, each batch
// with its own server, so that several batches can run at the same time.
constexpr size_t kBatch = 12;

// A unit of work for the pool: some fixtures, one implementation, one
// server (none for "run" fixtures).
struct Task {
    size_t impl = 0;
    std::vector<size_t> fixtures;   // indexes into the results
};

std::string first_words(const std::string& s, size_t max) {
    return s.size() <= max ? s : s.substr(0, max);
}

// The table cell for an HTTP outcome.
std::string http_cell(const Exchange& ex, const Response& r) {
    if (!ex.connected) return "no conn";
    if (ex.received.empty()) return ex.timed_out ? "timeout" : "closed";
    if (!r.has_head) return "garbled " + std::to_string(ex.received.size()) + "B";
    return std::to_string(r.status) + " " + std::to_string(r.body.size()) + "B";
}

// The server's children that are still running (not zombies).
int running_children(pid_t pid) { return count_children(pid, false) - count_children(pid, true); }

// One HTTP fixture against a running server (all its repeats).
void run_http(const Fixture& f, Server& srv, Outcome& out) {
    // server_after.children counts the children the fixture leaves: a
    // server may have had one before it (a wrapper such as make sanitize's
    // leaves its `tee` as a child of the program it execs)
    int children_before = f.children_after ? running_children(srv.pid()) : 0;
    // body.file: read the file before the request ("as it was before").
    std::optional<std::string> file_before;
    if (f.expect.body && f.expect.body->kind == BodyExpect::Kind::File) {
        std::string content;
        if (tree::read_beneath(srv.docroot(), f.expect.body->value, content)) file_before = content;
    }
    std::optional<BackgroundClients> background;
    if (!f.background_clients.empty()) {
        background.emplace(srv.port(), f.background_clients);
        for (const auto& p : background->problems()) out.notes.push_back(p);
    }
    // "limit": the server's limit lowered now, restored for_ms later by a
    // thread of its own (a request may only be answered once it is back);
    // meanwhile the server's CPU time is measured
    std::thread limiter;
    std::vector<Assertion> limit_checks;   // written by the thread, read after join
    if (f.limit) {
        struct rlimit old{};
        std::string err;
        if (!lower_limit(srv.pid(), f.limit->resource, old, err)) {
            limit_checks.push_back({false, "could not lower the server's " + f.limit->resource + " limit: " + err});
        } else {
            long t0 = now_ms(), c0 = cpu_ticks(srv.pid());
            limiter = std::thread([&f, &srv, &limit_checks, old, t0, c0] {
                sleep_ms(f.limit->for_ms);
                long c1 = cpu_ticks(srv.pid()), t1 = now_ms();
                restore_limit(srv.pid(), f.limit->resource, old);
                limit_checks.push_back({true, "the server's " + f.limit->resource + " limit was lowered for " +
                                                  std::to_string(t1 - t0) + " ms, then restored"});
                if (!f.limit->cpu_below_percent) return;
                if (c0 < 0 || c1 < 0) {
                    limit_checks.push_back({false, "the server's CPU time cannot be read here"});
                    return;
                }
                long used_ms = (c1 - c0) * 1000 / cpu_ticks_per_second();
                long percent = used_ms * 100 / std::max(1L, t1 - t0);
                bool ok = percent < *f.limit->cpu_below_percent;
                limit_checks.push_back({ok, "the server used " + std::to_string(used_ms) + " ms of CPU in those " +
                                                std::to_string(t1 - t0) + " ms (" + std::to_string(percent) + " %" +
                                                (ok ? ", below " : ", expected below ") +
                                                std::to_string(*f.limit->cpu_below_percent) + " %)"});
            });
        }
    }
    // "signal": sent after_ms after the request starts, while it is in flight
    std::thread signaller;
    if (f.signal)
        signaller = std::thread([&f, &srv] {
            sleep_ms(f.signal->after_ms);
            if (f.signal->group) ::killpg(srv.pid(), f.signal->signo);   // Ctrl-C: the server and its children
            else ::kill(srv.pid(), f.signal->signo);                     // kill PID: the server alone
        });
    // a response to HEAD has no body (RFC 9110 §9.3.2); empty lines before
    // the request line do not count (RFC 9112 §2.2: servers skip them)
    std::size_t line = f.request.find_first_not_of("\r\n");
    bool head = line != std::string::npos && f.request.compare(line, 5, "HEAD ") == 0;
    for (int i = 1; i <= f.repeat; ++i) {
        Exchange ex = exchange(srv.port(), f);
        Response r = parse_response(ex.received, head, ex.closed || ex.reset);
        auto checks = check_http(f, ex, r, file_before, srv.docroot());
        bool ok = all_ok(checks);
        if (i == 1 || !ok || i == f.repeat) {
            out.exchange = ex;
            out.response = r;
            out.assertions = checks;
        }
        if (!ok) {
            if (f.repeat > 1) out.notes.push_back("response " + std::to_string(i) + " of " + std::to_string(f.repeat) + " failed");
            break;
        }
    }
    if (signaller.joinable()) signaller.join();
    if (limiter.joinable()) limiter.join();
    for (const auto& a : limit_checks) out.assertions.push_back(a);
    if (f.exit_after) {
        std::string how = f.signal->name + (f.signal->group ? " to its process group" : "");
        bool exited = srv.wait_exit(f.timeout_ms);
        bool ok = exited && WIFEXITED(srv.wait_status()) && WEXITSTATUS(srv.wait_status()) == *f.exit_after;
        out.assertions.push_back({ok, !exited ? "the server was still running " + std::to_string(f.timeout_ms) +
                                                    " ms after " + how + " (expected exit status " +
                                                    std::to_string(*f.exit_after) + ")"
                                              : "after " + how + " the server ended: " + srv.exit_description() +
                                                    (ok ? "" : " (expected exit status " + std::to_string(*f.exit_after) + ")")});
    }
    if (background) {
        background->release();
        // A follow-up request looks at what the background clients' children
        // left behind, and a child cleans up (a PUT's temporary file) only
        // once it sees its client close: wait until every child that is
        // still running has finished, up to ~2 s.
        for (int waited = 0; !f.then.empty() && waited < 2000; waited += 20) {
            if (count_children(srv.pid(), false) - count_children(srv.pid(), true) <= 0) break;
            sleep_ms(20);
        }
    }
    // "then": follow-up requests, each checked like a fixture of its own;
    // their assertions join the fixture's, labelled with their place
    for (std::size_t k = 0; k < f.then.size() && all_ok(out.assertions); ++k) {
        Fixture up = f;
        up.request = f.then[k].request;
        up.chunks = {{up.request, 0}};
        up.uses_chunks = false;
        up.split_bytes = 0;
        up.half_close = f.then[k].half_close;
        up.read_after_ms = 0;        // a follow-up is an ordinary client
        up.reset_after_bytes = 0;
        up.expect = f.then[k].expect;
        std::size_t at = up.request.find_first_not_of("\r\n");
        bool is_head = at != std::string::npos && up.request.compare(at, 5, "HEAD ") == 0;
        Exchange ex = exchange(srv.port(), up);
        Response r = parse_response(ex.received, is_head, ex.closed || ex.reset);
        std::string label = "then[" + std::to_string(k) + "] " + escape(first_words(up.request, up.request.find("\r\n"))) + ": ";
        for (Assertion a : check_http(up, ex, r, std::nullopt, srv.docroot())) {
            a.text = label + a.text;
            out.assertions.push_back(a);
        }
    }
    if (f.expect.log) {
        // a child writes its line after its answer: wait for the lines (up
        // to ~3 s), then a moment more, so that one too many shows too
        for (int waited = 0; waited < 3000; waited += 20) {
            if (log_lines(srv.stdout_text()).size() >= f.expect.log->size()) break;
            sleep_ms(20);
        }
        sleep_ms(150);
        for (const Assertion& a : check_log(*f.expect.log, srv.stdout_text(), static_cast<long long>(std::time(nullptr))))
            out.assertions.push_back(a);
    }
    if (f.zombies_after) {
        // Children exit a moment after the last response: allow up to ~1 s.
        int n = count_zombies(srv.pid());
        for (int waited = 0; n != *f.zombies_after && waited < 1000; waited += 20) {
            sleep_ms(20);
            n = count_zombies(srv.pid());
        }
        bool ok = n == *f.zombies_after;
        out.assertions.push_back({ok, "server has " + std::to_string(n) + " zombie children" +
                                          (ok ? "" : " (expected " + std::to_string(*f.zombies_after) + ")")});
    }
    if (f.children_after) {
        // A child ends a moment after its client left: allow up to ~2 s.
        auto running = [&] { return running_children(srv.pid()) - children_before; };
        int n = running();
        for (int waited = 0; n != *f.children_after && waited < 2000; waited += 20) {
            sleep_ms(20);
            n = running();
        }
        bool ok = n == *f.children_after;
        out.assertions.push_back({ok, "server has " + std::to_string(n) + " children still running" +
                                          (ok ? "" : " (expected " + std::to_string(*f.children_after) + ")")});
    }
    out.cell = http_cell(out.exchange, out.response);
}

void run_program_fixture(const Fixture& f, const Implementation& impl, Workspace& ws, Outcome& out) {
    std::string dir = ws.new_dir("run-" + impl.label);
    out.run = run_program(impl, f.run_args, dir, f.timeout_ms);
    out.assertions = check_run(f, out.run);
    out.server_command = (impl.emulated && impl.command.find("qemu") == std::string::npos ? "qemu-aarch64 " : "") + impl.command;
    for (const auto& a : f.run_args) out.server_command += " " + shell_quote(a);
    if (!out.run.started) out.cell = "no start";
    else if (out.run.timed_out) out.cell = "timeout";
    else if (WIFEXITED(out.run.wait_status)) out.cell = "exit " + std::to_string(WEXITSTATUS(out.run.wait_status));
    else out.cell = "sig " + std::to_string(WTERMSIG(out.run.wait_status));
}

// A server that died after answering `previous` fails that fixture: a
// server must survive every request.
void blame_dead_server(Server& srv, Outcome* previous, const Fixture* previous_fixture) {
    if (previous_fixture && previous_fixture->exit_after) return;   // it was asked to stop
    if (!previous || !previous->pass || srv.alive()) return;
    previous->pass = false;
    previous->assertions.push_back(
        {false, "the server was still running after this request (it died: " + srv.exit_description() + ")"});
    previous->notes.push_back("server stderr: " + escape(first_words(srv.stderr_tail(), 600)));
}

}  // namespace

std::string body_difference(const std::string& a, const std::string& b, const std::string& la, const std::string& lb) {
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    size_t from = i > 20 ? i - 20 : 0;
    size_t width = std::max(la.size(), lb.size());
    auto context = [&](const std::string& label, const std::string& s) {
        std::string part = escape(std::string_view(s).substr(std::min(from, s.size()), 40));
        return "\n  " + label + std::string(width - label.size(), ' ') + " " + (from > 0 ? "..." : "") + "\"" + part +
               "\"" + (from + 40 < s.size() ? "..." : "");
    };
    return "body bytes differ at byte " + std::to_string(i) + " (" + la + " " + std::to_string(a.size()) + "B, " + lb +
           " " + std::to_string(b.size()) + "B)" + context(la, a) + context(lb, b);
}

std::vector<std::string> compare_outcomes(const Fixture& f, const Outcome& a, const Outcome& b,
                                          const std::string& la, const std::string& lb) {
    std::vector<std::string> d;
    if (!a.ran || !b.ran) return d;
    if (f.is_run) {
        if (a.run.out != b.run.out) d.push_back("stdout differs");
        if (a.run.wait_status != b.run.wait_status)
            d.push_back("exit: " + la + " " + describe_wait_status(a.run.wait_status) + ", " + lb + " " +
                        describe_wait_status(b.run.wait_status));
        return d;
    }
    const Response& x = a.response;
    const Response& y = b.response;
    if (a.exchange.received.empty() != b.exchange.received.empty()) {
        d.push_back(std::string("only ") + (x.raw.empty() ? lb : la) + " answered");
        return d;
    }
    if (x.status != y.status)
        d.push_back("status: " + la + " " + std::to_string(x.status) + ", " + lb + " " + std::to_string(y.status));
    if (x.body != y.body) d.push_back(body_difference(x.body, y.body, la, lb));
    for (const auto& [name, he] : f.expect.headers) {
        // a clock's value ({"http_date": "now"}, and a field the same as
        // another: Last-Modified = Date) differs with the second each
        // server answered in: no news for a student
        if (he.kind == HeaderExpect::Kind::HttpDateNow || he.kind == HeaderExpect::Kind::SameAs) continue;
        auto hx = x.header(name), hy = y.header(name);
        if (hx != hy)
            d.push_back(name + ": " + la + " " + (hx ? "\"" + escape(*hx) + "\"" : "(none)") + ", " + lb + " " +
                        (hy ? "\"" + escape(*hy) + "\"" : "(none)"));
    }
    return d;
}

std::vector<FixtureResult> run_fixtures(const std::vector<const Fixture*>& fixtures,
                                        const std::vector<Implementation>& impls, Workspace& ws,
                                        const RunOptions& opt) {
    std::vector<FixtureResult> results(fixtures.size());
    for (size_t i = 0; i < fixtures.size(); ++i) {
        results[i].fixture = fixtures[i];
        results[i].outcomes.resize(impls.size());
    }

    // Build the tasks: per implementation, the shared batches and one task
    // per fixture that needs its own server (or is a program run).
    std::vector<Task> tasks;
    for (size_t k = 0; k < impls.size(); ++k) {
        std::vector<size_t> shared;
        for (size_t i = 0; i < fixtures.size(); ++i) {
            const Fixture& f = *fixtures[i];
            if (f.is_run || f.needs_own_server()) tasks.push_back({k, {i}});
            else shared.push_back(i);
        }
        for (size_t s = 0; s < shared.size(); s += kBatch)
            tasks.push_back({k, std::vector<size_t>(shared.begin() + static_cast<long>(s),
                                                    shared.begin() + static_cast<long>(std::min(shared.size(), s + kBatch)))});
    }
    // Slow tasks first (own servers with long holds or many repeats), so
    // the pool does not end waiting on one straggler.
    std::stable_sort(tasks.begin(), tasks.end(), [&](const Task& a, const Task& b) {
        auto weight = [&](const Task& t) {
            const Fixture& f = *fixtures[t.fixtures[0]];
            return (f.background_clients.empty() ? 0 : 2) + (f.repeat > 1 ? 1 : 0) + (t.fixtures.size() > 1 ? 1 : 0);
        };
        return weight(a) > weight(b);
    });

    std::atomic<size_t> next{0};
    std::atomic<bool> any_failed{false};
    auto worker = [&] {
        for (;;) {
            size_t t = next.fetch_add(1);
            if (t >= tasks.size()) return;
            const Task& task = tasks[t];
            const Implementation& impl = impls[task.impl];
            Server srv;
            bool started = false;
            Outcome* previous = nullptr;
            const Fixture* previous_fixture = nullptr;
            std::string start_error;   // once a start failed, the task does not retry
            for (size_t idx : task.fixtures) {
                const Fixture& f = *fixtures[idx];
                Outcome& out = results[idx].outcomes[task.impl];
                if (opt.fail_fast && any_failed) break;
                out.ran = true;
                if (f.is_run) {
                    run_program_fixture(f, impl, ws, out);
                } else {
                    // A server that died during the previous fixture is that
                    // fixture's failure; this one gets a fresh server.
                    if (started) blame_dead_server(srv, previous, previous_fixture);
                    if ((!started || !srv.alive()) && start_error.empty()) {
                        srv.stop();
                        std::string dir = ws.new_dir(impl.label);
                        try {
                            prepare_docroot(opt.site, dir + "/site", f.docroot);
                            started = srv.start(impl, f.flags, dir + "/site", dir, opt.start_timeout_ms);
                            start_error = started ? "" : srv.error();
                        } catch (const std::exception& e) {
                            started = false;
                            start_error = e.what();
                        }
                    }
                    out.server_command = srv.command_line();
                    if (!started) {
                        out.cell = "no start";
                        out.assertions.push_back({false, "the server did not start: " + start_error});
                    } else {
                        run_http(f, srv, out);
                        if (!f.exit_after && !srv.alive()) {
                            out.assertions.push_back({false, "the server was still running after this request (it died: " +
                                                                 srv.exit_description() + ")"});
                            out.notes.push_back("server stderr: " + escape(first_words(srv.stderr_tail(), 600)));
                        }
                    }
                }
                out.pass = all_ok(out.assertions) && !out.assertions.empty();
                if (!out.pass) any_failed = true;
                previous = &out;
                previous_fixture = &f;
            }
            // A crash right after the last response shows up a moment later.
            if (started && previous && previous->pass) {
                sleep_ms(100);
                blame_dead_server(srv, previous, previous_fixture);
            }
            srv.stop();
        }
    };
    std::vector<std::thread> pool;
    size_t n = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(opt.jobs), tasks.size()));
    for (size_t i = 0; i < n; ++i) pool.emplace_back(worker);
    for (auto& th : pool) th.join();

    for (auto& r : results)
        for (size_t k = 1; k < impls.size(); ++k)
            for (auto& d : compare_outcomes(*r.fixture, r.outcomes[0], r.outcomes[k], impls[0].label, impls[k].label))
                r.differences.push_back(d);
    return results;
}

}  // namespace harness
