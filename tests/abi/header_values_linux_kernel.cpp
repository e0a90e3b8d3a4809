// tests/abi/header_values_linux_kernel.cpp -- layouts as the Linux KERNEL
// defines them.  These UAPI headers clash with glibc's versions of the same
// names (even <string> pulls glibc's sigset_t in), so this translation unit
// includes nothing else and hands its numbers over in a plain array.
#include <stddef.h>

#include <asm/signal.h>   // the struct sigaction rt_sigaction reads; _NSIG
#include <asm/stat.h>     // the struct stat fstat/newfstatat fill

// Order must match kKernelNames in header_values_linux.cpp.
extern "C" void linux_kernel_values(long long out[9]) {
    out[0] = sizeof(struct sigaction);
    out[1] = offsetof(struct sigaction, sa_handler);
    out[2] = offsetof(struct sigaction, sa_flags);
    out[3] = offsetof(struct sigaction, sa_mask);
    out[4] = _NSIG / 8;                       // what rt_sig* want in sigsetsize
    out[5] = sizeof(struct stat);             // the kernel's view of struct stat:
    out[6] = offsetof(struct stat, st_mode);  // this is what the call fills
    out[7] = offsetof(struct stat, st_size);
    out[8] = offsetof(struct stat, st_mtime);
}
