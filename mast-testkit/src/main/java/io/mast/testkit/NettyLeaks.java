package io.mast.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records the buffer leaks Netty's leak detector reports, so a test can fail on them. {@link #install()} must run
 * before Netty creates its detectors; {@link LeakDetectionListener} does it when the test launcher starts.
 */
public final class NettyLeaks {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean installed;

    private NettyLeaks() {
    }

    /** Installs the recording detector factory (once). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                      long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String type, String records) {
                        LEAKS.add("LEAK of " + type + ":" + records);
                        super.reportTracedLeak(type, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String type) {
                        LEAKS.add("LEAK of " + type);
                        super.reportUntracedLeak(type);
                    }
                };
            }
        });
    }

    /** True when the factory was installed before Netty's buffers were used. */
    public static boolean isInstalled() {
        return installed;
    }

    /**
     * Collects garbage, makes Netty look for released-less buffers, and returns what it reported since the last call.
     */
    public static List<String> collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // Leaks are reported when a new buffer is tracked.
            ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(8);
            a.release();
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
            b.release();
        }
        List<String> found = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) {
            found.add(s);
        }
        return found;
    }

    /** Throws {@link AssertionError} when Netty reported a leak. */
    public static void assertNone() {
        List<String> found = collect();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak(s) reported:\n" + String.join("\n", found));
        }
    }
}
