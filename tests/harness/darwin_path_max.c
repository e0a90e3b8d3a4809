/* tests/harness/darwin_path_max.c -- build/tests/darwin-path-max.so: run a
 * Linux program with macOS's path limit.
 *
 * XNU refuses a path of 1,024 bytes or more, the NUL included (MAXPATHLEN
 * in bsd/sys/param.h; namei copies the path in with copyinstr and fails
 * with ENAMETOOLONG), where Linux allows 4,096.  Loaded with LD_PRELOAD,
 * this library puts itself in front of the C library's calls that take a
 * path and refuses, with ENAMETOOLONG, every path that Darwin would refuse;
 * the other calls go on to the C library unchanged.  make test runs the
 * fixture lint (build/harness --lint) under it, so a harness that builds a
 * docroot with one long path instead of one name at a time fails here on
 * Linux exactly as it would on a Mac.
 *
 * Only the limit on the whole path string is Darwin's here; each name's
 * own limit (255 bytes) is the same on both systems.  The *at() calls are
 * limited by the string they are given, as on Darwin: a short name
 * relative to a directory descriptor is fine however deep that directory is.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DARWIN_PATH_MAX 1024 /* MAXPATHLEN, counting the NUL */

static int too_long(const char *path) {
    if (path && strnlen(path, DARWIN_PATH_MAX) >= DARWIN_PATH_MAX) {
        errno = ENAMETOOLONG;
        return 1;
    }
    return 0;
}

/* The C library's own function NAME, looked up once. */
#define NEXT(name) \
    static __typeof__(name) *next_##name; \
    if (!next_##name) next_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* A mode argument exists only when the flags create a file. */
static mode_t mode_arg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *p, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    NEXT(open);
    return too_long(p) ? -1 : next_open(p, flags, m);
}
int open64(const char *p, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    NEXT(open64);
    return too_long(p) ? -1 : next_open64(p, flags, m);
}
int openat(int d, const char *p, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    NEXT(openat);
    return too_long(p) ? -1 : next_openat(d, p, flags, m);
}
int openat64(int d, const char *p, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    NEXT(openat64);
    return too_long(p) ? -1 : next_openat64(d, p, flags, m);
}
int creat(const char *p, mode_t m) { NEXT(creat); return too_long(p) ? -1 : next_creat(p, m); }
FILE *fopen(const char *p, const char *mode) { NEXT(fopen); return too_long(p) ? NULL : next_fopen(p, mode); }
FILE *fopen64(const char *p, const char *mode) { NEXT(fopen64); return too_long(p) ? NULL : next_fopen64(p, mode); }
DIR *opendir(const char *p) { NEXT(opendir); return too_long(p) ? NULL : next_opendir(p); }
int mkdir(const char *p, mode_t m) { NEXT(mkdir); return too_long(p) ? -1 : next_mkdir(p, m); }
int mkdirat(int d, const char *p, mode_t m) { NEXT(mkdirat); return too_long(p) ? -1 : next_mkdirat(d, p, m); }
int stat(const char *p, struct stat *s) { NEXT(stat); return too_long(p) ? -1 : next_stat(p, s); }
int lstat(const char *p, struct stat *s) { NEXT(lstat); return too_long(p) ? -1 : next_lstat(p, s); }
int stat64(const char *p, struct stat64 *s) { NEXT(stat64); return too_long(p) ? -1 : next_stat64(p, s); }
int lstat64(const char *p, struct stat64 *s) { NEXT(lstat64); return too_long(p) ? -1 : next_lstat64(p, s); }
int fstatat(int d, const char *p, struct stat *s, int f) { NEXT(fstatat); return too_long(p) ? -1 : next_fstatat(d, p, s, f); }
int fstatat64(int d, const char *p, struct stat64 *s, int f) { NEXT(fstatat64); return too_long(p) ? -1 : next_fstatat64(d, p, s, f); }
int statx(int d, const char *p, int f, unsigned m, struct statx *s) { NEXT(statx); return too_long(p) ? -1 : next_statx(d, p, f, m, s); }
int access(const char *p, int m) { NEXT(access); return too_long(p) ? -1 : next_access(p, m); }
int faccessat(int d, const char *p, int m, int f) { NEXT(faccessat); return too_long(p) ? -1 : next_faccessat(d, p, m, f); }
int chmod(const char *p, mode_t m) { NEXT(chmod); return too_long(p) ? -1 : next_chmod(p, m); }
int fchmodat(int d, const char *p, mode_t m, int f) { NEXT(fchmodat); return too_long(p) ? -1 : next_fchmodat(d, p, m, f); }
int chown(const char *p, uid_t u, gid_t g) { NEXT(chown); return too_long(p) ? -1 : next_chown(p, u, g); }
int lchown(const char *p, uid_t u, gid_t g) { NEXT(lchown); return too_long(p) ? -1 : next_lchown(p, u, g); }
int fchownat(int d, const char *p, uid_t u, gid_t g, int f) { NEXT(fchownat); return too_long(p) ? -1 : next_fchownat(d, p, u, g, f); }
int symlink(const char *t, const char *p) { NEXT(symlink); return too_long(t) || too_long(p) ? -1 : next_symlink(t, p); }
int symlinkat(const char *t, int d, const char *p) { NEXT(symlinkat); return too_long(t) || too_long(p) ? -1 : next_symlinkat(t, d, p); }
ssize_t readlink(const char *p, char *b, size_t n) { NEXT(readlink); return too_long(p) ? -1 : next_readlink(p, b, n); }
ssize_t readlinkat(int d, const char *p, char *b, size_t n) { NEXT(readlinkat); return too_long(p) ? -1 : next_readlinkat(d, p, b, n); }
int unlink(const char *p) { NEXT(unlink); return too_long(p) ? -1 : next_unlink(p); }
int unlinkat(int d, const char *p, int f) { NEXT(unlinkat); return too_long(p) ? -1 : next_unlinkat(d, p, f); }
int rmdir(const char *p) { NEXT(rmdir); return too_long(p) ? -1 : next_rmdir(p); }
int remove(const char *p) { NEXT(remove); return too_long(p) ? -1 : next_remove(p); }
int rename(const char *a, const char *b) { NEXT(rename); return too_long(a) || too_long(b) ? -1 : next_rename(a, b); }
int renameat(int da, const char *a, int db, const char *b) { NEXT(renameat); return too_long(a) || too_long(b) ? -1 : next_renameat(da, a, db, b); }
int link(const char *a, const char *b) { NEXT(link); return too_long(a) || too_long(b) ? -1 : next_link(a, b); }
int truncate(const char *p, off_t n) { NEXT(truncate); return too_long(p) ? -1 : next_truncate(p, n); }
int utimensat(int d, const char *p, const struct timespec t[2], int f) { NEXT(utimensat); return too_long(p) ? -1 : next_utimensat(d, p, t, f); }
int chdir(const char *p) { NEXT(chdir); return too_long(p) ? -1 : next_chdir(p); }
char *realpath(const char *p, char *r) { NEXT(realpath); return too_long(p) ? NULL : next_realpath(p, r); }
