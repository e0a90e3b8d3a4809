#!/usr/bin/python3
# tests/darwin-run/test_darwin_run.py -- the runner's own tests: each
# system call it implements, made the way a program makes it (an
# `svc #0x80` with the number in x16, on the runner's CPU), checked against
# what XNU does.  Every expected value is a Darwin one from
# tests/abi/darwin.tsv, and each test names the XNU source it follows.
#
#   /usr/bin/python3 tests/darwin-run/test_darwin_run.py      (make darwin-run-tests)
import importlib.util
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("darwin_run", os.path.join(HERE, "darwin_run.py"))
dr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dr)
D = dr.D

CODE = 0x10000000
DATA = 0x20000000
DATA_SIZE = 1 << 20


def run_alone(body):
    """A call that must end the process, made in a Python of its own: the
    runner loaded, one CPU with an `svc #0x80` at 0x10000000, then body
    (indented source that sets registers and runs it).  Its
    CompletedProcess."""
    code = textwrap.dedent("""
        import importlib.util, struct, sys
        spec = importlib.util.spec_from_file_location("dr", %r)
        dr = importlib.util.module_from_spec(spec); spec.loader.exec_module(dr)
        uc = dr.Uc(dr.UC_ARCH_ARM64, dr.UC_MODE_ARM)
        uc.mem_map(0x10000000, 0x4000, 7)
        uc.mem_write(0x10000000, struct.pack("<I", 0xd4001001))
    """) % os.path.join(HERE, "darwin_run.py") + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


class Machine:
    """One `svc #0x80` on the runner's CPU, with a megabyte of data memory."""

    def __init__(self):
        self.uc = dr.Uc(dr.UC_ARCH_ARM64, dr.UC_MODE_ARM)
        self.uc.mem_map(CODE, 0x4000, dr.UC_PROT_READ | dr.UC_PROT_EXEC)
        self.uc.mem_write(CODE, struct.pack("<I", 0xd4001001))   # svc #0x80
        self.uc.mem_map(DATA, DATA_SIZE, dr.UC_PROT_READ | dr.UC_PROT_WRITE)
        self.mem = dr.Memory(self.uc)
        self.uc.hook_add(dr.UC_HOOK_INTR, dr.svc_hook, self.mem)
        self.next = DATA

    def alloc(self, data):
        """Copy bytes (or reserve n zero bytes) into guest memory."""
        if isinstance(data, int):
            data = bytes(data)
        addr = self.next
        self.mem.write(addr, data)
        self.next = (addr + len(data) + 15) & ~15
        return addr

    def cstr(self, s):
        return self.alloc(s.encode() + b"\0")

    def call(self, name, *args):
        """-> (carry, x0, x1) after the call SYS_name(args)."""
        regs = [dr.UC_ARM64_REG_X0, dr.UC_ARM64_REG_X1, dr.UC_ARM64_REG_X2,
                dr.UC_ARM64_REG_X3, dr.UC_ARM64_REG_X4, dr.UC_ARM64_REG_X5]
        for r, v in zip(regs, args):
            self.uc.reg_write(r, v & 0xffffffffffffffff)
        self.uc.reg_write(dr.UC_ARM64_REG_X1, args[1] & 0xffffffffffffffff if len(args) > 1 else 0x5555)
        self.uc.reg_write(dr.UC_ARM64_REG_X16, D("SYS_" + name))
        self.uc.reg_write(dr.UC_ARM64_REG_NZCV, 0)
        self.uc.emu_start(CODE, CODE + 4)
        carry = bool(self.uc.reg_read(dr.UC_ARM64_REG_NZCV) & (1 << 29))
        return carry, self.uc.reg_read(dr.UC_ARM64_REG_X0), self.uc.reg_read(dr.UC_ARM64_REG_X1)

    def ok(self, name, *args):
        carry, x0, _ = self.call(name, *args)
        assert not carry, "%s failed with Darwin errno %d" % (name, x0)
        return x0

    def err(self, name, *args):
        carry, x0, _ = self.call(name, *args)
        assert carry, "%s succeeded (x0 = %d), expected a failure" % (name, x0)
        return x0


AT_FDCWD = D("AT_FDCWD") & 0xffffffffffffffff


class Conventions(unittest.TestCase):
    """XNU bsd/dev/arm/systemcalls.c (arm_prepare_syscall_return): success
    clears the carry flag and puts the result in x0; failure SETS carry and
    puts the positive errno in x0."""

    def setUp(self):
        self.m = Machine()

    def test_failure_sets_carry_and_a_positive_darwin_errno(self):
        carry, x0, _ = self.m.call("openat", AT_FDCWD, self.m.cstr("/nonexistent/darwin-run"), D("O_RDONLY"), 0)
        self.assertTrue(carry)
        self.assertEqual(x0, D("ENOENT"))

    def test_errno_numbers_are_darwins_not_linuxs(self):
        # ENOTEMPTY is 66 on Darwin (bsd/sys/errno.h), 39 on Linux
        d = tempfile.mkdtemp()
        open(os.path.join(d, "f"), "w").close()
        self.assertEqual(self.m.err("unlinkat", AT_FDCWD, self.m.cstr(d), D("AT_REMOVEDIR")), D("ENOTEMPTY"))

    def test_success_clears_carry(self):
        self.m.uc.reg_write(dr.UC_ARM64_REG_NZCV, 1 << 29)
        carry, x0, _ = self.m.call("getpid")
        self.assertFalse(carry)
        self.assertEqual(x0, os.getpid())

    def test_unimplemented_call_dies_loudly(self):
        # never a quiet 0: the message, and the process ends (SIGSYS)
        p = run_alone("""
            uc.hook_add(dr.UC_HOOK_INTR, dr.svc_hook, dr.Memory(uc))
            uc.reg_write(dr.UC_ARM64_REG_X16, 500)
            uc.emu_start(0x10000000, 0x10000004)
            print("returned")
        """)
        self.assertIn("darwin-run: syscall 500 (unknown) not implemented", p.stderr)
        self.assertNotIn("returned", p.stdout)
        self.assertEqual(p.returncode, -signal.SIGSYS)


