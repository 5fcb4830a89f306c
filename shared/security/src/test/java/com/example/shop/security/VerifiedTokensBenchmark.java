package com.example.shop.security;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import com.sun.management.OperatingSystemMXBean;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.example.shop.security.test.TestSecurity;

/**
 * What verifying a bearer token costs in one process, with and without {@link VerifiedTokens}: 15 s of warm-up
 * over every case, then rounds in which each case runs a fixed number of calls in turn, timed by the wall clock
 * ({@code System.nanoTime()}) and by the process's CPU time (every thread: the JIT, the collector, the cache's
 * upkeep on the common pool); the median and range of the rounds printed in microseconds per call. Not a test (Surefire runs {@code *Test} classes only) and no JMH (not in the
 * build's offline repository): run it by hand on the test classpath, as bench/NOTES.md ("Verified tokens") did:
 *
 * <pre>
 * ./mvnw -B -o -pl shared/security -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp shared/security/target/test-classes:shared/security/target/classes:$(cat shared/security/target/cp.txt) \
 *     com.example.shop.security.VerifiedTokensBenchmark
 * </pre>
 *
 * The decoders are user-service's ({@link ShopSecurityAutoConfiguration#tokens}: users' access tokens and two
 * trusted services). Measured: the whole verification as every request paid for it before (parse, RS256, the
 * claim rules), a hit (the same token again), a miss with the cache on (a token not seen yet: the verification
 * and the entry), and the heap a kept token takes.
 */
public final class VerifiedTokensBenchmark {

    private static final int ROUNDS = 9;

    private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static volatile long sink;

    /** One kind of call, run {@code calls} times per round. */
    private record Case(String name, int calls, IntFunction<Jwt> call, List<double[]> rounds) {

        Case(String name, int calls, IntFunction<Jwt> call) {
            this(name, calls, call, new ArrayList<>());
        }
    }

    private VerifiedTokensBenchmark() {
    }

    public static void main(String[] args) {
        SecurityProperties properties = new SecurityProperties(
                new SecurityProperties.Jwt(TestSecurity.publicKey(), null, TestSecurity.ISSUER, TestSecurity.AUDIENCE, null),
                new SecurityProperties.Service(null, Map.of(
                        "product-service", TestSecurity.servicePublicKey("product-service"),
                        "gateway", TestSecurity.servicePublicKey("gateway")), null));
        VerifiedTokensProperties kept = new VerifiedTokensProperties(Duration.ofSeconds(60), 10_000);
        VerifiedTokensProperties none = new VerifiedTokensProperties(Duration.ZERO, 0);
        String token = TestSecurity.userToken("6b0a00000000000000000001");
        String serviceToken = TestSecurity.serviceToken("gateway");
        System.out.printf("access token %d characters, service token %d; %s %s%n", token.length(), serviceToken.length(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));

        ReactiveJwtDecoder verifying = ShopSecurityAutoConfiguration.tokens(properties, none).decoder();
        ReactiveJwtDecoder cached = ShopSecurityAutoConfiguration.tokens(properties, kept).decoder();
        // misses: each token new to the cache it meets (a fresh cache per pass over them), signed beforehand
        List<String> distinct = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            distinct.add(TestSecurity.userToken(String.format("6b0a%020x", i)));
        }
        Map<String, BearerTokens.Issuer> byIssuer = Map.of(TestSecurity.ISSUER, ShopSecurityAutoConfiguration.userTokens(properties.jwt()));
        ReactiveJwtDecoder[] fresh = {cached, verifying};

        List<Case> cases = List.of(
                new Case("verification (access token), no cache", 3_000, i -> verifying.decode(token).block()),
                new Case("verification (service token), no cache", 3_000, i -> verifying.decode(serviceToken).block()),
                new Case("verification (2,000 access tokens), no cache", distinct.size(),
                        i -> verifying.decode(distinct.get(i)).block()),
                new Case("hit (access token)", 300_000, i -> cached.decode(token).block()),
                new Case("hit (service token)", 300_000, i -> cached.decode(serviceToken).block()),
                new Case("miss (2,000 new access tokens, verified and kept)", distinct.size(), i -> {
                    if (i == 0) {
                        fresh[0] = new BearerTokens(byIssuer, kept).decoder();
                    }
                    return fresh[0].decode(distinct.get(i)).block();
                }),
                new Case("the same, no cache (a decoder as new)", distinct.size(), i -> {
                    if (i == 0) {
                        fresh[1] = new BearerTokens(byIssuer, none).decoder();
                    }
                    return fresh[1].decode(distinct.get(i)).block();
                }));

        long warmUpEnd = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < warmUpEnd) {
            cases.forEach(each -> time(each.calls(), each.call()));
        }
        for (int round = 0; round < ROUNDS; round++) {
            cases.forEach(each -> each.rounds().add(time(each.calls(), each.call())));
        }
        System.out.printf("%-52s %26s %26s%n", "µs per call, median (range) of " + ROUNDS + " rounds", "wall, this thread",
                "CPU, whole process");
        cases.forEach(VerifiedTokensBenchmark::report);

        System.out.printf("heap per kept access token: ~%d bytes%n", bytesPerEntry(properties, kept, distinct));
        System.out.println("load average (1, 5, 15 min): " + loadAverage());
    }

    /** Wall and process CPU time per call, in microseconds, of {@code calls} calls. */
    private static double[] time(int calls, IntFunction<Jwt> call) {
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        long seen = 0;
        for (int i = 0; i < calls; i++) {
            seen += call.apply(i).getSubject().length();
        }
        long elapsed = System.nanoTime() - start;
        long cpuElapsed = os.getProcessCpuTime() - cpu;
        sink += seen;
        return new double[] {elapsed / 1_000.0 / calls, cpuElapsed / 1_000.0 / calls};
    }

    private static void report(Case each) {
        System.out.printf("%-52s %26s %26s%n", each.name(), summary(each.rounds(), 0), summary(each.rounds(), 1));
    }

    private static String summary(List<double[]> rounds, int column) {
        double[] sorted = rounds.stream().mapToDouble(round -> round[column]).sorted().toArray();
        return String.format("%.2f (%.2f–%.2f)", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    /** The heap the cache holds for {@code tokens} (all kept at once), per token, after full collections. */
    private static long bytesPerEntry(SecurityProperties properties, VerifiedTokensProperties kept, List<String> tokens) {
        long before = usedAfterGc();
        ReactiveJwtDecoder cache = ShopSecurityAutoConfiguration.tokens(properties, kept).decoder();
        // the tokens are held by the list too: copies, so that the cache's own strings are what is counted
        for (String token : tokens) {
            cache.decode(new String(token.toCharArray())).block();
        }
        long after = usedAfterGc();
        sink += cache.hashCode();
        long perEntry = (after - before) / tokens.size();
        sink += ((VerifiedTokens) cache).size();
        return perEntry;
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        }
        catch (IOException e) {
            return "unknown";
        }
    }
}
