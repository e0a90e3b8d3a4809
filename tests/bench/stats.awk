# tests/bench/stats.awk -- median, smallest and largest of repeated runs.
#
#   awk -f stats.awk RUNS
#
# RUNS has one line per run: "server size value" (value is req/s, or MB/s
# for the 1 GiB file).  Prints one line per server and size:
#   server size median min max n v1,v2,...
# The median, not the mean: one run disturbed by something else on the
# machine (a compiler, a cron job) moves the mean but not the median.

{
    key = $1 " " $2
    if (!(key in n)) order[++keys] = key
    v[key, ++n[key]] = $3 + 0
}

END {
    for (k = 1; k <= keys; k++) {
        key = order[k]; m = n[key]
        # insertion sort: there are only a handful of runs
        for (i = 1; i <= m; i++) s[i] = v[key, i]
        for (i = 2; i <= m; i++) {
            x = s[i]
            for (j = i - 1; j >= 1 && s[j] > x; j--) s[j + 1] = s[j]
            s[j + 1] = x
        }
        if (m % 2) med = s[(m + 1) / 2]; else med = (s[m / 2] + s[m / 2 + 1]) / 2
        all = ""
        for (i = 1; i <= m; i++) all = all (i > 1 ? "," : "") sprintf("%.2f", v[key, i])
        printf "%s %.2f %.2f %.2f %d %s\n", key, med, s[1], s[m], m, all
    }
}
