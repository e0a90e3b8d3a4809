// asm/10-hardening.s -- lesson 10: deadlines, a child limit, refusing
// with 503 instead of resetting, and an accept loop that does not spin.
//
// C++ twin: cpp/10-hardening.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/10-hardening/README.md.
//
// What the spine (asm/httpd.s) takes from this stage:
//   at start-up   parse_command_line_10 (lesson 09's parser with the
//                 table flags_10: -w, -e DIR, -t SECONDS, -c N; then -t
//                 and -c as numbers into struct config)
//   the parent    reap_children, wait_clients, accept_backoff,
//                 refuse_client, tend_refusals, fork_counted: a counted
//                 number of children, 503 at the limit or when fork fails
//                 (the refused clients in a table the parent polls, never
//                 waiting on one), a pause after EMFILE / ENFILE;
//                 init_children, track_child, child_slot: the table of
//                 the children's pids; init_refusals, close_refusals
//   stopping      block_stop_signals (at start-up: SIGTERM and SIGINT
//                 wait, pending), stop_requested (sigpending: one of
//                 them came?), shut_down (close the listener, reap
//                 within SHUTDOWN_GRACE_SECONDS, end_children for the
//                 rest, exit 0)
//   in the list   step_arm_deadlines (SO_RCVTIMEO, SO_SNDTIMEO),
//                 step_await_head (the whole head within -t, or 408)
//   after a stop  bound_linger (the lingering close ends -t later)
//
// Error convention of this lesson: steps return STEP_NEXT, STEP_DONE or a
// status; the helpers -errno or -1.

        .include "os.inc"
        .include "records.inc"

        .equ HEAD_BLANK, 8                // bytes blanked before a peek: begins_with_head reads 5

        RODATA                            // constant data: the flags table
// excerpt: flags-10
// struct flag_spec flags_10[]: lesson 09's rows (records.inc's FLAGS_09),
// then lesson 10's
        .globl  flags_10
flags_10:
        FLAGS_09                                           // 09: -w, -e DIR
        FLAG    't', FLAG_VALUE, CFG_DEADLINE_ARG, "[-t SECONDS]" // 10: deadlines
        FLAG    'c', FLAG_VALUE, CFG_CHILD_LIMIT_ARG, "[-c N]" // 10: children at once
        FLAG    0, 0, 0, ""                                // the end
// excerpt end
field_retry_after:
        .asciz  "Retry-After"             // RFC 9110 §10.2.3

