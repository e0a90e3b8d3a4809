# tests/bench/chart.gp -- the chart `make bench` draws (gnuplot).
#
#   gnuplot -e "datafile='chart.dat'; outfile='bench.png'" \
#           -e "title_text='...'; subtitle_text='...'" chart.gp
#
# chart.dat, one line per server:
#   "label" kind  1k-median 1k-min 1k-max  1m-median ...  1g-median ...
# kind 1 = our servers (one colour), 2 = the peers (another).
# Three panels, one per file: the bar is the median, the whisker goes from
# the slowest to the fastest repetition.

set terminal pngcairo size 1500,620 font "DejaVu Sans,10" noenhanced
set output outfile
set multiplot layout 1,3 title title_text."\n".subtitle_text font "DejaVu Sans,12"

set style fill solid 0.85 border -1
set boxwidth 0.7
set grid ytics lc rgb "#dddddd"
set xtics rotate by -35 left nomirror
set ytics nomirror
set xrange [-0.6:*]
set key off
set bmargin 8
set format y "%.0f"
# our servers orange, the peers blue
colour(kind) = (kind == 1 ? 0xe07020 : 0x3070b0)

set label 1 "orange: metal-httpd's servers    blue: the peers    numbers: the medians" \
    at screen 0.5, screen 0.03 center

# Requests per second differ by a factor of 100 and more between an event
# loop and a fork under qemu: a logarithmic axis shows both.
# The top of each panel: a little above its largest whisker, so the
# numbers above the bars fit.
top(m) = (m > 1 ? m : 1)            # no bars at all: still a valid range
set logscale y
stats datafile using 5 nooutput
set yrange [1:top(STATS_max) * 2.5]
set title "1 KiB file: requests per second (log scale)"
plot datafile using 0:3:(colour($2)):xtic(1) with boxes lc rgb variable, \
     ''       using 0:4:(0):($5-$4) with vectors heads size screen 0.006,90 lc rgb "#202020", \
     ''       using 0:5:(sprintf("%.0f", $3)) with labels offset 0,0.8 font ",9"

stats datafile using 8 nooutput
set yrange [1:top(STATS_max) * 2.5]
set title "1 MiB file: requests per second (log scale)"
plot datafile using 0:6:(colour($2)):xtic(1) with boxes lc rgb variable, \
     ''       using 0:7:(0):($8-$7) with vectors heads size screen 0.006,90 lc rgb "#202020", \
     ''       using 0:8:(sprintf("%.0f", $6)) with labels offset 0,0.8 font ",9"

unset logscale y
stats datafile using 11 nooutput
set yrange [0:top(STATS_max) * 1.1]
set title "1 GiB file: MB/s (sendfile throughput)"
plot datafile using 0:9:(colour($2)):xtic(1) with boxes lc rgb variable, \
     ''       using 0:10:(0):($11-$10) with vectors heads size screen 0.006,90 lc rgb "#202020", \
     ''       using 0:11:(sprintf("%.0f", $9)) with labels offset 0,0.8 font ",9"

unset multiplot
