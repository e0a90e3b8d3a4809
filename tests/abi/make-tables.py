#!/usr/bin/env python3
"""Regenerate tests/abi/{darwin,linux}.tsv from the shared ABI reference.

    python3 tests/abi/make-tables.py ../shared/abi/abi.json

For every literal constant in asm/os/<os>/os.inc this looks the value up in
abi.json (Darwin values: XNU sources; Linux values: aarch64 cross headers)
and writes NAME, VALUE and the source it came from.  The tables are
committed; `make test` compares the includes against them (and, where the
platform's real headers exist, against those too).  Not run by the build.
"""
import json
import re
import sys

# Portable syscall names in os.inc -> each kernel's own call name.
SYSCALL_NAMES = {
    "darwin": {"fstat": "fstat64", "fstatat": "fstatat64", "getdents": "getdirentries64"},
    "linux": {"exit": "exit_group", "fstatat": "newfstatat", "pread": "pread64",
              "getdents": "getdents64", "sigaction": "rt_sigaction",
              "sigprocmask": "rt_sigprocmask"},
}
# Struct offsets in os.inc -> (struct, field); field None means sizeof.
STRUCT_FIELDS = {
    "SOCKADDR_IN_SIZE": ("sockaddr_in", None), "SIN_LEN": ("sockaddr_in", "sin_len"),
    "SIN_FAMILY": ("sockaddr_in", "sin_family"), "SIN_PORT": ("sockaddr_in", "sin_port"),
    "SIN_ADDR": ("sockaddr_in", "sin_addr"),
    "STAT_SIZE": ("stat", None), "ST_MODE": ("stat", "st_mode"), "ST_SIZE": ("stat", "st_size"),
    "ST_MTIME": ("stat", "st_mtime"),
    "D_RECLEN": ("dirent", "d_reclen"), "D_NAMLEN": ("dirent", "d_namlen"),
    "D_TYPE": ("dirent", "d_type"), "D_NAME": ("dirent", "d_name"),
    "SIGACTION_SIZE": ("sigaction", None), "SIGACT_HANDLER": ("sigaction", "sa_handler"),
    "SIGACT_TRAMP": ("sigaction", "sa_tramp"), "SIGACT_MASK": ("sigaction", "sa_mask"),
    "SIGACT_FLAGS": ("sigaction", "sa_flags"),
    "TIMEVAL_SIZE": ("timeval", None), "TV_SEC": ("timeval", "tv_sec"),
    "TV_USEC": ("timeval", "tv_usec"),
    "ITIMERVAL_SIZE": ("itimerval", None), "IT_INTERVAL": ("itimerval", "it_interval"),
    "IT_VALUE": ("itimerval", "it_value"),
    "IOVEC_SIZE": ("iovec", None), "IOV_BASE": ("iovec", "iov_base"), "IOV_LEN": ("iovec", "iov_len"),
}
EQU = re.compile(r"^\s*\.equ\s+(\w+)\s*,\s*(-?(?:0x[0-9a-fA-F]+|\d+))\s*(//.*)?$")


def literal(text):
    neg = text.startswith("-")
    body = text[1:] if neg else text
    if body.startswith("0x"):
        value = int(body, 16)
    elif len(body) > 1 and body.startswith("0"):
        value = int(body, 8)
    else:
        value = int(body)
    return -value if neg else value


def lookup(abi, os_name, name):
    side = abi[os_name]
    where = "XNU " if os_name == "darwin" else ""
    if name.startswith("SYS_"):
        call = name[4:]
        call = SYSCALL_NAMES[os_name].get(call, call)
        src = "bsd/kern/syscalls.master" if os_name == "darwin" else "asm-generic/unistd.h"
        return side["syscalls"][call], f"{where}{src} ({call})"
    if name in STRUCT_FIELDS:
        struct, field = STRUCT_FIELDS[name]
        s = side["structs"][struct]
        value = s["size"] if field is None else s["fields"][field]
        return value, f"{where}{s['source']}"
    if name in side["errno"]:
        src = side.get("sources", {}).get(name, "asm-generic/errno*.h")
        return side["errno"][name], f"{where}{src}"
    if name in side["consts"]:
        src = side.get("sources", {}).get(name, "aarch64 cross headers (linux-libc-dev / glibc)")
        return side["consts"][name], f"{where}{src}"
    raise KeyError(name)


def main():
    abi = json.load(open(sys.argv[1]))
    for os_name in ("darwin", "linux"):
        rows = []
        for line in open(f"asm/os/{os_name}/os.inc"):
            m = EQU.match(line)
            if not m or m.group(1) in ("OS_LINUX", "OS_DARWIN"):
                continue
            name = m.group(1)
            value, src = lookup(abi, os_name, name)
            rows.append(f"{name}\t{value}\t{src}")
        with open(f"tests/abi/{os_name}.tsv", "w") as out:
            out.write(f"# {os_name} arm64 ABI facts used by asm/os/{os_name}/os.inc\n")
            out.write(f"# source: {abi['meta'][os_name + '_source']}\n")
            out.write("# name\tvalue\twhere the value comes from\n")
            out.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
