package com.example.shop.gateway.populate;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import com.sun.management.OperatingSystemMXBean;

/**
 * {@link PopulateEngineBenchmark}'s methods measured in the process's CPU time per call instead of JMH's wall time:
 * on the shared 2-core machine other builds take the cores, which moves wall time by several times and CPU time far
 * less (bench/NOTES.md, issue 20's gateway hop). A warm-up of every method in turn, then 9 rounds of 2,000 calls of
 * each; prints the median and range of the rounds, in µs. The process's CPU includes its JIT and collector, so run
 * it after the warm-up has let the JIT settle. With the classpath {@code -Pjmh} builds ({@code test-compile}):
 * {@code java -cp <test-classes>:<classes>:<dependencies> com.example.shop.gateway.populate.PopulateEngineCpuTime [warm-up seconds]}.
 */
public final class PopulateEngineCpuTime {

    private static final int ROUNDS = 9;

    private static final int CALLS = 2_000;

    private PopulateEngineCpuTime() {
    }

    public static void main(String[] args) {
        PopulateEngineBenchmark benchmark = new PopulateEngineBenchmark();
        benchmark.setUp();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> names = List.of("populatePage", "populateWithPlan", "readAndWriteOnly");
        List<Supplier<Object>> calls = List.of(benchmark::populatePage, benchmark::populateWithPlan,
                benchmark::readAndWriteOnly);
        long sink = 0;
        long warmUpEnd = System.nanoTime() + Long.parseLong(args.length > 0 ? args[0] : "15") * 1_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            for (Supplier<Object> call : calls) {
                sink += call.get().hashCode();
            }
        }
        double[][] micros = new double[calls.size()][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < calls.size(); i++) {
                long start = os.getProcessCpuTime();
                for (int n = 0; n < CALLS; n++) {
                    sink += calls.get(i).get().hashCode();
                }
                micros[i][round] = (os.getProcessCpuTime() - start) / 1_000.0 / CALLS;
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            double[] sorted = micros[i].clone();
            Arrays.sort(sorted);
            System.out.printf("%s: CPU µs per call, median %.1f (%.1f-%.1f)%n", names.get(i), sorted[ROUNDS / 2],
                    sorted[0], sorted[ROUNDS - 1]);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
