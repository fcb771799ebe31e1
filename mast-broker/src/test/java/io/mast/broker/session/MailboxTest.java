package io.mast.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MailboxTest {

    private final EventLoop loopA = new DefaultEventLoop();
    private final EventLoop loopB = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loopA.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void runsTasksOneAtATimeInOrderPerSubmitter() throws Exception {
        Mailbox mailbox = new Mailbox("test", loopA);
        int submitters = 4;
        int perSubmitter = 10_000;
        List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int submitter = s;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int n = i;
                    mailbox.execute(() -> {
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        seen.add(new int[] {submitter, n});
                        concurrent.decrementAndGet();
                        done.countDown();
                    });
                }
            }));
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(maxConcurrent.get()).isEqualTo(1);
        int[] last = new int[submitters];
        java.util.Arrays.fill(last, -1);
        for (int[] e : seen) {
            assertThat(e[1]).as("order of submitter %d", e[0]).isEqualTo(last[e[0]] + 1);
            last[e[0]] = e[1];
        }
    }

    @Test
    void runsInlineOnTheHomeLoopWhenIdle() throws Exception {
        Mailbox mailbox = new Mailbox("test", loopA);
        boolean[] inline = new boolean[1];
        loopA.submit(() -> {
            boolean[] ran = new boolean[1];
            mailbox.execute(() -> ran[0] = true);
            inline[0] = ran[0];
        }).get(5, TimeUnit.SECONDS);
        assertThat(inline[0]).isTrue();
    }

    @Test
    void nestedSubmissionRunsAfterTheCurrentTask() throws Exception {
        Mailbox mailbox = new Mailbox("test", loopA);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        loopA.execute(() -> mailbox.execute(() -> {
            mailbox.execute(() -> {
                order.add("inner");
                done.countDown();
            });
            order.add("outer");
        }));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("outer", "inner");
    }

    @Test
    void tasksRunOnTheNewHomeAfterAMove() throws Exception {
        Mailbox mailbox = new Mailbox("test", loopA);
        mailbox.moveTo(loopB);
        Thread[] ranOn = new Thread[1];
        CountDownLatch done = new CountDownLatch(1);
        mailbox.execute(() -> {
            ranOn[0] = Thread.currentThread();
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loopB.submit(() -> Thread.currentThread()).get(5, TimeUnit.SECONDS)).isSameAs(ranOn[0]);
    }

    @Test
    void aFailingTaskDoesNotStopTheMailbox() throws Exception {
        Mailbox mailbox = new Mailbox("test", loopA);
        CountDownLatch done = new CountDownLatch(1);
        mailbox.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        mailbox.execute(done::countDown);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void queuedTasksFollowTheMailboxWhenItMovesMidBatch() throws Exception {
        Mailbox mailbox = new Mailbox("test", loopA);
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        Thread[] secondRanOn = new Thread[1];
        mailbox.execute(() -> {
            firstRunning.countDown();
            try {
                releaseFirst.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
        mailbox.execute(() -> {
            secondRanOn[0] = Thread.currentThread();
            secondDone.countDown();
        });
        mailbox.moveTo(loopB);
        releaseFirst.countDown();
        assertThat(secondDone.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loopB.submit(() -> Thread.currentThread()).get(5, TimeUnit.SECONDS)).isSameAs(secondRanOn[0]);
    }
}
