# Throughput (bars, left axis) and p99 latency (points, right axis) per scenario, from bench/run.sh.
# Input: datafile with lines "<id> \"<label>\" <req/s> <p99 ms>"; output: outfile (PNG).
set terminal pngcairo size 1200,560 font "sans,11"
set output outfile
set title "Throughput and p99 latency per scenario (wrk)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.6
set ylabel "requests / s"
set y2label "p99 latency (ms)"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set grid ytics
set key top right
plot datafile using 3:xtic(2) title "throughput (req/s)" lc rgb "#4477aa", \
     '' using ($0):4 axes x1y2 with linespoints pt 7 ps 1.5 lw 2 lc rgb "#cc3311" title "p99 (ms)"
