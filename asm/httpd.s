// asm/httpd.s -- the spine: main, the accept loop, and the per-connection
// pipeline.  Everything else is a stage (asm/NN-*.s) this file calls.
//
// C++ twin: cpp/httpd.cpp.  Built for every lesson from 01 on, with
// LESSON=N: each step a lesson adds sits in an `.if LESSON >= N` block,
// so lesson N's binary contains exactly stages 0..N and the difference
// between two lessons is the lines inside one block.
//
//   main             parse_args -> open_listener -> listening line -> serve_forever
//   serve_forever    accept_client; lesson 01: handle it here, close;
//                    lesson 02+: fork_connection (the child handles it)
//   handle_connection   lesson 01-02: one read, the fixed hello
//                       lesson 03+:  read_request_head, parse_request,
//                                    send_error / send_echo (03) / serve_file (04)

        .include "os.inc"
        .include "records.inc"

        PROGRAM_ENTRY httpd_main          // _start / _main -> httpd_main(argc, argv)

        .equ CHAR_SP, 32

// ---------------------------------------------------------------------------
// void handle_connection(int conn, const struct config *cfg)
//   One connection, one response (or none if the client sent nothing).
//   The caller closes conn (lesson 01) or exits (lesson 02's child).
//   in:  w0 = conn, x1 = cfg
//   registers: x19 = conn, x20 = docroot (used from lesson 04),
//              lesson 03+: x21 = the request record, x22 = the read
//              buffer, x23 = head length, then the status to answer,
//              w2/x2 = is_head for send_error
//   stack: 64 bytes (fp, lr, x19..x23) + lesson 01-02: HELLO_READ_MAX
//          buffer; lesson 03+: REQ_HEAD_MAX buffer + REQ_AREA record
//   syscalls: read, write (through the stages)
// ---------------------------------------------------------------------------
        .equ REQ_AREA, (REQ_SIZE + 15) & ~15   // struct request, 16-aligned (lesson 03+)