class Files(unittest.TestCase):
    def setUp(self):
        self.m = Machine()
        self.dir = tempfile.mkdtemp()

    def path(self, name):
        return self.m.cstr(os.path.join(self.dir, name))

    def test_o_nofollow_is_0x100_and_a_link_is_eloop(self):
        # bsd/sys/fcntl.h O_NOFOLLOW 0x100; bsd/vfs/vfs_syscalls.c: the last
        # component a symlink with O_NOFOLLOW -> ELOOP (62 on Darwin)
        open(os.path.join(self.dir, "target"), "w").close()
        os.symlink("target", os.path.join(self.dir, "link"))
        self.assertEqual(self.m.err("openat", AT_FDCWD, self.path("link"), D("O_RDONLY") | D("O_NOFOLLOW"), 0),
                         D("ELOOP"))
        fd = self.m.ok("openat", AT_FDCWD, self.path("link"), D("O_RDONLY"), 0)
        os.close(fd)

    def test_o_evtonly_does_not_refuse_links(self):
        # 0x8000 is O_EVTONLY on Darwin (Linux's arm64 O_NOFOLLOW): it asks
        # nothing about links, so a link opens
        open(os.path.join(self.dir, "target"), "w").close()
        os.symlink("target", os.path.join(self.dir, "link"))
        fd = self.m.ok("openat", AT_FDCWD, self.path("link"), D("O_EVTONLY"), 0)
        os.close(fd)

    def test_o_directory_and_o_creat_o_excl(self):
        open(os.path.join(self.dir, "file"), "w").close()
        self.assertEqual(self.m.err("openat", AT_FDCWD, self.path("file"), D("O_DIRECTORY"), 0), D("ENOTDIR"))
        self.assertEqual(self.m.err("openat", AT_FDCWD, self.path("file"),
                                    D("O_WRONLY") | D("O_CREAT") | D("O_EXCL"), 0o600), D("EEXIST"))
        fd = self.m.ok("openat", AT_FDCWD, self.path("new"), D("O_WRONLY") | D("O_CREAT") | D("O_EXCL"), 0o640)
        os.close(fd)
        self.assertEqual(os.stat(os.path.join(self.dir, "new")).st_mode & 0o777, 0o640 & ~os.umask(os.umask(0)))

    def test_path_of_1024_bytes_is_enametoolong(self):
        # MAXPATHLEN (bsd/sys/param.h) counts the NUL: 1023 bytes is the longest
        self.assertEqual(self.m.err("openat", AT_FDCWD, self.m.cstr("/" * 1024), 0, 0), D("ENAMETOOLONG"))
        fd = self.m.ok("openat", AT_FDCWD, self.m.cstr("/" * 1023), D("O_RDONLY"), 0)
        os.close(fd)

    def test_fstat64_layout(self):
        # struct stat64 (bsd/sys/stat.h): st_mode 16 bits at 4, st_size at 96,
        # st_mtimespec at 48, 144 bytes
        p = os.path.join(self.dir, "f")
        with open(p, "wb") as f:
            f.write(b"x" * 12345)
        os.utime(p, ns=(1_000_000_000, 1_700_000_000_123_456_789))
        fd = os.open(p, os.O_RDONLY)
        buf = self.m.alloc(D("STAT_SIZE") + 16)
        self.m.mem.write(buf, b"\xee" * (D("STAT_SIZE") + 16))
        self.m.ok("fstat", fd, buf)
        raw = self.m.mem.read(buf, D("STAT_SIZE") + 16)
        os.close(fd)
        self.assertEqual(struct.unpack_from("<H", raw, D("ST_MODE"))[0] & D("S_IFMT"), D("S_IFREG"))
        self.assertEqual(struct.unpack_from("<q", raw, D("ST_SIZE"))[0], 12345)
        self.assertEqual(struct.unpack_from("<qq", raw, D("ST_MTIME")), (1_700_000_000, 123_456_789))
        self.assertEqual(raw[D("STAT_SIZE"):], b"\xee" * 16)   # nothing past the struct

    def test_fstatat_symlink_nofollow(self):
        os.symlink("nowhere", os.path.join(self.dir, "dangling"))
        buf = self.m.alloc(D("STAT_SIZE"))
        self.m.ok("fstatat", AT_FDCWD, self.path("dangling"), buf, D("AT_SYMLINK_NOFOLLOW"))
        self.assertEqual(self.m.mem.u16(buf + D("ST_MODE")) & D("S_IFMT"), D("S_IFLNK"))
        self.assertEqual(self.m.err("fstatat", AT_FDCWD, self.path("dangling"), buf, 0), D("ENOENT"))

    def test_renameatx_np_rename_excl(self):
        # bsd/sys/stdio.h RENAME_EXCL: an existing target is EEXIST
        for n in ("a", "b"):
            open(os.path.join(self.dir, n), "w").close()
        self.assertEqual(self.m.err("renameatx_np", AT_FDCWD, self.path("a"), AT_FDCWD, self.path("b"),
                                    D("RENAME_EXCL")), D("EEXIST"))
        self.m.ok("renameat", AT_FDCWD, self.path("a"), AT_FDCWD, self.path("b"))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "a")))

    def test_mkdirat_unlinkat(self):
        self.m.ok("mkdirat", AT_FDCWD, self.path("d"), 0o755)
        self.assertEqual(self.m.err("mkdirat", AT_FDCWD, self.path("d"), 0o755), D("EEXIST"))
        # unlink of a directory: EPERM on Darwin (vn_authorize_unlink in
        # bsd/vfs/vfs_subr.c refuses a VDIR; macOS unlink(2)), EISDIR on Linux
        self.assertEqual(self.m.err("unlinkat", AT_FDCWD, self.path("d"), 0), D("EPERM"))
        self.m.ok("unlinkat", AT_FDCWD, self.path("d"), D("AT_REMOVEDIR"))

    def test_fcntl_setfl_nonblock(self):
        r, w = os.pipe()
        self.m.ok("fcntl", r, D("F_SETFL"), D("O_NONBLOCK"))
        self.assertEqual(self.m.ok("fcntl", r, D("F_GETFL"), 0) & D("O_NONBLOCK"), D("O_NONBLOCK"))
        # nothing to read on a non-blocking pipe: EAGAIN, 35 on Darwin
        self.assertEqual(self.m.err("read", r, self.m.alloc(8), 8), D("EAGAIN"))
        os.close(r)
        os.close(w)

    def test_lseek_and_pread(self):
        p = os.path.join(self.dir, "f")
        with open(p, "wb") as f:
            f.write(b"0123456789")
        fd = os.open(p, os.O_RDONLY)
        self.assertEqual(self.m.ok("lseek", fd, 0, D("SEEK_END")), 10)
        buf = self.m.alloc(4)
        self.assertEqual(self.m.ok("pread", fd, buf, 4, 3), 4)
        self.assertEqual(self.m.mem.read(buf, 4), b"3456")
        self.assertEqual(self.m.err("lseek", fd, 0, 7), D("EINVAL"))
        os.close(fd)