// ---------------------------------------------------------------------------
// int64_t parse_count(const char *s, uint64_t max)
//   A decimal number 1..max and nothing else: lesson 07's parse_decimal
//   (digits only, saturating at 2^64 - 1, so a long number is > max).
//   in:  x0 = s, x1 = max
//   out: x0 = the number, or -1
//   registers: x19 = s, x20 = max
//   stack: 32 bytes (fp, lr, x19, x20) + 16 (the value)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC parse_count
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = s
        mov     x20, x1                   // x20 = max
        CALL    str_len                   // x0 = its length
        mov     x1, x0                    // parse_decimal(s, len, &value)
        mov     x0, x19
        add     x2, sp, #32               // value: at sp+32
        CALL    parse_decimal             // w0 = 0 or -1
        tbnz    w0, #31, parse_count_bad  // not 1*DIGIT
        ldr     x0, [sp, #32]             // the value
        cbz     x0, parse_count_bad       // 0 is not a count
        cmp     x0, x20                   // above max (saturated ones too)?
        b.ls    parse_count_return        // no: the number
parse_count_bad:
        mov     x0, #-1                   // not a count
parse_count_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #48
        ret                               // x0 = the number or -1
ENDFUNC parse_count

// ---------------------------------------------------------------------------
// int parse_command_line_10(int argc, char **argv, struct config *cfg)
//   httpd [-w] [-e DIR] [-t SECONDS] [-c N] [PORT [DOCROOT]]: lesson 09's
//   parse_command_line with flags_10; then cfg->deadline = -t's value
//   (1..DEADLINE_MAX, DEADLINE_DEFAULT without -t) and cfg->child_limit =
//   -c's (1..CHILD_LIMIT_MAX, CHILD_LIMIT_DEFAULT without -c).  A bad
//   number: say_usage and -EINVAL.
//   in:  w0 = argc, x1 = argv, x2 = cfg
//   out: w0 = 0 or -EINVAL (main exits with status 2)
//   registers: x19 = cfg
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: write (messages)
// ---------------------------------------------------------------------------
FUNC parse_command_line_10
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved register we use
        mov     x19, x2                   // x19 = cfg
        str     xzr, [x19, #CFG_DEADLINE_ARG] // no -t yet: the parser only
        str     xzr, [x19, #CFG_CHILD_LIMIT_ARG] // stores the flags it sees
        LOAD_ADDR x3, flags_10            // parse_command_line(argc, argv, cfg, flags_10)
        CALL    parse_command_line        // w0 = 0 or -EINVAL (the message is out)
        tbnz    w0, #31, parse_command_line_10_return
// -t SECONDS
        mov     x9, #DEADLINE_DEFAULT     // without -t: the default
        str     x9, [x19, #CFG_DEADLINE]
        ldr     x0, [x19, #CFG_DEADLINE_ARG] // -t given?
        cbz     x0, parse_command_line_10_limit
        mov     x1, #DEADLINE_MAX         // parse_count(arg, DEADLINE_MAX)
        CALL    parse_count               // x0 = seconds or -1
        tbnz    x0, #63, parse_command_line_10_usage
        str     x0, [x19, #CFG_DEADLINE]  // cfg->deadline
// -c N
parse_command_line_10_limit:
        mov     x9, #CHILD_LIMIT_DEFAULT  // without -c: the default
        str     x9, [x19, #CFG_CHILD_LIMIT]
        ldr     x0, [x19, #CFG_CHILD_LIMIT_ARG] // -c given?
        cbz     x0, parse_command_line_10_ok
        mov     x1, #CHILD_LIMIT_MAX      // parse_count(arg, CHILD_LIMIT_MAX)
        CALL    parse_count               // x0 = the limit or -1
        tbnz    x0, #63, parse_command_line_10_usage
        str     x0, [x19, #CFG_CHILD_LIMIT] // cfg->child_limit
parse_command_line_10_ok:
        mov     w0, #0                    // all parsed
        b       parse_command_line_10_return
parse_command_line_10_usage:
        LOAD_ADDR x0, flags_10            // say_usage(flags_10)
        CALL    say_usage
        mov     w0, #-EINVAL              // status 2
parse_command_line_10_return:
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = 0 or -EINVAL
ENDFUNC parse_command_line_10

// ---------------------------------------------------------------------------
// int64_t set_socket_timeout(int sock, int option, uint64_t ms)
//   setsockopt(sock, SOL_SOCKET, option, &timeval(ms), TIMEVAL_SIZE):
//   option is SO_RCVTIMEO or SO_SNDTIMEO.
//   in:  w0 = sock, w1 = option, x2 = ms
//   out: x0 = 0 or -errno
//   registers: x9 = 1000, x10 = seconds, x11 = the rest.  stack: 16 bytes
//   syscalls: setsockopt
// ---------------------------------------------------------------------------
FUNC set_socket_timeout
        sub     sp, sp, #TIMEVAL_SIZE     // struct timeval tv
        mov     x9, #MS_PER_SECOND
        udiv    x10, x2, x9               // tv_sec = ms / 1000
        msub    x11, x10, x9, x2          // ms % 1000
        mov     x9, #US_PER_MS
        mul     x11, x11, x9              // tv_usec
        str     x10, [sp, #TV_SEC]
        str     x11, [sp, #TV_USEC]       // 64-bit store: Darwin's 32-bit field and its padding
        sxtw    x0, w0                    // setsockopt(sock,
        sxtw    x2, w1                    //     option (third argument),
        mov     x1, #SOL_SOCKET           //     SOL_SOCKET,
        mov     x3, sp                    //     &tv,
        mov     x4, #TIMEVAL_SIZE         //     its size)
        SYSCALL setsockopt
        b.cc    set_socket_timeout_ok
        neg     x0, x0                    // -errno
        b       set_socket_timeout_return
set_socket_timeout_ok:
        mov     x0, #0
set_socket_timeout_return:
        add     sp, sp, #TIMEVAL_SIZE     // drop tv
        ret                               // x0 = 0 or -errno
ENDFUNC set_socket_timeout

// ---------------------------------------------------------------------------
// int64_t wait_readable(int fd, int timeout_ms)
//   poll fd for input (POLLIN) for at most timeout_ms: the revents bits
//   (a read will tell the rest: data, the end, an error), 0 the time ran
//   out, -errno.
//   in:  w0 = fd, w1 = timeout_ms
//   out: x0 = revents, 0 or -errno
//   registers: none saved (POLL clobbers x9..x11).  stack: 16 bytes:
//              struct pollfd
//   syscalls: poll (Darwin) / ppoll (Linux)
// ---------------------------------------------------------------------------
FUNC wait_readable
        sub     sp, sp, #16               // struct pollfd, 16-aligned
        str     w0, [sp, #PFD_FD]         // fd
        mov     w9, #POLLIN               // events: input (or the end: a read tells)
        strh    w9, [sp, #PFD_EVENTS]
        strh    wzr, [sp, #PFD_REVENTS]   // the kernel's answer goes here
        sxtw    x2, w1                    // the timeout
        mov     x0, sp                    // poll(&p, 1, timeout)
        mov     x1, #1
        POLL                              // x0 = descriptors ready, or carry + errno
        b.cs    wait_readable_failed
        cbz     x0, wait_readable_return  // 0: the time ran out
        ldrh    w0, [sp, #PFD_REVENTS]    // what happened (zero-extended)
        b       wait_readable_return
wait_readable_failed:
        neg     x0, x0                    // -errno (EINTR: the caller loops anyway)
wait_readable_return:
        add     sp, sp, #16               // drop the pollfd
        ret                               // x0 = 1, 0 or -errno
ENDFUNC wait_readable

// ---------------------------------------------------------------------------
// void pause_ms(int ms)
//   Sleep ms milliseconds: poll with no descriptor, only the timeout ends
//   it (Darwin has no raw nanosleep).
//   in:  w0 = ms
//   registers: none saved.  Leaf but for the system call.
//   syscalls: poll (Darwin) / ppoll (Linux)
// ---------------------------------------------------------------------------
FUNC pause_ms
        sxtw    x2, w0                    // poll(NULL, 0, ms)
        mov     x0, #0
        mov     x1, #0
        POLL                              // returns 0 when the time is up
        ret
ENDFUNC pause_ms

// ---------------------------------------------------------------------------
// int head_ready(const char *buf, size_t len)
//   Do the len bytes of buf hold a whole request head by lesson 03's rule
//   (an empty line after the request line; up to REQ_LEADING_EMPTY_MAX
//   empty lines before it are skipped, one more is read_request_head's
//   400 at once), or is buf full (REQ_HEAD_MAX: its 414 / 431)?  Then
//   step_read_head will not wait.
//   in:  x0 = buf, x1 = len
//   out: w0 = 1 or 0
//   registers: x2 = i, x3 = line_start, x4 = skipped, x5 = in_head,
//              w6 = the byte, x7 = the line's length.  Leaf.
// ---------------------------------------------------------------------------
// excerpt: head-ready
FUNC head_ready
        mov     x9, #REQ_HEAD_MAX
        cmp     x1, x9                    // buf full?
        b.hs    head_ready_yes            // read_request_head answers 414 / 431
        mov     x2, #0                    // i
        mov     x3, #0                    // line_start
        mov     x4, #0                    // skipped: empty lines before the request line
        mov     x5, #0                    // in_head: past the request line's start?
head_ready_byte:
        cmp     x2, x1                    // every byte looked at?
        b.hs    head_ready_no             // more is still to come
        ldrb    w6, [x0, x2]              // buf[i]
        add     x2, x2, #1                // i++ (the line ends before it)
        cmp     w6, #CHAR_LF              // the end of a line?
        b.ne    head_ready_byte           // no: the next byte
        sub     x7, x2, #1                // the line's length: LF's index - line_start
        sub     x7, x7, x3
        cbz     x7, head_ready_empty      // nothing before LF: empty
        cmp     x7, #1                    // one byte: empty if it is CR
        b.ne    head_ready_line
        ldrb    w6, [x0, x3]
        cmp     w6, #CHAR_CR
        b.ne    head_ready_line
head_ready_empty:
        cbnz    x5, head_ready_yes        // after the request line: the end of the head
        add     x4, x4, #1                // before it: one more skipped
        cmp     x4, #REQ_LEADING_EMPTY_MAX // one too many?
        b.hi    head_ready_yes            // 400 at once
        mov     x3, x2                    // the next line starts after LF
        b       head_ready_byte
head_ready_line:
        mov     x5, #1                    // the request line, or a field line
        mov     x3, x2                    // the next line starts after LF
        b       head_ready_byte
head_ready_yes:
        mov     w0, #1
        ret                               // w0 = 1
head_ready_no:
        mov     w0, #0
        ret                               // w0 = 0
ENDFUNC head_ready
// excerpt end

// ---------------------------------------------------------------------------
// int64_t child_slot(const int32_t *pids, uint64_t slots, int32_t pid)
//   Where pid sits in the parent's table of its children (pid 0: the
//   first free slot): its index, or -1.
//   in:  x0 = pids, x1 = slots, w2 = pid
//   out: x0 = the index or -1
//   registers: x9 = i, w10 = pids[i].  Leaf.
// ---------------------------------------------------------------------------
FUNC child_slot
        mov     x9, #0                    // i = 0
child_slot_next:
        cmp     x9, x1                    // every slot looked at?
        b.hs    child_slot_none           // then it is not there
        ldr     w10, [x0, x9, lsl #2]     // pids[i] (CHILD_SLOT_BYTES = 4)
        cmp     w10, w2                   // the one we look for?
        b.eq    child_slot_found
        add     x9, x9, #1                // the next slot
        b       child_slot_next
child_slot_found:
        mov     x0, x9                    // its index
        ret
child_slot_none:
        mov     x0, #-1                   // not there
        ret
ENDFUNC child_slot

// ---------------------------------------------------------------------------
// void init_children(int32_t *pids, uint64_t slots)
//   Every slot of the table free (0): the parent has no child yet.
//   in:  x0 = pids, x1 = slots
//   registers: x9 = i.  Leaf.
// ---------------------------------------------------------------------------
FUNC init_children
        mov     x9, #0                    // i = 0
init_children_next:
        cmp     x9, x1                    // every slot cleared?
        b.hs    init_children_return
        str     wzr, [x0, x9, lsl #2]     // pids[i] = 0: free
        add     x9, x9, #1
        b       init_children_next
init_children_return:
        ret
ENDFUNC init_children

// ---------------------------------------------------------------------------
// void track_child(int32_t *pids, uint64_t slots, int32_t pid)
//   Put a new child's pid in the first free slot.  There always is one:
//   the table has -c slots and the parent never runs more children.
//   in:  x0 = pids, x1 = slots, w2 = pid
//   registers: x19 = pids, w20 = pid
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC track_child
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = pids
        mov     w20, w2                   // w20 = pid
        mov     w2, #0                    // child_slot(pids, slots, 0):
        CALL    child_slot                //     the first free slot
        tbnz    x0, #63, track_child_return // none (cannot happen below -c): nothing to do
        str     w20, [x19, x0, lsl #2]    // pids[slot] = pid
track_child_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret
ENDFUNC track_child

// ---------------------------------------------------------------------------
// uint64_t reap_children(uint64_t children, int32_t *pids, uint64_t slots)
//   wait4(-1, &status, WNOHANG, NULL) until no ended child is left:
//   children minus the ones reaped (never below 0); each reaped pid
//   leaves the table (a pid is reused only once it has been reaped, so
//   the table never names a stranger).  A child that is not in the table
//   is reaped but not counted: we did not fork it (a process inherits
//   the children of whoever exec'd it -- a wrapper's `tee`, say).
//   in:  x0 = children, x1 = pids, x2 = slots
//   out: x0 = children still running
//   registers: x19 = the count, x20 = pids, x21 = slots
//   stack: 48 bytes (fp, lr, x19..x21, the status word)
//   syscalls: wait4
// ---------------------------------------------------------------------------
FUNC reap_children
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // (sp+40: the status word)
        mov     x19, x0                   // x19 = children
        mov     x20, x1                   // x20 = pids
        mov     x21, x2                   // x21 = slots
reap_children_next:
        mov     x0, #-1                   // wait4(any child,
        add     x1, sp, #40               //     &status (sp+40),
        mov     x2, #WNOHANG              //     do not wait,
        mov     x3, #0                    //     no rusage)
        SYSCALL wait4                     // x0 = pid, 0 (none ended), or carry (ECHILD)
        b.cs    reap_children_done        // no child at all
        cbz     x0, reap_children_done    // none has ended yet
        mov     w2, w0                    // child_slot(pids, slots, pid)
        mov     x0, x20
        mov     x1, x21
        CALL    child_slot                // x0 = its slot, or -1
        tbnz    x0, #63, reap_children_next // not ours: reaped, not counted
        str     wzr, [x20, x0, lsl #2]    // the slot is free again
        cbz     x19, reap_children_next   // never below 0
        sub     x19, x19, #1              // one fewer running
        b       reap_children_next        // another may have ended too
reap_children_done:
        mov     x0, x19                   // the count
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret                               // x0 = children
ENDFUNC reap_children

// ---------------------------------------------------------------------------
// void end_children(int32_t *pids, uint64_t slots)
//   For every child still in the table (the grace period is over):
//   kill(pid, SIGKILL), then wait4(pid) -- that pid only, never -1,
//   which would also wait for a child we did not fork -- and free its
//   slot.  SIGKILL, because the children keep SIGTERM and SIGINT
//   blocked (block_stop_signals) and nothing can block SIGKILL.  Never
//   kill(0, ...): that would reach every process of our group -- the
//   shell or the test harness that started us.
//   in:  x0 = pids, x1 = slots
//   registers: x19 = pids, x20 = slots, x21 = i, x22 = the pid
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: kill, wait4
// ---------------------------------------------------------------------------
FUNC end_children
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = pids
        mov     x20, x1                   // x20 = slots
        mov     x21, #0                   // i = 0
end_children_next:
        cmp     x21, x20                  // every slot done?
        b.hs    end_children_return
        ldrsw   x22, [x19, x21, lsl #2]   // x22 = pids[i], sign-extended for kill
        cbz     x22, end_children_free    // a free slot: nobody to end
        mov     x0, x22                   // kill(pid, SIGKILL,
        mov     x1, #SIGKILL              //     Darwin: posix = 1,
        mov     x2, #1                    //     as libc passes)
        SYSCALL kill                      // a failure (it just ended): wait4 reaps it all the same
        mov     x0, x22                   // wait4(pid, no status,
        mov     x1, #0                    //     wait for it: SIGKILL
        mov     x2, #0                    //     ends it at once,
        mov     x3, #0                    //     no rusage)
        SYSCALL wait4                     // reaped (or ECHILD: already)
        str     wzr, [x19, x21, lsl #2]   // its slot is free
end_children_free:
        add     x21, x21, #1              // the next slot
        b       end_children_next
end_children_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC end_children

// ---------------------------------------------------------------------------
// int accept_backoff(int64_t err)
//   What the parent does after accept failed with err (-errno): EMFILE,
//   ENFILE -> pause_ms(ACCEPT_BACKOFF_MS) and 1 (no descriptor is free:
//   accepting again at once would fail again, at full speed); anything
//   else (ECONNABORTED: a client gave up while queued) -> 0, at once.
//   in:  x0 = err
//   out: w0 = 1 (paused) or 0
//   stack: 16 bytes (fp, lr)
//   syscalls: poll / ppoll (pause_ms)
// ---------------------------------------------------------------------------
FUNC accept_backoff
        stp     x29, x30, [sp, #-16]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        cmn     x0, #EMFILE               // err == -EMFILE?
        b.eq    accept_backoff_pause
        cmn     x0, #ENFILE               // err == -ENFILE?
        b.eq    accept_backoff_pause
        mov     w0, #0                    // try again at once
        b       accept_backoff_return
accept_backoff_pause:
        mov     w0, #ACCEPT_BACKOFF_MS    // pause_ms(ACCEPT_BACKOFF_MS)
        CALL    pause_ms                  // no descriptor: wait, do not spin
        mov     w0, #1                    // paused
accept_backoff_return:
        ldp     x29, x30, [sp], #16
        ret                               // w0 = 1 or 0
ENDFUNC accept_backoff

// ---------------------------------------------------------------------------
// size_t drain_ready(int conn, char *buf, size_t cap)
//   Read (never wait for: conn is non-blocking) up to cap bytes of what
//   conn holds into buf.
//   in:  w0 = conn, x1 = buf, x2 = cap
//   out: x0 = the bytes read
//   registers: x19 = conn, x20 = buf, x21 = cap, x22 = got
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: read
// ---------------------------------------------------------------------------
FUNC drain_ready
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        sxtw    x19, w0                   // x19 = conn
        mov     x20, x1                   // x20 = buf
        mov     x21, x2                   // x21 = cap
        mov     x22, #0                   // got = 0
drain_ready_read:
        cmp     x22, x21                  // got < cap?
        b.hs    drain_ready_done
        mov     x0, x19                   // read(conn, buf + got, cap - got)
        add     x1, x20, x22
        sub     x2, x21, x22
        SYSCALL read                      // x0 = n, or carry + errno
        b.cs    drain_ready_done          // EAGAIN: nothing more now
        cbz     x0, drain_ready_done      // 0: the client closed
        add     x22, x22, x0              // got += n
        b       drain_ready_read
drain_ready_done:
        mov     x0, x22                   // the bytes read
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret                               // x0 = got
ENDFUNC drain_ready

// ---------------------------------------------------------------------------
// void init_refusals(struct refusal *r)
//   Every one of the REFUSE_SLOTS slots free: fd = -1.
//   in:  x0 = r
//   registers: x9 = i, w10 = -1.  Leaf.
// ---------------------------------------------------------------------------
FUNC init_refusals
        mov     x9, #0                    // i = 0
        mov     w10, #-1                  // a free slot's fd
init_refusals_next:
        cmp     x9, #REFUSE_SLOTS         // every slot freed?
        b.hs    init_refusals_return
        str     w10, [x0, #RS_FD]         // r[i].fd = -1
        add     x0, x0, #RS_SIZE          // the next slot
        add     x9, x9, #1
        b       init_refusals_next
init_refusals_return:
        ret
ENDFUNC init_refusals

// ---------------------------------------------------------------------------
// void close_refusals(struct refusal *r)
//   Close every refused connection in the table and free its slot: a new
//   child's copies (only the parent tends them; the parent keeps its own).
//   in:  x0 = r
//   registers: x19 = &r[i], x20 = i
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: close
// ---------------------------------------------------------------------------
FUNC close_refusals
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = &r[0]
        mov     x20, #0                   // i = 0
close_refusals_next:
        cmp     x20, #REFUSE_SLOTS        // every slot looked at?
        b.hs    close_refusals_return
        ldrsw   x0, [x19, #RS_FD]         // r[i].fd
        tbnz    x0, #63, close_refusals_free // -1: a free slot
        SYSCALL close                     // close(fd): the parent keeps its copy
        mov     w9, #-1                   // the slot is free
        str     w9, [x19, #RS_FD]
close_refusals_free:
        add     x19, x19, #RS_SIZE        // the next slot
        add     x20, x20, #1
        b       close_refusals_next
close_refusals_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret
ENDFUNC close_refusals

// ---------------------------------------------------------------------------
// int64_t wait_clients(int listener, struct refusal *r)
//   poll the listener and every refused connection together: a struct
//   pollfd each (POLLIN), only the used slots -- poll refuses an array
//   longer than RLIMIT_NOFILE with EINVAL -- for at most
//   REAP_INTERVAL_MS, REFUSE_WAIT_MS while a refused client is in the
//   table, so that its deadline is kept.  Each used slot's revents goes
//   into r[i].revents (0 for all when poll fails).
//   in:  w0 = listener, x1 = r
//   out: x0 = the listener's revents (0: nobody to accept), or -errno
//   registers: x19 = r, x20 = the entries used; x9..x13 scratch (POLL
//              clobbers x9..x11)
//   stack: 32 bytes (fp, lr, x19, x20) + WAIT_AREA: the pollfd array
//   syscalls: poll (Darwin) / ppoll (Linux)
// ---------------------------------------------------------------------------
        .equ POLLFD_SIZE, PFD_REVENTS + 2 // struct pollfd ends with 16-bit revents: 8 bytes on both
        .equ WAIT_AREA, ((1 + REFUSE_SLOTS) * POLLFD_SIZE + 15) & ~15 // the listener's and one per slot
// excerpt: wait-clients
FUNC wait_clients
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #WAIT_AREA        // struct pollfd p[1 + REFUSE_SLOTS]
        mov     x19, x1                   // x19 = r
        mov     w9, #POLLIN               // events: input (or the end)
        str     w0, [sp, #PFD_FD]         // p[0]: the listener, a client to accept
        strh    w9, [sp, #PFD_EVENTS]
        strh    wzr, [sp, #PFD_REVENTS]
        mov     x2, #REAP_INTERVAL_MS     // the timeout: nobody refused, reap every 200 ms
        mov     x20, #1                   // entries used: the listener's
        mov     x10, #0                   // i = 0
        add     x11, sp, #POLLFD_SIZE     // x11 = the next free entry
        mov     x12, x19                  // x12 = &r[i]
wait_clients_fill:
        cmp     x10, #REFUSE_SLOTS        // every slot looked at?
        b.hs    wait_clients_poll
        str     xzr, [x12, #RS_REVENTS]   // nothing said yet
        ldr     w13, [x12, #RS_FD]        // r[i].fd
        tbnz    w13, #31, wait_clients_next // -1, free: not polled
        str     w13, [x11, #PFD_FD]       // the next entry: r[i].fd, POLLIN
        strh    w9, [x11, #PFD_EVENTS]
        strh    wzr, [x11, #PFD_REVENTS]
        add     x11, x11, #POLLFD_SIZE
        add     x20, x20, #1              // one more entry
        mov     x2, #REFUSE_WAIT_MS       // a refused client: its deadline is near
wait_clients_next:
        add     x10, x10, #1              // the next slot
        add     x12, x12, #RS_SIZE
        b       wait_clients_fill
wait_clients_poll:
        mov     x0, sp                    // poll(p, entries, timeout)
        mov     x1, x20
        POLL                              // x0 = descriptors ready, or carry + errno
        b.cc    wait_clients_copy
        neg     x0, x0                    // -errno (EINTR: the caller loops anyway)
        b       wait_clients_return       //     (every revents stays 0)
wait_clients_copy:
        mov     x10, #0                   // i = 0, the same order as above
        add     x11, sp, #POLLFD_SIZE     // x11 = the entry of the next used slot
        mov     x12, x19                  // x12 = &r[i]
wait_clients_copy_next:
        cmp     x10, #REFUSE_SLOTS        // every slot told?
        b.hs    wait_clients_result
        ldr     w13, [x12, #RS_FD]        // a used slot?
        tbnz    w13, #31, wait_clients_copy_skip
        ldrh    w13, [x11, #PFD_REVENTS]  // r[i].revents = its entry's revents
        str     x13, [x12, #RS_REVENTS]   //     (ldrh zero-extends into x13)
        add     x11, x11, #POLLFD_SIZE
wait_clients_copy_skip:
        add     x10, x10, #1              // the next slot
        add     x12, x12, #RS_SIZE
        b       wait_clients_copy_next
wait_clients_result:
        ldrh    w0, [sp, #PFD_REVENTS]    // the listener's revents (0: nobody)
wait_clients_return:
        add     sp, sp, #WAIT_AREA        // drop the array
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // x0 = revents or -errno
ENDFUNC wait_clients
// excerpt end

// ---------------------------------------------------------------------------
// void answer_refusal(int conn, const struct config *cfg)
//   The parent's 503 on the non-blocking conn: up to REFUSE_DRAIN_MAX
//   request bytes read if they are there (never waiting), `503 Service
//   Unavailable` with `Retry-After: RETRY_AFTER_SECONDS` and lesson 09's
//   page (no body if those bytes began "HEAD "), shutdown(SHUT_WR), what
//   has come meanwhile read again.
//   in:  w0 = conn, x1 = cfg
//   registers: x19 = conn, x20 = cfg, x21 = is_head, x22 = extra_len
//   stack: 48 bytes (fp, lr, x19..x22) + REFUSE_AREA: the request bytes
//          at sp, the Retry-After line above them
//   syscalls: read, write, sendfile, openat, fstat, close (through
//             send_error_page), shutdown
// ---------------------------------------------------------------------------
        .equ REFUSE_BUF, 0                // REFUSE_DRAIN_MAX request bytes
        .equ REFUSE_EXTRA, REFUSE_DRAIN_MAX // HEAD_MAX bytes: "Retry-After: 1\r\n"
        .equ REFUSE_AREA, REFUSE_EXTRA + HEAD_MAX // a multiple of 16
FUNC answer_refusal
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        sub     sp, sp, #(REFUSE_AREA & 0xfff000) // the request bytes and the extra
        sub     sp, sp, #(REFUSE_AREA & 0xfff) //   line, in two parts (12-bit immediates)
        sxtw    x19, w0                   // x19 = conn
        mov     x20, x1                   // x20 = cfg
        str     xzr, [sp, #REFUSE_BUF]    // begins_with_head reads 5 bytes
        mov     w0, w19                   // drain_ready(conn, buf, REFUSE_DRAIN_MAX)
        add     x1, sp, #REFUSE_BUF
        mov     x2, #REFUSE_DRAIN_MAX
        CALL    drain_ready               // x0 = the request, as far as it came
        mov     x21, #0                   // is_head = 0 ...
        cmp     x0, #5                    // ... unless 5 bytes came
        b.lo    answer_refusal_extra
        add     x0, sp, #REFUSE_BUF       // and they say "HEAD "
        CALL    begins_with_head          // w0 = 1 or 0
        mov     w21, w0
answer_refusal_extra:
        add     x0, sp, #REFUSE_EXTRA     // head_add_u64(extra, 0,
        mov     x1, #0
        LOAD_ADDR x2, field_retry_after   //     "Retry-After",
        mov     x3, #RETRY_AFTER_SECONDS  //     1)
        CALL    head_add_u64              // x0 = the line's length
        mov     x22, x0
        mov     w0, w19                   // send_error_page(conn, 503, is_head,
        mov     w1, #503                  //     extra, extra_len, cfg->error_fd)
        mov     w2, w21
        add     x3, sp, #REFUSE_EXTRA
        mov     x4, x22
        ldr     x5, [x20, #CFG_ERROR_FD]
        CALL    send_error_page           // a client that left: nothing to do
        mov     x0, x19                   // shutdown(conn, SHUT_WR):
        mov     x1, #SHUT_WR              //     our FIN after the 503
        SYSCALL shutdown
        mov     w0, w19                   // drain_ready again: what came
        add     x1, sp, #REFUSE_BUF       // meanwhile, so the close does
        mov     x2, #REFUSE_DRAIN_MAX     // not reset it
        CALL    drain_ready
        add     sp, sp, #(REFUSE_AREA & 0xfff) // drop the buffers ...
        add     sp, sp, #(REFUSE_AREA & 0xfff000) // ... both parts
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC answer_refusal

// ---------------------------------------------------------------------------
// void refuse_client(int conn, const struct config *cfg, struct refusal *r)
//   The parent's own answer when no child can take conn: conn made
//   non-blocking (the parent never waits on a client) and put in the
//   first free slot, waiting for its request until REFUSE_WAIT_MS from
//   now (tend_refusals answers it).  No free slot: answer_refusal with
//   what has come so far, and close, at once.
//   in:  w0 = conn, x1 = cfg, x2 = r
//   registers: x19 = conn, x20 = cfg, x21 = &r[i], x22 = i
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: fcntl, gettimeofday (now_ms); a full table: answer_refusal's,
//             close
// ---------------------------------------------------------------------------
FUNC refuse_client
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        sxtw    x19, w0                   // x19 = conn
        mov     x20, x1                   // x20 = cfg
        mov     x21, x2                   // x21 = &r[0]
        mov     x0, x19                   // fcntl(conn, F_SETFL, O_NONBLOCK):
        mov     x1, #F_SETFL              //     never wait on this client
        mov     x2, #O_NONBLOCK
        SYSCALL fcntl                     // a failure: reads may wait (SO_RCVTIMEO is not set)
        mov     x22, #0                   // i = 0
refuse_client_slot:
        cmp     x22, #REFUSE_SLOTS        // every slot taken?
        b.hs    refuse_client_full
        ldr     w9, [x21, #RS_FD]         // r[i].fd: -1 is free
        tbnz    w9, #31, refuse_client_park
        add     x21, x21, #RS_SIZE        // taken: the next slot
        add     x22, x22, #1
        b       refuse_client_slot
refuse_client_park:
        CALL    now_ms                    // its request has REFUSE_WAIT_MS to come
        add     x0, x0, #REFUSE_WAIT_MS
        str     x0, [x21, #RS_DEADLINE]
        str     w19, [x21, #RS_FD]        // the slot is conn's,
        str     wzr, [x21, #RS_ANSWERED]  //     not answered yet,
        str     xzr, [x21, #RS_REVENTS]   //     nothing polled yet
        b       refuse_client_return      // tend_refusals answers it
refuse_client_full:
        mov     w0, w19                   // the table is full: answer now
        mov     x1, x20                   // answer_refusal(conn, cfg),
        CALL    answer_refusal            //     with what came so far
        mov     x0, x19                   // close(conn)
        SYSCALL close
refuse_client_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC refuse_client

// ---------------------------------------------------------------------------
// void tend_refusal(struct refusal *s, const struct config *cfg, uint64_t now)
//   One used slot, at now (ms).  Waiting, and its bytes came (revents) or
//   its time is up: answer_refusal, answered, deadline = now +
//   REFUSE_LINGER_MS.  Answered, and something came: one read (poll says
//   if more is there) -- 0 (the client closed) or an error but EAGAIN:
//   close, slot free.  Answered and its time up: close, slot free.
//   in:  x0 = s, x1 = cfg, x2 = now
//   registers: x19 = s, x20 = cfg, x21 = now
//   stack: 32 bytes (fp, lr, x19, x20) + 16 (x21, padding); for the late
//          bytes REFUSE_DRAIN_MAX more, while the read runs
//   syscalls: answer_refusal's; read, close
// ---------------------------------------------------------------------------
// excerpt: tend-refusal
FUNC tend_refusal
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // (sp + 40: padding)
        mov     x19, x0                   // x19 = s
        mov     x20, x1                   // x20 = cfg
        mov     x21, x2                   // x21 = now
        ldr     w9, [x19, #RS_ANSWERED]   // answered already?
        cbnz    w9, tend_refusal_linger
        ldr     x9, [x19, #RS_REVENTS]    // waiting: its bytes came?
        cbnz    x9, tend_refusal_answer
        ldr     x9, [x19, #RS_DEADLINE]   // no: its time up?
        cmp     x21, x9
        b.lo    tend_refusal_return       // no byte yet, and still time
tend_refusal_answer:
        ldr     w0, [x19, #RS_FD]         // answer_refusal(fd, cfg): the request
        mov     x1, x20                   //     (or its time) is here
        CALL    answer_refusal
        mov     w9, #1                    // answered
        str     w9, [x19, #RS_ANSWERED]
        mov     x9, #REFUSE_LINGER_MS     // now linger, boundedly:
        add     x9, x21, x9               //     deadline = now + REFUSE_LINGER_MS
        str     x9, [x19, #RS_DEADLINE]
        b       tend_refusal_return
tend_refusal_linger:
        ldr     x9, [x19, #RS_REVENTS]    // late bytes, or the client's close?
        cbz     x9, tend_refusal_clock    // nothing: only the clock
        sub     sp, sp, #REFUSE_DRAIN_MAX // a buffer for them
        ldrsw   x0, [x19, #RS_FD]         // read(fd, buf, REFUSE_DRAIN_MAX):
        mov     x1, sp                    //     one read, poll tells us if
        mov     x2, #REFUSE_DRAIN_MAX     //     more is there
        SYSCALL read                      // x0 = n, or carry + errno
        add     sp, sp, #REFUSE_DRAIN_MAX // drop the buffer (add keeps the flags)
        b.cc    tend_refusal_read
        cmp     x0, #EAGAIN               // nothing after all?
        b.ne    tend_refusal_close        // another error: close
        b       tend_refusal_clock
tend_refusal_read:
        cbz     x0, tend_refusal_close    // 0: the client closed
tend_refusal_clock:
        ldr     x9, [x19, #RS_DEADLINE]   // its time up?
        cmp     x21, x9
        b.lo    tend_refusal_return       // no: keep lingering
tend_refusal_close:
        ldrsw   x0, [x19, #RS_FD]         // close(fd): nothing unread, so a
        SYSCALL close                     //     FIN, no reset
        mov     w9, #-1                   // the slot is free
        str     w9, [x19, #RS_FD]
tend_refusal_return:
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC tend_refusal
// excerpt end

// ---------------------------------------------------------------------------
// void tend_refusals(struct refusal *r, const struct config *cfg)
//   tend_refusal for every used slot, with one now_ms().
//   in:  x0 = r, x1 = cfg
//   registers: x19 = &r[i], x20 = cfg, x21 = i, x22 = now
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: gettimeofday; tend_refusal's
// ---------------------------------------------------------------------------
FUNC tend_refusals
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = &r[0]
        mov     x20, x1                   // x20 = cfg
        mov     x21, #0                   // i = 0
        CALL    now_ms                    // one clock for the whole table
        mov     x22, x0                   // x22 = now
tend_refusals_next:
        cmp     x21, #REFUSE_SLOTS        // every slot looked at?
        b.hs    tend_refusals_return
        ldr     w9, [x19, #RS_FD]         // a free slot (-1)?
        tbnz    w9, #31, tend_refusals_skip
        mov     x0, x19                   // tend_refusal(&r[i], cfg, now)
        mov     x1, x20
        mov     x2, x22
        CALL    tend_refusal
tend_refusals_skip:
        add     x19, x19, #RS_SIZE        // the next slot
        add     x21, x21, #1
        b       tend_refusals_next
tend_refusals_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC tend_refusals

// ---------------------------------------------------------------------------
// int64_t fork_counted(int listener, int conn, connection_handler handler,
//                      const struct config *cfg, struct refusal *r)
//   Lesson 02's fork_connection, except that a failed fork (EAGAIN under
//   a process limit, ENOMEM) is answered with refuse_client (503) instead
//   of a silent close, and that the child also closes its copies of the
//   refused connections (close_refusals).
//   in:  w0 = listener, w1 = conn, x2 = handler, x3 = cfg, x4 = r
//   out: x0 = the child's pid (parent), or -errno.  The child never returns.
//   registers: x19 = listener, x20 = conn, x21 = handler, x22 = cfg,
//              x23 = pid or -errno, x24 = r
//   stack: 64 bytes (fp, lr, x19..x24)
//   syscalls: fork (Darwin) / clone (Linux), close, exit; refuse_client's
// ---------------------------------------------------------------------------
FUNC fork_counted
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        sxtw    x19, w0                   // x19 = listener
        sxtw    x20, w1                   // x20 = conn
        mov     x21, x2                   // x21 = handler
        mov     x22, x3                   // x22 = cfg
        mov     x24, x4                   // x24 = r
        FORK                              // two processes return from here
        b.cs    fork_counted_failed       // carry: no child, x0 = errno
        cbz     x0, fork_counted_child    // x0 == 0: we are the child
        mov     x23, x0                   // parent: x23 = the child's pid
        mov     x0, x20                   // close(conn): the child has its copy
        SYSCALL close
        mov     x0, x23                   // the pid
        b       fork_counted_return
fork_counted_child:
        mov     x0, x19                   // close(listener): as lesson 02's child
        SYSCALL close
        mov     x0, x24                   // close_refusals(r): the parent
        CALL    close_refusals            //     tends those
        mov     w0, w20                   // handler(conn, cfg)
        mov     x1, x22
        blr     x21
        mov     x0, #0                    // exit status 0
        SYSCALL exit                      // never returns
fork_counted_failed:
        neg     x23, x0                   // x23 = -errno
        mov     w0, w20                   // refuse_client(conn, cfg, r):
        mov     x1, x22                   //     no child to answer, so we do
        mov     x2, x24
        CALL    refuse_client
        mov     x0, x23                   // -errno
fork_counted_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret                               // x0 = pid or -errno
ENDFUNC fork_counted

// ---------------------------------------------------------------------------
// int64_t block_stop_signals(void)
//   sigprocmask(SIG_BLOCK, {SIGINT, SIGTERM}, NULL): from now on the two
//   signals that ask the server to stop wait, pending, until the parent
//   asks for them (stop_requested).  No handler runs, so there is no flag
//   for one to set (no writable global) and no Darwin trampoline.  A
//   child inherits the mask (fork keeps it and empties the pending set):
//   a terminal's Ctrl-C, which signals the whole process group, does not
//   cut a download short.
//   out: x0 = 0 or -errno
//   registers: x9 = the set.  stack: 16 bytes (the set: 32 bits on
//              Darwin, 64 on Linux)
//   syscalls: sigprocmask (Darwin) / rt_sigprocmask (Linux)
// ---------------------------------------------------------------------------
// excerpt: block-stop-signals
FUNC block_stop_signals
        sub     sp, sp, #16               // the set, 16-aligned
        mov     x9, #SIGSET_STOP          // bits SIGINT - 1 and SIGTERM - 1
        str     x9, [sp]                  // 64 bits: Darwin reads the low 32
        mov     x0, #SIG_BLOCK            // sigprocmask(SIG_BLOCK,
        mov     x1, sp                    //     &set,
        mov     x2, #0                    //     no old mask)
        SIGPROCMASK                       // Linux: x3 = the set's size
        b.cc    block_stop_signals_ok
        neg     x0, x0                    // -errno
        b       block_stop_signals_return
block_stop_signals_ok:
        mov     x0, #0                    // blocked
block_stop_signals_return:
        add     sp, sp, #16               // drop the set
        ret                               // x0 = 0 or -errno
ENDFUNC block_stop_signals
// excerpt end

// ---------------------------------------------------------------------------
// int stop_requested(void)
//   Is SIGTERM or SIGINT pending (blocked by block_stop_signals, so
//   waiting for us)?  sigpending fills in the set of pending signals.
//   out: w0 = 1 or 0 (also 0 when sigpending fails: nothing to tell)
//   registers: x9 = the pending set, x10 = SIGSET_STOP.  stack: 16 bytes
//   syscalls: sigpending (Darwin) / rt_sigpending (Linux)
// ---------------------------------------------------------------------------
// excerpt: stop-requested
FUNC stop_requested
        sub     sp, sp, #16               // the set, 16-aligned
        str     xzr, [sp]                 // Darwin writes 32 bits: the rest stays 0
        mov     x0, sp                    // sigpending(&set)
        SIGPENDING                        // Linux: x1 = the set's size
        b.cs    stop_requested_no         // failed: nothing to tell
        ldr     x9, [sp]                  // the pending signals
        mov     x10, #SIGSET_STOP         // (not a logical immediate: via a register)
        tst     x9, x10                   // SIGINT or SIGTERM among them?
        cset    w0, ne                    // 1 if so
        b       stop_requested_return
stop_requested_no:
        mov     w0, #0                    // no stop asked for
stop_requested_return:
        add     sp, sp, #16               // drop the set
        ret                               // w0 = 1 or 0
ENDFUNC stop_requested
// excerpt end

// ---------------------------------------------------------------------------
// void shut_down(int listener, uint64_t children, int32_t *pids,
//                uint64_t slots)
//   The parent's way out after SIGTERM or SIGINT; never returns.  Close
//   the listener (the kernel refuses new clients from now on), then reap
//   until no child is left -- or, once SHUTDOWN_GRACE_SECONDS have
//   passed, end the stragglers (end_children: SIGKILL, and wait4 for
//   each).  Exit status 0: the stop was asked for.
//   in:  w0 = listener, x1 = children, x2 = pids, x3 = slots
//   registers: x19 = children, x20 = pids, x21 = slots, x22 = the end
//              of the grace period (ms)
//   stack: 48 bytes (fp, lr, x19..x22): never given back
//   syscalls: close, wait4, gettimeofday, poll / ppoll, kill, exit
//             (through the stage's functions)
// ---------------------------------------------------------------------------
// excerpt: shut-down
FUNC shut_down
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // (never restored: we exit)
        mov     x19, x1                   // x19 = children
        mov     x20, x2                   // x20 = pids
        mov     x21, x3                   // x21 = slots
        sxtw    x0, w0                    // close(listener): new clients
        SYSCALL close                     //     are refused from now on
        CALL    now_ms                    // the grace ends SHUTDOWN_GRACE_SECONDS from now
        mov     x9, #(SHUTDOWN_GRACE_SECONDS * MS_PER_SECOND)
        add     x22, x0, x9               // x22 = the end of the grace
shut_down_reap:
        mov     x0, x19                   // reap_children(children, pids, slots)
        mov     x1, x20
        mov     x2, x21
        CALL    reap_children             // x0 = children still running
        mov     x19, x0
        cbz     x19, shut_down_exit       // all done: exit
        CALL    now_ms                    // the grace over?
        cmp     x0, x22
        b.hs    shut_down_end             // yes: end the stragglers
        mov     w0, #REAP_INTERVAL_MS     // pause_ms(REAP_INTERVAL_MS)
        CALL    pause_ms                  // and look again
        b       shut_down_reap
shut_down_end:
        mov     x0, x20                   // end_children(pids, slots):
        mov     x1, x21                   //     SIGKILL for each one left,
        CALL    end_children              //     and reap it
shut_down_exit:
        mov     x0, #0                    // exit(0): we stopped because we were asked to
        SYSCALL exit                      // never returns
ENDFUNC shut_down
// excerpt end

// ---------------------------------------------------------------------------
// int step_arm_deadlines(struct exchange *x)
//   SO_RCVTIMEO and SO_SNDTIMEO = cfg->deadline seconds on x.sock: a read
//   or a write that moves no byte for that long fails with EAGAIN.
//   in:  x0 = x.  out: w0 = STEP_NEXT (a failure only loses the deadline)
//   registers: x19 = x, x20 = the milliseconds
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: setsockopt
// ---------------------------------------------------------------------------
FUNC step_arm_deadlines
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        ldr     x9, [x19, #X_CFG]         // cfg->deadline, in ms
        ldr     x9, [x9, #CFG_DEADLINE]
        mov     x10, #MS_PER_SECOND
        mul     x20, x9, x10              // x20 = ms
        ldr     x0, [x19, #X_SOCK]        // set_socket_timeout(sock, SO_RCVTIMEO, ms)
        mov     w1, #SO_RCVTIMEO          // a read that waits this long fails
        mov     x2, x20
        CALL    set_socket_timeout
        ldr     x0, [x19, #X_SOCK]        // set_socket_timeout(sock, SO_SNDTIMEO, ms)
        mov     w1, #SO_SNDTIMEO          // so does a write that moves no byte
        mov     x2, x20
        CALL    set_socket_timeout
        mov     w0, #STEP_NEXT            // go on
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret
ENDFUNC step_arm_deadlines

// ---------------------------------------------------------------------------
// int step_await_head(struct exchange *x)
//   Read into x.buf (x.read_len bytes so far), each read only after poll
//   says a byte is there, until head_ready: STEP_NEXT, and step_read_head
//   starts from those bytes.  The client closed or failed: STEP_NEXT
//   (step_read_head sees it).  cfg->deadline seconds after the start:
//   nothing came -> STEP_DONE (close, no answer); part of a head -> 408,
//   x.linger = 1, x.req.is_head from begins_with_head.  Every wait is for
//   the time left, so bytes that trickle in never push the deadline back.
//   in:  x0 = x.  out: w0 = STEP_NEXT, STEP_DONE or 408
//   registers: x19 = x, x20 = deadline (ms), x21 = x.buf
//   stack: 32 bytes (fp, lr, x19, x20) + 16 (x21, padding)
//   syscalls: gettimeofday, poll / ppoll, read
// ---------------------------------------------------------------------------
// excerpt: await-head
FUNC step_await_head
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // (sp + 40: padding)
        mov     x19, x0                   // x19 = x
        mov     x21, #X_BUF               // (X_BUF does not fit add's immediate)
        add     x21, x19, x21             // x21 = x.buf
        CALL    now_ms                    // deadline = now + cfg->deadline s
        ldr     x9, [x19, #X_CFG]
        ldr     x9, [x9, #CFG_DEADLINE]
        mov     x10, #MS_PER_SECOND
        madd    x20, x9, x10, x0          // x20 = the deadline
        str     xzr, [x21]                // begins_with_head reads 5 bytes
// is a whole head there (or the buffer full)?  then step_read_head will not wait
step_await_head_look:
        mov     x0, x21                   // head_ready(x.buf, x.read_len)
        ldr     x1, [x19, #X_READ_LEN]
        CALL    head_ready
        cbnz    w0, step_await_head_next  // yes: step_read_head takes it from here
        CALL    now_ms                    // x0 = now
        cmp     x0, x20                   // past the deadline?
        b.hs    step_await_head_late
// wait for a byte, at most the time left
        sub     x1, x20, x0               // wait_readable(sock, deadline - now)
        ldr     x0, [x19, #X_SOCK]
        CALL    wait_readable             // x0 = revents, 0 or -errno
        cbz     x0, step_await_head_look  // no byte yet: the clock decides
        cmn     x0, #EINTR                // -EINTR: a signal
        b.eq    step_await_head_look      // the clock decides
        tbnz    x0, #63, step_await_head_next // broken: step_read_head sees it
// a byte is there: take what has come (poll said it will not wait)
        ldr     x9, [x19, #X_READ_LEN]    // read(sock, x.buf + read_len,
        ldr     x0, [x19, #X_SOCK]
        add     x1, x21, x9               //      REQ_HEAD_MAX - read_len)
        mov     x2, #REQ_HEAD_MAX         //      (head_ready said: not full)
        sub     x2, x2, x9
        SYSCALL read                      // x0 = bytes, or carry + errno
        b.cc    step_await_head_got
        cmp     x0, #EINTR                // a signal: the clock decides
        b.eq    step_await_head_look
        b       step_await_head_next      // broken: step_read_head sees it
step_await_head_got:
        cbz     x0, step_await_head_next  // closed: step_read_head sees it
        ldr     x9, [x19, #X_READ_LEN]    // read_len += n: step_read_head
        add     x9, x9, x0                // starts from these bytes
        str     x9, [x19, #X_READ_LEN]
        b       step_await_head_look      // a whole head now?
// the deadline passed
step_await_head_late:
        ldr     x9, [x19, #X_READ_LEN]    // any byte at all?
        cbz     x9, step_await_head_silent // not a byte: nobody to answer
        mov     x0, x21                   // begins_with_head(x.buf):
        CALL    begins_with_head          // all we know of the method
        and     x0, x0, #1                // (an int: 0 or 1 in 64 bits)
        str     x0, [x19, #(X_REQ + REQ_IS_HEAD)]
        mov     x9, #1                    // x.linger = 1: the rest of the
        str     x9, [x19, #X_LINGER]      // head may still come
        mov     w0, #408                  // Request Timeout (RFC 9110 §15.5.9)
        b       step_await_head_return
step_await_head_silent:
        mov     w0, #STEP_DONE            // close, no answer
        b       step_await_head_return
step_await_head_next:
        mov     w0, #STEP_NEXT            // step_read_head goes on
step_await_head_return:
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret                               // w0 = STEP_NEXT, STEP_DONE or 408
ENDFUNC step_await_head
// excerpt end

// ---------------------------------------------------------------------------
// int step_arm_body_deadline(struct exchange *x)
//   After step_check_framing (content_length is known; no 64-bit length
//   overflows: 2^64 / UPLOAD_MIN_RATE * 1000 < 2^61): x.body_deadline =
//   now + the grace (cfg->deadline seconds) + content_length /
//   UPLOAD_MIN_RATE seconds.  Lesson 09's receive_body answers 408 once it has passed.
//   in:  x0 = x.  out: w0 = STEP_NEXT
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: gettimeofday (now_ms)
// ---------------------------------------------------------------------------
// excerpt: body-deadline
FUNC step_arm_body_deadline
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x0                   // x19 = x
        CALL    now_ms                    // x0 = now (ms)
        ldr     x9, [x19, #X_CFG]         // the grace: cfg->deadline seconds
        ldr     x9, [x9, #CFG_DEADLINE]
        ldr     x10, [x19, #(X_REQ + REQ_CONTENT_LENGTH)] // the body's length
        mov     x11, #UPLOAD_MIN_RATE     // at the slowest rate we wait for:
        udiv    x10, x10, x11             //   its seconds
        add     x9, x9, x10               // seconds = grace + those
        mov     x11, #MS_PER_SECOND
        madd    x0, x9, x11, x0           // now + seconds * 1000
        str     x0, [x19, #X_BODY_DEADLINE] // receive_body: 408 after this
        mov     w0, #STEP_NEXT            // go on
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_NEXT
ENDFUNC step_arm_body_deadline
// excerpt end

// ---------------------------------------------------------------------------
// void bound_linger(struct exchange *x)
//   Before lesson 03's linger_close: when x.linger, an ITIMER_REAL of
//   cfg->deadline seconds.  Its SIGALRM keeps the default action --
//   terminate -- so the child ends then, however slowly the client keeps
//   sending; no handler runs, so none needs Darwin's trampoline.
//   in:  x0 = x
//   registers: none saved.  stack: 32 bytes (struct itimerval)
//   syscalls: setitimer
// ---------------------------------------------------------------------------
FUNC bound_linger
        ldr     x9, [x0, #X_LINGER]       // will linger_close read?
        cbz     x9, bound_linger_return   // no: nothing to bound
        ldr     x9, [x0, #X_CFG]          // cfg->deadline seconds
        ldr     x9, [x9, #CFG_DEADLINE]
        sub     sp, sp, #ITIMERVAL_SIZE   // struct itimerval t
        stp     xzr, xzr, [sp, #IT_INTERVAL] // once: no interval
        str     x9, [sp, #(IT_VALUE + TV_SEC)] // it_value = deadline s
        str     xzr, [sp, #(IT_VALUE + TV_USEC)] // and 0 us
        mov     x0, #ITIMER_REAL          // setitimer(ITIMER_REAL, &t, NULL)
        mov     x1, sp
        mov     x2, #0
        SYSCALL setitimer                 // SIGALRM's default action ends the child
        add     sp, sp, #ITIMERVAL_SIZE   // drop t
bound_linger_return:
        ret
ENDFUNC bound_linger
