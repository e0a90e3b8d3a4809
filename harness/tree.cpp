// harness/tree.cpp -- see tree.hpp.
#include "tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace harness::tree {

Fd::~Fd() {
    if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.fd_;
        o.fd_ = -1;
    }
    return *this;
}

namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

// The names in the directory `dir` (without "." and ".."), read through a
// duplicate of the descriptor so that `dir` stays open and ours.
std::vector<std::string> names_in(int dir) {
    std::vector<std::string> names;
    int copy = ::openat(dir, ".", kDirFlags);
    if (copy < 0) return names;
    DIR* d = ::fdopendir(copy);
    if (!d) {
        ::close(copy);
        return names;
    }
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    return names;
}

// The '/'-separated names of `rel`, without empty ones and ".".
std::vector<std::string> split(const std::string& rel) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= rel.size()) {
        size_t j = rel.find('/', i);
        if (j == std::string::npos) j = rel.size();
        std::string n = rel.substr(i, j - i);
        if (!n.empty() && n != ".") out.push_back(n);
        i = j + 1;
    }
    return out;
}

void copy_file_at(int from, const std::string& name, int to) {
    Fd in(::openat(from, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!in.ok()) fail("open " + name);
    Fd out(::openat(to, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!out.ok()) fail("create " + name);
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(in.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("read " + name);
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = ::write(out.get(), buf + done, static_cast<size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) fail("write " + name);
            done += w;
        }
    }
}

}  // namespace

Fd open_dir(const std::string& path) {
    Fd d(::open(path.c_str(), kDirFlags));
    if (!d.ok()) fail("open " + path);
    return d;
}

Fd open_parent(int root, const std::string& rel, bool create, std::string& last) {
    std::vector<std::string> names = split(rel);
    last = names.empty() ? "" : names.back();
    Fd dir(::openat(root, ".", kDirFlags));
    if (!dir.ok()) {
        if (!create) return Fd();
        fail("open the docroot");
    }
    for (size_t i = 0; i + 1 < names.size(); ++i) {
        const char* n = names[i].c_str();
        if (create && ::mkdirat(dir.get(), n, 0755) != 0 && errno != EEXIST) fail("mkdir " + names[i]);
        Fd next(::openat(dir.get(), n, kDirFlags));
        if (!next.ok()) {
            if (!create) return Fd();   // not there (or not a directory): nothing to find below
            fail("open " + names[i]);
        }
        dir = std::move(next);
    }
    return dir;
}

bool remove_at(int dir, const std::string& name) {
    struct stat st {};
    if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno == ENOENT;
    if (!S_ISDIR(st.st_mode)) return ::unlinkat(dir, name.c_str(), 0) == 0;
    ::fchmodat(dir, name.c_str(), 0755, 0);   // a mode-0000 directory cannot be read, even by its owner
    bool ok = true;
    {
        Fd sub(::openat(dir, name.c_str(), kDirFlags | O_NOFOLLOW));
        if (!sub.ok()) return false;
        for (const auto& n : names_in(sub.get())) ok = remove_at(sub.get(), n) && ok;
    }
    return ::unlinkat(dir, name.c_str(), AT_REMOVEDIR) == 0 && ok;
}

bool remove_tree(const std::string& path) {
    std::string parent = path, name = path;
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) parent = ".";
    else {
        parent = slash == 0 ? "/" : path.substr(0, slash);
        name = path.substr(slash + 1);
    }
    Fd p(::open(parent.c_str(), kDirFlags));
    return p.ok() && remove_at(p.get(), name);
}

void copy_tree_at(int from, int to_dir, const std::string& to_name) {
    if (::mkdirat(to_dir, to_name.c_str(), 0755) != 0 && errno != EEXIST) fail("mkdir " + to_name);
    Fd to(::openat(to_dir, to_name.c_str(), kDirFlags));
    if (!to.ok()) fail("open " + to_name);
    for (const auto& name : names_in(from)) {
        const char* n = name.c_str();
        struct stat st {};
        if (::fstatat(from, n, &st, AT_SYMLINK_NOFOLLOW) != 0) fail("stat " + name);
        if (S_ISLNK(st.st_mode)) {
            std::vector<char> target(static_cast<size_t>(st.st_size) + 1);
            ssize_t len = ::readlinkat(from, n, target.data(), target.size());
            if (len < 0) fail("readlink " + name);
            if (::symlinkat(std::string(target.data(), static_cast<size_t>(len)).c_str(), to.get(), n) != 0)
                fail("symlink " + name);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            Fd sub(::openat(from, n, kDirFlags | O_NOFOLLOW));
            if (!sub.ok()) fail("open " + name);
            copy_tree_at(sub.get(), to.get(), name);
        } else {
            copy_file_at(from, name, to.get());
        }
        ::fchmodat(to.get(), n, st.st_mode & 07777, 0);
#ifdef __APPLE__
        timespec times[2] = {st.st_atimespec, st.st_mtimespec};
#else
        timespec times[2] = {st.st_atim, st.st_mtim};
#endif
        ::utimensat(to.get(), n, times, AT_SYMLINK_NOFOLLOW);
    }
}

void chown_tree_at(int dir, const std::string& name, uid_t uid, gid_t gid) {
    ::fchownat(dir, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW);
    Fd sub(::openat(dir, name.c_str(), kDirFlags | O_NOFOLLOW));
    if (!sub.ok()) return;   // not a directory (or a symlink): nothing below it
    for (const auto& n : names_in(sub.get())) chown_tree_at(sub.get(), n, uid, gid);
}

bool read_beneath(const std::string& root, const std::string& rel, std::string& out) {
    Fd r(::open(root.c_str(), kDirFlags));
    if (!r.ok()) return false;
    std::string last;
    Fd parent = open_parent(r.get(), rel, false, last);
    if (!parent.ok() || last.empty()) return false;
    Fd f(::openat(parent.get(), last.c_str(), O_RDONLY | O_CLOEXEC));
    if (!f.ok()) return false;
    out.clear();
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(f.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return true;
        out.append(buf, static_cast<size_t>(n));
    }
}

bool exists_beneath(const std::string& root, const std::string& rel) {
    Fd r(::open(root.c_str(), kDirFlags));
    if (!r.ok()) return false;
    std::string last;
    Fd parent = open_parent(r.get(), rel, false, last);
    if (!parent.ok()) return false;
    if (last.empty()) return true;
    struct stat st {};
    return ::fstatat(parent.get(), last.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace harness::tree