class Getdirentries64(unittest.TestCase):
    """XNU bsd/vfs/vfs_syscalls.c getdirentries64 and tests/getdirentries.c:
    records are struct direntry (bsd/sys/dirent.h); with a buffer of at
    least GETDIRENTRIES64_EXTENDED_BUFSIZE bytes the records stay out of the
    last 4 bytes, which hold the flags (GETDIRENTRIES64_EOF once the end is
    reached, and then the next call returns 0 with EOF again); *position
    receives the offset the block started at."""

    def setUp(self):
        self.m = Machine()
        self.dir = tempfile.mkdtemp()

    def read_all(self, fd, size):
        buf = self.m.alloc(size)
        basep = self.m.alloc(8)
        blocks = []
        while True:
            self.m.mem.write(buf + size - 4, b"\xff\xff\xff\xff")
            n = self.m.ok("getdents", fd, buf, size, basep)
            raw = self.m.mem.read(buf, size)
            flags = struct.unpack_from("<I", raw, size - 4)[0]
            names = []
            pos = 0
            while pos < n:
                reclen = struct.unpack_from("<H", raw, pos + D("D_RECLEN"))[0]
                namlen = struct.unpack_from("<H", raw, pos + D("D_NAMLEN"))[0]
                name = raw[pos + D("D_NAME"):pos + D("D_NAME") + namlen]
                self.assertEqual(raw[pos + D("D_NAME") + namlen], 0)
                self.assertEqual(reclen % 8, 0)
                names.append((name.decode(), raw[pos + D("D_TYPE")]))
                pos += reclen
            blocks.append((n, flags, self.m.mem.i64(basep), names))
            if n == 0 or len(blocks) > 100:
                return blocks

    def test_records_types_and_eof_flag(self):
        os.mkdir(os.path.join(self.dir, "sub"))
        open(os.path.join(self.dir, "file"), "w").close()
        os.symlink("file", os.path.join(self.dir, "link"))
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        blocks = self.read_all(fd, 4096)
        os.close(fd)
        first_n, first_flags, first_base, names = blocks[0]
        self.assertLessEqual(first_n, 4096 - 4)
        self.assertEqual(first_flags & D("GETDIRENTRIES64_EOF"), D("GETDIRENTRIES64_EOF"))
        self.assertEqual(first_base, 0)
        self.assertEqual(dict(names), {".": D("DT_DIR"), "..": D("DT_DIR"), "sub": D("DT_DIR"),
                                       "file": D("DT_REG"), "link": D("DT_LNK")})
        # after EOF: 0 bytes, and EOF still set
        self.assertEqual(blocks[1][0], 0)
        self.assertEqual(blocks[1][1] & D("GETDIRENTRIES64_EOF"), D("GETDIRENTRIES64_EOF"))

    def test_small_blocks_base_is_the_block_start_and_eof_only_at_the_end(self):
        for i in range(100):
            open(os.path.join(self.dir, "name-%03d" % i), "w").close()
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        blocks = self.read_all(fd, 1024)
        os.close(fd)
        seen = [n for _, _, _, names in blocks for n, _ in names]
        self.assertEqual(sorted(seen), sorted([".", ".."] + ["name-%03d" % i for i in range(100)]))
        self.assertGreater(len(blocks), 3)
        self.assertEqual(blocks[0][2], 0)
        for (n, flags, base, _), nxt in zip(blocks, blocks[1:]):
            if nxt[0]:
                self.assertEqual(flags & D("GETDIRENTRIES64_EOF"), 0)   # more follows
            self.assertLessEqual(n, 1024 - 4)
        # every later block starts where the one before ended: its base is
        # the seek offset of the last record before it
        last_full = [b for b in blocks if b[0]][-1]
        self.assertEqual(last_full[1] & D("GETDIRENTRIES64_EOF"), D("GETDIRENTRIES64_EOF"))

    def test_small_buffer_has_no_flags_word(self):
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        buf = self.m.alloc(512)
        self.m.mem.write(buf + 508, b"\xab\xab\xab\xab")
        n = self.m.ok("getdents", fd, buf, 512, self.m.alloc(8))
        os.close(fd)
        self.assertGreater(n, 0)
        self.assertEqual(self.m.mem.read(buf + 508, 4), b"\xab\xab\xab\xab")

    def test_null_position_is_efault(self):
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        self.assertEqual(self.m.err("getdents", fd, self.m.alloc(1024), 1024, 0), D("EFAULT"))
        os.close(fd)


