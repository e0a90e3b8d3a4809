// asm/02-fork.s -- lesson 02: one child process per connection.
//
// C++ twin: cpp/02-fork.cpp (same function, same results).
// Walk-through: lessons/02-fork/README.md.
//
// The spine (asm/httpd.s) adds two things in lesson 02, both behind
// `.if LESSON >= 2`:
//   ignore_signal(SIGCHLD)   (lesson 01's function) -- the kernel reaps
//                            our children, no zombies
//   fork_connection          instead of handling the connection itself
//
// Error convention: -errno, never the carry flag.  FORK keeps the
// kernel's convention (carry set = failed) and hides the Darwin/Linux
// difference: after it x0 is 0 in the child on both systems.

        .include "os.inc"
        .include "records.inc"

// ---------------------------------------------------------------------------
// int64_t fork_connection(int listener, int conn, connection_handler handler,
//                         const struct config *cfg)
//   fork.  The child closes the listener (it will never accept), runs
//   handler(conn, cfg) and exits with status 0 -- exit closes conn.  The
//   parent closes its copy of conn at once (else the client would never
//   see the connection end, and we would leak one fd per request) and goes
//   back to accept.
//   in:  w0 = listener, w1 = conn, x2 = handler, x3 = cfg
//   out: x0 = the child's pid (parent), or -errno if fork failed (conn is
//        closed then too: that client is dropped).  The child never returns.
//   registers: x19 = listener, x20 = conn, x21 = handler, x22 = cfg,
//              x23 = pid or -errno
//   stack: 64 bytes (fp, lr, x19..x23, padding)
//   syscalls: fork (Darwin) / clone (Linux), close, exit
// ---------------------------------------------------------------------------
FUNC fork_connection
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: padding)
        sxtw    x19, w0                   // x19 = listener
        sxtw    x20, w1                   // x20 = conn
        mov     x21, x2                   // x21 = handler
        mov     x22, x3                   // x22 = cfg
        FORK                              // two processes return from here
        b.cs    fork_connection_failed    // carry: no child, x0 = errno
        cbz     x0, fork_connection_child // x0 == 0: we are the child
        mov     x23, x0                   // parent: x23 = the child's pid

// -- fork_connection_parent: the child has its own copy of conn; drop ours
        mov     x0, x20                   // close(conn): the parent's copy
        SYSCALL close                     // (a failed close: nothing to do)
        mov     x0, x23                   // return the pid
        b       fork_connection_return    // past the child and failure code

// excerpt: child
// child: serve this one connection, then end the process
fork_connection_child:
        mov     x0, x19                   // close(listener):
        SYSCALL close                     // the listener is the parent's job
        mov     w0, w20                   // handler(conn, cfg)
        mov     x1, x22                   // cfg
        blr     x21                       // bl to the address in x21: the handler
        mov     x0, #0                    // exit status 0; the kernel
        SYSCALL exit                      // closes conn for us.  Never returns.
// excerpt end

// fork failed (EAGAIN: too many processes; ENOMEM): drop this client
fork_connection_failed:
        neg     x23, x0                   // x23 = -errno
        mov     x0, x20                   // close(conn): nobody will answer it
        SYSCALL close                     // the client sees the connection end
        mov     x0, x23                   // x0 = -errno
fork_connection_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // parent only: x0 = pid or -errno
ENDFUNC fork_connection
