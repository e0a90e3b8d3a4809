// harness/lint.cpp -- see lint.hpp.
#include "lint.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "tree.hpp"

namespace harness {

namespace fs = std::filesystem;

std::string fold_case(std::string_view name) {
    std::string out(name);
    for (size_t i = 0; i < out.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c - 'A' + 'a');
        // U+00C0..U+00DE (not U+00D7, the multiplication sign) is C3 80..C3 9E;
        // the lower-case letter is 0x20 further on.
        unsigned char next = i + 1 < out.size() ? static_cast<unsigned char>(out[i + 1]) : 0;
        if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) out[++i] = static_cast<char>(next + 0x20);
    }
    return out;
}

namespace {
// directory ("" for the docroot, else "a/b") -> the names in it.
using Tree = std::map<std::string, std::set<std::string>>;

void add_path(Tree& t, const std::string& rel) {
    std::string dir;
    size_t i = 0;
    while (i < rel.size()) {
        size_t j = rel.find('/', i);
        if (j == std::string::npos) j = rel.size();
        std::string n = rel.substr(i, j - i);
        i = j + 1;
        if (n.empty() || n == ".") continue;
        t[dir].insert(n);
        dir = dir.empty() ? n : dir + "/" + n;
    }
}

void remove_path(Tree& t, const std::string& rel) {
    size_t slash = rel.find_last_of('/');
    std::string dir = slash == std::string::npos ? "" : rel.substr(0, slash);
    std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    if (t.count(dir)) t[dir].erase(name);
    for (auto it = t.begin(); it != t.end();)
        it = it->first == rel || it->first.rfind(rel + "/", 0) == 0 ? t.erase(it) : std::next(it);
}
}  // namespace

std::vector<std::string> case_collisions(const Fixture& f, const std::string& site) {
    Tree t;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(site, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        add_path(t, fs::relative(it->path(), site).generic_string());
    for (const auto& c : f.docroot) {
        if (c.absent) {
            remove_path(t, c.path);
            continue;
        }
        add_path(t, c.path);
        if (c.many)
            for (uint64_t i = 0; i < c.many->count; ++i) add_path(t, c.path + "/" + c.many->name(i));
    }
    std::vector<std::string> out;
    for (const auto& [dir, names] : t) {
        std::map<std::string, std::vector<std::string>> by_fold;
        for (const auto& n : names) by_fold[fold_case(n)].push_back(n);
        for (const auto& [folded, same] : by_fold) {
            if (same.size() < 2) continue;
            std::string line = (dir.empty() ? std::string("/") : dir + "/") + ":";
            for (const auto& n : same) line += " " + n;
            out.push_back(line);
        }
    }
    return out;
}

bool disk_folds_case(const std::string& dir) {
    std::string upper = dir + "/Case-Probe", lower = dir + "/case-probe";
    int fd = ::open(upper.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot write in " + dir + " to see whether its disk folds case");
    ::close(fd);
    struct stat st {};
    bool folds = ::lstat(lower.c_str(), &st) == 0;
    ::unlink(upper.c_str());
    return folds;
}

std::vector<std::string> lint_fixture(const Fixture& f, const std::string& site, Workspace& ws) {
    std::vector<std::string> problems;
    std::vector<std::string> same = case_collisions(f, site);
    if (!same.empty() && !f.needs_case_sensitive_disk())
        for (const auto& s : same)
            problems.push_back("names that differ only in case, one file on a case-folding disk (macOS's default): " + s +
                               " -- rename one, or mark the fixture \"needs\": [\"case-sensitive-disk\"]");
    if (same.empty() && f.needs_case_sensitive_disk())
        problems.push_back("\"needs\": [\"case-sensitive-disk\"], but no two names in its docroot differ only in case");
    if (f.is_run) return problems;   // a program run gets no docroot

    std::string dir = ws.new_dir("lint");
    try {
        prepare_docroot(site, dir + "/site", f.docroot);
        // The files the expectations read, read the way the checks read them.
        std::string content;
        if (f.expect.body && f.expect.body->kind == BodyExpect::Kind::File &&
            !tree::read_beneath(dir + "/site", f.expect.body->value, content))
            problems.push_back("expect.body.file " + f.expect.body->value + " cannot be read from the prepared docroot");
    } catch (const std::exception& e) {
        problems.push_back(std::string("its docroot cannot be built: ") + e.what());
    }
    tree::remove_tree(dir);
    return problems;
}

}  // namespace harness
