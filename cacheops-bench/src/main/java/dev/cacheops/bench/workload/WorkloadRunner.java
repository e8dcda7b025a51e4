package dev.cacheops.bench.workload;

import dev.cacheops.bench.fixture.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Drives one mode at one write share and thread count: a warm-up pass, then the measured
 * operations, split evenly over the threads. Thread {@code t} draws its operations from
 * {@code new Random(seed * 1000 + t)}, so every mode sees the same sequence. Of the reads, 40%
 * load a post with its tags, 30% a category page, 15% count a post's comments, 15% ask for a
 * category's most commented posts; writes are half post updates, half new comments. Ids are
 * skewed towards small values (the cube of a uniform draw), as real traffic is. With two
 * application instances (the near mode), operation {@code i} of thread {@code t} runs on instance
 * {@code (t + i) % 2}: each instance reads what the other wrote.
 */
final class WorkloadRunner {
    private final ModeEnvironment env;
    private final long seed;

    WorkloadRunner(ModeEnvironment env, long seed) {
        this.env = env;
        this.seed = seed;
    }

    WorkloadResult run(double writeShare, int threads, int ops, int warmupOps) throws Exception {
        env.reset();
        Published published = new Published();
        List<BlogOps> blog = env.sessions.stream().map(f -> new BlogOps(f, published)).toList();
        drive(blog, writeShare, threads, warmupOps, seed + 7_919, new Tally());
        long statements = env.statements();
        long[] hm = env.hitsAndMisses();
        Tally tally = new Tally();
        long start = System.nanoTime();
        drive(blog, writeShare, threads, ops, seed, tally);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] hm2 = env.hitsAndMisses();
        return new WorkloadResult(env.mode, writeShare, threads, ops, seconds, env.statements() - statements,
                hm2[0] - hm[0], hm2[1] - hm[1], tally.latency.getValueAtPercentile(50),
                tally.latency.getValueAtPercentile(99), tally.stale.sum(), tally.conflicts.sum());
    }

    private static final class Tally {
        final Histogram latency = new Histogram(3_600_000_000L, 3);
        final LongAdder stale = new LongAdder();
        final LongAdder conflicts = new LongAdder();

        synchronized void add(Histogram h) {
            latency.add(h);
        }
    }

    private void drive(List<BlogOps> blog, double writeShare, int threads, int ops, long runSeed, Tally tally)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int count = ops / threads + (t < ops % threads ? 1 : 0);
                int thread = t;
                Random rnd = new Random(runSeed * 1000 + t);
                done.add(pool.submit(() -> {
                    Histogram h = new Histogram(3_600_000_000L, 3);
                    for (int i = 0; i < count; i++) {
                        long t0 = System.nanoTime();
                        BlogOps.Outcome o = step(blog.get((thread + i) % blog.size()), rnd, writeShare, i);
                        h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        if (o == BlogOps.Outcome.STALE) {
                            tally.stale.increment();
                        } else if (o == BlogOps.Outcome.CONFLICT) {
                            tally.conflicts.increment();
                        }
                    }
                    tally.add(h);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static BlogOps.Outcome step(BlogOps blog, Random rnd, double writeShare, int seq) {
        long post = 1 + (long) (Fixtures.POSTS * Math.pow(rnd.nextDouble(), 3));
        int category = 1 + (int) (Fixtures.CATEGORIES * Math.pow(rnd.nextDouble(), 2));
        double kind = rnd.nextDouble();
        if (rnd.nextDouble() < writeShare) {
            return kind < 0.5 ? blog.updatePost(post, seq) : blog.addComment(post, seq);
        }
        if (kind < 0.40) {
            return blog.readPost(post);
        }
        if (kind < 0.70) {
            return blog.readPage(category, (int) (5 * Math.pow(rnd.nextDouble(), 2)));
        }
        if (kind < 0.85) {
            return blog.countComments(post);
        }
        return blog.topCommented(category);
    }
}
