// tests/support/traversal_cases.hpp -- lesson 06's tables and test tree,
// shared by the native suite (tests/unit/06-traversal_test.cpp checks the
// C++ stage against them) and the target suite (tests/asm/06-traversal_test.cpp
// checks the assembly against them and against the C++ twin):
//
//   normalize_cases()  inputs of normalize_path and what must come out:
//                      RFC 3986 §5.2.4's examples and §5.4's reference
//                      resolutions (merged with the base path "/b/c/d;p"
//                      as §5.2.3 does), and the lesson 06 rules -- which
//                      part from the RFC in one place: where §5.4.2 clamps
//                      a ".." above the root ("/b/c/../../../g" is "/g"),
//                      lesson 06 answers 403;
//   TraversalTree      a docroot with files, directories, odd names and
//                      every kind of symbolic link, and a secret beside it;
//   open_cases()       paths below that docroot and what open_beneath must
//                      do with each: open a given file, or refuse with a
//                      status;
//   expected_open()    the same rules as a model any path can be asked
//                      about (lstat, component by component) -- the
//                      oracle of the random tests;
//   random_path()      paths made of the tree's names, dots, slashes and
//                      too-long names.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "records.h"
#include "support.hpp"

namespace testsupport {

// ---------------------------------------------------------------------------
// normalize_path
// ---------------------------------------------------------------------------
struct NormalizeCase {
    const char* why;        // the rule, with its source
    std::string in;
    std::int64_t want;      // the new length, or -403
    std::string out;        // want >= 0: the result; -403: the whole buffer afterwards ("" = not checked)
};

// "/b/c/" + a reference of RFC 3986 §5.4: the path §5.2.3 merges it into
// (the base URI is http://a/b/c/d;p?q).
inline std::string merged(const std::string& ref) { return "/b/c/" + ref; }

inline std::vector<NormalizeCase> normalize_cases() {
    const std::string deep = "/" + [] {
        std::string s;
        for (int i = 0; i < 1000; ++i) s += "d/";
        for (int i = 0; i < 1000; ++i) s += "../";
        return s;
    }();
    return {
        // RFC 3986 §5.2.4: the algorithm's own examples
        {"RFC 3986 §5.2.4 example", "/a/b/c/./../../g", 4, "/a/g"},
        {"RFC 3986 §5.2.4 example (made absolute)", "/mid/content=5/../6", 6, "/mid/6"},
        // RFC 3986 §5.4.1: normal examples
        {"RFC 3986 §5.4.1: g", merged("g"), 6, "/b/c/g"},
        {"RFC 3986 §5.4.1: ./g", merged("./g"), 6, "/b/c/g"},
        {"RFC 3986 §5.4.1: g/", merged("g/"), 7, "/b/c/g/"},
        {"RFC 3986 §5.4.1: ;x", merged(";x"), 7, "/b/c/;x"},
        {"RFC 3986 §5.4.1: g;x", merged("g;x"), 8, "/b/c/g;x"},
        {"RFC 3986 §5.4.1: .", merged("."), 5, "/b/c/"},
        {"RFC 3986 §5.4.1: ./", merged("./"), 5, "/b/c/"},
        {"RFC 3986 §5.4.1: ..", merged(".."), 3, "/b/"},
        {"RFC 3986 §5.4.1: ../", merged("../"), 3, "/b/"},
        {"RFC 3986 §5.4.1: ../g", merged("../g"), 4, "/b/g"},
        {"RFC 3986 §5.4.1: ../..", merged("../.."), 1, "/"},
        {"RFC 3986 §5.4.1: ../../", merged("../../"), 1, "/"},
        {"RFC 3986 §5.4.1: ../../g", merged("../../g"), 2, "/g"},
        // RFC 3986 §5.4.2: abnormal examples -- where the RFC clamps at the
        // root, lesson 06 refuses (the lesson 06 rule: 403 above the root)
        {"RFC 3986 §5.4.2 ../../../g is /g; lesson 06 rule: 403", merged("../../../g"), -403, ""},
        {"RFC 3986 §5.4.2 ../../../../g is /g; lesson 06 rule: 403", merged("../../../../g"), -403, ""},
        {"RFC 3986 §5.4.2: /./g", "/./g", 2, "/g"},
        {"RFC 3986 §5.4.2 /../g is /g; lesson 06 rule: 403", "/../g", -403, "/../g"},
        {"RFC 3986 §5.4.2: g. is a name", merged("g."), 7, "/b/c/g."},
        {"RFC 3986 §5.4.2: .g is a name", merged(".g"), 7, "/b/c/.g"},
        {"RFC 3986 §5.4.2: g.. is a name", merged("g.."), 8, "/b/c/g.."},
        {"RFC 3986 §5.4.2: ..g is a name", merged("..g"), 8, "/b/c/..g"},
        {"RFC 3986 §5.4.2: ./../g", merged("./../g"), 4, "/b/g"},
        {"RFC 3986 §5.4.2: ./g/.", merged("./g/."), 7, "/b/c/g/"},
        {"RFC 3986 §5.4.2: g/./h", merged("g/./h"), 8, "/b/c/g/h"},
        {"RFC 3986 §5.4.2: g/../h", merged("g/../h"), 6, "/b/c/h"},
        {"RFC 3986 §5.4.2: g;x=1/./y", merged("g;x=1/./y"), 12, "/b/c/g;x=1/y"},
        {"RFC 3986 §5.4.2: g;x=1/../y", merged("g;x=1/../y"), 6, "/b/c/y"},
        // lesson 06 rules: empty segments, the root, trailing slashes
        {"the root (lesson 06 rule)", "/", 1, "/"},
        {"// is the root (lesson 06 rule: empty segments go)", "//", 1, "/"},
        {"/a//b (lesson 06 rule)", "/a//b", 4, "/a/b"},
        {"///a/// keeps one trailing slash (lesson 06 rule)", "///a///", 3, "/a/"},
        {"a trailing /. ends in / (lesson 06 rule)", "/a/.", 3, "/a/"},
        {"a trailing /.. ends in / (lesson 06 rule)", "/a/..", 1, "/"},
        {"/docs/../docs/a.txt (lesson 06 rule)", "/docs/../docs/a.txt", 11, "/docs/a.txt"},
        {"/a/./b/../c/ (lesson 06 rule)", "/a/./b/../c/", 5, "/a/c/"},
        {"a file name is left alone (lesson 06 rule)", "/docs/a.txt", 11, "/docs/a.txt"},
        // lesson 06 rule: a ".." above the root is 403
        {"/.. (lesson 06 rule)", "/..", -403, "/.."},
        {"/../secret.txt (lesson 06 rule)", "/../secret.txt", -403, "/../secret.txt"},
        {"/docs/../../secret.txt (lesson 06 rule)", "/docs/../../secret.txt", -403, "/docs/../../secret.txt"},
        {"/a/b/../../.. (lesson 06 rule)", "/a/b/../../..", -403, "/a/b/../../.."},
        {"//../x: the empty segment does not hide it (lesson 06 rule)", "//../x", -403, "//../x"},
        {"/./../x (lesson 06 rule)", "/./../x", -403, "/./../x"},
        {"the names before the problem are moved down first (lesson 06 rule)", "/x/../y/../../z", -403,
         "/y/../y/../../z"},
        // lesson 06 rule: names with dots are names; '\' is a byte
        {"... is a name (lesson 06 rule)", "/...", 4, "/..."},
        {"a..b is a name (lesson 06 rule)", "/a..b", 5, "/a..b"},
        {".hidden is a name (lesson 06 rule)", "/.hidden", 8, "/.hidden"},
        {"..a is a name (lesson 06 rule)", "/..a", 4, "/..a"},
        {"a.. is a name (lesson 06 rule)", "/a..", 4, "/a.."},
        {".../.. drops the name ... (lesson 06 rule)", "/.../..", 1, "/"},
        {"a backslash is a byte, not a separator (lesson 06 rule)", "/..\\..\\secret.txt", 17, "/..\\..\\secret.txt"},
        {"%2e%2e is not decoded here (lesson 05 decodes first)", "/%2e%2e/x", 9, "/%2e%2e/x"},
        {"bytes >= 0x80 are name bytes (lesson 06 rule)", "/\xc0\xae\xc0\xae/x", 7, "/\xc0\xae\xc0\xae/x"},
        // lesson 06 rule: only an absolute path is below the root
        {"empty: not below the root (lesson 06 rule)", "", -403, ""},
        {"relative: not below the root (lesson 06 rule)", "a/b", -403, "a/b"},
        {"relative dot: not below the root (lesson 06 rule)", "./a", -403, "./a"},
        // lengths
        {"1000 levels down and up again (lesson 06 rule)", deep, 1, "/"},
        {"the longest path x.path holds (records.inc: PATH_BUF_MAX)", "/" + std::string(PATH_BUF_MAX - 1, 'p'),
         PATH_BUF_MAX, "/" + std::string(PATH_BUF_MAX - 1, 'p')},
    };
}

// ---------------------------------------------------------------------------
// open_beneath: the tree
// ---------------------------------------------------------------------------
// A temporary directory DIR with the docroot DIR/root and a secret beside
// it, DIR/outside.txt:
//   root/a.txt  root/.hidden  root/a..b  root/...  "root/..\x"  (files)
//   root/dir/b.txt  root/dir/index.html  root/dir/sub/c.txt  root/empty/
//   root/nnn...n  (COMPONENT_MAX bytes: the longest name)
//   root/fifo  (a FIFO: opening it must not wait)
//   root/dir/link-b -> b.txt        root/link-a -> a.txt
//   root/link-abs -> DIR/root/a.txt root/link-dir -> dir
//   root/link-out -> ../outside.txt root/link-up -> ..
//   root/loop -> loop               root/dangling -> nowhere
// Every directory is 0755 (a test may run the walk as nobody).
class TraversalTree {
public:
    explicit TraversalTree(const char* tag) : dir_(tag) {
        if (dir_.path().empty()) return;
        namespace fs = std::filesystem;
        root_ = dir_.at("root");
        fs::create_directories(root_ + "/dir/sub");
        fs::create_directories(root_ + "/empty");
        write_file(dir_.at("outside.txt"), "TOP SECRET\n");
        write_file(at("a.txt"), "a\n");
        write_file(at(".hidden"), "hidden\n");
        write_file(at("a..b"), "dots\n");
        write_file(at("..."), "three\n");
        write_file(at("..\\x"), "backslash\n");
        write_file(at("dir/b.txt"), "b\n");
        write_file(at("dir/index.html"), "<p>dir</p>\n");
        write_file(at("dir/sub/c.txt"), "c\n");
        write_file(at(longest_name()), "long\n");
        ok_ = ::mkfifo(at("fifo").c_str(), 0644) == 0;
        struct Link {
            const char* name;
            std::string target;
        };
        for (const Link& l : {Link{"dir/link-b", "b.txt"}, Link{"link-a", "a.txt"}, Link{"link-abs", at("a.txt")},
                              Link{"link-dir", "dir"}, Link{"link-out", "../outside.txt"}, Link{"link-up", ".."},
                              Link{"loop", "loop"}, Link{"dangling", "nowhere"}}) {
            ok_ = ok_ && ::symlink(l.target.c_str(), at(l.name).c_str()) == 0;
        }
        for (const std::string& d : {dir_.path(), root_, at("dir"), at("dir/sub"), at("empty")}) {
            ok_ = ok_ && ::chmod(d.c_str(), 0755) == 0;
        }
    }
    bool ok() const { return ok_ && !dir_.path().empty(); }
    const std::string& root() const { return root_; }
    std::string at(const std::string& rel) const { return rel.empty() ? root_ : root_ + "/" + rel; }
    static std::string longest_name() { return std::string(COMPONENT_MAX, 'n'); }

private:
    TempDir dir_;
    std::string root_;
    bool ok_ = true;
};

// What open_beneath must do with a path below the tree's root: open the
// file or directory `opens` (relative to the root; "" is the root), or
// refuse with `status` (403, 404, 414).
struct OpenCase {
    const char* why;
    std::string path;
    int status;          // 0: it opens `opens`
    std::string opens;
};

inline std::vector<OpenCase> open_cases() {
    const std::string n = TraversalTree::longest_name();
    return {
        // names below the root, however the slashes fall (lesson 06 rule)
        {"a file at the top", "/a.txt", 0, "a.txt"},
        {"no leading slash: still below dirfd", "a.txt", 0, "a.txt"},
        {"one directory down", "/dir/b.txt", 0, "dir/b.txt"},
        {"two directories down", "/dir/sub/c.txt", 0, "dir/sub/c.txt"},
        {"empty components are skipped", "//dir//sub//c.txt", 0, "dir/sub/c.txt"},
        {"'.' components are skipped", "/./dir/./b.txt", 0, "dir/b.txt"},
        {"dot names are names: .hidden", "/.hidden", 0, ".hidden"},
        {"dot names are names: a..b", "/a..b", 0, "a..b"},
        {"dot names are names: ...", "/...", 0, "..."},
        {"a backslash is a byte: ..\\x is a name", "/..\\x", 0, "..\\x"},
        {"a name of COMPONENT_MAX bytes", "/" + n, 0, n},
        {"a FIFO opens at once (O_NONBLOCK); step_check_file refuses it", "/fifo", 0, "fifo"},
        // directories (lesson 06 rule: a path ending in '/' opens the directory)
        {"/ opens the docroot itself", "/", 0, ""},
        {"the empty path opens the docroot itself", "", 0, ""},
        {"/dir/ opens dir", "/dir/", 0, "dir"},
        {"/dir/. opens dir", "/dir/.", 0, "dir"},
        {"/dir opens dir (the last name: a directory opens like a file)", "/dir", 0, "dir"},
        {"/dir/sub/ opens sub", "/dir/sub/", 0, "dir/sub"},
        {"/empty/ opens empty", "/empty/", 0, "empty"},
        // what is not there: 404 (lesson 04's errno table)
        {"a missing file: 404", "/missing", 404, ""},
        {"a missing directory: 404", "/missing/x", 404, ""},
        {"a missing file in a directory: 404", "/dir/missing.txt", 404, ""},
        {"a file used as a directory: ENOTDIR, 404", "/a.txt/x", 404, ""},
        {"a file with a trailing slash: ENOTDIR, 404", "/a.txt/", 404, ""},
        {"a FIFO used as a directory: 404", "/fifo/x", 404, ""},
        // too long: 414 (records.inc COMPONENT_MAX), before the kernel sees it
        {"a name of COMPONENT_MAX + 1 bytes: 414", "/" + n + "n", 414, ""},
        {"a directory name of COMPONENT_MAX + 1 bytes: 414", "/" + n + "n/x", 414, ""},
        {"a long name after a directory: 414", "/dir/" + n + "n", 414, ""},
        // never up (lesson 06 rule: open_beneath refuses ".." on its own)
        {"/..: 403", "/..", 403, ""},
        {"/../outside.txt: 403", "/../outside.txt", 403, ""},
        {"/dir/../a.txt: 403, not normalized here", "/dir/../a.txt", 403, ""},
        {"a missing directory first: its 404 wins", "/missing/../a.txt", 404, ""},
        // no symbolic link, wherever it points (lesson 06 rule)
        {"a link to a file inside: 403", "/link-a", 403, ""},
        {"a link inside a directory: 403", "/dir/link-b", 403, ""},
        {"an absolute link to a file inside: 403", "/link-abs", 403, ""},
        {"a link to the secret outside: 403", "/link-out", 403, ""},
        {"a linked directory in the middle: 403 (ENOTDIR from the kernel)", "/link-dir/b.txt", 403, ""},
        {"a linked directory with a trailing slash: 403", "/link-dir/", 403, ""},
        {"a linked directory as the last name: 403 (ELOOP)", "/link-dir", 403, ""},
        {"a link to the parent: 403", "/link-up/outside.txt", 403, ""},
        {"a loop: 403", "/loop", 403, ""},
        {"a loop in the middle: 403", "/loop/x", 403, ""},
        {"a dangling link: 403, not 404", "/dangling", 403, ""},
        {"a dangling link in the middle: 403", "/dangling/x", 403, ""},
    };
}

// The model: what open_beneath must answer for `path` below `root`, found
// with lstat, component by component, in the order the walk meets them.
// Returns the status, or 0 with `opens` set (relative to root).
inline int expected_open(const std::string& root, const std::string& path, std::string& opens) {
    std::string rel;   // where we are, relative to root
    std::size_t i = 0;
    for (;;) {
        while (i < path.size() && path[i] == '/') ++i;
        if (i == path.size()) {
            opens = rel;   // no name left: the directory we are in
            return 0;
        }
        std::size_t end = path.find('/', i);
        if (end == std::string::npos) end = path.size();
        std::string name = path.substr(i, end - i);
        i = end;
        if (name == ".") continue;
        if (name == "..") return 403;
        if (name.size() > COMPONENT_MAX) return 414;
        std::string next = rel.empty() ? name : rel + "/" + name;
        struct stat st {};
        if (::lstat((root + "/" + next).c_str(), &st) != 0) return errno == ENOENT ? 404 : 500;
        if (S_ISLNK(st.st_mode)) return 403;                       // a link, as the last name or in the middle
        bool last = end == path.size();
        if (!last && !S_ISDIR(st.st_mode)) return 404;             // ENOTDIR: not a link, not a directory
        rel = next;
        if (last) {
            opens = rel;
            return 0;
        }
    }
}

// A random path made of the tree's names (and missing ones, links, dots,
// empty components, names one byte too long), with or without a leading
// and a trailing slash.
inline std::string random_path(std::mt19937& rng) {
    static const std::string names[] = {"a.txt", "dir", "sub", "b.txt", "c.txt", "index.html", "empty", ".hidden",
                                        "a..b", "...", "..\\x", "fifo", "link-a", "link-b", "link-dir", "link-out",
                                        "link-up", "link-abs", "loop", "dangling", "missing", "outside.txt", ".",
                                        "..", "", ".", "dir", "dir", "sub"};
    std::string p = rng() % 8 == 0 ? "" : "/";
    int parts = static_cast<int>(rng() % 5);
    for (int k = 0; k < parts; ++k) {
        if (k > 0) p += "/";
        switch (rng() % 16) {
            case 0: p += TraversalTree::longest_name(); break;
            case 1: p += TraversalTree::longest_name() + "n"; break;
            default: p += names[rng() % std::size(names)]; break;
        }
    }
    if (rng() % 4 == 0) p += "/";
    return p;
}

// The number of open descriptors (the lowest free one is a good proxy:
// a leak moves it up).
inline int lowest_free_fd() {
    int fd = ::dup(0);
    if (fd >= 0) ::close(fd);
    return fd;
}

}  // namespace testsupport