class Sockets(unittest.TestCase):
    def setUp(self):
        self.m = Machine()

    def listener(self, first_half):
        s = self.m.ok("socket", D("AF_INET"), D("SOCK_STREAM"), 0)
        sa = bytearray(D("SOCKADDR_IN_SIZE"))
        struct.pack_into("<H", sa, 0, first_half)
        sa[D("SIN_ADDR"):D("SIN_ADDR") + 4] = socket.inet_aton("127.0.0.1")
        return s, self.m.alloc(bytes(sa))

    def test_bind_getsockname_sin_len(self):
        # getsockname writes sin_len = 16 and a one-byte sin_family = AF_INET
        # (bsd/netinet/in_pcb.c in_getsockaddr_s)
        s, sa = self.listener((D("AF_INET") << 8) | D("SOCKADDR_IN_SIZE"))
        self.m.ok("bind", s, sa, D("SOCKADDR_IN_SIZE"))
        self.m.ok("listen", s, 4)
        out = self.m.alloc(D("SOCKADDR_IN_SIZE"))
        lenp = self.m.alloc(struct.pack("<I", D("SOCKADDR_IN_SIZE")))
        self.m.ok("getsockname", s, out, lenp)
        raw = self.m.mem.read(out, D("SOCKADDR_IN_SIZE"))
        self.assertEqual(raw[D("SIN_LEN")], D("SOCKADDR_IN_SIZE"))
        self.assertEqual(raw[D("SIN_FAMILY")], D("AF_INET"))
        self.assertNotEqual(raw[D("SIN_PORT"):D("SIN_PORT") + 2], b"\0\0")
        self.assertEqual(self.m.mem.u32(lenp), D("SOCKADDR_IN_SIZE"))
        os.close(s)

    def test_bind_takes_the_length_argument_not_sin_len(self):
        # bsd/kern/uipc_syscalls.c getsockaddr_s: sa_len = the length passed,
        # and AF_UNSPEC on an AF_INET socket with 16 bytes becomes AF_INET
        # (translate_unspec): Linux's layout (family 2 as a 16-bit number,
        # so sin_len = 2 and sin_family = 0) binds on a Mac
        s, sa = self.listener(D("AF_INET"))
        self.m.ok("bind", s, sa, D("SOCKADDR_IN_SIZE"))
        os.close(s)

    def test_bind_with_another_length_is_einval(self):
        # bsd/netinet/in_pcb.c in_pcbbind: sa_len != sizeof(sockaddr_in)
        s, sa = self.listener((D("AF_INET") << 8) | D("SOCKADDR_IN_SIZE"))
        self.assertEqual(self.m.err("bind", s, sa, 8), D("EINVAL"))
        # no address: EDESTADDRREQ (bsd/kern/uipc_syscalls.c bind)
        self.assertEqual(self.m.err("bind", s, 0, 16), D("EDESTADDRREQ"))
        os.close(s)

    def test_setsockopt_sol_socket_and_timeval(self):
        s = self.m.ok("socket", D("AF_INET"), D("SOCK_STREAM"), 0)
        one = self.m.alloc(struct.pack("<i", 1))
        self.m.ok("setsockopt", s, D("SOL_SOCKET"), D("SO_REUSEADDR"), one, 4)
        with socket.socket(fileno=os.dup(s)) as t:
            self.assertEqual(t.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), 1)
        tv = self.m.alloc(struct.pack("<qi4x", 2, 500000))
        self.m.ok("setsockopt", s, D("SOL_SOCKET"), D("SO_RCVTIMEO"), tv, D("TIMEVAL_SIZE"))
        with socket.socket(fileno=os.dup(s)) as t:
            host_tv = t.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16)
        self.assertEqual(struct.unpack("<qq", host_tv), (2, 500000))
        bad = self.m.alloc(struct.pack("<qi4x", 0, 1000000))
        self.assertEqual(self.m.err("setsockopt", s, D("SOL_SOCKET"), D("SO_SNDTIMEO"), bad, 16), D("EDOM"))
        self.m.ok("setsockopt", s, D("SOL_SOCKET"), D("SO_NOSIGPIPE"), one, 4)
        os.close(s)

    def connected_pair(self):
        a, b = socket.socketpair()
        return a, b

    def test_sendfile_in_out_length(self):
        # bsd/kern/uipc_syscalls.c sendfile(fd, s, offset, *nbytes, hdtr, flags):
        # *nbytes in = bytes to send (0 = to the end of the file), out = sent
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(bytes(range(256)) * 40)
        fd = os.open(f.name, os.O_RDONLY)
        a, b = self.connected_pair()
        lenp = self.m.alloc(struct.pack("<q", 100))
        self.assertEqual(self.m.ok("sendfile", fd, a.fileno(), 10, lenp, 0, 0), 0)
        self.assertEqual(self.m.mem.i64(lenp), 100)
        self.assertEqual(b.recv(1000), (bytes(range(256)) * 40)[10:110])
        self.m.mem.put_i64(lenp, 0)
        self.m.ok("sendfile", fd, a.fileno(), 10000, lenp, 0, 0)
        self.assertEqual(self.m.mem.i64(lenp), 240)
        self.assertEqual(self.m.err("sendfile", fd, a.fileno(), 0, lenp, 0, 1), D("EINVAL"))
        r, w = os.pipe()
        self.assertEqual(self.m.err("sendfile", fd, w, 0, lenp, 0, 0), D("ENOTSOCK"))
        for x in (r, w, fd):
            os.close(x)
        a.close()
        b.close()

    def test_poll(self):
        a, b = self.connected_pair()
        fds = self.m.alloc(struct.pack("<ihh", a.fileno(), D("POLLIN"), 0))
        self.assertEqual(self.m.ok("poll", fds, 1, 0), 0)
        b.send(b"x")
        self.assertEqual(self.m.ok("poll", fds, 1, 1000), 1)
        self.assertEqual(self.m.mem.u16(fds + D("PFD_REVENTS")) & D("POLLIN"), D("POLLIN"))
        a.close()
        b.close()


