// tests/abi/header_values_linux.cpp -- real aarch64 Linux header values for
// every name in asm/os/linux/os.inc.  Build with aarch64-linux-gnu-g++ (or
// natively on an aarch64 Linux machine): on x86-64 headers the numbers differ.
#if !defined(__linux__) || !defined(__aarch64__)
#error "compile this for aarch64 Linux"
#endif

#include "header_values.hpp"

#include <cerrno>
#include <cstddef>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>   // STDERR_FILENO
#include <csignal>

extern "C" void linux_kernel_values(long long out[9]);   // header_values_linux_kernel.cpp

namespace abicheck {

void add_linux_kernel_values(std::map<std::string, long long>& v) {
    static const char* const kKernelNames[9] = {"SIGACTION_SIZE", "SIGACT_HANDLER", "SIGACT_FLAGS",
                                                "SIGACT_MASK",    "KERNEL_SIGSET_BYTES", "STAT_SIZE",
                                                "ST_MODE",        "ST_SIZE",        "ST_MTIME"};
    long long values[9];
    linux_kernel_values(values);
    for (int i = 0; i < 9; ++i) v[kKernelNames[i]] = values[i];   // the kernel's view wins
}

std::map<std::string, long long> header_values() {
    std::map<std::string, long long> v;
#define SYS(name, nr) v["SYS_" #name] = nr
    SYS(exit, __NR_exit_group);
    SYS(read, __NR_read);
    SYS(write, __NR_write);
    SYS(openat, __NR_openat);
    SYS(close, __NR_close);
    SYS(wait4, __NR_wait4);
    SYS(kill, __NR_kill);
    SYS(getpid, __NR_getpid);
    SYS(accept, __NR_accept);
    SYS(socket, __NR_socket);
    SYS(bind, __NR_bind);
    SYS(listen, __NR_listen);
    SYS(setsockopt, __NR_setsockopt);
    SYS(getsockname, __NR_getsockname);
    SYS(getpeername, __NR_getpeername);
    SYS(shutdown, __NR_shutdown);
    SYS(fstat, __NR_fstat);
    SYS(fstatat, __NR_newfstatat);
    SYS(lseek, __NR_lseek);
    SYS(pread, __NR_pread64);
    SYS(writev, __NR_writev);
    SYS(sendfile, __NR_sendfile);
    SYS(getdents, __NR_getdents64);
    SYS(sigaction, __NR_rt_sigaction);
    SYS(sigprocmask, __NR_rt_sigprocmask);
    SYS(sigpending, __NR_rt_sigpending);
    SYS(setitimer, __NR_setitimer);
    SYS(fcntl, __NR_fcntl);
    SYS(renameat, __NR_renameat);
    SYS(renameat2, __NR_renameat2);
    SYS(unlinkat, __NR_unlinkat);
    SYS(mkdirat, __NR_mkdirat);
    SYS(fsync, __NR_fsync);
    SYS(ftruncate, __NR_ftruncate);
    SYS(gettimeofday, __NR_gettimeofday);
    SYS(clone, __NR_clone);
    SYS(dup3, __NR_dup3);
    SYS(ppoll, __NR_ppoll);
#undef SYS

#define C(name) v[#name] = static_cast<long long>(name)
    C(EPERM); C(ENOENT); C(ESRCH); C(EINTR); C(EIO); C(EBADF); C(ECHILD); C(EAGAIN);
    C(ENOMEM); C(EACCES); C(EEXIST); C(ENOTDIR); C(EISDIR); C(EINVAL); C(EMFILE);
    C(ENOSPC); C(EROFS); C(EDQUOT); C(EPIPE); C(ENAMETOOLONG); C(ENOSYS); C(ELOOP); C(EADDRINUSE); C(ECONNRESET);

    C(AT_FDCWD); C(AT_SYMLINK_NOFOLLOW); C(AT_REMOVEDIR);
    C(O_RDONLY); C(O_WRONLY); C(O_RDWR); C(O_CREAT); C(O_EXCL); C(O_TRUNC); C(O_NONBLOCK);
    C(O_DIRECTORY); C(O_NOFOLLOW); C(O_CLOEXEC); C(RENAME_NOREPLACE);
    C(STDERR_FILENO); C(SEEK_SET); C(SEEK_END); C(S_IFMT); C(S_IFDIR); C(S_IFREG); C(S_IFLNK);
    C(DT_DIR); C(DT_REG); C(DT_LNK); C(F_SETFD); C(FD_CLOEXEC);

    C(AF_INET); C(SOCK_STREAM); C(SOL_SOCKET); C(SO_REUSEADDR); C(SO_RCVTIMEO);
    C(SO_SNDTIMEO); C(MSG_NOSIGNAL); C(SHUT_WR); C(INADDR_LOOPBACK);

    C(SIGINT); C(SIGKILL); C(SIGPIPE); C(SIGALRM); C(SIGTERM); C(SIGCHLD);
    v["SIG_DFL"] = reinterpret_cast<long long>(SIG_DFL);
    v["SIG_IGN"] = reinterpret_cast<long long>(SIG_IGN);
    C(SA_RESTART); C(SA_NOCLDSTOP); C(SIG_BLOCK); C(SIG_UNBLOCK); C(SIG_SETMASK);
    C(WNOHANG); C(ITIMER_REAL);
    C(ECONNABORTED); C(ENFILE); C(F_SETFL); C(POLLIN);
#undef C

#define OFF(name, type, field) v[#name] = static_cast<long long>(offsetof(type, field))
#define SIZE(name, type) v[#name] = static_cast<long long>(sizeof(type))
    SIZE(SOCKADDR_IN_SIZE, sockaddr_in);
    OFF(SIN_FAMILY, sockaddr_in, sin_family);
    OFF(SIN_PORT, sockaddr_in, sin_port);
    OFF(SIN_ADDR, sockaddr_in, sin_addr);
    // glibc's aarch64 struct stat has the kernel's layout (checked again in
    // the kernel TU); st_mtime is a macro for st_mtim.tv_sec.
    SIZE(STAT_SIZE, struct stat);
    OFF(ST_MODE, struct stat, st_mode);
    OFF(ST_SIZE, struct stat, st_size);
    OFF(ST_MTIME, struct stat, st_mtim);
    OFF(D_RECLEN, struct dirent64, d_reclen);
    OFF(D_TYPE, struct dirent64, d_type);
    OFF(D_NAME, struct dirent64, d_name);
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
    SIZE(TIMESPEC_SIZE, timespec);
    OFF(TS_SEC, timespec, tv_sec);
    OFF(TS_NSEC, timespec, tv_nsec);
#undef OFF
#undef SIZE

    add_linux_kernel_values(v);   // sigaction as the kernel reads it, sigset size
    return v;
}

}  // namespace abicheck