FUNC handle_connection
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: padding)
        sxtw    x19, w0                   // x19 = conn
        ldr     x20, [x1, #CFG_DOCROOT]   // x20 = docroot

.if LESSON < 3
// lesson 01-02: read once (whatever the client sent), answer hello.
// read returning 0: the client sent nothing and closed -> no response.
        sub     sp, sp, #HELLO_READ_MAX   // char buf[HELLO_READ_MAX]
        mov     x0, x19                   // read(conn,
        mov     x1, sp                    // buf,
        mov     x2, #HELLO_READ_MAX       // sizeof buf)
        SYSCALL read                      // x0 = bytes read, or carry + errno
        // drop buf at once (the bytes are not looked at): `add`, unlike
        // `adds`, leaves the flags alone, so b.cs still sees read's carry
        add     sp, sp, #HELLO_READ_MAX   // char buf[] ends here, carry survives
        b.cs    handle_connection_done    // read failed: nobody to answer
        cbz     x0, handle_connection_done // 0 bytes: the client left
        mov     w0, w19                   // send_hello(conn)
        CALL    send_hello                // 200 "hello from metal-httpd"
.else
// lesson 03+: the request head into a buffer, parsed into a record
        sub     sp, sp, #REQ_HEAD_MAX     // char buf[REQ_HEAD_MAX] ...
        sub     sp, sp, #REQ_AREA         // ... struct request req below it
        mov     x21, sp                   // x21 = &req
        add     x22, sp, #REQ_AREA        // x22 = buf
        str     xzr, [x22]                // blank 8 bytes: "HEAD " test below
        mov     x0, x19                   // read_request_head(conn,
        mov     x1, x22                   // buf,
        mov     x2, #REQ_HEAD_MAX         // sizeof buf)
        CALL    read_request_head         // length, 0, or -400/-414/-431
        mov     x23, x0                   // x23 = length, or -status
        cbz     x23, handle_connection_free // nothing sent: no response
        tbz     x23, #63, handle_connection_parse // positive: a whole head to parse
        // reading failed: answer -x23, without a body if the bytes we
        // have begin with "HEAD " (RFC 9110 §9.3.2)
        neg     x23, x23                  // x23 = the status (400 / 414 / 431)
        ldr     w0, [x22]                 // "HEAD" as one 32-bit load
        movz    w1, #(('E' << 8) | 'H')   // w1 = "HEAD" as a little-endian word:
        movk    w1, #(('D' << 8) | 'A'), lsl #16 // bytes 'H' 'E' 'A' 'D', lowest first
        cmp     w0, w1                    // do the first 4 bytes say HEAD?
        ldrb    w0, [x22, #4]             // byte 4 (ldrb leaves the flags alone)
        mov     w1, #CHAR_SP              // must be ' ' (and mov keeps the flags)
        ccmp    w0, w1, #0, eq            // "HEAD" matched: and then a space?
        cset    w2, eq                    // is_head (no match: flags say ne)
        b       handle_connection_error   // send_error(conn, x23, w2)
handle_connection_parse:
        mov     x0, x22                   // parse_request(buf,
        mov     x1, x23                   // len,
        mov     x2, x21                   // &req)
        CALL    parse_request             // fills req as far as it gets
        mov     x23, x0                   // 0, or the status to answer
        ldr     x2, [x21, #REQ_IS_HEAD]   // known even when parsing failed
        cbnz    x23, handle_connection_error // not 0: answer with that status
  .if LESSON >= 4
// lesson 04+: the file at docroot + path
        mov     w0, w19                   // serve_file(conn,
        mov     x1, x20                   //            docroot,
        ldp     x2, x3, [x21, #REQ_PATH_PTR] //         path, path_len,
        ldr     x4, [x21, #REQ_IS_HEAD]   //            is_head)
        CALL    serve_file                // x0 = 0, or -403 / -404 / -414 / -500
        tbz     x0, #63, handle_connection_free // 0: answered
        neg     x23, x0                   // -status -> status
        ldr     x2, [x21, #REQ_IS_HEAD]   // is_head again (serve_file used x2)
        b       handle_connection_error   // 403 / 404 / 414 / 500
  .else
// lesson 03: echo what the parser understood
        mov     w0, w19                   // send_echo(conn,
        mov     x1, x21                   // &req)
        CALL    send_echo                 // 200 with what was understood
        b       handle_connection_free    // answered: skip send_error
  .endif
handle_connection_error:
        mov     w0, w19                   // send_error(conn, status, is_head)
        mov     w1, w23                   // the status (x2 = is_head is set)
        CALL    send_error                // (its failure: nothing left to do)
handle_connection_free:
        add     sp, sp, #REQ_AREA         // drop the record ...
        add     sp, sp, #REQ_HEAD_MAX     // ... and the buffer
.endif
handle_connection_done:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // void: nothing to return
ENDFUNC handle_connection

// ---------------------------------------------------------------------------
// void serve_forever(int listener, const struct config *cfg)
//   accept, answer, repeat.  Never returns.
//   in:  w0 = listener, x1 = cfg
//   registers: x19 = listener, x20 = cfg, x21 = conn
//   stack: 48 bytes (fp, lr, x19..x21, padding)
//   syscalls: accept, close, sigaction, fork (through the stages)
// ---------------------------------------------------------------------------
FUNC serve_forever
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        sxtw    x19, w0                   // x19 = listener
        mov     x20, x1                   // x20 = cfg
.if LESSON >= 2
// lesson 02: children that exit are reaped by the kernel -- no zombies
        mov     w0, #SIGCHLD              // ignore_signal(SIGCHLD)
        CALL    ignore_signal             // (a failure only means zombies)
.endif
serve_forever_accept:
        mov     w0, w19                   // accept_client(listener)
        CALL    accept_client             // wait for the next client
        tbnz    x0, #63, serve_forever_accept // ECONNABORTED, EMFILE ...: try again
        mov     x21, x0                   // x21 = conn
.if LESSON >= 2
// lesson 02: a child process answers; we go straight back to accept
        mov     w0, w19                   // fork_connection(listener,
        mov     w1, w21                   //     conn,
        LOAD_ADDR x2, handle_connection   //     handle_connection,
        mov     x3, x20                   //     cfg)
        CALL    fork_connection           // the parent closes conn in there
.else
// lesson 01: answer it ourselves -- the next client waits meanwhile
        mov     w0, w21                   // handle_connection(conn,
        mov     x1, x20                   // cfg)
        CALL    handle_connection         // reads, answers (or not)
        mov     x0, x21                   // close(conn)
        SYSCALL close                     // the client sees the end of the response
.endif
        b       serve_forever_accept      // the next client
ENDFUNC serve_forever

// ---------------------------------------------------------------------------
// int httpd_main(int argc, char **argv)
//   in:  w0 = argc, x1 = argv
//   out: w0 = exit status: 2 bad arguments, 1 cannot listen (never 0:
//        the server runs until it is killed)
//   registers: x19 = listener fd, x20 = port asked for
//   stack: 32 bytes (fp, lr, x19, x20) + CFG area (struct config at sp)
//   syscalls: write, sigaction, socket, setsockopt, bind, listen,
//             getsockname (through the stages)
// ---------------------------------------------------------------------------
        .equ CFG_AREA, (CFG_SIZE + 15) & ~15
FUNC httpd_main
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #CFG_AREA         // struct config cfg
        mov     x2, sp                    // parse_args(argc, argv, &cfg)
        CALL    parse_args                // argc, argv already in w0, x1
        tbnz    w0, #31, httpd_main_usage // the message is out: status 2
        // a client that leaves early must not kill us with SIGPIPE:
        // writes to it then fail with EPIPE instead
        mov     w0, #SIGPIPE              // ignore_signal(SIGPIPE)
        CALL    ignore_signal             // (a failure: we only risk dying on EPIPE)
        ldr     x20, [sp, #CFG_PORT]      // x20 = the port asked for
        mov     w0, w20                   // open_listener(port)
        CALL    open_listener             // x0 = listening fd, or -errno
        tbnz    x0, #63, httpd_main_no_listen // negative: say why, status 1
        mov     x19, x0                   // x19 = listener
        // x0 still holds the listener: listening_port(listener); its
        // answer, in w0, goes straight on to say_listening (unchecked,
        // as in the C++)
        CALL    listening_port            // the real port (port 0: the kernel chose)
        CALL    say_listening             // listening on http://127.0.0.1:PORT/
        mov     w0, w19                   // serve_forever(listener,
        mov     x1, sp                    // &cfg)
        CALL    serve_forever             // never returns
httpd_main_no_listen:
        mov     x1, x0                    // say_listen_error(port, -errno)
        mov     w0, w20                   // the port asked for (not the real one)
        CALL    say_listen_error          // httpd: cannot listen on ...
        mov     w0, #1                    // status 1: cannot serve
        b       httpd_main_return         // skip the usage status
httpd_main_usage:
        mov     w0, #2                    // status 2: wrong usage
httpd_main_return:
        add     sp, sp, #CFG_AREA         // drop cfg
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = the exit status
ENDFUNC httpd_main