class Kqueue(unittest.TestCase):
    """kqueue(2) and kevent(2) as XNU bsd/kern/kern_event.c gives them, for
    lesson 12's event loop: struct kevent from bsd/sys/event.h (32 bytes,
    offsets from tests/abi/darwin.tsv); the socket filters are XNU
    bsd/kern/uipc_socket.c filt_soread_common / filt_sowrite_common."""

    def setUp(self):
        self.m = Machine()
        self.kq = self.m.ok("kqueue")
        self.a, self.b = socket.socketpair()

    def tearDown(self):
        self.a.close()
        self.b.close()
        if self.kq in dr.STATE.kqueues:
            self.m.ok("close", self.kq)

    def change(self, ident, filt, flags, udata=0, fflags=0):
        buf = bytearray(D("KEVENT_SIZE"))
        struct.pack_into("<Q", buf, D("KEV_IDENT"), ident)
        struct.pack_into("<h", buf, D("KEV_FILTER"), filt)
        struct.pack_into("<H", buf, D("KEV_FLAGS"), flags)
        struct.pack_into("<I", buf, D("KEV_FFLAGS"), fflags)
        struct.pack_into("<Q", buf, D("KEV_UDATA"), udata)
        return bytes(buf)

    def kevent(self, changes=(), nevents=8, timeout=(0, 0), kq=None):
        """-> (carry, x0, records); timeout None = a NULL pointer."""
        size = D("KEVENT_SIZE")
        ch = self.m.alloc(b"".join(changes)) if changes else 0
        out = self.m.alloc(size * max(nevents, 1))
        self.m.mem.write(out, b"\xee" * (size * max(nevents, 1)))
        ts = 0 if timeout is None else self.m.alloc(struct.pack("<qq", *timeout))
        carry, x0, _ = self.m.call("kevent", self.kq if kq is None else kq, ch, len(changes), out, nevents, ts)
        records = []
        if not carry:
            raw = self.m.mem.read(out, size * max(nevents, 1))
            for i in range(x0):
                r = raw[i * size:(i + 1) * size]
                records.append({
                    "ident": struct.unpack_from("<Q", r, D("KEV_IDENT"))[0],
                    "filter": struct.unpack_from("<h", r, D("KEV_FILTER"))[0],
                    "flags": struct.unpack_from("<H", r, D("KEV_FLAGS"))[0],
                    "data": struct.unpack_from("<q", r, D("KEV_DATA"))[0],
                    "udata": struct.unpack_from("<Q", r, D("KEV_UDATA"))[0]})
            # nothing written past the records the result counts
            self.assertEqual(raw[x0 * size:], b"\xee" * (size * (max(nevents, 1) - x0)))
        return carry, x0, records

    def events(self, *args, **kw):
        carry, _, records = self.kevent(*args, **kw)
        self.assertFalse(carry, "kevent failed")
        return records

    def test_socket_readable_after_a_write(self):
        # filt_soread_common: data = the bytes in the receive buffer (sb_cc)
        a = self.a.fileno()
        self.assertEqual(self.events([self.change(a, D("EVFILT_READ"), D("EV_ADD"), udata=7)]), [])
        self.b.send(b"hello")
        ev = self.events()
        self.assertEqual(len(ev), 1)
        self.assertEqual((ev[0]["ident"], ev[0]["filter"], ev[0]["data"], ev[0]["udata"]),
                         (a, D("EVFILT_READ"), 5, 7))
        self.assertEqual(ev[0]["flags"] & (D("EV_EOF") | D("EV_ERROR")), 0)
        # level-triggered without EV_CLEAR: still readable, reported again
        self.assertEqual(len(self.events()), 1)

    def test_socket_writable_at_once(self):
        # filt_sowrite_common: data = sbspace(so_snd), room at once
        a = self.a.fileno()
        ev = self.events([self.change(a, D("EVFILT_WRITE"), D("EV_ADD"))])
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]["filter"], D("EVFILT_WRITE"))
        self.assertGreater(ev[0]["data"], 0)

    def test_ev_delete_then_no_event_and_deleting_again_is_enoent(self):
        # kevent_register: EV_DELETE drops the knote; with none found and no
        # EV_ADD the change fails with ENOENT
        a = self.a.fileno()
        self.events([self.change(a, D("EVFILT_READ"), D("EV_ADD"))], nevents=0)
        self.b.send(b"x")
        self.assertEqual(self.events([self.change(a, D("EVFILT_READ"), D("EV_DELETE"))]), [])
        carry, x0, _ = self.kevent([self.change(a, D("EVFILT_READ"), D("EV_DELETE"))], nevents=0)
        self.assertEqual((carry, x0), (True, D("ENOENT")))

    def test_ev_oneshot_fires_once(self):
        # knote_process: an EV_ONESHOT knote is dropped once delivered
        a = self.a.fileno()
        self.b.send(b"xy")
        ev = self.events([self.change(a, D("EVFILT_READ"), D("EV_ADD") | D("EV_ONESHOT"))])
        self.assertEqual([e["data"] for e in ev], [2])
        self.assertEqual(self.events(), [])   # the bytes are still unread
        carry, x0, _ = self.kevent([self.change(a, D("EVFILT_READ"), D("EV_DELETE"))], nevents=0)
        self.assertEqual((carry, x0), (True, D("ENOENT")))

    def test_ev_clear_reports_again_only_after_new_data(self):
        # knote_process: an EV_CLEAR knote is left deactivated after
        # delivery until the socket posts a new event
        a = self.a.fileno()
        self.events([self.change(a, D("EVFILT_READ"), D("EV_ADD") | D("EV_CLEAR"))], nevents=0)
        self.b.send(b"x")
        self.assertEqual([e["data"] for e in self.events()], [1])
        self.assertEqual(self.events(), [])   # one unread byte, no new event
        self.b.send(b"y")
        self.assertEqual([e["data"] for e in self.events()], [2])

    def test_ev_eof_after_the_peer_closes(self):
        # filt_soread_common: SS_CANTRCVMORE sets EV_EOF, data still counts the
        # unread bytes; filt_sowrite_common: SS_CANTSENDMORE sets EV_EOF
        a = self.a.fileno()
        self.events([self.change(a, D("EVFILT_READ"), D("EV_ADD")),
                     self.change(a, D("EVFILT_WRITE"), D("EV_ADD") | D("EV_DISABLE"))], nevents=0)
        self.b.send(b"ab")
        ev = self.events()
        self.assertEqual(ev[0]["flags"] & D("EV_EOF"), 0)
        self.b.close()
        ev = self.events()
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]["flags"] & D("EV_EOF"), D("EV_EOF"))
        self.assertEqual(ev[0]["data"], 2)
        ev = self.events([self.change(a, D("EVFILT_READ"), D("EV_DISABLE")),
                          self.change(a, D("EVFILT_WRITE"), D("EV_ENABLE"))])
        self.assertEqual([(e["filter"], e["flags"] & D("EV_EOF")) for e in ev], [(D("EVFILT_WRITE"), D("EV_EOF"))])

    def test_timeouts(self):
        # kevent_legacy_get_deadline: {0, 0} only looks; a timeout waits
        # that long; tv_nsec outside 0..999999999 is EINVAL; no timeout
        # (NULL) waits for an event (kqueue_scan with no deadline)
        self.events([self.change(self.a.fileno(), D("EVFILT_READ"), D("EV_ADD"))], nevents=0)
        t = time.monotonic()
        self.assertEqual(self.kevent(timeout=(0, 0))[:2], (False, 0))
        self.assertLess(time.monotonic() - t, 0.5)
        t = time.monotonic()
        self.assertEqual(self.kevent(timeout=(0, 200000000))[:2], (False, 0))
        self.assertGreaterEqual(time.monotonic() - t, 0.19)
        self.assertEqual(self.kevent(timeout=(0, 1000000000))[:2], (True, D("EINVAL")))
        self.assertEqual(self.kevent(timeout=(0, -1))[:2], (True, D("EINVAL")))
        # NULL: wait until an event comes (here: bytes sent 0.2 s later)
        import threading
        threading.Timer(0.2, lambda: self.b.send(b"late")).start()
        t = time.monotonic()
        ev = self.events(timeout=None)
        self.assertGreaterEqual(time.monotonic() - t, 0.15)
        self.assertEqual([e["data"] for e in ev], [4])

    def test_a_bad_descriptor_is_an_ev_error_record_or_the_errno(self):
        # kevent_internal: a failed change is written as an EV_ERROR record
        # while the eventlist has room (and then no events are collected);
        # with no room the call fails with the errno and the later changes
        # are not applied.  kevent_register: fp_lookup of a closed
        # descriptor is EBADF.
        bad = os.open("/dev/null", os.O_RDONLY)
        os.close(bad)
        a = self.a.fileno()
        carry, x0, rec = self.kevent([self.change(bad, D("EVFILT_READ"), D("EV_ADD"), udata=0x55),
                                      self.change(a, D("EVFILT_WRITE"), D("EV_ADD"))])
        self.assertEqual((carry, x0), (False, 1))   # the record only: no scan
        self.assertEqual((rec[0]["ident"], rec[0]["data"], rec[0]["udata"]), (bad, D("EBADF"), 0x55))
        self.assertEqual(rec[0]["flags"] & D("EV_ERROR"), D("EV_ERROR"))
        self.assertEqual(len(self.events()), 1)    # the second change was applied
        carry, x0, _ = self.kevent([self.change(bad, D("EVFILT_READ"), D("EV_ADD")),
                                    self.change(a, D("EVFILT_READ"), D("EV_ADD"))], nevents=0)
        self.assertEqual((carry, x0), (True, D("EBADF")))
        carry, x0, _ = self.kevent([self.change(a, D("EVFILT_READ"), D("EV_DELETE"))], nevents=0)
        self.assertEqual((carry, x0), (True, D("ENOENT")))   # never added
        # a filter outside -1..-EVFILT_SYSCOUNT: EINVAL
        carry, x0, rec = self.kevent([self.change(a, -D("EVFILT_SYSCOUNT") - 1, D("EV_ADD"))])
        self.assertEqual(rec[0]["data"], D("EINVAL"))

    def test_ev_receipt(self):
        # kevent_internal: EV_RECEIPT writes an EV_ERROR record with data 0
        a = self.a.fileno()
        carry, x0, rec = self.kevent([self.change(a, D("EVFILT_WRITE"), D("EV_ADD") | D("EV_RECEIPT"), udata=9)])
        self.assertEqual((carry, x0), (False, 1))
        self.assertEqual((rec[0]["flags"] & D("EV_ERROR"), rec[0]["data"], rec[0]["udata"]), (D("EV_ERROR"), 0, 9))
        ev = self.events()
        self.assertEqual((ev[0]["filter"], ev[0]["flags"] & D("EV_ERROR")), (D("EVFILT_WRITE"), 0))

    def test_udata_comes_back_unchanged(self):
        # kevent_register: udata is stored as given (and replaced by a
        # later change); the event carries it back
        a = self.a.fileno()
        ev = self.events([self.change(a, D("EVFILT_WRITE"), D("EV_ADD"), udata=0xfedcba9876543210)])
        self.assertEqual(ev[0]["udata"], 0xfedcba9876543210)
        ev = self.events([self.change(a, D("EVFILT_WRITE"), D("EV_ADD"), udata=0x1234)])
        self.assertEqual(ev[0]["udata"], 0x1234)

    def test_nevents_0_only_applies_the_changes(self):
        a = self.a.fileno()
        t = time.monotonic()
        carry, x0, _ = self.kevent([self.change(a, D("EVFILT_WRITE"), D("EV_ADD"))], nevents=0, timeout=None)
        self.assertEqual((carry, x0), (False, 0))
        self.assertLess(time.monotonic() - t, 0.5)   # no wait, though NULL means forever
        self.assertEqual(len(self.events()), 1)

    def test_disable_and_enable(self):
        a = self.a.fileno()
        self.events([self.change(a, D("EVFILT_WRITE"), D("EV_ADD") | D("EV_DISABLE"))], nevents=0)
        self.assertEqual(self.events(), [])
        self.assertEqual(len(self.events([self.change(a, D("EVFILT_WRITE"), D("EV_ENABLE"))])), 1)

    def test_listening_socket_data_counts_connections(self):
        # filt_soread_common on a listening socket: data = the connections waiting
        # to be accepted (so_qlen)
        lst = socket.socket()
        lst.bind(("127.0.0.1", 0))
        lst.listen(8)
        clients = [socket.create_connection(lst.getsockname()) for _ in range(2)]
        ev = self.events([self.change(lst.fileno(), D("EVFILT_READ"), D("EV_ADD"))], timeout=(2, 0))
        self.assertEqual([e["data"] for e in ev], [2])
        for c in clients + [lst]:
            c.close()

    def test_not_a_kqueue_is_ebadf_and_close_ends_it(self):
        # kevent_get_kqfile: EBADF for a descriptor that is not a kqueue
        self.assertEqual(self.kevent(kq=self.a.fileno())[:2], (True, D("EBADF")))
        self.m.ok("close", self.kq)
        self.assertEqual(self.kevent()[:2], (True, D("EBADF")))

    def test_closing_a_descriptor_drops_its_events(self):
        # knote_fdclose: the knotes of a closed descriptor go with it
        fd = os.dup(self.a.fileno())
        self.events([self.change(fd, D("EVFILT_WRITE"), D("EV_ADD"))], nevents=0)
        self.m.ok("close", fd)
        self.assertEqual(self.events(), [])

    def test_a_fork_child_does_not_inherit_the_kqueue(self):
        # kern_event.c kqueue_internal: FP_CLOFORK | FG_CONFINED;
        # kern_descrip.c fdt_fork leaves such descriptors out of the child
        r, w = os.pipe()
        carry, x0, x1 = self.m.call("fork")
        if x1 == 1:
            carry, x0, _ = self.m.call("close", self.kq)
            os.write(w, struct.pack("<ii", carry, x0))
            os._exit(0)
        self.assertEqual(struct.unpack("<ii", os.read(r, 8)), (1, D("EBADF")))
        os.waitpid(x0, 0)
        self.assertEqual(self.kevent()[:2], (False, 0))   # the parent's is intact
        os.close(r)
        os.close(w)

    def test_strace_shows_the_changes_and_events(self):
        a = self.a.fileno()
        log = tempfile.TemporaryFile()
        saved = os.dup(2)
        os.dup2(log.fileno(), 2)
        dr.STATE.trace = True
        try:
            self.events([self.change(a, D("EVFILT_WRITE"), D("EV_ADD") | D("EV_CLEAR"), udata=0xab)])
        finally:
            dr.STATE.trace = False
            os.dup2(saved, 2)
            os.close(saved)
        log.seek(0)
        text = log.read().decode()
        log.close()
        # the change as {ident, filter, flags, fflags, data, udata}, then the event
        self.assertIn("kevent(%d, [{%d, EVFILT_WRITE, EV_ADD|EV_CLEAR, 0x0, 0, 0xab}], 1, eventlist, 8, {0, 0})"
                      % (self.kq, a), text)
        self.assertIn("kevent: events [{%d, EVFILT_WRITE, EV_ADD|EV_CLEAR, 0x0, " % a, text)

    def test_other_filters_stop_the_program(self):
        # never a quiet success: EVFILT_TIMER is a Darwin filter the runner
        # does not emulate
        p = run_alone("""
            uc.mem_map(0x20000000, 0x4000, 3)
            uc.hook_add(dr.UC_HOOK_INTR, dr.svc_hook, dr.Memory(uc))
            def call(n, *args):
                for r, v in zip((dr.UC_ARM64_REG_X0, dr.UC_ARM64_REG_X1, dr.UC_ARM64_REG_X2,
                                 dr.UC_ARM64_REG_X3, dr.UC_ARM64_REG_X4, dr.UC_ARM64_REG_X5), args):
                    uc.reg_write(r, v)
                uc.reg_write(dr.UC_ARM64_REG_X16, n)
                uc.emu_start(0x10000000, 0x10000004)
                return uc.reg_read(dr.UC_ARM64_REG_X0)
            kq = call(dr.D("SYS_kqueue"))
            uc.mem_write(0x20000000, struct.pack("<QhHIqQ", 1, dr.D("EVFILT_TIMER"), dr.D("EV_ADD"), 0, 1000, 0))
            call(dr.D("SYS_kevent"), kq, 0x20000000, 1, 0x20000100, 1, 0)
            print("returned")
        """)
        self.assertIn("not implemented: kevent filter -7", p.stderr)
        self.assertNotIn("returned", p.stdout)
        self.assertEqual(p.returncode, -signal.SIGSYS)


