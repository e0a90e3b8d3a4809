// tests/abi/header_values_darwin.cpp -- real macOS SDK header values for
// every name in asm/os/darwin/os.inc.  Compiled only on a Mac (the Darwin
// headers do not exist on Linux; there tests/abi/darwin.tsv stands in).
#if !defined(__APPLE__) || !defined(__aarch64__)
#error "compile this on an Apple silicon Mac"
#endif

#include "header_values.hpp"

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>   // RENAME_EXCL
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>   // STDERR_FILENO

namespace abicheck {

std::map<std::string, long long> header_values() {
    std::map<std::string, long long> v;
#define SYS(name, nr) v["SYS_" #name] = nr
    SYS(exit, SYS_exit);
    SYS(read, SYS_read);
    SYS(write, SYS_write);
    SYS(openat, SYS_openat);
    SYS(close, SYS_close);
    SYS(wait4, SYS_wait4);
    SYS(kill, SYS_kill);
    SYS(getpid, SYS_getpid);
    SYS(accept, SYS_accept);
    SYS(socket, SYS_socket);
    SYS(bind, SYS_bind);
    SYS(listen, SYS_listen);
    SYS(setsockopt, SYS_setsockopt);
    SYS(getsockname, SYS_getsockname);
    SYS(getpeername, SYS_getpeername);
    SYS(shutdown, SYS_shutdown);
    SYS(fstat, SYS_fstat64);
    SYS(fstatat, SYS_fstatat64);
    SYS(lseek, SYS_lseek);
    SYS(pread, SYS_pread);
    SYS(writev, SYS_writev);
    SYS(sendfile, SYS_sendfile);
    SYS(getdents, SYS_getdirentries64);
    SYS(sigaction, SYS_sigaction);
    SYS(sigprocmask, SYS_sigprocmask);
    SYS(sigpending, SYS_sigpending);
    SYS(setitimer, SYS_setitimer);
    SYS(fcntl, SYS_fcntl);
    SYS(renameat, SYS_renameat);
    SYS(renameatx_np, SYS_renameatx_np);
    SYS(unlinkat, SYS_unlinkat);
    SYS(mkdirat, SYS_mkdirat);
    SYS(fsync, SYS_fsync);
    SYS(ftruncate, SYS_ftruncate);
    SYS(gettimeofday, SYS_gettimeofday);
    SYS(fork, SYS_fork);
    SYS(dup2, SYS_dup2);
    SYS(poll, SYS_poll);
#undef SYS

#define C(name) v[#name] = static_cast<long long>(name)
    C(EPERM); C(ENOENT); C(ESRCH); C(EINTR); C(EIO); C(EBADF); C(ECHILD); C(EAGAIN);
    C(ENOMEM); C(EACCES); C(EEXIST); C(ENOTDIR); C(EISDIR); C(EINVAL); C(EMFILE);
    C(ENOSPC); C(EROFS); C(EDQUOT); C(EPIPE); C(ENAMETOOLONG); C(ENOSYS); C(ELOOP); C(EADDRINUSE); C(ECONNRESET);

    C(AT_FDCWD); C(AT_SYMLINK_NOFOLLOW); C(AT_REMOVEDIR);
    C(O_RDONLY); C(O_WRONLY); C(O_RDWR); C(O_CREAT); C(O_EXCL); C(O_TRUNC); C(O_NONBLOCK);
    C(O_DIRECTORY); C(O_NOFOLLOW); C(O_CLOEXEC); C(RENAME_EXCL);
    C(STDERR_FILENO); C(SEEK_SET); C(SEEK_END); C(S_IFMT); C(S_IFDIR); C(S_IFREG); C(S_IFLNK);
    C(DT_DIR); C(DT_REG); C(DT_LNK); C(F_SETFD); C(FD_CLOEXEC);

    C(AF_INET); C(SOCK_STREAM); C(SOL_SOCKET); C(SO_REUSEADDR); C(SO_RCVTIMEO);
    C(SO_SNDTIMEO); C(SO_NOSIGPIPE); C(MSG_NOSIGNAL); C(SHUT_WR); C(INADDR_LOOPBACK);

    C(SIGINT); C(SIGKILL); C(SIGPIPE); C(SIGALRM); C(SIGTERM); C(SIGCHLD);
    v["SIG_DFL"] = reinterpret_cast<long long>(SIG_DFL);
    v["SIG_IGN"] = reinterpret_cast<long long>(SIG_IGN);
    C(SA_RESTART); C(SA_NOCLDSTOP); C(SIG_BLOCK); C(SIG_UNBLOCK); C(SIG_SETMASK);
    v["KERNEL_SIGSET_BYTES"] = sizeof(sigset_t);
    C(WNOHANG); C(ITIMER_REAL);
    C(ECONNABORTED); C(ENFILE); C(F_SETFL); C(POLLIN);
#undef C

#define OFF(name, type, field) v[#name] = static_cast<long long>(offsetof(type, field))
#define SIZE(name, type) v[#name] = static_cast<long long>(sizeof(type))
    SIZE(SOCKADDR_IN_SIZE, sockaddr_in);
    OFF(SIN_LEN, sockaddr_in, sin_len);
    OFF(SIN_FAMILY, sockaddr_in, sin_family);
    OFF(SIN_PORT, sockaddr_in, sin_port);
    OFF(SIN_ADDR, sockaddr_in, sin_addr);
    SIZE(STAT_SIZE, struct stat);             // 64-bit-inode layout on arm64
    OFF(ST_MODE, struct stat, st_mode);
    OFF(ST_SIZE, struct stat, st_size);
    OFF(ST_MTIME, struct stat, st_mtimespec);
    OFF(D_RECLEN, struct dirent, d_reclen);   // == the getdirentries64 record
    OFF(D_NAMLEN, struct dirent, d_namlen);
    OFF(D_TYPE, struct dirent, d_type);
    OFF(D_NAME, struct dirent, d_name);
    // Kernel-private (XNU bsd/sys/dirent_private.h): the SDK has no header
    // with these two, so the values are XNU's, as in tests/abi/darwin.tsv.
    v["GETDIRENTRIES64_EXTENDED_BUFSIZE"] = 1024;
    v["GETDIRENTRIES64_EOF"] = 1;
    SIZE(SIGACTION_SIZE, struct __sigaction);
    OFF(SIGACT_HANDLER, struct __sigaction, __sigaction_u);
    OFF(SIGACT_TRAMP, struct __sigaction, sa_tramp);
    OFF(SIGACT_MASK, struct __sigaction, sa_mask);
    OFF(SIGACT_FLAGS, struct __sigaction, sa_flags);
    SIZE(TIMEVAL_SIZE, timeval);
    OFF(TV_SEC, timeval, tv_sec);
    OFF(TV_USEC, timeval, tv_usec);
    SIZE(ITIMERVAL_SIZE, itimerval);
    OFF(IT_INTERVAL, itimerval, it_interval);
    OFF(IT_VALUE, itimerval, it_value);
    SIZE(IOVEC_SIZE, iovec);
    OFF(IOV_BASE, iovec, iov_base);
    OFF(IOV_LEN, iovec, iov_len);
    SIZE(POLLFD_SIZE, pollfd);
    OFF(PFD_FD, pollfd, fd);
    OFF(PFD_EVENTS, pollfd, events);
    OFF(PFD_REVENTS, pollfd, revents);
#undef OFF
#undef SIZE
    return v;
}

}  // namespace abicheck
