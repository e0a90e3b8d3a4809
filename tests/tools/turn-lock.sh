# tests/tools/turn-lock.sh -- sourced, not run: take_turn / end_turn, a lock
# that makes concurrent callers of a script wait for one another.
#
# Why: `make` runs one job per core, so several tool stamps may call
# ensure-tools.sh at the same moment.  Two `apt-get install` fight over
# dpkg's lock; two `brew install` fight over Homebrew's per-package lock
# and the loser exits 1, which stops make.  Linux has flock(1); macOS does
# not, so the lock is a directory: mkdir is atomic on every file system --
# exactly one caller creates it, the others wait and try again.
#
#   take_turn DIR   wait until DIR could be created by us (it holds our pid)
#   end_turn        remove it; also done by the EXIT trap take_turn sets
#
# A lock left behind by a caller that was killed (its pid is gone) is taken
# over instead of waited for.  bash 3.2 (macOS's /bin/bash) runs this.
turn_lock_dir=""

take_turn() {
    local dir=$1 holder waited=0
    while ! mkdir "$dir" 2>/dev/null; do
        holder=$(cat "$dir/pid" 2>/dev/null)
        # The holder is gone (killed before its EXIT trap ran): take over.
        if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
            rm -rf "$dir"
            continue
        fi
        if [ "$waited" -eq 0 ]; then echo "ensure-tools: waiting for another install to finish" >&2; fi
        waited=1
        sleep 1
    done
    echo $$ > "$dir/pid"
    turn_lock_dir=$dir
    trap end_turn EXIT
}

end_turn() {
    if [ -n "$turn_lock_dir" ]; then rm -rf "$turn_lock_dir"; turn_lock_dir=""; fi
}