class Processes(unittest.TestCase):
    def setUp(self):
        self.m = Machine()

    def test_fork_child_flag_in_x1(self):
        # bsd/kern/kern_fork.c fork1 + osfmk/arm64/status.c thread_set_child:
        # parent x0 = child pid, x1 = 0; child x0 = its OWN pid, x1 = 1
        r, w = os.pipe()
        carry, x0, x1 = self.m.call("fork")
        if x1 == 1:
            os.write(w, struct.pack("<qq", x0, os.getpid()))
            os._exit(0)
        self.assertFalse(carry)
        self.assertEqual(x1, 0)
        child_x0, child_pid = struct.unpack("<qq", os.read(r, 16))
        self.assertEqual(x0, child_pid)
        self.assertEqual(child_x0, child_pid)   # not 0
        os.waitpid(child_pid, 0)

    def test_wait4_status_uses_darwin_signal_numbers(self):
        # bsd/sys/wait.h: a signalled child's status is its signal number;
        # SIGUSR1 is 30 on Darwin (10 on Linux)
        pid = os.fork()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGUSR1)
            os._exit(1)
        status = self.m.alloc(4)
        self.assertEqual(self.m.ok("wait4", pid, status, 0, 0), pid)
        self.assertEqual(self.m.mem.u32(status) & 0x7f, D("SIGUSR1"))

    def test_wait4_wnohang_and_echild(self):
        self.assertEqual(self.m.err("wait4", (1 << 64) - 1, 0, D("WNOHANG"), 0), D("ECHILD"))

    def test_kill_translates_the_signal(self):
        pid = os.fork()
        if pid == 0:
            signal.pause()
            os._exit(0)
        self.m.ok("kill", pid, D("SIGTERM"), 1)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.WTERMSIG(status), signal.SIGTERM)

    def test_sigprocmask_sigpending_32_bit_darwin_sets(self):
        # bsd/kern/kern_sig.c sigprocmask / sigpending: sigset_t is 32 bits,
        # bit n-1 for signal n (Darwin's numbers)
        pid = os.fork()
        if pid == 0:
            try:
                m = Machine()
                stop = (1 << (D("SIGTERM") - 1)) | (1 << (D("SIGUSR1") - 1))
                m.ok("sigprocmask", D("SIG_BLOCK"), m.alloc(struct.pack("<I", stop)), 0)
                os.kill(os.getpid(), signal.SIGUSR1)
                pending = m.alloc(8)
                m.mem.write(pending, b"\xee" * 8)
                m.ok("sigpending", pending)
                ok = m.mem.u32(pending) == 1 << (D("SIGUSR1") - 1) and m.mem.read(pending + 4, 4) == b"\xee" * 4
                old = m.alloc(4)
                m.ok("sigprocmask", D("SIG_BLOCK"), 0, old)
                ok = ok and m.mem.u32(old) == stop
                os._exit(0 if ok else 3)
            except BaseException:
                os._exit(4)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.WEXITSTATUS(status), 0)

    def test_sigaction_ignore_and_old_action_layout(self):
        # bsd/kern/kern_sig.c sigaction: new = struct __sigaction (24 bytes,
        # sa_tramp at 8), old = struct sigaction (16 bytes)
        act = bytearray(D("SIGACTION_SIZE"))
        struct.pack_into("<Q", act, D("SIGACT_HANDLER"), D("SIG_IGN"))
        old = self.m.alloc(b"\xee" * 24)
        before = signal.getsignal(signal.SIGUSR2)
        try:
            self.m.ok("sigaction", D("SIGUSR2"), self.m.alloc(bytes(act)), old)
            self.assertEqual(signal.getsignal(signal.SIGUSR2), signal.SIG_IGN)
            self.m.ok("sigaction", D("SIGUSR2"), 0, old)
            self.assertEqual(self.m.mem.u64(old + D("OSIGACT_HANDLER")), D("SIG_IGN"))
            self.assertEqual(self.m.mem.read(old + D("OSIGACTION_SIZE"), 8), b"\xee" * 8)
            self.assertEqual(self.m.err("sigaction", D("SIGKILL"), self.m.alloc(bytes(act)), 0), D("EINVAL"))
        finally:
            signal.signal(signal.SIGUSR2, before)

    def test_gettimeofday_timeval(self):
        import time
        tv = self.m.alloc(16)
        self.assertEqual(self.m.ok("gettimeofday", tv, 0, 0), 0)
        self.assertLess(abs(self.m.mem.i64(tv + D("TV_SEC")) - time.time()), 5)
        self.assertLess(self.m.mem.u32(tv + D("TV_USEC")), 1000000)

    def test_setitimer_rejects_a_bad_usec(self):
        # bsd/kern/kern_time.c itimerfix: tv_usec >= 1000000 is EINVAL
        itv = self.m.alloc(struct.pack("<qi4xqi4x", 0, 0, 0, 1000000))
        self.assertEqual(self.m.err("setitimer", D("ITIMER_REAL"), itv, 0), D("EINVAL"))


