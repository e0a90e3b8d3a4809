// harness/tree.hpp -- files and directories one name at a time.
//
// macOS refuses any path of 1,024 bytes or more (MAXPATHLEN, counting the
// final NUL; XNU bsd/sys/param.h) with ENAMETOOLONG, Linux only from 4,096.
// A fixture may put a file 1,100 bytes below the docroot (lesson 06's
// traversal-long-path-of-short-names-is-served), and the docroot itself
// sits below a temporary directory.  So the harness never hands the kernel
// such a path: it opens the docroot (a short path) and from there walks
// one name at a time with openat, mkdirat, fstatat, unlinkat ... -- the
// same walk the servers make.  The fixture lint (build/harness --lint) runs
// on Linux with Darwin's limit imposed (tests/harness/darwin_path_max.c),
// so a path that would be too long on a Mac fails there too.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

namespace harness::tree {

// Darwin's limit, the NUL included: a path must be shorter than this.
inline constexpr std::size_t kDarwinPathMax = 1024;

// An open descriptor, closed by the destructor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd();
    Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

// The directory at `path` (which must itself be shorter than
// kDarwinPathMax); throws std::runtime_error naming it.
Fd open_dir(const std::string& path);

// The directory that holds the last name of `rel` (a path relative to
// `root`, '/'-separated), opened one name at a time; with `create`, the
// missing directories on the way are made (mode 0755).  `last` receives
// the last name ("" when rel names root itself).  Returns a closed Fd
// when a directory on the way is missing (and create is false).
Fd open_parent(int root, const std::string& rel, bool create, std::string& last);

// rm -rf of `name` inside `dir`: directories are opened up (0755) first,
// so even mode-0000 ones go.  Returns false when something stayed.
bool remove_at(int dir, const std::string& name);

// rm -rf of the directory at `path` and everything in it.
bool remove_tree(const std::string& path);

// cp -a of the directory `from` into the new directory `to_name` inside
// `to_dir`: symlinks stay symlinks, modes and modification times are kept.
void copy_tree_at(int from, int to_dir, const std::string& to_name);

// lchown of `name` inside `dir` and of everything below it.
void chown_tree_at(int dir, const std::string& name, uid_t uid, gid_t gid);

// The file `rel` below the directory `root` (a path), read whole.
// False when it is missing or unreadable.
bool read_beneath(const std::string& root, const std::string& rel, std::string& out);

// Whether `rel` exists below `root` (lstat: a dangling symlink exists).
bool exists_beneath(const std::string& root, const std::string& rel);

}  // namespace harness::tree