class Lesson00SameBytes(unittest.TestCase):
    """Lesson 00's program, built for both kernels, says the same bytes and
    exits with the same status: the Darwin build under the runner, the
    Linux build as make lesson-00 runs it (under qemu-aarch64 off arm64)."""

    def run_both(self, *args):
        build = os.environ.get("BUILD", os.path.join(HERE, "..", "..", "build"))
        darwin = os.path.join(build, "darwin", "lesson-00", "syscalls-asm")
        linux = os.path.join(build, "lesson-00", "syscalls-asm")
        if not (os.path.exists(darwin) and os.path.exists(linux)):
            self.skipTest("build lesson 00 first (make build-00 darwin)")
        qemu = [] if os.uname().machine == "aarch64" else ["qemu-aarch64"]
        d = subprocess.run([sys.executable, os.path.join(HERE, "darwin_run.py"), darwin, *args], capture_output=True)
        l = subprocess.run(qemu + [linux, *args], capture_output=True)
        return d, l

    def test_failing_open(self):
        d, l = self.run_both()
        self.assertEqual(d.stdout, l.stdout)
        self.assertEqual(d.returncode, l.returncode)
        self.assertEqual(d.returncode, D("ENOENT"))

    def test_succeeding_open(self):
        d, l = self.run_both(os.path.abspath(__file__))
        self.assertEqual(d.stdout, l.stdout)
        self.assertEqual((d.returncode, l.returncode), (0, 0))


class Loader(unittest.TestCase):
    def run_runner(self, path):
        return subprocess.run([sys.executable, os.path.join(HERE, "darwin_run.py"), path],
                              capture_output=True, text=True)

    def test_rejects_elf_and_garbage_with_one_line(self):
        p = self.run_runner("/bin/true")
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        self.assertIn("ELF", p.stderr)
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(b"\xcf\xfa\xed\xfe" + b"\0" * 60)
        p = self.run_runner(f.name)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("another CPU", p.stderr)


if __name__ == "__main__":
    # make test reads the closing "N passed, N failed" line
    result = unittest.main(verbosity=2, exit=False).result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
